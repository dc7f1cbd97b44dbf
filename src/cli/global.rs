//! The global flags every command takes, as clap reads them.

use std::path::PathBuf;

use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Use this config file instead of searching upward for `incident.toml`
    #[arg(long, global = true, value_name = "PATH", env = crate::env::INCIDENT_CONFIG)]
    pub config: Option<PathBuf>,
    /// Never prompt; a missing answer is an error naming its flag (implied without a terminal or when `CI` is set)
    #[arg(long, global = true)]
    pub no_input: bool,
    /// Print data as JSON on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// Print only data and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print what is being done
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to color output (`NO_COLOR` turns `auto` off)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
