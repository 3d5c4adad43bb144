//! `cargo xtask diff` on a corpus of spec pairs, one per rule, in
//! `diff-corpus/<rule-id>/{old,new}.yaml`; each pair's Markdown report is
//! kept in `snapshots/`. Update them with
//! `INSTA_UPDATE=always cargo test -p tests --test diff_corpus`.
//! Also: identical versions, git revisions, `--fail-on`, the output
//! formats, bad input, and the README's rule table.

use std::path::{Path, PathBuf};

use tests::{assert_names, bad_spec, json_findings};
use xtask::diff::report::{Format, render};
use xtask::diff::rust_api::{ApiChanges, RustApi};
use xtask::diff::source::{Source, SpecText};
use xtask::diff::{Report, diff, rules, verdict};
use xtask::{EXIT_ERROR, EXIT_FINDINGS, execute};
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
        format!("spec diff {SPEC_PATH} -> {SPEC_PATH}\nno changes\nrelease: patch\n")
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

fn case_report(name: &str) -> Report {
    let (old, new) = case(name);
    diff(&read(Source::File(old)), &read(Source::File(new))).unwrap()
}

fn compared(report: &Report) -> &ApiChanges {
    match &report.rust_api {
        RustApi::Compared(api) => api,
        RustApi::Unavailable { reason } => panic!("the Rust API was not compared: {reason}"),
    }
}

/// `(rule, level, operation)` of each finding.
fn found(report: &Report) -> Vec<(&str, rules::Level, &str)> {
    report
        .findings
        .iter()
        .map(|f| (f.rule, f.level, f.operation.as_str()))
        .collect()
}

/// One operation the new version cannot generate: its contract is compared,
/// it is listed with the reason, and the other operation's Rust API is
/// compared all the same.
#[test]
fn an_operation_the_generator_refuses_is_listed_and_the_others_compared() {
    let (old, new) = case("new-side-not-generated");
    let report = case_report("new-side-not-generated");
    let found: Vec<_> = report.findings.iter().map(|f| (f.rule, f.level)).collect();
    assert!(
        found.contains(&("response-property-removed", rules::Level::Breaking)),
        "{found:?}"
    );
    let api = compared(&report);
    let [unavailable] = api.unavailable.as_slice() else {
        panic!("{:?}", api.unavailable);
    };
    assert_eq!(unavailable.operation, "GET /things/{thingId}");
    assert_eq!(unavailable.versions, ["new"]);
    assert_names(
        &unavailable.reason,
        &[
            "progenitor cannot generate it",
            "cookie parameters are not supported",
        ],
    );
    assert!(!unavailable.reason.contains('\n'), "{}", unavailable.reason);
    // The operation it generates, and the types, are compared.
    assert!(
        api.added.contains(
            &"field types::NewThing.color: ::std::option::Option<::std::string::String>"
                .to_string()
        ),
        "{:?}",
        api.added
    );
    assert!(
        api.removed
            .iter()
            .any(|item| item.starts_with("field types::Thing.label")),
        "{:?}",
        api.removed
    );
    assert!(
        !api.removed
            .iter()
            .chain(&api.added)
            .any(|item| item.contains("GetThing")),
        "the operation not compared shows no change: {api:?}"
    );
    insta::assert_snapshot!("new-side-not-generated", render(&report, Format::Markdown));
    insta::assert_snapshot!("new-side-not-generated-text", render(&report, Format::Text));

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

/// Atlas once moved two operationIds crosswise: pairing by method and path
/// reads that as two renames, nothing else, in the contract at info level
/// and in the Rust API as two renamed methods.
#[test]
fn operation_ids_moved_crosswise_are_two_renames() {
    let report = case_report("operation-ids-swapped");
    let delete = "DELETE /teams/{teamId}/users/{userId}";
    let post = "POST /teams/{teamId}:removeUser";
    assert_eq!(
        found(&report),
        [
            ("operation-id-changed", rules::Level::Info, delete),
            ("operation-id-changed", rules::Level::Info, post),
        ]
    );
    let api = compared(&report);
    let renamed: Vec<_> = api
        .renamed
        .iter()
        .map(|r| (r.operation.as_str(), r.old.as_str(), r.new.as_str()))
        .collect();
    assert_eq!(
        renamed,
        [
            (delete, "remove_team_user", "remove_user_from_team"),
            (post, "remove_user_from_team", "remove_org_team_user"),
        ]
    );
    assert!(api.added.is_empty() && api.removed.is_empty(), "{api:?}");
    assert!(
        api.changed.is_empty() && api.deprecated.is_empty(),
        "{api:?}"
    );
    assert!(
        report.reaches(rules::Level::Breaking),
        "a renamed method breaks callers"
    );
    insta::assert_snapshot!("operation-ids-swapped", render(&report, Format::Markdown));
}

/// Branches are paired by content: a branch inserted in the middle of a
/// `oneOf` of event types is one branch added, a value added to a branch
/// is that value, and a value that moved to another branch is no change.
#[test]
fn a_branch_inserted_in_a_one_of_is_one_branch_added() {
    let report = case_report("one-of-branch-inserted");
    let messages: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.pointer.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "response-branch-added",
                "/get/responses/200/content/application~1json/schema/items/properties/eventType/oneOf/1",
                "property `[].eventType`: `oneOf` branch `\"Data Explorer Types\"` was added"
            ),
            (
                "response-enum-value-added",
                "/get/responses/200/content/application~1json/schema/items/properties/eventType/oneOf/2/enum",
                "property `[].eventType`: enum value `\"HOST_EXPOSED\"` was added"
            ),
            (
                "request-branch-added",
                "/get/parameters/0/schema/items/oneOf/1",
                "parameter `eventType[]`: `oneOf` branch `\"Data Explorer Types\"` was added"
            ),
            (
                "request-enum-value-added",
                "/get/parameters/0/schema/items/oneOf/2/enum",
                "parameter `eventType[]`: enum value `\"HOST_EXPOSED\"` was added"
            ),
        ],
        "{:#?}",
        report.findings
    );
    insta::assert_snapshot!("one-of-branch-inserted", render(&report, Format::Markdown));
}

