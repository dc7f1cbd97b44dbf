//! `incident.toml`: finding it, parsing it with unknown keys rejected, and validating it
//! once into the [`Config`] the rest of the tool trusts.
//!
//! Every error names the file, line and column; spans come from `toml::Spanned`.

mod error;
mod kind;
mod playbook;
mod preset;
mod raw;
mod rules;
mod secret;
mod severity;
mod target;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::Duration;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use error::explain_toml_error;
pub use error::{ConfigError, line_column};
pub use kind::{Choice, DeliveryRule, Kind, KindSettings, KindTable, fields_of};
pub use preset::{PRESETS_DIR, Preset};
pub use secret::Secret;
pub use severity::{ComponentStatus, Indicator, Severity};
pub use target::{Target, TargetProblem, check_url, is_loopback};

use crate::vocab::Channel;
use raw::RawConfig;

/// The configuration file's name, searched for upward from the working directory.
pub const FILE_NAME: &str = "incident.toml";
/// Minutes an update may sit unsent before `due` reports it, unless configured.
const DEFAULT_UNPUBLISHED_AFTER_MINUTES: i64 = 5;

/// The folder beside `incident.toml` that holds one folder per incident.
pub const INCIDENTS_DIR: &str = "incidents";

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The `incident.toml` this was read from.
    pub path: PathBuf,
    pub org: Org,
    /// Severities in the order the file lists them, most severe first by convention.
    pub severities: Vec<Severity>,
    /// Component id to display name.
    pub components: BTreeMap<String, String>,
    pub targets: Vec<Target>,
    /// How long an update may sit recorded but unsent before `due` reports it
    /// (`[publishing] unpublished_after`, default 5 minutes).
    pub unpublished_after: Duration,
    /// The stages, questions and templates of the playbook.
    pub playbook: crate::playbook::Playbook,
    /// The presets of `[presets.NAME]` and `presets/NAME.toml`, by name.
    pub presets: BTreeMap<String, Preset>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Org {
    pub name: String,
    #[serde(serialize_with = "serialize_zone")]
    pub timezone: Tz,
    pub status_url: Option<String>,
    pub default_severity: String,
}

fn serialize_zone<S: serde::Serializer>(zone: &Tz, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(zone.name())
}

pub(crate) fn serialize_duration<S: serde::Serializer>(
    duration: &Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::time::short_duration(*duration))
}

impl Config {
    /// Returns the folder that holds `incident.toml`.
    pub fn root(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Returns the folder that holds the incidents.
    pub fn incidents_dir(&self) -> PathBuf {
        self.root().join(INCIDENTS_DIR)
    }

    pub fn severity(&self, name: &str) -> Option<&Severity> {
        self.severities
            .iter()
            .find(|severity| severity.name == name)
    }

    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.iter().find(|target| target.name == name)
    }

    /// Returns the targets that receive updates of `stage`.
    pub fn targets_for<'a>(&'a self, stage: &'a str) -> impl Iterator<Item = &'a Target> {
        self.targets
            .iter()
            .filter(move |target| target.receives(stage))
    }

    /// Returns the channels that some target routes `stage` to; every channel when no
    /// target is configured, so a person still sees what the templates make.
    pub fn routed_channels(&self, stage: &str) -> Vec<Channel> {
        if self.targets.is_empty() {
            return Channel::ALL.to_vec();
        }
        Channel::ALL
            .into_iter()
            .filter(|channel| {
                self.targets_for(stage)
                    .any(|target| target.channel == *channel)
            })
            .collect()
    }

