//! The incident record: events on disk (`store`), their line format (`event`), ids (`id`),
//! times as the JSON holds them (`timestamp`), the state folded from them (`state`) and the
//! row `list` shows of it (`summary`).

pub mod event;
pub mod id;
pub mod state;
pub mod store;
pub mod summary;
pub mod timestamp;

pub use event::{
    Approved, Edited, Event, EventBody, FIRST_SEQ, Opened, PublishAction, PublishFinished,
    PublishStarted, Reopened, Resolved, UpdateBody,
};
pub use state::{
    Approval, ApprovalState, FoldError, Incident, Publication, PublicationState, Update,
};
pub use store::{Loaded, Store, StoreError, Warning};
pub use summary::Summary;
