//! The local executor: every step a child process of this machine. Nodes run
//! in waves ([`Plan::waves`]): the nodes of a wave (e.g. both syntheses and
//! the co-simulation) at the same time, one thread each, the steps of an
//! array one after another. A failing step stops the run after the rest of
//! its wave has finished, so their work is recorded.

use super::plan::Plan;
use crate::error::{Error, Result};
use crate::pipeline::Outcome;
use std::path::Path;

/// One progress line per step: a spinner with the step's latest output
/// line on a terminal, else a plain line when it ends.
pub fn execute(plan: &Plan, exe: &Path) -> Result<()> {
    let n = plan.nodes.len();
    let bars = indicatif::MultiProgress::new();
    let style =
        indicatif::ProgressStyle::with_template("{prefix:.bold} {spinner} [{elapsed}] {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    for wave in plan.waves() {
        let results: Vec<Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = wave
                .clone()
                .map(|i| {
                    let node = &plan.nodes[i];
                    let (bars, style) = (&bars, &style);
                    scope.spawn(move || -> Result<()> {
                        for step in &node.steps {
                            let prefix = format!("[{}/{n}] {:<11}", i + 1, step.label());
                            let bar = bars.add(indicatif::ProgressBar::new_spinner());
                            bar.set_style(style.clone());
                            bar.set_prefix(prefix.clone());
                            bar.enable_steady_tick(std::time::Duration::from_millis(200));
                            let result = step.execute(exe, &mut |line: &str| {
                                bar.set_message(crate::io::one_line(line))
                            });
                            let msg = match &result {
                                Ok(Outcome::UpToDate) => "up to date (skipped)".to_string(),
                                Ok(Outcome::Ran(s)) => format!("done in {s:.1} s"),
                                Err(_) => "failed".to_string(),
                            };
                            bar.finish_with_message(msg.clone());
                            if bar.is_hidden() {
                                // No terminal: one plain line per step instead of the bar.
                                eprintln!("{prefix} {msg}");
                            }
                            result?;
                        }
                        Ok(())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::tool("a stage thread panicked")))
                })
                .collect()
        });
        results.into_iter().collect::<Result<Vec<()>>>()?;
    }
    Ok(())
}