/// An enum written as a `oneOf` of single values is compared as the set
/// of its values.
#[test]
fn a_one_of_single_values_is_an_enum() {
    let report = case_report("one-of-single-values");
    let findings: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule,
                f.message.as_str(),
                f.before.clone(),
                f.after.clone(),
            )
        })
        .collect();
    let (before, after) = (
        Some(serde_json::json!(["active", "retired"])),
        Some(serde_json::json!(["active", "lost"])),
    );
    assert_eq!(
        findings,
        [
            (
                "response-enum-value-added",
                "property `status`: enum value `\"lost\"` was added",
                before.clone(),
                after.clone()
            ),
            (
                "response-enum-value-removed",
                "property `status`: enum value `\"retired\"` was removed",
                before,
                after
            ),
        ]
    );
    assert!(
        report.findings[0]
            .pointer
            .ends_with("/properties/status/oneOf")
    );
}

/// A read-only property is the answer's alone, a write-only one the
/// request's alone.
#[test]
fn read_only_and_write_only_properties_travel_one_way() {
    let report = case_report("read-only-and-write-only-added");
    let findings: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.message.as_str()))
        .collect();
    assert_eq!(
        findings,
        [
            ("response-property-added", "property `createdAt` was added"),
            (
                "request-property-added-optional",
                "optional request property `password` was added"
            ),
        ],
        "{:#?}",
        report.findings
    );
}

/// A mass rename is one line in the reports people read, and every
/// finding in JSON; the removal beside it stays in plain sight.
#[test]
fn a_mass_rename_is_summed_up() {
    let report = case_report("many-operation-ids-changed");
    let renames = report
        .findings
        .iter()
        .filter(|f| f.rule == "operation-id-changed")
        .count();
    assert_eq!(renames, 22);
    let text = render(&report, Format::Text);
    insta::assert_snapshot!("many-operation-ids-changed-text", text);
    assert_eq!(text.matches("operation-id-changed").count(), 1, "{text}");
    assert_eq!(text.matches("renamed 22 methods").count(), 1, "{text}");
    let markdown = render(&report, Format::Markdown);
    assert_eq!(
        markdown.matches("`operation-id-changed`").count(),
        1,
        "{markdown}"
    );
    insta::assert_snapshot!("many-operation-ids-changed", markdown);
    let annotations = render(&report, Format::GithubActions);
    assert_eq!(annotations.lines().count(), 4, "{annotations}");
    assert!(
        annotations.contains(
            "::notice title=operation-id-changed (info)::22 findings reaching 22 operations, such as GET /items00/{itemId}: operationId `getItem00` became `fetchItem00`"
        ),
        "{annotations}"
    );
    assert!(
        annotations.contains("::error title=rust-api::renamed 22 methods, such as `get_item00` → `fetch_item00` (GET /items00/{itemId})"),
        "{annotations}"
    );
    assert_eq!(json_findings(&report, "operation-id-changed"), 22);
    let json: serde_json::Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
    assert_eq!(json["rust_api"]["renamed"].as_array().unwrap().len(), 22);
}