    /// Reads and validates the file at `path`, and the preset files beside it; a target may
    /// be of any of `kinds`.
    pub fn load(path: &Path, kinds: &[&'static Kind]) -> Result<Config, ConfigError> {
        let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Config::parse(path, &source, kinds)?;
        config.load_preset_files()?;
        Ok(config)
    }

    /// Adds the presets of `presets/NAME.toml`, each checked like `[presets.NAME]` and
    /// its errors located in its own file.
    fn load_preset_files(&mut self) -> Result<(), ConfigError> {
        let dir = self.root().join(PRESETS_DIR);
        let files = preset::files(&dir).map_err(|source| ConfigError::Read {
            path: dir.clone(),
            source,
        })?;
        let severities: Vec<&str> = self.severities.iter().map(|s| s.name.as_str()).collect();
        let components: Vec<&str> = self.components.keys().map(String::as_str).collect();
        let known = preset::Known {
            severities: &severities,
            components: &components,
            playbook: &self.playbook,
        };
        let mut found = Vec::new();
        for (name, file) in files {
            let source = std::fs::read_to_string(&file).map_err(|source| ConfigError::Read {
                path: file.clone(),
                source,
            })?;
            let invalid = |span: Range<usize>, message: String, hint: Option<String>| {
                let (line, column) = line_column(&source, span.start);
                ConfigError::Invalid {
                    path: file.clone(),
                    line,
                    column,
                    message,
                    hint,
                }
            };
            let raw: raw::RawPreset = toml::from_str(&source).map_err(|error| {
                let (message, hint) = explain_toml_error(error.message());
                invalid(error.span().unwrap_or(0..0), message, hint)
            })?;
            if let Some(other) = self.presets.get(&name) {
                return Err(invalid(
                    0..0,
                    format!(
                        "preset `{name}` is also defined in `{}`",
                        other.source.display()
                    ),
                    Some("keep one of the two".to_string()),
                ));
            }
            let built = preset::build(&name, &raw, 0..0, &file, &known)
                .map_err(|problem| invalid(problem.span, problem.message, problem.hint))?;
            found.push((name, built));
        }
        self.presets.extend(found);
        Ok(())
    }

    /// Returns the preset `name`, if there is one.
    pub fn preset(&self, name: &str) -> Option<&Preset> {
        self.presets.get(name)
    }

    /// Parses and validates `source`, naming `path` in errors; a target may be of any of
    /// `kinds`.
    pub fn parse(
        path: &Path,
        source: &str,
        kinds: &[&'static Kind],
    ) -> Result<Config, ConfigError> {
        let invalid = |span: Range<usize>, message: String, hint: Option<String>| {
            let (line, column) = line_column(source, span.start);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
                hint,
            }
        };
        let toml_error = |error: toml::de::Error| {
            let (message, hint) = explain_toml_error(error.message());
            invalid(error.span().unwrap_or(0..0), message, hint)
        };
        // Parsed once: the targets as written are kept for each kind to read its own keys
        // from, spans and all, and the rest is read into `RawConfig`.
        let document = toml::de::DeTable::parse(source).map_err(toml_error)?;
        let written_targets = document.get_ref().get("targets").cloned();
        let raw =
            RawConfig::deserialize(toml::de::Deserializer::from(document)).map_err(toml_error)?;

        let timezone_text = &raw.org.get_ref().timezone;
        let timezone: Tz = timezone_text.get_ref().parse().map_err(|_| {
            let guess = crate::vocab::did_you_mean(
                timezone_text.get_ref(),
                chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name()),
            );
            invalid(
                timezone_text.span(),
                format!("unknown time zone `{}`", timezone_text.get_ref()),
                Some(match guess {
                    Some(zone) => format!("did you mean `{zone}`?"),
                    None => {
                        "use an IANA zone name like `America/New_York`, `Europe/Berlin` or `UTC`"
                            .to_string()
                    }
                }),
            )
        })?;
        if let Some(url) = &raw.org.get_ref().status_url {
            // The status URL is a link people follow, not something we send to: https or
            // loopback http are both fine, anything else is a typo.
            check_url(url.get_ref(), true)
                .map_err(|(message, hint)| invalid(url.span(), message, hint))?;
        }

        // A duration setting: a positive DUR, or an error naming its key and table.
        let positive = |text: &Spanned<String>, key: &str, table: &str| {
            crate::time::parse_duration(text.get_ref())
                .ok()
                .filter(|duration| *duration > Duration::zero())
                .ok_or_else(|| {
                    invalid(
                        text.span(),
                        format!(
                            "bad duration `{}` for `{key}` in `[{table}]`",
                            text.get_ref()
                        ),
                        Some("use a duration like `15m`, `1h30m` or `2h`".to_string()),
                    )
                })
        };
        let mut severities = Vec::new();
        for (name, severity) in &raw.severities {
            let table = severity.get_ref();
            let table_name = format!("severities.{name}");
            let duration = |text: &Spanned<String>, key: &str| positive(text, key, &table_name);
            severities.push((
                severity.span().start,
                Severity {
                    name: name.clone(),
                    label: table.label.clone(),
                    description: table.description.clone(),
                    acknowledge_within: duration(&table.acknowledge_within, "acknowledge_within")?,
                    update_every: duration(&table.update_every, "update_every")?,
                },
            ));
        }
        severities.sort_by_key(|(start, _)| *start);
        let severities: Vec<Severity> = severities
            .into_iter()
            .map(|(_, severity)| severity)
            .collect();
        let first_severity = severities.first().ok_or_else(|| {
            invalid(
                raw.org.span(),
                "no severities are defined".to_string(),
                Some("add at least one, like `[severities.sev1]` with `label`, `acknowledge_within` and `update_every`".to_string()),
            )
        })?;
        let names: Vec<&str> = severities
            .iter()
            .map(|severity| severity.name.as_str())
            .collect();
        let default_severity = match &raw.org.get_ref().default_severity {
            None => first_severity.name.clone(),
            Some(name) if names.contains(&name.get_ref().as_str()) => name.get_ref().clone(),
            Some(name) => {
                return Err(invalid(
                    name.span(),
                    format!(
                        "`default_severity` names unknown severity `{}`",
                        name.get_ref()
                    ),
                    Some(crate::vocab::suggestion(
                        name.get_ref(),
                        "severities",
                        &names,
                    )),
                ));
            }
        };

        for (id, name) in &raw.components {
            if !crate::vocab::is_valid_name(id) {
                return Err(invalid(
                    name.span(),
                    format!("component id `{id}` must be lowercase letters, digits and `-`"),
                    None,
                ));
            }
        }
        let component_ids: Vec<&str> = raw.components.keys().map(String::as_str).collect();
        let templates_dir = path.parent().unwrap_or(Path::new("")).join("templates");
        let playbook = playbook::build(&raw.playbook, &templates_dir)
            .map_err(|problem| invalid(problem.span, problem.message, problem.hint))?;
        let stage_names = playbook.stage_names();
        let mut targets = Vec::new();
        let known = target::Known {
            kinds,
            stages: &stage_names,
            components: &component_ids,
            severities: &names,
        };
        for (name, table) in &raw.targets {
            if !crate::vocab::is_valid_name(name) {
                return Err(invalid(
                    table.span(),
                    format!("target name `{name}` must be lowercase letters, digits and `-`"),
                    Some("it becomes part of idempotency keys and webhook ids".to_string()),
                ));
            }
            let written = match written_targets.as_ref().map(Spanned::get_ref) {
                Some(toml::de::DeValue::Table(written)) => written.get(name.as_str()),
                _ => None,
            }
            .expect("a target read from the file is in its `targets` table");
            let mut target = target::validate(name, table, written, &known)
                .map_err(|problem| invalid(problem.span, problem.message, problem.hint))?;
            if table.get_ref().require_approval.is_none() {
                target.require_approval = raw.publishing.require_approval.unwrap_or(false);
            }
            targets.push(target);
        }

        let mut presets = BTreeMap::new();
        let known = preset::Known {
            severities: &names,
            components: &component_ids,
            playbook: &playbook,
        };
        for (name, table) in &raw.presets {
            let built = preset::build(name, table.get_ref(), table.span(), path, &known)
                .map_err(|problem| invalid(problem.span, problem.message, problem.hint))?;
            presets.insert(name.clone(), built);
        }

        let unpublished_after = match &raw.publishing.unpublished_after {
            None => Duration::minutes(DEFAULT_UNPUBLISHED_AFTER_MINUTES),
            Some(text) => positive(text, "unpublished_after", "publishing")?,
        };

        Ok(Config {
            path: path.to_path_buf(),
            org: Org {
                name: raw.org.get_ref().name.clone(),
                timezone,
                status_url: raw
                    .org
                    .get_ref()
                    .status_url
                    .as_ref()
                    .map(|url| url.get_ref().clone()),
                default_severity,
            },
            severities,
            components: raw
                .components
                .iter()
                .map(|(id, name)| (id.clone(), name.get_ref().clone()))
                .collect(),
            targets,
            unpublished_after,
            playbook,
            presets,
        })
    }
}

