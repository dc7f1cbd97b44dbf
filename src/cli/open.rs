//! `incident open`: declare an incident and record its acknowledgement.

use chrono::{DateTime, Utc};
use clap::Args;

use super::answers::{ask_questions, check_component, check_severity, parse_fields, parse_promise};
use super::prompt::Question;
use super::publishing;
use super::session::Session;
use super::walkthrough;
use crate::config::Config;
use crate::error::CommandError;
use crate::record::{
    Event, EventBody, FIRST_SEQ, Incident, Opened, Store, StoreError, UpdateBody, id,
};
use crate::time;
use crate::vocab::{ACKNOWLEDGE, PRESET_FIELD};

/// Open a new incident and record its acknowledgement; prints the new id
///
/// Asks for each answer that no flag gives. Only the title is required: pressing Enter
/// through the rest records a complete acknowledgement with the defaults.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// Short public name of the problem, e.g. "Photos not loading"
    #[arg(long, value_name = "T")]
    title: Option<String>,
    /// The title, given without `--title`
    #[arg(value_name = "TITLE", conflicts_with = "title")]
    title_words: Option<String>,
    /// Severity by name or label, any case, from `incident.toml` (default: `org.default_severity`)
    #[arg(long, value_name = "S")]
    severity: Option<String>,
    /// Affected component id from `incident.toml` (repeat for several)
    #[arg(long = "component", value_name = "C")]
    components: Vec<String>,
    /// Who or what is affected, in plain words
    #[arg(long, value_name = "I")]
    impact: Option<String>,
    /// What can be said right now
    #[arg(long, value_name = "TEXT")]
    summary: Option<String>,
    /// When the problem started (default: now); RFC 3339, `YYYY-MM-DD HH:MM` or `-45m`
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    started_at: Option<String>,
    /// When the next update is promised, from now (default: the severity's `update_every`)
    #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
    next_update: Option<String>,
    /// An answer to one of the stage's questions, as KEY=VALUE (repeatable)
    #[arg(long = "field", value_name = "KEY=VALUE")]
    fields: Vec<String>,
    /// Use this id instead of a random one (lowercase letters, digits and `-`)
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// Publish the acknowledgement right after recording it, without asking (the same
    /// checks and approvals as `incident publish`)
    #[arg(long)]
    publish: bool,
    /// Start from a preset (`incident presets` lists them): its values are the defaults,
    /// and every flag overrides them
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
}

