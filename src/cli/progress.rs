//! Per-target progress while publishing: a spinner per target on a terminal, one plain
//! line per finished target otherwise, nothing with `--json` or `-q`.

use std::collections::BTreeMap;
use std::time::Duration;

use console::style;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::output::{Printer, visible};
use crate::publish::engine::Outcome;

pub struct Progress {
    printer: Printer,
    bars: Option<(MultiProgress, BTreeMap<String, ProgressBar>)>,
}

impl Progress {
    pub fn new<'a>(
        printer: &Printer,
        terminal: bool,
        targets: impl Iterator<Item = &'a str>,
    ) -> Progress {
        let silent = printer.is_quiet() || printer.json_mode();
        let bars = (terminal && !silent).then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{spinner} {prefix:.bold} {msg}")
                .expect("the template is valid");
            let bars = targets
                .map(|target| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(style.clone());
                    bar.set_prefix(target.to_string());
                    bar.set_message("sending…");
                    bar.enable_steady_tick(Duration::from_millis(100));
                    (target.to_string(), bar)
                })
                .collect();
            (multi, bars)
        });
        Progress {
            printer: printer.clone(),
            bars,
        }
    }

    /// Shows how `target` ended.
    pub fn finished(&self, target: &str, outcome: &Outcome) {
        let line = match &outcome.result {
            Ok(remote) => format!(
                "{} {}",
                style("✓").for_stderr().green(),
                visible(remote.url.as_deref().unwrap_or("published"))
            ),
            Err(error) => format!(
                "{} {}",
                style("✗ failed:").for_stderr().red(),
                visible(&error.to_string())
            ),
        };
        match self.bars.as_ref().and_then(|(_, bars)| bars.get(target)) {
            Some(bar) => bar.finish_with_message(line),
            None if !self.printer.json_mode() => {
                self.printer.status_styled(&format!("{target}: {line}"));
            }
            None => {}
        }
    }

    /// Removes the spinners before the summary is printed.
    pub fn clear(&self) {
        if let Some((multi, _)) = &self.bars {
            let _ = multi.clear();
        }
    }
}
