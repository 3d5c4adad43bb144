//! Instructions per call, counted by valgrind's callgrind: unlike time,
//! they do not move with the load of a shared machine.
//!
//! The bench runs itself under callgrind twice per side, once with a few
//! calls and once with many more, and divides the difference of the two
//! counts by the difference of the calls: start-up, the first connection
//! and the warm-up call cancel out. Only the thread that makes the calls
//! is counted (`--separate-threads=yes`, thread 1): the local server's
//! thread answers each side alike and is left out.

use std::path::Path;
use std::process::Command;

/// The argument that makes the bench make calls instead of timing them:
/// `--calls SIDE N`.
pub const CALLS_ARGUMENT: &str = "--calls";

/// The two runs of each side: the calls of the short one, and how many
/// more the long one makes.
const SHORT_RUN: u64 = 100;
const EXTRA_CALLS: u64 = 1000;

/// `Some((side, calls))` when the bench was started with `--calls`.
pub fn calls_asked() -> Option<(String, u64)> {
    let mut args = std::env::args().skip_while(|a| a != CALLS_ARGUMENT).skip(1);
    let side = args.next()?;
    let calls = args.next()?.parse().ok()?;
    Some((side, calls))
}

/// Instructions per call of each of `sides`, or why they could not be
/// counted (valgrind is not installed, a run failed).
pub fn instructions_per_call(sides: &[&str]) -> Result<Vec<f64>, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let counted = sides
        .iter()
        .map(|side| {
            let short = count(&exe, &dir, side, SHORT_RUN)?;
            let long = count(&exe, &dir, side, SHORT_RUN + EXTRA_CALLS)?;
            Ok((long as f64 - short as f64) / EXTRA_CALLS as f64)
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    counted
}

/// The instructions that thread 1 ran for `calls` calls of `side`.
fn count(exe: &Path, dir: &Path, side: &str, calls: u64) -> Result<u64, String> {
    let out = dir.join(format!("{side}-{calls}"));
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--separate-threads=yes")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .args([CALLS_ARGUMENT, side, &calls.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    if !status.success() {
        return Err(format!("valgrind on {side} ({calls} calls): {status}"));
    }
    let thread = dir.join(format!("{side}-{calls}-01"));
    let text =
        std::fs::read_to_string(&thread).map_err(|e| format!("{}: {e}", thread.display()))?;
    text.lines()
        .find_map(|line| {
            line.strip_prefix("summary:")
                .or(line.strip_prefix("totals:"))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("{}: no instruction total", thread.display()))
}
