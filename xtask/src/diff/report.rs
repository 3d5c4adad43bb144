//! A [`Report`] as text for a terminal, Markdown for a pull-request comment,
//! JSON for machines, or GitHub Actions annotations.

use std::fmt::Write;

use serde::Serialize;

use super::markdown::code;
use super::rules::Level;
use super::rust_api::{ApiChanges, RenamedMethod, RustApi, name_of};
use super::summary::{self, Entry, Summary};
use super::units::{self, Unit};
use super::verdict::{Release, Verdict};
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
        (api.renamed.len(), "renamed"),
    ] {
        if count > 0 {
            let _ = write!(counts, ", {count} {kind}");
        }
    }
    for (count, one, many) in [
        (api.unavailable.len(), "operation", "operations"),
        (api.unavailable_schemas.len(), "schema", "schemas"),
    ] {
        match count {
            0 => {}
            1 => {
                let _ = write!(counts, "; 1 {one} not compared");
            }
            n => {
                let _ = write!(counts, "; {n} {many} not compared");
            }
        }
    }
    counts
}

/// The compared Rust API, if it was.
fn compared(report: &Report) -> Option<&ApiChanges> {
    match &report.rust_api {
        RustApi::Compared(api) => Some(api),
        RustApi::Unavailable { .. } => None,
    }
}

/// `` `old` → `new` (`DELETE /path`) ``, each name written by `show`.
fn rename(renamed: &RenamedMethod, show: fn(&str) -> String) -> String {
    format!(
        "{} → {} ({})",
        code(&renamed.old),
        code(&renamed.new),
        show(&renamed.operation)
    )
}

/// The renamed methods: one line each, or, past [`summary::MOST_OPERATIONS`],
/// one line with the count and the first few.
fn renames(api: &ApiChanges, show: fn(&str) -> String) -> Vec<String> {
    let renamed = &api.renamed;
    if renamed.len() <= summary::MOST_OPERATIONS {
        return renamed.iter().map(|r| rename(r, show)).collect();
    }
    let first: Vec<String> = renamed
        .iter()
        .take(summary::EXAMPLES)
        .map(|r| rename(r, show))
        .collect();
    vec![format!(
        "{} methods, such as {}; the JSON report lists each",
        renamed.len(),
        first.join(", ")
    )]
}

/// The schemas and operations not compared, one line for each reason and
/// versions: `in new: schema `A`: why`, `in old and new: GET /a, POST /b:
/// why`, each operation and schema written by `show`.
fn not_compared(api: &ApiChanges, show: fn(&str) -> String) -> Vec<String> {
    let mut reasons: Vec<(&[&str], &str, Vec<String>)> = Vec::new();
    let schemas = (api.unavailable_schemas.iter())
        .map(|s| (&s.versions, &s.reason, format!("schema {}", s.schema)));
    let operations =
        (api.unavailable.iter()).map(|o| (&o.versions, &o.reason, o.operation.clone()));
    for (versions, reason, place) in schemas.chain(operations) {
        let key = (versions.as_slice(), reason.as_str());
        match reasons.iter_mut().find(|(v, r, _)| (*v, *r) == key) {
            Some((_, _, places)) => places.push(place),
            None => reasons.push((key.0, key.1, vec![place])),
        }
    }
    reasons
        .into_iter()
        .map(|(versions, reason, operations)| {
            let shown: Vec<String> = operations.iter().map(|o| show(o)).collect();
            format!(
                "in {}: {}: {reason}",
                versions.join(" and "),
                shown.join(", ")
            )
        })
        .collect()
}

/// A summary's count and first findings, on one line, each place and
/// operation written by `show`.
fn summary_line(summary: &Summary<'_>, show: fn(&str) -> String) -> String {
    let examples: Vec<String> = summary
        .examples()
        .iter()
        .map(|finding| {
            let place = match finding.operation.as_str() {
                "" => show(&format!("#{}", finding.pointer)),
                operation => show(operation),
            };
            format!("{place}: {}", finding.message)
        })
        .collect();
    format!(
        "{}, such as {}; the JSON report lists each",
        summary.count(),
        examples.join("; ")
    )
}

