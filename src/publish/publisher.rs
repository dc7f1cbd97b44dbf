//! What every target kind implements and is handed: [`Publisher`], the [`Post`] it is
//! asked to publish, where the post ended up ([`Remote`]) and how a delivery went
//! ([`Delivered`]).

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::record::{Incident, PublishAction, Update};
use crate::render::Draft;
use crate::time::Clock;

use super::error::PublishError;
use super::http::{Http, Outgoing, Policy, Reply};

/// What a target is asked to publish.
#[derive(Debug, Clone, Copy)]
pub struct Post<'a> {
    pub config: &'a Config,
    pub incident: &'a Incident,
    pub update: &'a Update,
    /// The text for the target's channel, as rendered or as a person edited it.
    pub draft: &'a Draft,
    pub action: PublishAction,
    /// The remote post an edit changes.
    pub remote_id: Option<&'a str>,
    /// The idempotency key every try carries.
    pub key: &'a str,
}

/// Where the post ended up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remote {
    pub id: Option<String>,
    pub url: Option<String>,
}

/// How a delivery went, retries included.
#[derive(Debug)]
pub struct Delivered {
    pub result: Result<Remote, PublishError>,
    pub tries: u32,
    pub errors: Vec<PublishError>,
}

impl Delivered {
    /// A delivery that failed before any request was made.
    pub fn refused(error: PublishError) -> Delivered {
        Delivered {
            result: Err(error.clone()),
            tries: 0,
            errors: vec![error],
        }
    }
}

/// What every delivery shares: the HTTP client and the clock.
#[derive(Debug, Clone)]
pub struct Context {
    pub http: Http,
    pub clock: Clock,
}

pub type Delivery<'a> = Pin<Box<dyn Future<Output = Delivered> + 'a>>;

/// One kind of target. HTTP targets describe their request in [`Publisher::request`] and
/// read the answer in [`Publisher::remote`]; the rest override [`Publisher::deliver`] and
/// [`Publisher::preview`]. How a kind can be delivered safely (keyed, findable, blind) is
/// declared with the kind, in its `KIND`, and reaches a delivery as
/// [`Policy::rule`].
pub trait Publisher {
    /// Whether a published post can be changed in place.
    fn can_edit(&self) -> bool {
        false
    }

    /// The request that publishes `post`, made at `now`.
    fn request(&self, post: &Post, now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let _ = (post, now);
        Err(PublishError::unsendable(
            "this target does not publish over HTTP",
        ))
    }

    /// Reads where the post ended up from a successful answer.
    fn remote(&self, post: &Post, reply: &Reply) -> Result<Remote, PublishError> {
        let _ = (post, reply);
        Ok(Remote::default())
    }

    /// What publishing would do, as a dry run prints it, secrets redacted.
    fn preview(&self, post: &Post, now: DateTime<Utc>) -> Result<String, PublishError> {
        self.request(post, now).map(|outgoing| outgoing.shown())
    }

    /// Publishes `post`.
    fn deliver<'a>(&'a self, context: &'a Context, post: Post<'a>, policy: Policy) -> Delivery<'a> {
        Box::pin(async move {
            let first = match self.request(&post, context.clock.current()) {
                Ok(first) => first,
                Err(error) => return Delivered::refused(error),
            };
            // The answer is read inside the loop: a success that cannot be read is a try
            // that may have arrived, for the delivery rule to decide on like any other.
            let sent = context
                .http
                .send_reading(
                    policy,
                    || context.clock.current(),
                    |now| self.request(&post, now).unwrap_or_else(|_| first.clone()),
                    |reply| self.remote(&post, &reply),
                )
                .await;
            let result = sent.result;
            Delivered {
                result,
                tries: sent.tries,
                errors: sent.errors,
            }
        })
    }
}

/// Returns the SHA-256 of a text in hex: how the record notices that a text changed.
pub fn text_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
