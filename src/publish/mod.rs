//! Publishing: sending an update's drafts to every target that receives its stage, at most
//! once and never lost.
//!
//! `run` takes one publish from the chosen targets to what happened: it builds the jobs and
//! asks `plan` (pure) what to do per target from the record (send, retry, edit in place,
//! skip, or stop because a crashed try may have reached a target that cannot say). `engine`
//! writes a `publish_started` event before any request leaves and a `publish_finished`
//! event after, sending to all targets at once. `retry` is the one retry loop every try
//! goes through, HTTP or SMTP; failures are [`PublishError`]s, and whether one is tried
//! again follows from how far it got ([`Reach`]) and the kind's delivery rule (keyed,
//! findable or blind, declared with the kind). Each kind of target is a small module under
//! `targets/`: how config reads its table, and its [`Publisher`]; `targets::kinds` lists them.

pub mod engine;
mod error;
pub mod http;
pub mod plan;
mod publisher;
mod reply;
pub mod retry;
pub mod routing;
pub mod run;
mod secrets;
pub mod targets;

pub use error::{PublishError, Reach};
pub use http::{Http, Outgoing, Policy, Reply, Url};
pub use publisher::{Context, Delivered, Delivery, Post, Publisher, Remote, text_hash};
pub use secrets::Secrets;
