//! The waiters of the spec (`x-waiters`), checked as `regen` checks them:
//! each problem is a finding where it is written.

use serde_json::Value;

use super::{LintFinding, rules};

/// A finding for each problem of a waiter.
pub fn check(document: &Value, out: &mut Vec<LintFinding>) {
    let (_, problems) = crate::waiters::check(document);
    for problem in problems {
        out.push(LintFinding::new(
            rules::INVALID_WAITER,
            &problem.pointer,
            problem.message,
        ));
    }
}
