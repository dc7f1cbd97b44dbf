//! The incident record: events on disk (`store`), their line format (`event`), ids (`id`),
//! an update's answers (`fields`), times as the JSON holds them (`timestamp`), messages
//! shared once read (`text`), the state folded from them (`state`), the row `list` shows of
//! it (`summary`) and the one-publisher-at-a-time lock (`lock`).

pub mod event;
pub mod fields;
pub mod id;
mod lines;
pub mod lock;
pub mod maintenance;
pub mod revision;
pub mod state;
pub mod store;
pub mod summary;
pub mod text;
pub mod timestamp;
mod unpublished;

pub use event::{
    Approved, Edited, Event, EventBody, FIRST_SEQ, Opened, PublishAction, PublishFinished,
    PublishStarted, Reopened, Resolved, UpdateBody,
};
pub use fields::Fields;
pub use lock::{Attempt, Holder, PublishLock};
pub use state::{
    Approval, ApprovalState, FoldError, Incident, Publication, PublicationState, Update,
};
pub use store::{Loaded, Store, StoreError, Warning};
pub use summary::Summary;
pub use unpublished::Unpublished;
