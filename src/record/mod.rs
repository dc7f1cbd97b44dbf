//! The incident record: events on disk (`store`), their line format (`event`), ids (`id`)
//! and the state folded from them (`state`).

pub mod event;
pub mod id;
pub mod state;
pub mod store;
pub mod summary;

pub use event::{
    Approved, Edited, Event, EventBody, Opened, PublishAction, PublishFinished, PublishStarted,
    Resolved, UpdateBody,
};
pub use state::{Approval, FoldError, Incident, Publication, PublicationState, Update};
pub use store::{Loaded, Store, StoreError, Warning};
pub use summary::Summary;
