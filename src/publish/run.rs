//! One `publish` of one update, from the targets a person chose to what happened: building
//! each target's publisher and job, asking [`plan::decide`] what to do for it, previewing
//! the jobs for a dry run, sending them through [`engine`], and matching what came back to
//! the plan. The command around it only parses, asks and prints.
//!
//! A publish that sends holds the incident's publish lock ([`hold`]) from before it reads
//! the record to plan until every result is recorded: two publishers never plan from the
//! same record, and a try left in flight that a lock holder reads was interrupted (its
//! publisher died), never one still running. [`Run::send`] takes the lock as proof.
//!
//! [`engine`]: super::engine

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::Secrets;
use super::engine::{Job, Outcome, Publishing};
use super::plan::{self, Abilities, Step};
use super::routing;
use super::targets;
use super::{Post, PublishError, text_hash};
use crate::config::{Config, Target};
use crate::record::revision;
use crate::record::{
    Attempt, Holder, Incident, PublishAction, PublishLock, Store, StoreError, Update,
};
use crate::render::Draft;
use crate::vocab::Channel;

/// What will happen, or happened, for one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Send the job at `job_index` of [`Run::jobs`]; `why` as [`Step::Send`] says.
    Send {
        job_index: usize,
        why: &'static str,
    },
    Done {
        url: Option<String>,
    },
    CannotEdit {
        url: Option<String>,
    },
    Uncertain,
}

/// The plan of one publish: one [`Plan`] per target, in the order given, and the jobs the
/// sending ones refer to.
pub struct Run<'a> {
    pub targets: Vec<&'a Target>,
    pub plans: Vec<Plan>,
    pub jobs: Vec<Job<'a>>,
}

impl<'a> Run<'a> {
    /// Plans `update` of `incident` for `targets`, each getting the draft of its channel
    /// from `drafts`. `overridden` are the error-level findings `--force` publishes past;
    /// `resend` is the person's word that an interrupted try did not arrive.
    ///
    /// A correction or retraction mends the post it revises where the target can edit
    /// one (re-rendered from the record, which now holds the revision), and is a notice of
    /// its own where it cannot.
    #[allow(clippy::too_many_arguments)]
    pub fn plan(
        config: &Config,
        incident: &Incident,
        update: &Update,
        targets: Vec<&'a Target>,
        drafts: &BTreeMap<Channel, Draft>,
        overridden: &[String],
        secrets: &Secrets,
        resend: bool,
    ) -> Run<'a> {
        let mut jobs = Vec::new();
        let mut plans = Vec::new();
        for target in &targets {
            let publisher = targets::build(target, config, secrets);
            let abilities = Abilities {
                can_edit: publisher.can_edit(),
                resend_is_safe: target.kind.delivery.resend_is_safe(),
            };
            // The post a revision mends in place: its update, its id, and the text.
            let mended = if revision::is_revision(update) && abilities.can_edit {
                routing::mended(config, incident, update, target).and_then(|(document, draft)| {
                    let remote = document.published_on(&target.name)?.remote_id.clone();
                    Some((document.seq, remote, draft))
                })
            } else {
                None
            };
            let draft = match &mended {
                Some((_, _, draft)) => draft.clone(),
                None => drafts[&target.channel].clone(),
            };
            let hash = text_hash(&draft.plain());
            plans.push(
                match plan::decide(update, &target.name, &hash, abilities, resend) {
                    Step::Send {
                        action,
                        key,
                        remote_id,
                        why,
                    } => {
                        let (action, remote_id, post_seq) = match mended {
                            Some((seq, remote, _)) => (PublishAction::Edit, remote, Some(seq)),
                            None => (action, remote_id, None),
                        };
                        jobs.push(Job {
                            target,
                            publisher,
                            draft,
                            text_hash: hash,
                            action,
                            key,
                            remote_id,
                            post_seq,
                            overridden: overridden.to_vec(),
                        });
                        Plan::Send {
                            job_index: jobs.len() - 1,
                            why,
                        }
                    }
                    Step::Done { url } => Plan::Done { url },
                    Step::CannotEdit { url } => Plan::CannotEdit { url },
                    Step::Uncertain => Plan::Uncertain,
                },
            );
        }
        Run {
            targets,
            plans,
            jobs,
        }
    }

    /// Returns the targets with their plans and, for those that send, their jobs.
    pub fn rows(&self) -> impl Iterator<Item = (&'a Target, &Plan, Option<&Job<'a>>)> {
        self.targets
            .iter()
            .zip(&self.plans)
            .map(|(target, plan)| match plan {
                Plan::Send { job_index, .. } => (*target, plan, Some(&self.jobs[*job_index])),
                _ => (*target, plan, None),
            })
    }

    /// Returns what sending `job` would do, as a dry run shows it, secrets scrubbed.
    pub fn preview(
        job: &Job,
        config: &Config,
        incident: &Incident,
        update: &Update,
        now: DateTime<Utc>,
        secrets: &Secrets,
    ) -> Result<String, PublishError> {
        let post = Post {
            config,
            incident,
            update: job.post_update(incident, update),
            draft: &job.draft,
            action: job.action,
            remote_id: job.remote_id.as_deref(),
            key: &job.key,
        };
        job.publisher
            .preview(&post, now)
            .map(|request| secrets.scrub(&request))
            .map_err(|error| secrets.scrub_error(error))
    }

    /// Sends every job through `publishing`, calling `finished` as each ends. Fails,
    /// sending nothing, if the starts cannot be recorded. `_held` is the incident's publish
    /// lock, taken before the record this run was planned from was read.
    pub fn send(
        &self,
        publishing: &Publishing,
        _held: &PublishLock,
        finished: impl FnMut(&Job, &Outcome),
    ) -> Result<Vec<Outcome>, StoreError> {
        publishing.run(&self.jobs, finished)
    }
}

/// Takes incident `id`'s publish lock, writing `holder()` (asked once it is taken) into it.
/// With `wait`, waits for another publisher to finish, telling `waiting` who that is
/// first; without, returns who holds it (`Err`, `None` when the lock file does not say)
/// and takes nothing.
pub fn hold(
    store: &Store,
    id: &str,
    holder: impl FnOnce() -> Holder,
    wait: bool,
    waiting: impl FnOnce(Option<&Holder>),
) -> Result<Result<PublishLock, Option<Holder>>, StoreError> {
    let path = store.publish_lock_path(id);
    if wait {
        return PublishLock::acquire(&path, holder, waiting).map(Ok);
    }
    Ok(match PublishLock::try_acquire(&path, holder)? {
        Attempt::Acquired(lock) => Ok(lock),
        Attempt::Held(other) => Err(other),
    })
}

/// Returns who is publishing incident `id` right now, if a live publisher holds its lock
/// (`Some(None)` when its lock file does not say who).
pub fn live_publisher(store: &Store, id: &str) -> Result<Option<Option<Holder>>, StoreError> {
    PublishLock::is_held(&store.publish_lock_path(id))
}

/// Returns how `target` ended among `outcomes`.
pub fn outcome_of<'o>(outcomes: &'o [Outcome], target: &Target) -> Option<&'o Outcome> {
    outcomes
        .iter()
        .find(|outcome| outcome.target == target.name)
}