/// Old and new lines of the Rust API change, as a diff: `-` before `+`.
/// An operation or a type added or removed is its one line: its builder,
/// fields, methods and trait implementations come and go with it. Past
/// [`summary::MOST_OPERATIONS`] lines, the additions are counted, the new
/// methods, the new types and the items added to others, with their
/// first few names, each written by `show`; the removals and changes are
/// listed in full. The JSON report lists every item.
fn api_lines(report: &Report, show: fn(&str) -> String) -> Vec<String> {
    let RustApi::Compared(api) = &report.rust_api else {
        return Vec::new();
    };
    let mut lines: Vec<String> = units::folded(&api.removed)
        .into_iter()
        .map(|item| format!("- {item}"))
        .collect();
    let added = units::folded(&api.added);
    if added.len() <= summary::MOST_OPERATIONS {
        lines.extend(added.iter().map(|item| format!("+ {item}")));
    } else {
        lines.extend(added_counts(&added, show));
    }
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

/// `+ 32 methods, such as `a`, `b`, `c``, then the types, then the items
/// added to existing operations and types, of the folded `added`.
fn added_counts(added: &[&String], show: fn(&str) -> String) -> Vec<String> {
    let (mut methods, mut types, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for item in added {
        match units::declaration(item) {
            Some(Unit::Operation(name)) => methods.push(name),
            Some(Unit::Type(name)) => types.push(name),
            None => others.push(name_of(item)),
        }
    }
    [
        (methods, "method", "methods"),
        (types, "type", "types"),
        (
            others,
            "item of existing operations and types",
            "items of existing operations and types",
        ),
    ]
    .into_iter()
    .filter(|(names, _, _)| !names.is_empty())
    .map(|(names, one, many)| {
        let kind = if names.len() == 1 { one } else { many };
        format!(
            "+ {} {kind}, such as {}",
            names.len(),
            examples(&names, show)
        )
    })
    .collect()
}

/// The first [`summary::EXAMPLES`] of `names`, each written by `show`,
/// and where the rest are.
fn examples(names: &[String], show: fn(&str) -> String) -> String {
    let first: Vec<String> = names
        .iter()
        .take(summary::EXAMPLES)
        .map(|name| show(name))
        .collect();
    match names.len() > summary::EXAMPLES {
        true => format!("{}; the JSON report lists each", first.join(", ")),
        false => first.join(", "),
    }
}

/// The verdict's headline: `major, 0.1.0 → 0.2.0 (before 1.0 …)`.
fn release_headline(verdict: &Verdict) -> String {
    match &verdict.version {
        Some(version) => {
            let note = super::verdict::pre_release_note(&version.current, verdict.release)
                .map(|note| format!(" ({note})"))
                .unwrap_or_default();
            format!(
                "{}, {} → {}{note}",
                verdict.release, version.current, version.next
            )
        }
        None => verdict.release.to_string(),
    }
}

/// The reasons that force the verdict's release, a line a rule naming its
/// items, or past [`summary::MOST_OPERATIONS`] of them counting them with
/// the first few; then, in one line, the count of lesser ones. Items are
/// written by `show`.
fn release_reasons(verdict: &Verdict, show: fn(&str) -> String) -> Vec<String> {
    let mut rules: Vec<(&str, Vec<String>)> = Vec::new();
    for reason in verdict.reasons_of(verdict.release) {
        match rules.iter_mut().find(|(rule, _)| *rule == reason.rule) {
            Some((_, items)) => items.push(reason.item.clone()),
            None => rules.push((reason.rule, vec![reason.item.clone()])),
        }
    }
    let mut lines = Vec::new();
    for (rule, items) in rules {
        if items.len() <= summary::MOST_OPERATIONS {
            let shown: Vec<String> = items.iter().map(|item| show(item)).collect();
            lines.push(format!("{rule}: {}", shown.join(", ")));
        } else {
            lines.push(format!(
                "{rule}: {} items, such as {}",
                items.len(),
                examples(&items, show)
            ));
        }
    }
    for lesser in [Release::Minor, Release::Patch] {
        let count = verdict.reasons_of(lesser).count();
        if lesser < verdict.release && count > 0 {
            let changes = if count == 1 { "change" } else { "changes" };
            lines.push(format!(
                "and {count} {lesser} {changes}, which the JSON report lists"
            ));
        }
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
        text_release(report, &mut out);
        return out;
    }
    let _ = writeln!(out, "contract: {}", counts(report));
    for entry in summary::entries(&report.findings) {
        let finding = match entry {
            Entry::One(finding) => finding,
            Entry::Summary(summary) => {
                let _ = writeln!(
                    out,
                    "  {:<8} {}\n           {}",
                    summary.level,
                    summary.rule,
                    summary_line(&summary, str::to_string)
                );
                continue;
            }
        };
        let reached = reached(finding, str::to_string)
            .map(|reached| format!(" ({reached})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<8} {} {}\n           {}{reached}",
            finding.level,
            finding.rule,
            place(finding),
            finding.message
        );
    }
    let _ = writeln!(out, "rust api: {}", api_counts(report));
    if let Some(api) = compared(report) {
        for line in renames(api, str::to_string) {
            let _ = writeln!(out, "  renamed {line}");
        }
        for line in not_compared(api, str::to_string) {
            let _ = writeln!(out, "  not compared {line}");
        }
    }
    for line in api_lines(report, str::to_string) {
        let _ = writeln!(out, "  {line}");
    }
    text_release(report, &mut out);
    out
}

/// `release: …` and the reasons, or why there is no verdict.
fn text_release(report: &Report, out: &mut String) {
    let Some(verdict) = &report.verdict else {
        out.push_str("release: unknown, the Rust API was not compared\n");
        return;
    };
    let _ = writeln!(out, "release: {}", release_headline(verdict));
    for line in release_reasons(verdict, str::to_string) {
        let _ = writeln!(out, "  {line}");
    }
}

fn markdown(report: &Report) -> String {
    let mut out = format!("### Spec diff: `{}` → `{}`\n\n", report.old, report.new);
    if report.is_empty() {
        out.push_str("No changes to the HTTP contract or the Rust API.\n\n");
        markdown_release(report, &mut out);
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
        for entry in summary::entries(&report.findings) {
            let (level, rule, operation, pointer, message) = match entry {
                Entry::One(finding) => (
                    finding.level,
                    finding.rule,
                    match finding.operation.as_str() {
                        "" => reached(finding, code).unwrap_or_default(),
                        operation => code(operation),
                    },
                    code(&format!("#{}", finding.pointer)),
                    finding.message.clone(),
                ),
                Entry::Summary(summary) => (
                    summary.level,
                    summary.rule,
                    format!("{} operations", summary.operations),
                    String::new(),
                    summary_line(&summary, code),
                ),
            };
            let level = match level {
                Level::Breaking => "**breaking**".to_string(),
                level => level.to_string(),
            };
            let _ = writeln!(
                out,
                "| {level} | `{rule}` | {} | {} | {} |",
                cell(&operation),
                cell(&pointer),
                cell(&message)
            );
        }
        out.push('\n');
    }
    let lines = api_lines(report, code);
    let api = compared(report);
    let (renamed, unavailable) = match api {
        Some(api) => (renames(api, code), not_compared(api, code)),
        None => (Vec::new(), Vec::new()),
    };
    if lines.is_empty() && renamed.is_empty() && unavailable.is_empty() {
        markdown_release(report, &mut out);
        return out;
    }
    out.push_str("#### Rust API\n\n");
    bullet_list(&mut out, "Renamed methods (breaking):", &renamed);
    bullet_list(
        &mut out,
        "Not compared, as a version cannot generate them:",
        &unavailable,
    );
    if !lines.is_empty() {
        out.push_str("```diff\n");
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        out.push_str("```\n\n");
    }
    markdown_release(report, &mut out);
    out
}

/// The section of the release and its reasons.
fn markdown_release(report: &Report, out: &mut String) {
    let Some(verdict) = &report.verdict else {
        out.push_str("#### Release: unknown, the Rust API was not compared\n");
        return;
    };
    let _ = writeln!(out, "#### Release: {}\n", release_headline(verdict));
    for line in release_reasons(verdict, code) {
        let _ = writeln!(out, "- {line}");
    }
}

/// `lines` as a Markdown list under `heading`, or nothing without lines.
fn bullet_list(out: &mut String, heading: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "{heading}\n");
    for line in lines {
        let _ = writeln!(out, "- {line}");
    }
    out.push('\n');
}

/// Text safe inside a table cell: a `|` would end the cell, even inside a
/// code span.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
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
    /// The release the change needs; `null` when the Rust API was not
    /// compared.
    verdict: Option<&'a Verdict>,
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
        verdict: report.verdict.as_ref(),
    };
    let mut json = serde_json::to_string_pretty(&shape).expect("a report serializes");
    json.push('\n');
    json
}

