//! What the chat kinds (`slack`, `discord`, `teams`, `mattermost`) are configured with: an
//! incoming-webhook URL, which is a secret, and the one deliberate mention their posts may
//! carry, checked in the form each service notifies by.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::shared::url_from_env;
use crate::config::{KindSettings, KindTable, Target, TargetProblem};
use crate::publish::{PublishError, Secrets, Url};

/// The keys of a chat target that can notify someone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatKeys {
    url_env: Option<Spanned<String>>,
    mention: Option<Spanned<String>>,
    mention_severities: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The keys of a chat target that posts without mentions (Teams).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlainChatKeys {
    url_env: Option<Spanned<String>>,
}

/// A chat target's settings.
#[derive(Debug, Clone)]
pub struct ChatSettings {
    pub url_env: String,
    /// `mention` (with `mention_severities`): who is notified. Text people type never
    /// notifies anyone; only this does.
    pub mention: Option<Mention>,
}

impl KindSettings for ChatSettings {}

/// A mention a chat target puts at the top of its posts, already written the way its
/// service reads one (`<!subteam^S0123>` for Slack, `@oncall` for Mattermost, `<@&123>` for
/// Discord).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The mentions as sent, separated by spaces.
    pub text: String,
    /// The severities whose updates carry it; `None` for every severity.
    pub severities: Option<Vec<String>>,
}

impl Mention {
    /// Returns the mention an update of `severity` carries, if any.
    pub fn for_severity(&self, severity: &str) -> Option<&str> {
        self.severities
            .as_ref()
            .is_none_or(|severities| severities.iter().any(|name| name == severity))
            .then_some(self.text.as_str())
    }
}

/// How one service writes a mention that notifies.
pub struct MentionForm {
    /// The service's name, as a person reads it.
    pub service: &'static str,
    /// Returns a word as sent, when it is a mention the service notifies by.
    pub parse: fn(&str) -> Option<String>,
    /// The forms it takes, for the error of a word that is none of them.
    pub hint: &'static str,
}

/// Reads a chat target whose posts may mention someone in `form`.
pub fn settings(
    table: &KindTable,
    form: &MentionForm,
) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: ChatKeys = table.keys()?;
    Ok(Arc::new(ChatSettings {
        url_env: table.required(&keys.url_env, "url_env")?,
        mention: mention(table, &keys, form)?,
    }))
}

/// Returns where a chat target posts, from the environment, and who its posts notify.
pub fn endpoint(
    target: &Target,
    secrets: &Secrets,
) -> Result<(Url, Option<Mention>), PublishError> {
    let settings: &ChatSettings = target.settings();
    Ok((
        url_from_env(target, secrets, &settings.url_env)?,
        settings.mention.clone(),
    ))
}

/// Reads a chat target that mentions nobody.
pub fn plain_settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: PlainChatKeys = table.keys()?;
    Ok(Arc::new(ChatSettings {
        url_env: table.required(&keys.url_env, "url_env")?,
        mention: None,
    }))
}

/// Reads `mention` and `mention_severities`: each mention in the one form its service
/// notifies by, so that a typo is an error here rather than a silent non-ping at 3 a.m.
fn mention(
    table: &KindTable,
    keys: &ChatKeys,
    form: &MentionForm,
) -> Result<Option<Mention>, TargetProblem> {
    let name = table.name;
    let Some(written) = &keys.mention else {
        if let Some(severities) = &keys.mention_severities {
            return Err(table.problem(
                severities.span(),
                format!("`mention_severities` in `[targets.{name}]` needs a `mention`"),
                Some("add `mention = \"…\"`, or remove `mention_severities`".to_string()),
            ));
        }
        return Ok(None);
    };
    let mut sent = Vec::new();
    for word in written.get_ref().split_whitespace() {
        let Some(as_sent) = (form.parse)(word) else {
            return Err(table.problem(
                written.span(),
                format!(
                    "`{word}` in `[targets.{name}]` is not a {} mention",
                    form.service
                ),
                Some(form.hint.to_string()),
            ));
        };
        sent.push(as_sent);
    }
    if sent.is_empty() {
        return Err(table.problem(
            written.span(),
            format!("`mention` in `[targets.{name}]` is empty"),
            Some("remove it, or name who to notify".to_string()),
        ));
    }
    let severities = match &keys.mention_severities {
        None => None,
        Some(list) => {
            if list.get_ref().is_empty() {
                return Err(table.problem(
                    list.span(),
                    format!("`mention_severities` in `[targets.{name}]` is empty"),
                    Some("list the severities that notify, like `[\"sev1\"]`, or remove it to notify for every severity".to_string()),
                ));
            }
            for severity in list.get_ref() {
                if !table.severity_names.contains(&severity.get_ref().as_str()) {
                    return Err(table.problem(
                        severity.span(),
                        format!(
                            "unknown severity `{}` in `mention_severities` of `[targets.{name}]`",
                            severity.get_ref(),
                        ),
                        Some(crate::vocab::suggestion(
                            severity.get_ref(),
                            "severities",
                            table.severity_names,
                        )),
                    ));
                }
            }
            Some(list.get_ref().iter().map(|s| s.get_ref().clone()).collect())
        }
    };
    Ok(Some(Mention {
        text: sent.join(" "),
        severities,
    }))
}
