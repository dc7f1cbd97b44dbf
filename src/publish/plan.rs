//! What to do for one target, decided from the record alone: this is where "at most once,
//! never lost" is kept.

use crate::record::{Publication, PublicationState, PublishAction, Update};

/// The decision for one (update, target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send: a first post, a retry of a failed or interrupted one (same key), or an edit.
    Send {
        action: PublishAction,
        key: String,
        remote_id: Option<String>,
        /// Why, for people: "new", "retry", "resend", "edit".
        why: &'static str,
    },
    /// Nothing to do: published with this very text.
    Done { url: Option<String> },
    /// Published, the text changed since, and the target cannot change a sent message.
    CannotEdit { url: Option<String> },
    /// A try was interrupted after it may have reached a target that cannot tell us and
    /// has no idempotency key: sending again might post twice.
    Uncertain,
}

/// What the target can do, as far as planning cares.
#[derive(Debug, Clone, Copy)]
pub struct Abilities {
    pub can_edit: bool,
    pub resend_is_safe: bool,
}

/// Decides what to do for `target` given the update's publications so far and the hash of
/// the text it would send now. `resend` is the person's word that an interrupted try did
/// not arrive.
pub fn decide(
    update: &Update,
    target: &str,
    text_hash: &str,
    abilities: Abilities,
    resend: bool,
) -> Step {
    let Some(latest) = update.latest_publication(target) else {
        return Step::Send {
            action: PublishAction::Create,
            key: key(update, target, None),
            remote_id: None,
            why: "new",
        };
    };
    let again = |why| Step::Send {
        action: latest.action,
        key: latest.key.clone(),
        remote_id: latest.remote_id.clone(),
        why,
    };
    match latest.state {
        PublicationState::Failed => again("retry"),
        // An edit sets the whole post again, so repeating it is harmless.
        // Interrupted, or finished without knowing whether it arrived.
        PublicationState::InFlight | PublicationState::Uncertain
            if latest.action == PublishAction::Edit || abilities.resend_is_safe || resend =>
        {
            again("resend")
        }
        PublicationState::InFlight | PublicationState::Uncertain => Step::Uncertain,
        PublicationState::Published if latest.text_hash == text_hash => Step::Done {
            url: latest.url.clone(),
        },
        PublicationState::Published if abilities.can_edit => {
            let original = update.published_on(target).unwrap_or(latest);
            Step::Send {
                action: PublishAction::Edit,
                key: key(update, target, Some(text_hash)),
                remote_id: remote_of(original),
                why: "edit",
            }
        }
        PublicationState::Published => Step::CannotEdit {
            url: latest.url.clone(),
        },
    }
}

/// The id of the post an edit changes: the first post's, which later edits keep.
fn remote_of(publication: &Publication) -> Option<String> {
    publication.remote_id.clone()
}

/// The idempotency key of a publication: stable per update and target, and per text for an
/// edit, so every retry of one message carries the same key and a new message a new one.
pub fn key(update: &Update, target: &str, edited_text_hash: Option<&str>) -> String {
    let mut key = format!("{}-{target}", update.event_id.to_lowercase());
    if let Some(hash) = edited_text_hash {
        key.push('-');
        key.push_str(&hash[..hash.len().min(12)]);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn update(publications: Vec<Publication>) -> Update {
        Update {
            seq: 1,
            event_id: "01JUPDATE".to_string(),
            stage: "acknowledge".to_string(),
            status: crate::vocab::Status::Investigating,
            at: "2026-11-24T08:00:00Z".parse().unwrap(),
            author: "Dana".to_string(),
            message: None,
            fields: BTreeMap::new(),
            next_update_at: None,
            publications,
            approvals: Vec::new(),
            edits: BTreeMap::new(),
        }
    }

    fn publication(state: PublicationState, action: PublishAction, hash: &str) -> Publication {
        Publication {
            target: "chat".to_string(),
            state,
            action,
            attempt: "01JATTEMPT".to_string(),
            key: "k1".to_string(),
            text_hash: hash.to_string(),
            started_at: "2026-11-24T08:00:00Z".parse().unwrap(),
            finished_at: None,
            tries: 1,
            remote_id: Some("m1".to_string()),
            url: Some("https://chat.example/m1".to_string()),
            error: None,
            overridden: Vec::new(),
        }
    }

    const PLAIN: Abilities = Abilities {
        can_edit: false,
        resend_is_safe: false,
    };
    const EDITS: Abilities = Abilities {
        can_edit: true,
        resend_is_safe: false,
    };

    #[test]
    fn first_time_sends_with_a_stable_key() {
        let step = decide(&update(vec![]), "chat", "h", PLAIN, false);
        assert_eq!(
            step,
            Step::Send {
                action: PublishAction::Create,
                key: "01jupdate-chat".to_string(),
                remote_id: None,
                why: "new"
            }
        );
    }

    #[test]
    fn published_text_is_not_sent_again() {
        use PublicationState::*;
        let done = update(vec![publication(Published, PublishAction::Create, "h")]);
        assert!(matches!(
            decide(&done, "chat", "h", EDITS, false),
            Step::Done { .. }
        ));
        assert!(matches!(
            decide(&done, "other", "h", EDITS, false),
            Step::Send { why: "new", .. }
        ));
        // Changed text: edited in place where the target can, never posted twice.
        match decide(&done, "chat", "h2", EDITS, false) {
            Step::Send {
                action,
                remote_id,
                key,
                why,
            } => {
                assert_eq!(action, PublishAction::Edit);
                assert_eq!(remote_id.as_deref(), Some("m1"));
                assert_eq!(key, "01jupdate-chat-h2");
                assert_eq!(why, "edit");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decide(&done, "chat", "h2", PLAIN, false),
            Step::CannotEdit { .. }
        ));
    }

    #[test]
    fn failures_are_retried_with_the_same_key() {
        let failed = update(vec![publication(
            PublicationState::Failed,
            PublishAction::Create,
            "h",
        )]);
        assert_eq!(
            decide(&failed, "chat", "h", PLAIN, false),
            Step::Send {
                action: PublishAction::Create,
                key: "k1".to_string(),
                remote_id: Some("m1".to_string()),
                why: "retry"
            }
        );
    }

    #[test]
    fn an_interrupted_try_is_resent_only_when_that_is_safe() {
        let interrupted = update(vec![publication(
            PublicationState::InFlight,
            PublishAction::Create,
            "h",
        )]);
        assert_eq!(
            decide(&interrupted, "chat", "h", PLAIN, false),
            Step::Uncertain
        );
        let safe = Abilities {
            can_edit: false,
            resend_is_safe: true,
        };
        assert!(matches!(
            decide(&interrupted, "chat", "h", safe, false),
            Step::Send { why: "resend", .. }
        ));
        assert!(matches!(
            decide(&interrupted, "chat", "h", PLAIN, true),
            Step::Send { why: "resend", .. }
        ));
        let edit = update(vec![publication(
            PublicationState::InFlight,
            PublishAction::Edit,
            "h",
        )]);
        assert!(matches!(
            decide(&edit, "chat", "h", PLAIN, false),
            Step::Send { why: "resend", .. }
        ));
    }
}
