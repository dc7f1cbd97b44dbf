//! The incident record: events on disk (`store`), their line format (`event`), ids (`id`)
//! and the state folded from them (`state`).

pub mod event;
pub mod id;
pub mod state;
pub mod store;
pub mod summary;
pub mod timestamp;

pub use event::{
    Approved, Edited, Event, EventBody, FIRST_SEQ, Opened, PublishAction, PublishFinished,
    PublishStarted, Resolved, Status, UpdateBody,
};
pub use state::{
    Approval, ApprovalState, FoldError, Incident, Publication, PublicationState, Update,
};
pub use store::{Loaded, Store, StoreError, Warning};
pub use summary::Summary;
