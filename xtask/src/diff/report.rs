//! A [`Report`] as text for a terminal, Markdown for a pull-request comment,
//! or JSON for machines.

use std::fmt::Write;

use super::Report;
use super::rules::Level;

/// The output formats of `cargo xtask diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl Format {
    /// Parses a `--format` value.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Renders `report` in `format`, ending with a newline.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(report).expect("a report serializes");
            json.push('\n');
            json
        }
    }
}

/// `2 breaking, 0 warning, 1 info`.
fn counts(report: &Report) -> String {
    [Level::Breaking, Level::Warning, Level::Info]
        .map(|level| format!("{} {level}", report.count(level)))
        .join(", ")
}

/// `1 added, 2 removed, 0 changed`.
fn api_counts(report: &Report) -> String {
    let api = &report.rust_api;
    format!(
        "{} added, {} removed, {} changed",
        api.added.len(),
        api.removed.len(),
        api.changed.len()
    )
}

/// Old and new lines of the Rust API change, as a diff: `-` before `+`.
fn api_lines(report: &Report) -> Vec<String> {
    let api = &report.rust_api;
    let mut lines: Vec<String> = api.removed.iter().map(|l| format!("- {l}")).collect();
    lines.extend(api.added.iter().map(|l| format!("+ {l}")));
    for change in &api.changed {
        lines.push(format!("- {}", change.old));
        lines.push(format!("+ {}", change.new));
    }
    lines
}

fn text(report: &Report) -> String {
    let mut out = format!("spec diff {} -> {}\n", report.old, report.new);
    if report.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    let _ = writeln!(out, "contract: {}", counts(report));
    for finding in &report.findings {
        let place = match finding.operation.as_str() {
            "" => format!("#{}", finding.pointer),
            operation => format!("{operation} #{}", finding.pointer),
        };
        let _ = writeln!(
            out,
            "  {:<8} {} {place}\n           {}",
            finding.level, finding.rule, finding.message
        );
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
        api_counts(report)
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
                "" => String::new(),
                operation => format!("`{operation}`"),
            };
            let _ = writeln!(
                out,
                "| {level} | `{}` | {operation} | `#{}` | {} |",
                finding.rule,
                cell(&finding.pointer),
                cell(&finding.message)
            );
        }
        out.push('\n');
    }
    if !report.rust_api.is_empty() {
        out.push_str("#### Rust API\n\n```diff\n");
        for line in api_lines(report) {
            let _ = writeln!(out, "{line}");
        }
        out.push_str("```\n");
    }
    out
}

/// Text safe inside a table cell: a `|` would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
