//! End-to-end tests of the `incident` binary. One test binary, one module per concern.
#![allow(clippy::unwrap_used)]

#[allow(
    dead_code,
    reason = "shared with bench/, which uses parts the tests do not"
)]
mod fixture;
mod support;

mod bench_data;
mod checks;
mod commands;
mod concurrency;
mod config_errors;
mod crash;
mod errors;
mod example;
mod flow;
mod git;
mod hostile_text;
mod layers;
mod maintenance;
mod postmortem;
mod presets;
mod prompts;
mod publish;
mod publish_email;
mod publish_faults;
mod publish_local;
mod publish_lock;
mod publish_more;
mod publish_static;
mod publish_wordpress;
mod render;
mod render_inputs;
mod revise;
mod site;