/// One workflow command a finding, which GitHub shows as an annotation:
/// `error` for breaking, `warning`, `notice` for info.
fn github_actions(report: &Report) -> String {
    let mut out = String::new();
    let mut annotate = |level: Level, title: &str, message: &str| {
        let command = match level {
            Level::Breaking => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{command} title={}::{}",
            annotation_property(title),
            annotation_data(message)
        );
    };
    for entry in summary::entries(&report.findings) {
        match entry {
            Entry::One(finding) => annotate(
                finding.level,
                &format!("{} ({})", finding.rule, finding.level),
                &match reached(finding, str::to_string) {
                    Some(reached) => format!("{}: {} ({reached})", place(finding), finding.message),
                    None => format!("{}: {}", place(finding), finding.message),
                },
            ),
            Entry::Summary(summary) => annotate(
                summary.level,
                &format!("{} ({})", summary.rule, summary.level),
                &summary_line(&summary, str::to_string),
            ),
        }
    }
    match &report.rust_api {
        RustApi::Compared(api) => {
            for line in renames(api, str::to_string) {
                annotate(Level::Breaking, "rust-api", &format!("renamed {line}"));
            }
            for line in not_compared(api, str::to_string) {
                annotate(Level::Info, "rust-api", &format!("not compared {line}"));
            }
        }
        RustApi::Unavailable { reason } => annotate(
            Level::Info,
            "rust-api",
            &format!("Rust API unavailable: {reason}"),
        ),
    }
    if let Some(verdict) = &report.verdict {
        // A major release is a decision the reviewer must see.
        let level = match verdict.release {
            Release::Major => Level::Breaking,
            Release::Minor | Release::Patch => Level::Info,
        };
        let mut message = format!("release {}", release_headline(verdict));
        let reasons = release_reasons(verdict, str::to_string);
        if !reasons.is_empty() {
            let _ = write!(message, ": {}", reasons.join("; "));
        }
        annotate(level, &format!("semver ({})", verdict.release), &message);
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
    fn annotations_escape_what_would_end_them() {
        assert_eq!(annotation_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(annotation_property("a:b,c"), "a%3Ab%2Cc");
    }
}