pub fn run(args: OpenArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let stage = config
        .playbook
        .stage(ACKNOWLEDGE)
        .expect("every playbook has an acknowledge stage");
    let now = session.clock.now();
    let zone = config.org.timezone;

    if let Some(id) = &args.id
        && !crate::vocab::is_valid_name(id)
    {
        return Err(CommandError::usage(format!("invalid id `{id}`")).hint(
            "an id is 1 to 40 lowercase letters, digits and `-`, starting with a letter or digit",
        ));
    }
    // Check flags before asking anything, so a typo does not cost a person their answers.
    let preset = match &args.preset {
        Some(name) => Some(config.preset(name).ok_or_else(|| {
            let names: Vec<&str> = config.presets.keys().map(String::as_str).collect();
            CommandError::usage(format!("unknown preset `{name}`"))
                .hint(crate::vocab::suggestion(name, "presets", &names))
        })?),
        None => None,
    };
    let severity_flag = args
        .severity
        .as_deref()
        .map(|name| check_severity(&config, name))
        .transpose()?;
    for component in &args.components {
        check_component(&config, component)?;
    }
    let started_flag = args
        .started_at
        .as_deref()
        .map(|text| check_started_at(text, now, zone))
        .transpose()?;
    let next_update_flag = args.next_update.as_deref().map(parse_promise).transpose()?;
    let mut fields = parse_fields(&args.fields)?;
    // What the preset answers, offered as each question's default; the flags above win.
    let mut preset_answers = preset
        .map(|preset| preset.fields.clone())
        .unwrap_or_default();
    if let Some(impact) = preset.and_then(|preset| preset.impact.clone()) {
        preset_answers.entry("impact".to_string()).or_insert(impact);
    }
    if let Some(impact) = args
        .impact
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        fields.insert("impact".to_string(), impact.to_string());
    }

    let prompter = &session.prompter;
    if prompter.is_interactive() {
        session
            .printer
            .heading(&format!("Acknowledge — {}", stage.guidance));
        if let Some(preset) = preset {
            session.printer.status(&format!(
                "Preset `{}`: its answers are the defaults; Enter keeps them.",
                preset.name
            ));
        }
    }
    let title = match args.title.or(args.title_words) {
        Some(title) => check_title(&title).map_err(CommandError::usage)?,
        None => prompter.text(
            Question {
                prompt: "Title",
                guidance: "A short public name for the problem, e.g. \"Photos not loading\".",
                flag: "--title",
            },
            preset.and_then(|preset| preset.title.as_deref()),
            true,
            |text| check_title(text).map(drop),
        )?,
    };
    let severity = match severity_flag {
        Some(name) => name,
        None => {
            let items: Vec<String> = config
                .severities
                .iter()
                .map(|severity| {
                    format!(
                        "{} · {} (acknowledge within {}, update every {})",
                        severity.name,
                        severity.label,
                        time::short_duration(severity.acknowledge_within),
                        time::short_duration(severity.update_every)
                    )
                })
                .collect();
            let wanted = preset
                .and_then(|preset| preset.severity.as_deref())
                .unwrap_or(&config.org.default_severity);
            let default = config
                .severities
                .iter()
                .position(|severity| severity.name == wanted)
                .unwrap_or(0);
            let question = Question {
                prompt: "Severity",
                guidance: "How bad is it for the people affected? When unsure, pick the higher one.",
                flag: "--severity",
            };
            config.severities[prompter.select(question, &items, default)?]
                .name
                .clone()
        }
    };
    let preset_components = preset.map_or(&[][..], |preset| preset.components.as_slice());
    let components = if !args.components.is_empty() || config.components.is_empty() {
        args.components
    } else {
        let ids: Vec<&String> = config.components.keys().collect();
        let items: Vec<String> = config
            .components
            .iter()
            .map(|(id, name)| format!("{id} · {name}"))
            .collect();
        let question = Question {
            prompt: "Affected components",
            guidance: "Space selects, Enter confirms; select none if you are not sure yet.",
            flag: "--component",
        };
        let checked: Vec<bool> = ids
            .iter()
            .map(|id| preset_components.contains(id))
            .collect();
        prompter
            .multi_select(question, &items, &checked)?
            .into_iter()
            .map(|index| ids[index].clone())
            .collect()
    };
    // Time to acknowledge counts from here, so it is asked rather than assumed to be now.
    let started_at = match started_flag {
        Some(at) => at,
        None => {
            let answer = prompter.text(
                Question {
                    prompt: "When did it start?",
                    guidance: "`now`, `-45m`, `2h ago`, or a time such as `2026-01-31 02:40` (in the organisation's zone) or RFC 3339.",
                    flag: "--started-at",
                },
                Some("now"),
                true,
                |text| {
                    check_started_at(text, now, zone)
                        .map(drop)
                        .map_err(|error| error.message)
                },
            )?;
            check_started_at(&answer, now, zone)?
        }
    };
    let questions: Vec<crate::playbook::Question> = stage
        .questions
        .iter()
        .chain(preset.into_iter().flat_map(|preset| &preset.questions))
        .cloned()
        .collect();
    ask_questions(session, &questions, &preset_answers, &mut fields, now, zone)?;
    if let Some(preset) = preset {
        fields.insert(PRESET_FIELD.to_string(), preset.name.clone());
    }
    let summary = match args.summary {
        Some(summary) => summary,
        None => prompter.text(
            Question {
                prompt: &stage.message_prompt,
                guidance: "Facts only; don't guess at the cause. Enter to use the standard acknowledgement.",
                flag: "--summary",
            },
            preset.and_then(|preset| preset.summary.as_deref()),
            false,
            |_| Ok(()),
        )?,
    };
    let severity_update_every = config
        .severity(&severity)
        .expect("the severity was checked against the config")
        .update_every;
    let next_update = match next_update_flag {
        Some(duration) => duration,
        None => {
            let default = preset
                .and_then(|preset| preset.next_update.clone())
                .unwrap_or_else(|| time::short_duration(severity_update_every));
            let answer = prompter.text(
                Question {
                    prompt: "Next update in",
                    guidance: "When you will post again, even if there is no news. A promise you can keep.",
                    flag: "--next-update",
                },
                Some(&default),
                true,
                |text| parse_promise(text).map(drop).map_err(|error| error.message),
            )?;
            parse_promise(&answer)?
        }
    };

    let opened = Opened {
        title,
        severity,
        components,
        started_at,
        update: UpdateBody {
            seq: FIRST_SEQ,
            stage: stage.name.clone(),
            status: stage.status,
            message: Some(summary.trim())
                .filter(|text| !text.is_empty())
                .map(Into::into),
            fields: fields.into(),
            next_update_at: Some(now + next_update),
        },
    };
    let store = Store::new(config.incidents_dir());
    let author = session.author(config.root());
    let (id, event) = create(&store, args.id, now, author, opened)?;
    let incident = Incident::fold(&id, std::slice::from_ref(&event))?;
    report(session, &config, &incident)?;
    publishing::offer(
        session,
        &config,
        &incident,
        FIRST_SEQ as usize,
        args.publish,
    )?;
    if !session.printer.json_mode() {
        session.printer.status(&format!(
            "\nNext: `incident update {}` when you know more; `incident show {}` to review.",
            incident.id, incident.id
        ));
    }
    Ok(())
}