/// Atlas's 200-and-204 answer generates: the caller gets an `Option` of
/// the body, and the Rust API is compared.
#[test]
fn a_body_or_nothing_is_an_option_and_compared() {
    let report = case_report("body-or-nothing");
    let api = compared(&report);
    assert!(api.unavailable.is_empty(), "{api:?}");
    assert!(
        api.added
            .iter()
            .any(|item| item.starts_with("field types::Invitation.expires_at")),
        "{api:?}"
    );
    let (_, new) = case("body-or-nothing");
    let code = xtask::pipeline::Pipeline::load(&new, "new.yaml")
        .and_then(|pipeline| pipeline.render(xtask::pipeline::GeneratedFile::Client))
        .unwrap();
    assert!(
        code.contains("ResponseValue<::std::option::Option<types::Invitation>>"),
        "the call does not return an Option"
    );
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
         #/get/parameters/1/schema/minimum: parameter `limit`: minimum `1` became `5`\n\
         ::error title=semver (major)::release major: \
         signature-changed: fn builder::GetThing<'a>::limit\n"
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
        xtask::run(args(parts)),
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
            "expected breaking, warning, info, major or minor",
        ],
    );
    assert_names(
        &diff_error(&["diff", "--fail-on", "patch"]),
        &["invalid value 'patch' for '--fail-on <L>'"],
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

/// The README's table of the verdict's rules lists each with its release
/// and meaning, in order.
#[test]
fn the_readme_lists_every_verdict_rule() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let listed: Vec<String> = readme
        .lines()
        .filter(|line| {
            verdict::ALL
                .iter()
                .any(|rule| line.starts_with(&format!("| `{}` |", rule.id)))
        })
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = verdict::ALL
        .iter()
        .map(|rule| {
            format!(
                "| `{}` | {} | {} |",
                rule.id, rule.release, rule.description
            )
        })
        .collect();
    assert_eq!(listed, expected);
}

/// The release the change of a pair of the corpus needs.
fn release_of(rule: &str) -> verdict::Release {
    let report = pair_report(rule);
    report
        .release()
        .unwrap_or_else(|| panic!("{rule}: no verdict: {:?}", report.rust_api))
}

// What Atlas adds is a minor release: these hold where the generated
// structs and enums are `#[non_exhaustive]` and the mocks' extension
// trait is sealed, so that callers can neither build a struct with a
// literal, match an enum without a `_` arm, nor implement the trait.

#[test]
fn a_response_property_added_is_minor() {
    assert_eq!(
        release_of("response-property-added"),
        verdict::Release::Minor
    );
}

#[test]
fn an_enum_value_added_is_minor() {
    assert_eq!(
        release_of("response-enum-value-added"),
        verdict::Release::Minor
    );
}

#[test]
fn an_optional_request_property_added_is_minor() {
    assert_eq!(
        release_of("request-property-added-optional"),
        verdict::Release::Minor
    );
}

#[test]
fn an_operation_added_is_minor() {
    assert_eq!(release_of("operation-added"), verdict::Release::Minor);
}

#[test]
fn what_callers_use_going_away_is_major() {
    for rule in [
        "response-property-removed",
        "operation-removed",
        "operation-id-changed",
    ] {
        assert_eq!(release_of(rule), verdict::Release::Major, "{rule}");
    }
}

