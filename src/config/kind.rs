//! What config knows of a kind of target: its name, default channel and delivery rule, its
//! keys, and the function that turns a `[targets.NAME]` table into the kind's own checked
//! settings.
//!
//! Config holds no list of kinds. Each kind is declared once, in its publisher's module
//! (`publish/targets/*.rs`), and `publish::targets::kinds()` is handed to [`Config::parse`]: adding a
//! kind is one module and one line in that table, and config stays below the publishers.
//! Every kind's table goes through the same checks before its own function runs (keys it
//! does not take, required keys, URLs, `*_env` names), so a typo reads the same everywhere.
//!
//! [`Config::parse`]: super::Config::parse

use std::any::Any;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use serde::de::{DeserializeOwned, Visitor};
use toml::Spanned;
use toml::de::DeValue;

use super::target::TargetProblem;
use crate::vocab::{Channel, backticked};

/// One kind of target, as its module declares it.
pub struct Kind {
    /// What `kind = "…"` says.
    pub name: &'static str,
    /// The channel a target of this kind takes when the config does not say.
    pub channel: Channel,
    /// How a post can be delivered without making it twice.
    pub delivery: DeliveryRule,
    /// The kind's own keys: the fields of its keys struct, through [`fields_of`].
    pub keys: fn() -> &'static [&'static str],
    /// Each inner list is satisfied by any one of its keys.
    pub required: &'static [&'static [&'static str]],
    /// Chat webhook URLs carry their credential in the path, so they belong in the environment.
    pub url_is_secret: bool,
    /// Reads the kind's own settings once the shared checks passed.
    pub settings: fn(&KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem>,
}

impl Kind {
    /// Returns the kind's name quoted, after "a" or "an" as English wants it.
    pub fn quoted_with_article(&self) -> String {
        let article = match self.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            true => "an",
            false => "a",
        };
        format!("{article} `{}`", self.name)
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        self.name == other.name
    }
}

impl Eq for Kind {}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A kind's checked settings: its own type, which its publisher reads back with
/// [`Target::settings`](super::Target::settings).
pub trait KindSettings: Any + fmt::Debug + Send + Sync {
    /// How many characters a social post may have, for the kinds that count them.
    fn social_limit(&self) -> Option<usize> {
        None
    }
}

/// How a kind of target can be delivered safely, which decides what happens to a try that
/// may have reached it without our hearing back (a timeout or a reset after the request was
/// written, an answer we cannot read). A try that provably never left is retried for every
/// kind, and so is an explicit 408, 429 or 5xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryRule {
    /// The remote drops duplicates by a key we send (webhook `webhook-id`, Mastodon
    /// `Idempotency-Key`): such a try is simply sent again.
    Keyed,
    /// We can look up what an earlier try made (WordPress and Ghost by slug, file and
    /// static by path): such a try is looked for before it is made again.
    Findable,
    /// Nothing tells us whether it arrived (Slack, Discord, Teams, Mattermost, a
    /// Statuspage create, email): such a try is *uncertain* until a person checks.
    Blind,
}

impl DeliveryRule {
    pub fn name(self) -> &'static str {
        match self {
            DeliveryRule::Keyed => "keyed",
            DeliveryRule::Findable => "findable",
            DeliveryRule::Blind => "blind",
        }
    }

    /// Whether a try that may have arrived can be made again without posting twice.
    pub fn resend_is_safe(self) -> bool {
        !matches!(self, DeliveryRule::Blind)
    }
}

impl fmt::Display for DeliveryRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A setting that takes one of a few words.
pub trait Choice: Copy + PartialEq + 'static {
    /// The key it is written under.
    const KEY: &'static str;
    /// Every word, with what it means.
    const CHOICES: &'static [(&'static str, Self)];

    /// Returns the word as written in the file (and, where a service takes it, as sent).
    fn name(self) -> &'static str {
        Self::CHOICES
            .iter()
            .find(|(_, choice)| *choice == self)
            .map(|(name, _)| *name)
            .expect("every choice has a name")
    }
}