/// Writes the first event, drawing another random id in the unlikely case one is taken.
fn create(
    store: &Store,
    chosen: Option<String>,
    now: DateTime<Utc>,
    author: String,
    opened: Opened,
) -> Result<(String, Event), CommandError> {
    let event = Event {
        id: id::new_event_id(),
        at: now,
        author,
        body: EventBody::Opened(Box::new(opened)),
    };
    if let Some(chosen) = chosen {
        store.create(&chosen, &event)?;
        return Ok((chosen, event));
    }
    for _ in 0..16 {
        let candidate = id::new_incident_id();
        match store.create(&candidate, &event) {
            Ok(()) => return Ok((candidate, event)),
            Err(StoreError::IdTaken { .. }) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(CommandError::usage(
        "could not find a free incident id after 16 tries",
    ))
}

fn report(session: &Session, config: &Config, incident: &Incident) -> Result<(), CommandError> {
    let zone = config.org.timezone;
    if session.printer.json_mode() {
        session.printer.json(incident)?;
    } else {
        session.printer.out(&format!("{}\n", incident.id))?;
    }
    session.printer.success(&format!(
        "Opened {} \"{}\" ({}, {})",
        incident.id, incident.title, incident.severity, incident.status
    ));
    if let Some(next) = incident.next_update_at {
        session.printer.status(&format!(
            "  Next update promised by {}.",
            time::local_with_utc(next, zone)
        ));
    }
    walkthrough::review(session, config, incident, 1);
    Ok(())
}

/// Returns when the problem started, or why `text` cannot say it: a time that does not
/// parse, or one in the future.
fn check_started_at(
    text: &str,
    now: DateTime<Utc>,
    zone: chrono_tz::Tz,
) -> Result<DateTime<Utc>, CommandError> {
    let at = time::parse_time(text, now, zone)?;
    if at > now {
        return Err(CommandError::usage(format!(
            "`--started-at` is in the future ({})",
            time::local_with_utc(at, zone)
        )));
    }
    Ok(at)
}

/// Returns the trimmed title, or why it cannot be one.
fn check_title(title: &str) -> Result<String, String> {
    let title = title.trim();
    if title.is_empty() {
        return Err("the title cannot be empty".to_string());
    }
    if title.contains(['\n', '\r']) {
        return Err("the title must be one line".to_string());
    }
    Ok(title.to_string())
}