/// No change is a patch, with the next version from the crate's manifest,
/// in every format; `--fail-on major` fails only on a major release.
#[test]
fn the_release_in_every_format_and_fail_on_major() {
    let spec = workspace_root().join(SPEC_PATH);
    let spec = spec.to_str().unwrap();
    let manifest = std::fs::read_to_string(workspace_root().join(xtask::diff::CRATE_MANIFEST));
    let current = verdict::package_version(&manifest.unwrap()).unwrap();
    let next = verdict::next_version(&current, verdict::Release::Patch).unwrap();
    let mut unchanged = diff(&read(the_spec()), &read(the_spec())).unwrap();
    assert_eq!(unchanged.release(), Some(verdict::Release::Patch));
    unchanged.verdict = unchanged
        .verdict
        .map(|v| v.after_version(&current).unwrap());
    let note = verdict::pre_release_note(&current, verdict::Release::Patch)
        .map(|note| format!(" ({note})"))
        .unwrap_or_default();
    let text = render(&unchanged, Format::Text);
    assert!(
        text.ends_with(&format!("release: patch, {current} → {next}{note}\n")),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&render(&unchanged, Format::Json)).unwrap();
    assert_eq!(
        json["verdict"],
        serde_json::json!({
            "release": "patch",
            "version": {"current": current, "next": next},
            "reasons": [],
        })
    );
    assert_eq!(
        execute(args(&["diff", spec, spec, "--fail-on", "minor"])).unwrap(),
        0
    );

    let removed = pair_report("operation-removed");
    let markdown = render(&removed, Format::Markdown);
    assert!(
        markdown.contains("#### Release: major\n\n- item-removed: `fn Client::list_things`\n"),
        "{markdown}"
    );
    assert!(render(&removed, Format::GithubActions).ends_with(
        "::error title=semver (major)::release major: item-removed: fn Client::list_things\n"
    ));
    assert_eq!(
        execute(diff_args("operation-removed", &["--fail-on", "major"])).unwrap(),
        EXIT_FINDINGS
    );
    // A contract change that leaves the Rust API alone is no release.
    let security = pair_report("security-scheme-added");
    assert_eq!(security.release(), Some(verdict::Release::Patch));
    assert_eq!(
        execute(diff_args("security-scheme-added", &["--fail-on", "major"])).unwrap(),
        0
    );
    assert_eq!(
        execute(diff_args(
            "security-scheme-added",
            &["--fail-on", "breaking"]
        ))
        .unwrap(),
        0
    );
}

/// A component schema typify cannot take (Atlas's `TeamRole` of
/// 2025-02-21 to 2025-06-30, an enum on an array) is left out, named
/// with the reason, with the schema and operation that reach it; the rest
/// of the Rust API is compared and judged. regen names the schema.
#[test]
fn a_schema_typify_refuses_is_left_out_and_the_rest_compared() {
    let report = case_report("schema-not-generated");
    let api = compared(&report);
    let schemas: Vec<_> = api
        .unavailable_schemas
        .iter()
        .map(|s| (s.schema.as_str(), s.versions.as_slice(), s.reason.as_str()))
        .collect();
    let refused = "type error value does not conform to the given schema";
    assert_eq!(
        schemas,
        [
            (
                "PaginatedTeamRole",
                ["new"].as_slice(),
                format!("it reaches schema `TeamRole`, which typify cannot take: {refused}")
                    .as_str()
            ),
            (
                "TeamRole",
                ["new"].as_slice(),
                format!("typify cannot take it: {refused}").as_str()
            ),
        ]
    );
    let [operation] = api.unavailable.as_slice() else {
        panic!("{:?}", api.unavailable);
    };
    assert_eq!(operation.operation, "GET /teams/{teamId}/roles");
    assert_eq!(
        operation.reason,
        format!("it reaches schema `TeamRole`, which typify cannot take: {refused}")
    );
    // Nothing of the old side's team roles counts as removed.
    assert!(api.removed.is_empty(), "{:?}", api.removed);
    assert!(
        api.added
            .iter()
            .any(|item| item.starts_with("field types::SystemStatus.app_name")),
        "{api:?}"
    );
    assert!(report.verdict.is_some());
    let text = render(&report, Format::Text);
    assert!(
        text.contains(&format!(
            "  not compared in new: schema TeamRole: typify cannot take it: {refused}\n"
        )),
        "{text}"
    );

    let (_, new) = case("schema-not-generated");
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("client.rs");
    let args = args(&[
        "regen",
        "--spec",
        new.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let error = format!("{:#}", execute(args).unwrap_err());
    assert_names(
        &error,
        &[&format!(
            "progenitor cannot generate schema `TeamRole`: {refused}"
        )],
    );
}