/// One `[targets.NAME]` table whose shared checks passed, as its kind's settings read it.
pub struct KindTable<'a> {
    /// The target's name.
    pub name: &'a str,
    pub kind: &'static Kind,
    /// Where the whole table is, for a key that is missing.
    pub(super) span: Range<usize>,
    /// The kind's own keys, the shared ones (`kind`, `channel`, …) taken out.
    pub(super) own: Spanned<DeValue<'a>>,
    pub allow_insecure: bool,
    pub component_ids: &'a [&'a str],
    pub severity_names: &'a [&'a str],
}

impl KindTable<'_> {
    /// Reads the kind's keys struct, spans pointing into the file.
    pub fn keys<T: DeserializeOwned>(&self) -> Result<T, TargetProblem> {
        T::deserialize(toml::de::ValueDeserializer::from(self.own.clone())).map_err(|error| {
            let (message, hint) = super::error::explain_toml_error(error.message());
            TargetProblem {
                span: error.span().unwrap_or_else(|| self.span.clone()),
                message,
                hint,
            }
        })
    }

    /// Returns the error for a table that lacks every key of `group`.
    pub fn missing(&self, group: &[&str]) -> TargetProblem {
        TargetProblem {
            span: self.span.clone(),
            message: format!(
                "`[targets.{}]` ({} target) needs `{}`",
                self.name,
                self.kind,
                group.join("` or `")
            ),
            hint: None,
        }
    }

    /// Returns a key the kind cannot do without (its `required` list checked it is there).
    pub fn required<T: Clone>(
        &self,
        value: &Option<Spanned<T>>,
        key: &str,
    ) -> Result<T, TargetProblem> {
        value
            .as_ref()
            .map(|value| value.get_ref().clone())
            .ok_or_else(|| self.missing(&[key]))
    }

    /// Returns the choice written under `C::KEY`, or `default` when there is none.
    pub fn choice<C: Choice>(
        &self,
        value: &Option<Spanned<String>>,
        default: Option<C>,
    ) -> Result<C, TargetProblem> {
        let Some(value) = value else {
            return default.ok_or_else(|| self.missing(&[C::KEY]));
        };
        let words: Vec<&str> = C::CHOICES.iter().map(|(name, _)| *name).collect();
        C::CHOICES
            .iter()
            .find(|(name, _)| *name == value.get_ref())
            .map(|(_, choice)| *choice)
            .ok_or_else(|| TargetProblem {
                span: value.span(),
                message: format!(
                    "unknown {} `{}` in `[targets.{}]`",
                    C::KEY,
                    value.get_ref(),
                    self.name
                ),
                hint: Some(format!("`{}` is one of {}", C::KEY, backticked(&words))),
            })
    }

    /// Returns a problem at `span` of this table.
    pub fn problem(
        &self,
        span: Range<usize>,
        message: String,
        hint: Option<String>,
    ) -> TargetProblem {
        TargetProblem {
            span,
            message,
            hint,
        }
    }
}

/// Returns the field names serde's derive gives a struct: so that a kind's keys are written
/// once, as its keys struct, and the shared checks can still say which keys it takes.
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that answers nothing and remembers the fields a struct asks for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

#[derive(Debug)]
struct Asked;

impl fmt::Display for Asked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("only the field names were asked for")
    }
}

impl std::error::Error for Asked {}

impl serde::de::Error for Asked {
    fn custom<T: fmt::Display>(_: T) -> Asked {
        Asked
    }
}

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = Asked;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Asked> {
        Err(Asked)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Asked> {
        *self.0 = fields;
        Err(Asked)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Keys {
        url: Option<String>,
        #[serde(rename = "token_env")]
        token: Option<String>,
    }

    #[test]
    fn field_names_come_from_the_derive() {
        assert_eq!(fields_of::<Keys>(), ["url", "token_env"]);
    }
}