/// Finds `incident.toml`: `--config`, then `INCIDENT_CONFIG`, then upward from `start`.
pub fn find(
    explicit: Option<&Path>,
    from_env: Option<&Path>,
    start: &Path,
) -> Result<PathBuf, ConfigError> {
    if let Some(path) = explicit.or(from_env) {
        return Ok(path.to_path_buf());
    }
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| ConfigError::NotFound {
            start: start.to_path_buf(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_target_stages() {
        let source = r#"
[org]
name = "Acme"
timezone = "UTC"
[severities.sev1]
label = "Critical"
acknowledge_within = "15m"
update_every = "30m"
[targets.blog]
kind = "file"
path = "out"
channel = "blog"
stages = ["explain"]
[targets.chat]
kind = "file"
path = "out"
channel = "chat"
"#;
        let config = Config::parse(
            Path::new("incident.toml"),
            source,
            &crate::publish::targets::kinds(),
        )
        .unwrap();
        assert_eq!(
            config.routed_channels("explain"),
            [Channel::Blog, Channel::Chat]
        );
        assert_eq!(config.routed_channels("acknowledge"), [Channel::Chat]);
    }

    const GOOD: &str = r#"
[org]
name = "Acme"
timezone = "America/New_York"
status_url = "https://status.acme.example"

[severities.sev2]
label = "Major"
acknowledge_within = "30m"
update_every = "1h"

[severities.sev1]
label = "Critical"
acknowledge_within = "15m"
update_every = "30m"

[components]
api = "Public API"

[targets.hook]
kind = "webhook"
url = "https://hooks.acme.example/incident"
secret_env = "HOOK_SECRET"
stages = ["acknowledge", "explain"]
"#;

    fn error_of(source: &str) -> (usize, usize, String, Option<String>) {
        match Config::parse(
            Path::new("incident.toml"),
            source,
            &crate::publish::targets::kinds(),
        ) {
            Err(ConfigError::Invalid {
                line,
                column,
                message,
                hint,
                ..
            }) => (line, column, message, hint),
            other => panic!("expected an invalid config, got {other:?}"),
        }
    }

    #[test]
    fn parses_and_keeps_severity_order() {
        let config = Config::parse(
            Path::new("incident.toml"),
            GOOD,
            &crate::publish::targets::kinds(),
        )
        .unwrap();
        let names: Vec<&str> = config.severities.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["sev2", "sev1"]);
        assert_eq!(config.org.default_severity, "sev2");
        assert_eq!(config.targets[0].kind.name, "webhook");
        assert_eq!(config.targets[0].channel, Channel::Status);
        assert_eq!(config.targets[0].timeout, Duration::seconds(20));
    }

    #[test]
    fn unknown_key_suggests() {
        let source = GOOD.replace("update_every = \"1h\"", "update_evry = \"1h\"");
        let (line, column, message, hint) = error_of(&source);
        assert_eq!((line, column), (10, 1));
        assert_eq!(message, "unknown key `update_evry`");
        assert_eq!(hint.as_deref(), Some("did you mean `update_every`?"));
    }

    #[test]
    fn a_table_given_as_a_value_is_named_as_the_table_it_should_be() {
        let target = GOOD.replace("[targets.hook]", "[targets]\nout = 5\n[targets.hook]");
        let (line, _, message, _) = error_of(&target);
        assert_eq!(
            line,
            target.lines().position(|l| l == "out = 5").unwrap() + 1
        );
        assert_eq!(
            message,
            "invalid type: integer `5`, expected a `[targets.NAME]` table"
        );
        let severity = GOOD.replace(
            "[severities.sev1]",
            "[severities]\nsev3 = \"x\"\n[severities.sev1]",
        );
        let (_, _, message, _) = error_of(&severity);
        assert_eq!(
            message,
            "invalid type: string \"x\", expected a `[severities.NAME]` table"
        );
    }

    #[test]
    fn bad_zone_and_duration_point_at_values() {
        let (line, column, message, hint) =
            error_of(&GOOD.replace("America/New_York", "America/New_Yrok"));
        assert_eq!((line, column), (4, 12));
        assert_eq!(message, "unknown time zone `America/New_Yrok`");
        assert_eq!(hint.as_deref(), Some("did you mean `America/New_York`?"));
        let (line, _, message, _) = error_of(&GOOD.replace("\"15m\"", "\"15x\""));
        assert_eq!(line, 14);
        assert!(message.contains("bad duration `15x`"), "{message}");
    }

    #[test]
    fn literal_secret_names_the_env_key() {
        let source = GOOD.replace("secret_env = \"HOOK_SECRET\"", "secret = \"whsec_abc\"");
        let (line, _, message, hint) = error_of(&source);
        assert_eq!(line, 23);
        assert!(
            message.contains("secrets come only from the environment"),
            "{message}"
        );
        assert!(!message.contains("whsec_abc"));
        assert_eq!(
            hint.as_deref(),
            Some("remove it and write `secret_env = \"HOOK_SECRET\"`, then export that variable")
        );
    }

    #[test]
    fn plain_http_to_public_host_is_refused() {
        let source = GOOD.replace("https://hooks.acme.example", "http://hooks.acme.example");
        let (line, _, message, hint) = error_of(&source);
        assert_eq!(line, 22);
        assert!(
            message.contains("plain `http://` to `hooks.acme.example` is refused"),
            "{message}"
        );
        assert!(hint.unwrap().contains("allow_insecure = true"));
        let allowed = source.replace(
            "kind = \"webhook\"",
            "kind = \"webhook\"\nallow_insecure = true",
        );
        assert!(
            Config::parse(
                Path::new("incident.toml"),
                &allowed,
                &crate::publish::targets::kinds()
            )
            .is_ok()
        );
    }

    #[test]
    fn target_checks() {
        let (_, _, message, hint) = error_of(&GOOD.replace("\"webhook\"", "\"webhok\""));
        assert_eq!(message, "unknown target kind `webhok` in `[targets.hook]`");
        assert_eq!(hint.as_deref(), Some("did you mean `webhook`?"));
        let (_, _, message, _) = error_of(&GOOD.replace("\"explain\"]", "\"explian\"]"));
        assert_eq!(message, "unknown stage `explian` in `[targets.hook]`");
        let (_, _, message, _) =
            error_of(&GOOD.replace("secret_env", "username = \"x\"\nsecret_env"));
        assert_eq!(
            message,
            "`username` is not a setting of a `webhook` target (`[targets.hook]`)"
        );
        let slack =
            "[targets.chat]\nkind = \"slack\"\nurl = \"https://hooks.slack.com/services/T/B/X\"\n";
        let (_, _, message, _) = error_of(&format!("{GOOD}{slack}"));
        assert!(message.contains("webhook URL is a secret"), "{message}");
    }

    /// A kind this module has never heard of: its keys struct, its settings, its entry.
    mod pager {
        use std::sync::Arc;

        use serde::Deserialize;
        use toml::Spanned;

        use crate::config::{
            Choice, DeliveryRule, Kind, KindSettings, KindTable, TargetProblem, fields_of,
        };
        use crate::vocab::Channel;

        pub static KIND: Kind = Kind {
            name: "pager",
            channel: Channel::Chat,
            delivery: DeliveryRule::Blind,
            keys: fields_of::<Keys>,
            required: &[&["service"]],
            url_is_secret: false,
            settings,
        };

        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Keys {
            service: Option<Spanned<String>>,
            urgency: Option<Spanned<String>>,
        }

        #[derive(Debug)]
        pub struct PagerSettings {
            pub service: String,
            pub urgency: Urgency,
        }

        impl KindSettings for PagerSettings {}

        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Urgency {
            Low,
            High,
        }

        impl Choice for Urgency {
            const KEY: &'static str = "urgency";
            const CHOICES: &'static [(&'static str, Urgency)] =
                &[("low", Urgency::Low), ("high", Urgency::High)];
        }

        fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
            let keys: Keys = table.keys()?;
            Ok(Arc::new(PagerSettings {
                service: table.required(&keys.service, "service")?,
                urgency: table.choice(&keys.urgency, Some(Urgency::Low))?,
            }))
        }
    }

    #[test]
    fn a_kind_is_handed_in_and_reads_its_own_keys() {
        let parse = |keys: &str| {
            let head = GOOD.split("[targets.hook]").next().unwrap();
            let source = format!("{head}[targets.oncall]\nkind = \"pager\"\n{keys}");
            Config::parse(Path::new("incident.toml"), &source, &[&pager::KIND])
        };
        let config = parse("service = \"P123\"\nurgency = \"high\"\n").unwrap();
        let target = config.target("oncall").unwrap();
        let settings: &pager::PagerSettings = target.settings();
        assert_eq!(
            (settings.service.as_str(), settings.urgency),
            ("P123", pager::Urgency::High)
        );
        assert_eq!((target.kind.name, target.channel), ("pager", Channel::Chat));

        let problem = |keys: &str| match parse(keys) {
            Err(ConfigError::Invalid {
                line,
                message,
                hint,
                ..
            }) => (line, message, hint.unwrap_or_default()),
            other => panic!("{other:?}"),
        };
        let (line, message, hint) = problem("service = \"P1\"\nurgency = \"loud\"\n");
        assert_eq!(line, 23);
        assert_eq!(message, "unknown urgency `loud` in `[targets.oncall]`");
        assert_eq!(hint, "`urgency` is one of `low`, `high`");
        let (line, message, hint) = problem("service = \"P1\"\nsevrice = \"P2\"\n");
        assert_eq!(line, 23);
        assert_eq!(
            message,
            "`sevrice` is not a setting of a `pager` target (`[targets.oncall]`)"
        );
        assert_eq!(hint, "a `pager` target takes `service`, `urgency`");
        let (_, message, _) = problem("urgency = \"low\"\n");
        assert_eq!(message, "`[targets.oncall]` (pager target) needs `service`");
        let (_, message, _) = problem("service = 5\n");
        assert_eq!(message, "invalid type: integer `5`, expected a string");
        // The kinds config knows are the ones it is handed, and no others.
        let error = Config::parse(Path::new("incident.toml"), GOOD, &[&pager::KIND]).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("unknown target kind `webhook` in `[targets.hook]`"),
            "{error}"
        );
    }

    #[test]
    fn invalid_toml_names_the_line() {
        let (line, _, message, _) = error_of("[org]\nname = \"Acme\ntimezone = \"UTC\"\n");
        assert_eq!(line, 2);
        assert!(!message.contains('\n'));
    }

    #[test]
    fn no_severities_is_an_error() {
        let (_, _, message, _) = error_of("[org]\nname = \"Acme\"\ntimezone = \"UTC\"\n");
        assert_eq!(message, "no severities are defined");
    }

    #[test]
    fn playbook_changes_and_new_stages() {
        let source = format!(
            r#"{GOOD}
[playbook.stage.workaround]
status = "identified"
guidance = "Say what people can do until it is fixed."
templates = {{ social = "banner.txt" }}
questions = [
  {{ key = "steps", prompt = "Steps", required = true }},
  {{ key = "until", prompt = "Until when?", kind = "time" }},
]

[playbook.stage.explain]
guidance = "Our words"
questions = [{{ key = "cause", prompt = "Why?", kind = "choice", choices = ["deploy", "hardware"] }}]

[playbook.stage.resolve]
replace_questions = true
questions = [{{ key = "followup", prompt = "Follow-up?" }}]
"#
        );
        let config = Config::parse(
            Path::new("incident.toml"),
            &source,
            &crate::publish::targets::kinds(),
        )
        .unwrap();
        let playbook = &config.playbook;
        assert_eq!(
            playbook.stage_names(),
            [
                "acknowledge",
                "explain",
                "apologize",
                "promise",
                "workaround",
                "resolve"
            ]
        );
        let workaround = playbook.stage("workaround").unwrap();
        assert_eq!(workaround.title, "Workaround");
        assert!(workaround.questions[0].required);
        assert_eq!(
            workaround.questions[1].kind,
            crate::playbook::QuestionKind::Time
        );
        assert_eq!(workaround.templates[&Channel::Social], "banner.txt");
        let explain = playbook.stage("explain").unwrap();
        assert_eq!(explain.guidance, "Our words");
        let keys: Vec<&str> = explain.questions.iter().map(|q| q.key.as_str()).collect();
        assert_eq!(
            keys,
            ["cause", "workaround"],
            "a question with a default's key replaces it"
        );
        let keys: Vec<&str> = playbook
            .resolve
            .questions
            .iter()
            .map(|q| q.key.as_str())
            .collect();
        assert_eq!(keys, ["followup"]);

        // An explicit order: exactly these stages (`apologize` and `promise` dropped).
        let ordered = format!(
            "{source}\n[playbook]\nstages = [\"acknowledge\", \"workaround\", \"explain\"]\n"
        );
        let config = Config::parse(
            Path::new("incident.toml"),
            &ordered,
            &crate::publish::targets::kinds(),
        )
        .unwrap();
        assert_eq!(
            config.playbook.stage_names(),
            ["acknowledge", "workaround", "explain", "resolve"]
        );
    }

    #[test]
    fn playbook_mistakes_name_their_line() {
        let cases = [
            (
                "[playbook.stage.extra]\nguidance = \"x\"\n",
                "new stage `[playbook.stage.extra]` needs a `status`",
            ),
            (
                "[playbook]\nstages = [\"explain\"]\n",
                "`playbook.stages` must include `acknowledge`: `incident open` records it",
            ),
            (
                "[playbook]\nstages = [\"acknowledge\", \"explian\"]\n",
                "unknown stage `explian` in `playbook.stages`",
            ),
            (
                "[playbook.stage.explain]\nquestions = [{ key = \"x\", prompt = \"p\", kind = \"number\" }]\n",
                "unknown question kind `number`",
            ),
            (
                "[playbook.stage.explain]\nquestions = [{ key = \"x\", prompt = \"p\", kind = \"choice\" }]\n",
                "choice question `x` needs a non-empty `choices` list",
            ),
            (
                "[playbook.stage.explain]\nstatus = \"fixed\"\n",
                "unknown status `fixed`",
            ),
            (
                "[playbook.stage.explain]\ntemplates = { sms = \"x.txt\" }\n",
                "unknown channel `sms` in the templates of stage `explain`",
            ),
            (
                "[playbook.stage.explain]\ntemplates = { blog = \"nope.md\" }\n",
                "template `nope.md` not found",
            ),
            (
                "[playbook.stage.explain]\nguidence = \"x\"\n",
                "unknown key `guidence`",
            ),
        ];
        for (extra, expected) in cases {
            let source = format!("{GOOD}\n{extra}");
            let (line, _, message, _) = error_of(&source);
            assert_eq!(message, expected, "{extra}");
            assert!(line > GOOD.lines().count(), "{extra}: line {line}");
        }
    }

    #[test]
    fn finds_config_upward() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), GOOD).unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(
            find(None, None, &nested).unwrap(),
            dir.path().join(FILE_NAME)
        );
        assert_eq!(
            find(
                Some(Path::new("x.toml")),
                Some(Path::new("y.toml")),
                &nested
            )
            .unwrap(),
            Path::new("x.toml")
        );
        assert!(matches!(
            find(None, None, Path::new("/")),
            Err(ConfigError::NotFound { .. })
        ));
    }
}
