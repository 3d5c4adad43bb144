//! The findings of one rule that reach many operations, summed up in one
//! entry of the reports people read (text, Markdown, GitHub Actions), so
//! that a mass change, such as hundreds of operationIds renamed in one
//! release, does not bury the rest; so are the findings of a rule at more
//! components than that, such as the schemas a new API brings. The JSON
//! report keeps every finding.

use std::collections::{BTreeMap, BTreeSet};

use super::Finding;
use super::rules::Level;

/// A rule whose findings reach more operations than this is summed up.
pub const MOST_OPERATIONS: usize = 20;

/// How many of a summary's findings the reports show.
pub const EXAMPLES: usize = 3;

/// One entry of a report: a finding, or the findings of one rule summed up.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry<'r> {
    One(&'r Finding),
    Summary(Summary<'r>),
}

/// The findings of one rule, in report order.
#[derive(Debug, PartialEq, Eq)]
pub struct Summary<'r> {
    pub rule: &'static str,
    pub level: Level,
    pub findings: Vec<&'r Finding>,
    /// How many operations they reach.
    pub operations: usize,
}

impl Summary<'_> {
    /// `317 findings reaching 317 operations`, or `73 findings` at
    /// components that no operation reaches.
    pub fn count(&self) -> String {
        match self.operations {
            0 => format!("{} findings", self.findings.len()),
            1 => format!("{} findings reaching 1 operation", self.findings.len()),
            n => format!("{} findings reaching {n} operations", self.findings.len()),
        }
    }

    /// The first findings, at most [`EXAMPLES`].
    pub fn examples(&self) -> &[&Finding] {
        &self.findings[..self.findings.len().min(EXAMPLES)]
    }
}

/// The entries of a report of `findings`, in their order: each rule that
/// reaches more than [`MOST_OPERATIONS`] operations, or components no
/// operation reaches, is one summary, where its first finding was.
pub fn entries(findings: &[Finding]) -> Vec<Entry<'_>> {
    // The operations each rule reaches, and its places that none reaches.
    let mut reached: BTreeMap<&str, (BTreeSet<&str>, usize)> = BTreeMap::new();
    for finding in findings {
        let (operations, unreached) = reached.entry(finding.rule).or_default();
        operations.extend(finding.operations.iter().map(String::as_str));
        if !finding.operation.is_empty() {
            operations.insert(&finding.operation);
        } else if finding.operations.is_empty() {
            *unreached += 1;
        }
    }
    let mut summaries: BTreeMap<&str, Summary<'_>> = BTreeMap::new();
    let mut entries = Vec::new();
    for finding in findings {
        let (reached_operations, unreached) = &reached[finding.rule];
        let operations = reached_operations.len();
        if operations.max(*unreached) <= MOST_OPERATIONS {
            entries.push(Entry::One(finding));
            continue;
        }
        match summaries.get_mut(finding.rule) {
            Some(summary) => summary.findings.push(finding),
            None => {
                // Its place in the report, filled in below.
                entries.push(Entry::Summary(Summary {
                    rule: finding.rule,
                    level: finding.level,
                    findings: Vec::new(),
                    operations,
                }));
                summaries.insert(
                    finding.rule,
                    Summary {
                        rule: finding.rule,
                        level: finding.level,
                        findings: vec![finding],
                        operations,
                    },
                );
            }
        }
    }
    for entry in &mut entries {
        if let Entry::Summary(summary) = entry {
            *summary = summaries
                .remove(summary.rule)
                .expect("each summary was recorded");
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::rules;

    fn finding(rule: rules::Rule, operation: &str) -> Finding {
        Finding::new(rule, operation.into(), "/get".into(), "m".into())
    }

    #[test]
    fn a_rule_reaching_more_than_twenty_operations_is_one_summary() {
        let mut findings: Vec<Finding> = (0..21)
            .map(|i| finding(rules::OPERATION_ID_CHANGED, &format!("GET /op{i:02}")))
            .collect();
        findings.insert(1, finding(rules::OPERATION_REMOVED, "GET /gone"));
        let mut shared = finding(rules::RESPONSE_PROPERTY_ADDED, "");
        shared.operations = (0..20).map(|i| format!("GET /op{i:02}")).collect();
        findings.push(shared);
        let entries = entries(&findings);
        assert_eq!(entries.len(), 3, "{entries:#?}");
        let Entry::Summary(summary) = &entries[0] else {
            panic!("{:?}", entries[0]);
        };
        assert_eq!(summary.rule, "operation-id-changed");
        assert_eq!(summary.count(), "21 findings reaching 21 operations");
        assert_eq!(summary.examples().len(), EXAMPLES);
        assert_eq!(summary.examples()[0].operation, "GET /op00");
        assert_eq!(entries[1], Entry::One(&findings[1]));
        // Twenty operations, through one shared finding: listed.
        assert_eq!(entries[2], Entry::One(&findings[22]));
    }

    #[test]
    fn a_rule_at_more_than_twenty_components_is_one_summary() {
        let schema = |i: usize| {
            let mut finding = finding(rules::SCHEMA_ADDED, "");
            finding.pointer = format!("/components/schemas/S{i:02}");
            finding
        };
        let many: Vec<Finding> = (0..21).map(schema).collect();
        let entries = entries(&many);
        let [Entry::Summary(summary)] = entries.as_slice() else {
            panic!("{entries:#?}");
        };
        assert_eq!(summary.count(), "21 findings");
        let few: Vec<Finding> = (0..20).map(schema).collect();
        assert_eq!(entries_of_one(&few), 20);
    }

    /// How many entries of `findings` are one finding each.
    fn entries_of_one(findings: &[Finding]) -> usize {
        entries(findings)
            .iter()
            .filter(|entry| matches!(entry, Entry::One(_)))
            .count()
    }
}
