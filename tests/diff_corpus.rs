//! `cargo xtask diff` on a corpus of spec pairs, one per rule, in
//! `diff-corpus/<rule-id>/{old,new}.yaml`; each pair's Markdown report is
//! kept in `snapshots/`. Update them with
//! `INSTA_UPDATE=always cargo test -p tests --test diff_corpus`.
//! Also: identical versions, git revisions, `--fail-on`, the output
//! formats, bad input, and the README's rule table.

use std::path::{Path, PathBuf};

use tests::{assert_names, bad_spec};
use xtask::cli::{EXIT_ERROR, EXIT_FINDINGS, execute};
use xtask::diff::report::{Format, render};
use xtask::diff::rust_api::RustApi;
use xtask::diff::source::{Source, SpecText};
use xtask::diff::{Report, diff, rules};
use xtask::{SPEC_PATH, workspace_root};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("diff-corpus")
}

fn read(source: Source) -> SpecText {
    source.read(&workspace_root()).unwrap()
}

fn pair(rule: &str) -> (PathBuf, PathBuf) {
    let dir = corpus_dir().join(rule);
    (dir.join("old.yaml"), dir.join("new.yaml"))
}

fn pair_report(rule: &str) -> Report {
    let (old, new) = pair(rule);
    diff(&read(Source::File(old)), &read(Source::File(new))).unwrap()
}

fn the_spec() -> Source {
    Source::File(workspace_root().join(SPEC_PATH))
}

#[test]
fn every_rule_has_a_pair_and_every_pair_a_rule() {
    let mut pairs: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pairs.sort();
    let mut ids: Vec<&str> = rules::ALL.iter().map(|rule| rule.id).collect();
    ids.sort();
    assert_eq!(pairs, ids);
}

#[test]
fn each_pair_reports_its_rule_at_its_level() {
    for rule in rules::ALL {
        let report = pair_report(rule.id);
        let found: Vec<_> = report.findings.iter().map(|f| (f.rule, f.level)).collect();
        assert!(
            found.contains(&(rule.id, rule.level)),
            "{}: found {found:?}",
            rule.id
        );
        insta::assert_snapshot!(rule.id, render(&report, Format::Markdown));
    }
}

#[test]
fn text_and_json_reports() {
    let report = pair_report("response-enum-value-added");
    insta::assert_snapshot!("text-report", render(&report, Format::Text));
    let json: serde_json::Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
    assert_eq!(json["version"], 2);
    assert_eq!(
        json["counts"],
        serde_json::json!({"breaking": 0, "warning": 1, "info": 0})
    );
    assert_eq!(json["rust_api"]["status"], "compared");
    assert_eq!(
        json["findings"][0],
        serde_json::json!({
            "rule": "response-enum-value-added",
            "level": "warning",
            "operation": "GET /things/{thingId}",
            "pointer": "/get/responses/200/content/application~1json/schema/properties/status/enum",
            "message": "property `status`: enum value `\"lost\"` was added",
            "before": ["active", "retired"],
            "after": ["active", "retired", "lost"],
            "operations": [],
        })
    );
    assert_eq!(
        json["rust_api"]["added"][0],
        "variant types::ThingStatus::Lost"
    );
    let bound = render(&pair_report("parameter-minimum-increased"), Format::Json);
    let bound: serde_json::Value = serde_json::from_str(&bound).unwrap();
    assert_eq!(
        (
            &bound["findings"][0]["before"],
            &bound["findings"][0]["after"]
        ),
        (&serde_json::json!(1), &serde_json::json!(5))
    );
}

#[test]
fn identical_specs_give_an_empty_report() {
    let report = diff(&read(the_spec()), &read(the_spec())).unwrap();
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(
        render(&report, Format::Text),
        format!("spec diff {SPEC_PATH} -> {SPEC_PATH}\nno changes\n")
    );
}

#[test]
fn a_git_revision_is_read_from_history() {
    let head = read(Source::Revision("HEAD".into()));
    assert_eq!(head.name, format!("HEAD:{SPEC_PATH}"));
    assert!(head.text.starts_with("openapi: 3.0.3"));
    let report = diff(&head, &read(Source::Revision("HEAD".into()))).unwrap();
    assert!(report.is_empty(), "{report:?}");
}

fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|part| part.to_string()).collect()
}

