//! A [`Report`] as text for a terminal, Markdown for a pull-request comment,
//! JSON for machines, or GitHub Actions annotations.

use std::fmt::Write;

use serde::Serialize;

use super::rules::Level;
use super::rust_api::RustApi;
use super::{Finding, Report};

/// The output formats of `cargo xtask diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    GithubActions,
}

impl Format {
    /// Parses a `--format` value.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "githubactions" => Some(Format::GithubActions),
            _ => None,
        }
    }
}

/// The version of the JSON report's shape; it changes when a field is
/// removed or changes its meaning. 2: a shared component's change is one
/// finding listing its `operations`, no longer one per operation.
pub const JSON_VERSION: u32 = 2;

/// Renders `report` in `format`, ending with a newline.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => json(report),
        Format::GithubActions => github_actions(report),
    }
}

const LEVELS: [Level; 3] = [Level::Breaking, Level::Warning, Level::Info];

/// `2 breaking, 0 warning, 1 info`.
fn counts(report: &Report) -> String {
    LEVELS
        .map(|level| format!("{} {level}", report.count(level)))
        .join(", ")
}

/// `1 added, 2 removed, 0 changed`, then deprecations if there are any;
/// or why the section is unavailable.
fn api_counts(report: &Report) -> String {
    let api = match &report.rust_api {
        RustApi::Compared(api) => api,
        RustApi::Unavailable { reason } => return format!("unavailable: {reason}"),
    };
    let mut counts = format!(
        "{} added, {} removed, {} changed",
        api.added.len(),
        api.removed.len(),
        api.changed.len()
    );
    for (count, kind) in [
        (api.deprecated.len(), "deprecated"),
        (api.undeprecated.len(), "undeprecated"),
    ] {
        if count > 0 {
            let _ = write!(counts, ", {count} {kind}");
        }
    }
    counts
}

/// Old and new lines of the Rust API change, as a diff: `-` before `+`.
fn api_lines(report: &Report) -> Vec<String> {
    let RustApi::Compared(api) = &report.rust_api else {
        return Vec::new();
    };
    let mut lines: Vec<String> = api.removed.iter().map(|l| format!("- {l}")).collect();
    lines.extend(api.added.iter().map(|l| format!("+ {l}")));
    for change in api
        .changed
        .iter()
        .chain(&api.deprecated)
        .chain(&api.undeprecated)
    {
        lines.push(format!("- {}", change.old));
        lines.push(format!("+ {}", change.new));
    }
    lines
}

/// Where a finding is: `GET /path #/pointer`, or `#/pointer`.
fn place(finding: &Finding) -> String {
    match finding.operation.as_str() {
        "" => format!("#{}", finding.pointer),
        operation => format!("{operation} #{}", finding.pointer),
    }
}

/// `reached from 3 operations: GET /a, GET /b, POST /a` for a shared
/// component's change, each operation written by `show`; `None` otherwise.
fn reached(finding: &Finding, show: fn(&str) -> String) -> Option<String> {
    match finding.operations.as_slice() {
        [] => None,
        operations => Some(format!(
            "reached from {} operations: {}",
            operations.len(),
            operations
                .iter()
                .map(|operation| show(operation))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn text(report: &Report) -> String {
    let mut out = format!("spec diff {} -> {}\n", report.old, report.new);
    if report.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    let _ = writeln!(out, "contract: {}", counts(report));
    for finding in &report.findings {
        let _ = writeln!(
            out,
            "  {:<8} {} {}\n           {}",
            finding.level,
            finding.rule,
            place(finding),
            finding.message
        );
        if let Some(reached) = reached(finding, str::to_string) {
            let _ = writeln!(out, "           {reached}");
        }
    }
    let _ = writeln!(out, "rust api: {}", api_counts(report));
    for line in api_lines(report) {
        let _ = writeln!(out, "  {line}");
    }
    out
}

fn markdown(report: &Report) -> String {
    let mut out = format!("### Spec diff: `{}` → `{}`\n\n", report.old, report.new);
    if report.is_empty() {
        out.push_str("No changes to the HTTP contract or the Rust API.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "**Contract:** {} · **Rust API:** {}\n",
        counts(report),
        cell(&api_counts(report))
    );
    if !report.findings.is_empty() {
        out.push_str("| Level | Rule | Operation | Where | Change |\n");
        out.push_str("|---|---|---|---|---|\n");
        for finding in &report.findings {
            let level = match finding.level {
                Level::Breaking => "**breaking**".to_string(),
                level => level.to_string(),
            };
            let operation = match finding.operation.as_str() {
                "" => reached(finding, code).unwrap_or_default(),
                operation => code(operation),
            };
            let _ = writeln!(
                out,
                "| {level} | `{}` | {} | {} | {} |",
                finding.rule,
                cell(&operation),
                cell(&code(&format!("#{}", finding.pointer))),
                cell(&finding.message)
            );
        }
        out.push('\n');
    }
    let lines = api_lines(report);
    if !lines.is_empty() {
        out.push_str("#### Rust API\n\n```diff\n");
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        out.push_str("```\n");
    }
    out
}

/// Text safe inside a table cell: a `|` would end the cell, even inside a
/// code span.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// `text` as a Markdown code span, fenced with more backticks than it
/// holds in a row.
pub fn code(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The JSON report, whose shape the README describes.
#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    old: &'a str,
    new: &'a str,
    counts: JsonCounts,
    findings: &'a [Finding],
    rust_api: &'a RustApi,
}

#[derive(Serialize)]
struct JsonCounts {
    breaking: usize,
    warning: usize,
    info: usize,
}

fn json(report: &Report) -> String {
    let shape = JsonReport {
        version: JSON_VERSION,
        old: &report.old,
        new: &report.new,
        counts: JsonCounts {
            breaking: report.count(Level::Breaking),
            warning: report.count(Level::Warning),
            info: report.count(Level::Info),
        },
        findings: &report.findings,
        rust_api: &report.rust_api,
    };
    let mut json = serde_json::to_string_pretty(&shape).expect("a report serializes");
    json.push('\n');
    json
}

/// One workflow command a finding, which GitHub shows as an annotation:
/// `error` for breaking, `warning`, `notice` for info.
fn github_actions(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let command = match finding.level {
            Level::Breaking => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{command} title={}::{}",
            annotation_property(&format!("{} ({})", finding.rule, finding.level)),
            annotation_data(&match reached(finding, str::to_string) {
                Some(reached) => format!("{}: {} ({reached})", place(finding), finding.message),
                None => format!("{}: {}", place(finding), finding.message),
            })
        );
    }
    if let RustApi::Unavailable { reason } = &report.rust_api {
        let _ = writeln!(
            out,
            "::notice title=rust-api::{}",
            annotation_data(&format!("Rust API unavailable: {reason}"))
        );
    }
    out
}

/// A workflow command's message, with what ends it escaped.
fn annotation_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property, which `:` and `,` would also end.
fn annotation_property(text: &str) -> String {
    annotation_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        assert_eq!(code("a*b"), "`a*b`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
    }

    #[test]
    fn annotations_escape_what_would_end_them() {
        assert_eq!(annotation_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(annotation_property("a:b,c"), "a%3Ab%2Cc");
    }
}
