//! The incident record: events on disk (`store`), their line format (`event`), ids (`id`)
//! and the state folded from them (`state`).

pub mod event;
pub mod id;
pub mod state;
pub mod store;

pub use event::{Edited, Event, EventBody, Opened, Resolved, Status, UpdateBody};
pub use state::{FoldError, Incident, Update};
pub use store::{Loaded, Store, StoreError, Warning};
