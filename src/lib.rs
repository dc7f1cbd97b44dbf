//! `incident`: incident communication from the command line.
//!
//! The crate is layered; each layer uses only the layers below it, never one above, and
//! `tests/cli/layers.rs` checks that from the `use` lines (top first):
//!
//! ```text
//! cli               one file per command; what commands share in session, answers, output
//!                   (and json, the writer of --json), prompt
//! error             the command error: its kind picks the exit code; hints and cause chain
//! publish           plan (pure), engine (concurrency, the one retry loop); one module per target
//!                   kind (its keys, settings and publisher), listed once in `targets::KINDS`
//! site              the static status site, its feeds and status.json
//! lint, report      the engine applying the playbook's rules; postmortems, promises, the SVG timeline
//! render            one view of an incident for every template; one minijinja environment
//! record            events, the fold into an incident, the store
//! config            incident.toml into checked types; each target kind (handed in) reads its own
//! playbook          stages, questions, routing, and the rules drafts must pass (their data)
//! vocab, time, env, templates, fsutil
//!                   leaf words (Channel, Status, names), the clock, the environment, the
//!                   embedded template files, durable file writes
//! ```
//!
//! Everything below `publish` is the core: it never prints or prompts, has no async
//! runtime, reads the environment only through `env` and the time only through the `Clock`
//! it is handed. `cli` is the one layer that talks to people, and only `cli/output.rs`
//! writes to the terminal.

pub mod cli;
pub mod config;
pub mod env;
pub mod error;
pub mod fsutil;
pub mod lint;
pub mod playbook;
pub mod publish;
pub mod record;
pub mod render;
pub mod report;
pub mod site;
pub mod templates;
pub mod time;
pub mod vocab;
