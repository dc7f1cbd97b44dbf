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
///
/// A publication is identified by what it is, never by when: the update's event id, the
/// target and the hash of the exact text sent. Which try was recorded first is not asked
/// (two responders' clocks can disagree by minutes, and the record is ordered by them):
/// this text published once is done; another text published means the text changed since;
/// nothing published and a try that never finished means it may have arrived. That holds
/// because planning happens under the incident's publish lock, so a try in flight that
/// planning sees was interrupted, not still running.
pub fn decide(
    update: &Update,
    target: &str,
    text_hash: &str,
    abilities: Abilities,
    resend: bool,
) -> Step {
    let tries: Vec<&Publication> = update
        .publications
        .iter()
        .filter(|publication| publication.target == target)
        .collect();
    let Some(latest) = tries.last() else {
        return Step::Send {
            action: PublishAction::Create,
            key: key(update, target, None),
            remote_id: None,
            why: "new",
        };
    };
    let published = |publication: &&&Publication| publication.state == PublicationState::Published;
    if let Some(same) = tries
        .iter()
        .find(|publication| published(publication) && publication.text_hash == text_hash)
    {
        return Step::Done {
            url: same.url.clone(),
        };
    }
    if let Some(shown) = tries.iter().rev().find(published) {
        if !abilities.can_edit {
            return Step::CannotEdit {
                url: shown.url.clone(),
            };
        }
        // The post an edit changes is the first post, which every edit keeps.
        let original = tries
            .iter()
            .filter(published)
            .find(|publication| publication.action == PublishAction::Create)
            .unwrap_or(shown);
        let key = key(update, target, Some(text_hash));
        // An edit sets the whole post again, so repeating one is harmless.
        let why = match tries.iter().find(|publication| publication.key == key) {
            Some(earlier) if earlier.state == PublicationState::InFlight => "resend",
            Some(_) => "retry",
            None => "edit",
        };
        return Step::Send {
            action: PublishAction::Edit,
            key,
            remote_id: remote_of(original),
            why,
        };
    }
    // Nothing published, yet an edit was tried: its post exists (the first post's result
    // is in another clone's record), and setting it again is harmless.
    if let Some(edit) = tries
        .iter()
        .rev()
        .find(|publication| publication.action == PublishAction::Edit)
    {
        return Step::Send {
            action: PublishAction::Edit,
            key: key(update, target, Some(text_hash)),
            remote_id: edit.remote_id.clone(),
            why: "resend",
        };
    }
    // Nothing published yet: every try was a first post, all with the same key.
    let again = |why| Step::Send {
        action: PublishAction::Create,
        key: latest.key.clone(),
        remote_id: tries
            .iter()
            .rev()
            .find_map(|publication| publication.remote_id.clone()),
        why,
    };
    // Interrupted, or finished without knowing whether it arrived.
    let interrupted = tries.iter().any(|publication| {
        matches!(
            publication.state,
            PublicationState::InFlight | PublicationState::Uncertain
        )
    });
    if !interrupted {
        again("retry")
    } else if abilities.resend_is_safe || resend {
        again("resend")
    } else {
        Step::Uncertain
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
    use crate::record::Fields;
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
            fields: Fields::new(),
            next_update_at: None,
            publications,
            approvals: Vec::new(),
            edits: BTreeMap::new(),
            corrected: None,
            retracted: None,
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

    /// Issue 12: what was published is (update, target, text hash), whatever the order the
    /// clocks put the tries in.
    #[test]
    fn the_order_of_tries_does_not_decide() {
        use PublicationState::*;
        let mut failed = publication(Failed, PublishAction::Create, "h");
        failed.attempt = "01JFAILED".to_string();
        let published = publication(Published, PublishAction::Create, "h");
        for tries in [
            vec![failed.clone(), published.clone()],
            vec![published.clone(), failed.clone()],
        ] {
            let update = update(tries);
            assert!(matches!(
                decide(&update, "chat", "h", PLAIN, false),
                Step::Done { .. }
            ));
            assert!(matches!(
                decide(&update, "chat", "h2", EDITS, false),
                Step::Send {
                    action: PublishAction::Edit,
                    why: "edit",
                    ..
                }
            ));
        }
        // A first post edited since: the text of either is done; a third text edits the
        // first post, whichever try the record lists first.
        let mut edit = publication(Published, PublishAction::Edit, "h2");
        edit.key = key(&update(vec![]), "chat", Some("h2"));
        edit.remote_id = Some("m1".to_string());
        for tries in [
            vec![published.clone(), edit.clone()],
            vec![edit.clone(), published.clone()],
        ] {
            let update = update(tries);
            for hash in ["h", "h2"] {
                assert!(matches!(
                    decide(&update, "chat", hash, EDITS, false),
                    Step::Done { .. }
                ));
            }
            match decide(&update, "chat", "h3", EDITS, false) {
                Step::Send {
                    action: PublishAction::Edit,
                    remote_id,
                    why: "edit",
                    ..
                } => assert_eq!(remote_id.as_deref(), Some("m1")),
                other => panic!("{other:?}"),
            }
        }
        // An interrupted first post stays uncertain wherever a failed try sorts.
        let interrupted = publication(InFlight, PublishAction::Create, "h");
        for tries in [
            vec![failed.clone(), interrupted.clone()],
            vec![interrupted.clone(), failed.clone()],
        ] {
            let update = update(tries);
            assert_eq!(decide(&update, "chat", "h", PLAIN, false), Step::Uncertain);
            assert!(matches!(
                decide(&update, "chat", "h", PLAIN, true),
                Step::Send { why: "resend", .. }
            ));
        }
    }
}