fn diff_args(rule: &str, extra: &[&str]) -> Vec<String> {
    let (old, new) = pair(rule);
    let mut all = args(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    all.extend(args(extra));
    all
}

/// A pair outside the rule corpus, in `diff-cases/<name>/`.
fn case(name: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("diff-cases")
        .join(name);
    (dir.join("old.yaml"), dir.join("new.yaml"))
}

#[test]
fn a_version_the_generator_refuses_still_gets_its_contract_compared() {
    let (old, new) = case("new-side-not-generated");
    let report = diff(
        &read(Source::File(old.clone())),
        &read(Source::File(new.clone())),
    )
    .unwrap();
    let found: Vec<_> = report.findings.iter().map(|f| (f.rule, f.level)).collect();
    assert!(
        found.contains(&("response-property-removed", rules::Level::Breaking)),
        "{found:?}"
    );
    let RustApi::Unavailable { reason } = &report.rust_api else {
        panic!("the Rust API was compared: {:?}", report.rust_api);
    };
    assert_names(
        reason,
        &[
            "new-side-not-generated/new.yaml",
            "cannot generate GET /things/{thingId} (operationId getThing)",
            "cookie parameters are not supported",
        ],
    );
    assert!(!reason.contains('\n'), "{reason}");
    insta::assert_snapshot!("new-side-not-generated", render(&report, Format::Markdown));

    let args = |extra: &[&str]| {
        let mut all = args(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
        all.extend(extra.iter().map(|e| e.to_string()));
        all
    };
    assert_eq!(
        execute(args(&["--fail-on", "breaking"])).unwrap(),
        EXIT_FINDINGS
    );
    assert_eq!(execute(args(&[])).unwrap(), 0);
}

/// A change of a schema that three operations reach is one finding,
/// listing them, in every format.
#[test]
fn a_shared_schema_change_is_reported_once() {
    let (old, new) = case("shared-schema-changed");
    let report = diff(&read(Source::File(old)), &read(Source::File(new))).unwrap();
    let all_three = ["GET /things", "GET /things/{thingId}", "POST /things"];
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule,
                f.operation.as_str(),
                f.pointer.as_str(),
                &f.operations,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "response-property-removed",
                "",
                "/components/schemas/Error/properties/detail",
                &all_three.map(String::from).to_vec()
            ),
            (
                "response-enum-value-removed",
                "",
                "/components/schemas/Thing/properties/status/enum",
                &all_three.map(String::from).to_vec()
            ),
        ]
    );
    assert_eq!(report.count(rules::Level::Breaking), 1);
    assert_eq!(report.count(rules::Level::Warning), 1);
    insta::assert_snapshot!("shared-schema-changed", render(&report, Format::Markdown));
    insta::assert_snapshot!("shared-schema-changed-text", render(&report, Format::Text));
    let json: serde_json::Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
    assert_eq!(
        json["findings"][1]["operations"],
        serde_json::json!(all_three)
    );
    assert_eq!(
        render(&report, Format::GithubActions).lines().nth(1),
        Some(
            "::warning title=response-enum-value-removed (warning)::\
             #/components/schemas/Thing/properties/status/enum: property `status`: \
             enum value `\"retired\"` was removed (reached from 3 operations: \
             GET /things, GET /things/{thingId}, POST /things)"
        )
    );
}

#[test]
fn fail_on_sets_the_exit_status() {
    let breaking = "response-property-removed";
    let info_only = "security-scheme-added";
    assert_eq!(execute(diff_args(breaking, &[])).unwrap(), 0);
    assert_eq!(
        execute(diff_args(breaking, &["--fail-on", "breaking"])).unwrap(),
        EXIT_FINDINGS
    );
    assert_eq!(
        execute(diff_args(info_only, &["--fail-on", "warning"])).unwrap(),
        0
    );
    assert_eq!(
        execute(diff_args(info_only, &["--fail-on", "info"])).unwrap(),
        EXIT_FINDINGS
    );
}

/// `#[deprecated]` coming or going is a warning or info in the Rust API
/// too, not a breaking change of the method.
#[test]
fn deprecation_is_not_breaking() {
    let fail_on =
        |rule: &str, level: &str| execute(diff_args(rule, &["--fail-on", level])).unwrap();
    assert_eq!(fail_on("operation-undeprecated", "warning"), 0);
    assert_eq!(fail_on("operation-undeprecated", "info"), EXIT_FINDINGS);
    assert_eq!(fail_on("operation-deprecated", "breaking"), 0);
    assert_eq!(fail_on("operation-deprecated", "warning"), EXIT_FINDINGS);
}

