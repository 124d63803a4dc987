//! The local executor: every step a child process of this machine. A node
//! starts as soon as every node it comes after ([`super::plan::Node::after`])
//! has finished, one thread each, so independent work overlaps (the
//! all-exact design's synthesis beside assignment and retraining, the
//! co-simulation beside the heterogeneous synthesis); the steps of an array
//! run one after another. A failing step starts nothing new: the nodes
//! already running finish, so their work is recorded, and the first failure
//! (in plan order) is the error.

use super::plan::Plan;
use crate::error::{Error, Result};
use crate::pipeline::Outcome;
use std::path::Path;

/// Run `plan`'s nodes in dependency order with the binary `exe`. One
/// progress line per step: a spinner with the step's latest output line on
/// a terminal, else a plain line when it ends.
pub fn execute(plan: &Plan, exe: &Path) -> Result<()> {
    let n = plan.nodes.len();
    let bars = indicatif::MultiProgress::new();
    let style =
        indicatif::ProgressStyle::with_template("{prefix:.bold} {spinner} [{elapsed}] {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    let run_node = |i: usize| -> Result<()> {
        for step in &plan.nodes[i].steps {
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
    };
    let after: Vec<&[usize]> = plan
        .nodes
        .iter()
        .map(|node| node.after.as_slice())
        .collect();
    schedule(&after, run_node)
}

/// Run `n = after.len()` tasks, task `i` once every task in `after[i]`
/// (earlier indices) has succeeded, each on its own thread as soon as it
/// can start. After a failure nothing new starts; the running tasks finish.
/// Returns the first failure in task order.
fn schedule(after: &[&[usize]], task: impl Fn(usize) -> Result<()> + Sync) -> Result<()> {
    let n = after.len();
    let mut results: Vec<Option<Result<()>>> = (0..n).map(|_| None).collect();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<()>)>();
        let mut started = vec![false; n];
        let mut running = 0;
        let mut failed = false;
        loop {
            for i in 0..n {
                let ready = after[i].iter().all(|&j| matches!(results[j], Some(Ok(()))));
                if !failed && !started[i] && ready {
                    started[i] = true;
                    running += 1;
                    let (tx, task) = (tx.clone(), &task);
                    scope.spawn(move || {
                        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| task(i)))
                            .unwrap_or_else(|_| Err(Error::tool("a stage thread panicked")));
                        let _ = tx.send((i, r));
                    });
                }
            }
            if running == 0 {
                break;
            }
            let Ok((i, r)) = rx.recv() else { break };
            running -= 1;
            failed |= r.is_err();
            results[i] = Some(r);
        }
    });
    if results.iter().all(Option::is_some) {
        return results.into_iter().flatten().collect();
    }
    // The first failure in task order; a task never started after one is
    // no error of its own. Without a failure, a task that never started
    // waits on itself through `after`.
    let first = results.into_iter().flatten().collect::<Result<Vec<()>>>();
    first.and(Err(Error::tool("the plan's dependencies form a cycle")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;

    /// Tasks 0 and 1 are independent, 2 needs both, 3 needs only 0: 3
    /// starts while 1 still runs, 2 only after 1 ended.
    #[test]
    fn a_task_starts_when_what_it_needs_is_done() {
        let log = Mutex::new(vec![]);
        let after: [&[usize]; 4] = [&[], &[], &[0, 1], &[0]];
        schedule(&after, |i| {
            log.lock().unwrap().push(format!("start {i}"));
            std::thread::sleep(Duration::from_millis(if i == 1 { 300 } else { 20 }));
            log.lock().unwrap().push(format!("end {i}"));
            Ok(())
        })
        .unwrap();
        let log = log.into_inner().unwrap();
        let at = |e: &str| log.iter().position(|l| l == e).unwrap();
        assert!(at("start 3") < at("end 1"), "{log:?}");
        assert!(
            at("start 2") > at("end 1") && at("start 2") > at("end 0"),
            "{log:?}"
        );
        assert_eq!(log.len(), 8);
    }

    /// A failure starts nothing new, lets the running task finish and is
    /// the error; a later failure does not hide an earlier one.
    #[test]
    fn nothing_starts_after_a_failure() {
        let log = Mutex::new(vec![]);
        let after: [&[usize]; 4] = [&[], &[], &[0], &[1]];
        let e = schedule(&after, |i| {
            log.lock().unwrap().push(i);
            match i {
                0 => Err(Error::input("task 0 failed")),
                1 => {
                    std::thread::sleep(Duration::from_millis(100));
                    Err(Error::input("task 1 failed"))
                }
                _ => Ok(()),
            }
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "task 0 failed");
        let mut log = log.into_inner().unwrap();
        log.sort();
        assert_eq!(log, [0, 1]);
    }

    /// Tasks that wait on each other never start, and that is an error,
    /// not a quiet success.
    #[test]
    fn a_cycle_is_an_error() {
        let after: [&[usize]; 3] = [&[], &[2], &[1]];
        let e = schedule(&after, |_| Ok(())).unwrap_err();
        assert!(e.to_string().contains("cycle"), "{e}");
    }
}
