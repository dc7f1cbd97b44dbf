//! Sending: a `publish_started` event on disk for every target before any request leaves,
//! then all targets at once, each with its own timeout and retries, and a
//! `publish_finished` event as each one ends.
//!
//! Each try goes through the one retry loop under the target kind's delivery rule; an edit
//! sets a known post to one text, so repeating it is harmless whatever the kind. A
//! publication that ends *uncertain* (a blind kind's try that may have arrived) is recorded
//! as such, so no later run sends it again on a guess.

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use super::Secrets;
use super::{Context, Delivered, Policy, Post, PublishError, Publisher, Remote};
use crate::config::{Config, DeliveryRule, Target};
use crate::record::{
    Event, EventBody, Incident, PublishAction, PublishFinished, PublishStarted, Store, StoreError,
    Update, id,
};
use crate::render::Draft;

/// One target to send to.
pub struct Job<'a> {
    pub target: &'a Target,
    pub publisher: Box<dyn Publisher>,
    pub draft: Draft,
    pub text_hash: String,
    pub action: PublishAction,
    pub key: String,
    pub remote_id: Option<String>,
    /// For a revision mended in place, the number of the update whose post it changes;
    /// the publication is still recorded under the revision.
    pub post_seq: Option<usize>,
    /// Error-level findings `--force` publishes past, recorded with the publication.
    pub overridden: Vec<String>,
}

impl Job<'_> {
    /// The update whose post this job sends or changes: `update` itself, or the one a
    /// revision mends.
    pub fn post_update<'u>(&self, incident: &'u Incident, update: &'u Update) -> &'u Update {
        self.post_seq
            .and_then(|seq| incident.updates.get(seq - 1))
            .unwrap_or(update)
    }
}

/// How one target's publication ended.
#[derive(Debug)]
pub struct Outcome {
    pub target: String,
    /// Where the post is, or why it is not there, with every secret scrubbed.
    pub result: Result<Remote, PublishError>,
    pub tries: u32,
    /// A problem writing the result to the record: the post went out (or not) but the
    /// record does not say so.
    pub record_error: Option<StoreError>,
}

/// Who is publishing what.
pub struct Publishing<'a> {
    pub config: &'a Config,
    pub store: &'a Store,
    pub incident: &'a Incident,
    pub update: &'a Update,
    pub author: &'a str,
    pub context: &'a Context,
    pub secrets: &'a Secrets,
}

impl Publishing<'_> {
    /// Records every job as started, then sends them all at once, calling `finished` as
    /// each ends. Fails, sending nothing, if the start cannot be recorded.
    pub fn run(
        &self,
        jobs: &[Job],
        mut finished: impl FnMut(&Job, &Outcome),
    ) -> Result<Vec<Outcome>, StoreError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| {
                StoreError::Io(crate::fsutil::IoError {
                    action: "start the publishing runtime for",
                    path: self.store.dir().to_path_buf(),
                    source: error,
                })
            })?;
        // Every start is on disk, in one write and one fsync, before any request leaves.
        let starts: Vec<Event> = jobs.iter().map(|job| self.start(job)).collect();
        self.store.record(&self.incident.id, &starts)?;
        let mut outcomes: Vec<Option<Outcome>> = jobs.iter().map(|_| None).collect();
        runtime.block_on(async {
            let mut running: FuturesUnordered<_> = jobs
                .iter()
                .enumerate()
                .map(|(index, job)| async move { (index, self.deliver(job).await) })
                .collect();
            while let Some((index, delivered)) = running.next().await {
                let job = &jobs[index];
                let outcome = self.record_finish(job, &starts[index].id, delivered);
                finished(job, &outcome);
                outcomes[index] = Some(outcome);
            }
        });
        Ok(outcomes.into_iter().flatten().collect())
    }

    async fn deliver(&self, job: &Job<'_>) -> Delivered {
        let post = Post {
            config: self.config,
            incident: self.incident,
            update: job.post_update(self.incident, self.update),
            draft: &job.draft,
            action: job.action,
            remote_id: job.remote_id.as_deref(),
            key: &job.key,
        };
        let rule = match job.action {
            PublishAction::Edit => DeliveryRule::Keyed,
            PublishAction::Create => job.target.kind.delivery,
        };
        let policy = Policy {
            attempts: job.target.attempts,
            timeout: job
                .target
                .timeout
                .to_std()
                .unwrap_or(std::time::Duration::from_secs(20)),
            rule,
        };
        job.publisher.deliver(self.context, post, policy).await
    }

    fn start(&self, job: &Job) -> Event {
        self.event(EventBody::PublishStarted(Box::new(PublishStarted {
            update: self.update.event_id.clone(),
            target: job.target.name.clone(),
            action: job.action,
            key: job.key.clone(),
            text_hash: job.text_hash.clone(),
            remote_id: job.remote_id.clone(),
            overridden: job.overridden.clone(),
        })))
    }

    fn event(&self, body: EventBody) -> Event {
        Event {
            id: id::new_event_id(),
            at: self.context.clock.current(),
            author: self.author.to_string(),
            body,
        }
    }

    fn record_finish(&self, job: &Job, attempt: &str, delivered: Delivered) -> Outcome {
        // The record keeps each error's words, scrubbed whole before they are cut short for
        // showing (a cut must not leave part of a secret): its format stays plain text.
        let mut errors: Vec<String> = delivered
            .errors
            .into_iter()
            .map(|error| self.secrets.scrub_error(error).to_string())
            .collect();
        let result = delivered
            .result
            .map_err(|error| self.secrets.scrub_error(error));
        if let Err(error) = &result {
            let shown = error.to_string();
            if errors.last() != Some(&shown) {
                errors.push(shown);
            }
        }
        let (remote_id, url) = match &result {
            Ok(remote) => (remote.id.clone(), remote.url.clone()),
            Err(_) => (None, None),
        };
        let uncertain = result.as_ref().is_err_and(PublishError::is_uncertain);
        let finish = self.event(EventBody::PublishFinished(Box::new(PublishFinished {
            attempt: attempt.to_string(),
            update: self.update.event_id.clone(),
            target: job.target.name.clone(),
            published: result.is_ok(),
            uncertain,
            tries: delivered.tries,
            remote_id,
            url,
            errors,
        })));
        let written = self.store.record(&self.incident.id, &[finish]);
        Outcome {
            target: job.target.name.clone(),
            result,
            tries: delivered.tries,
            record_error: written.err(),
        }
    }
}