#[test]
fn github_actions_annotations() {
    let report = pair_report("parameter-minimum-increased");
    assert_eq!(
        render(&report, Format::GithubActions),
        "::error title=parameter-minimum-increased (breaking)::GET /things/{thingId} \
         #/get/parameters/1/schema/minimum: parameter `limit`: minimum `1` became `5`\n"
    );
}

/// Values in messages are code spans, so Markdown does not read a `*` or a
/// `<...>` in them, and a `|` does not end the table cell.
#[test]
fn markdown_keeps_values_literal() {
    let (old, new) = pair("parameter-pattern-changed");
    let old = read(Source::File(old));
    let mut new = read(Source::File(new));
    new.text = new.text.replace("^[a-z0-9]+$", "^(<a>|b*)$");
    let report = diff(&old, &new).unwrap();
    let markdown = render(&report, Format::Markdown);
    assert!(
        markdown.contains("pattern `\"^[a-z]+$\"` became `\"^(<a>\\|b*)$\"` |"),
        "{markdown}"
    );
}

fn diff_error(parts: &[&str]) -> String {
    let error = execute(args(parts)).expect_err("diff should fail");
    assert_eq!(
        xtask::cli::run(args(parts)),
        std::process::ExitCode::from(EXIT_ERROR)
    );
    format!("{error:#}")
}

#[test]
fn an_unreadable_file_is_an_error() {
    let error = diff_error(&["diff", "no-such-spec.yaml", SPEC_PATH]);
    assert_names(&error, &["cannot read the spec no-such-spec.yaml"]);
}

#[test]
fn an_unknown_revision_is_an_error() {
    let error = diff_error(&["diff", "no-such-revision"]);
    assert_names(
        &error,
        &["`no-such-revision` is neither a spec file nor a git revision"],
    );
}

/// The error of a diff from the project's spec to `bad-specs/<name>`.
fn diff_error_to_bad_spec(name: &str) -> String {
    let bad = bad_spec(name);
    let spec = workspace_root().join(SPEC_PATH);
    diff_error(&["diff", spec.to_str().unwrap(), bad.to_str().unwrap()])
}

#[test]
fn invalid_yaml_is_an_error_naming_file_and_line() {
    let error = diff_error_to_bad_spec("yaml-syntax.yaml");
    assert_names(
        &error,
        &["yaml-syntax.yaml:11:", "not a valid OpenAPI document"],
    );
}

/// Valid YAML that is not OpenAPI has no contract to compare: exit 2.
#[test]
fn a_document_that_is_not_openapi_is_an_error_naming_file_and_line() {
    let error = diff_error_to_bad_spec("not-openapi.yaml");
    assert_names(
        &error,
        &[
            "not-openapi.yaml:3:",
            "not a valid OpenAPI document",
            "info",
        ],
    );
}

#[test]
fn bad_arguments_are_errors() {
    assert_names(
        &diff_error(&["diff", "--format", "html"]),
        &[
            "invalid value 'html' for '--format <F>'",
            "expected text, markdown",
        ],
    );
    assert_names(
        &diff_error(&["diff", "--fail-on", "severe"]),
        &[
            "invalid value 'severe' for '--fail-on <L>'",
            "expected breaking",
        ],
    );
    assert_names(
        &diff_error(&["diff", "a", "b", "c"]),
        &["unexpected argument 'c'"],
    );
}

/// The README's rule table lists every rule with its level, in order.
#[test]
fn the_readme_lists_every_rule() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let listed: Vec<(String, String)> = readme
        .lines()
        .filter_map(|line| {
            let mut cells = line.strip_prefix("| `")?.split(" | ");
            let id = cells.next()?.strip_suffix('`')?;
            let level = cells.next()?;
            rules::ALL
                .iter()
                .any(|rule| rule.id == id)
                .then(|| (id.to_string(), level.to_string()))
        })
        .collect();
    let expected: Vec<(String, String)> = rules::ALL
        .iter()
        .map(|rule| (rule.id.to_string(), rule.level.to_string()))
        .collect();
    assert_eq!(listed, expected);
}
