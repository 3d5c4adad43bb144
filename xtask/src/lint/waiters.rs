//! The waiters of the spec (`x-waiters`) and the writes that name them
//! (`x-watch`), checked as `regen` checks them: each problem is a finding
//! where it is written.

use serde_json::Value;

use super::{LintFinding, rules};

/// A finding for each problem of a waiter or of a write's watch.
pub fn check(document: &Value, out: &mut Vec<LintFinding>) {
    let (waiters, mut problems) = crate::waiters::check(document);
    problems.extend(crate::watches::check(document, &waiters).1);
    for problem in problems {
        out.push(LintFinding::new(
            rules::INVALID_WAITER,
            &problem.pointer,
            problem.message,
        ));
    }
}
