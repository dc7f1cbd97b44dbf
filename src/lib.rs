//! `incident`: incident communication from the command line.
//!
//! The core (`config`, `time`, `record`, `playbook`) never prints, prompts or reads the
//! environment on its own; `cli` is the one layer that talks to people.

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
pub mod time;
