//! `cargo xtask regen` on bad input: one clear error naming the file and the
//! line or operation, exit status 2, and the output file untouched. And on
//! good input: `--check` catches a changed line, and regenerating twice
//! gives the same bytes.

use std::fs;
use std::path::{Path, PathBuf};

use tests::{assert_names, bad_spec};
use xtask::pipeline::{GeneratedFile, Pipeline};
use xtask::regen::{Outcome, ensure_file_contents};
use xtask::{EXIT_DRIFT, EXIT_ERROR, execute};
use xtask::{GENERATED_PATH, SPEC_PATH, workspace_root};

const UNTOUCHED: &str = "// the committed client, which a failed run must leave as it is\n";

/// A temporary folder holding `generated.rs` with `contents`.
fn output_file(contents: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated.rs");
    fs::write(&out, contents).unwrap();
    (dir, out)
}

/// Runs `regen` on `spec` with an existing output file and returns the
/// error, after checking that the output folder is exactly as before.
fn regen_error(spec: &Path) -> String {
    let (dir, out) = output_file(UNTOUCHED);
    let args = [
        "regen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let error = execute(args.map(String::from)).expect_err("regen should fail");
    assert_eq!(fs::read_to_string(&out).unwrap(), UNTOUCHED);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a stray file was left"
    );
    format!("{error:#}")
}

#[test]
fn yaml_syntax_error_names_file_and_line() {
    let error = regen_error(&bad_spec("yaml-syntax.yaml"));
    assert_names(
        &error,
        &["yaml-syntax.yaml:11:", "not a valid OpenAPI document"],
    );
}

#[test]
fn a_document_that_is_not_openapi_names_file_and_line() {
    let error = regen_error(&bad_spec("not-openapi.yaml"));
    assert_names(&error, &["not-openapi.yaml:3:", "info"]);
}

#[test]
fn missing_operation_id_names_the_operation_and_line() {
    let error = regen_error(&bad_spec("missing-operation-id.yaml"));
    assert_names(
        &error,
        &[
            "missing-operation-id.yaml:13:",
            "GET /things/{id} has no operationId",
        ],
    );
}

#[test]
fn unresolvable_ref_names_the_operation_the_reference_and_line() {
    let error = regen_error(&bad_spec("dangling-ref.yaml"));
    assert_names(
        &error,
        &[
            "dangling-ref.yaml:16:",
            "GET /things",
            "'#/components/schemas/Thing' does not resolve",
        ],
    );
}

#[test]
fn a_generator_panic_becomes_an_error_naming_the_operation() {
    let error = regen_error(&bad_spec("progenitor-panic.yaml"));
    assert_names(
        &error,
        &[
            "progenitor-panic.yaml",
            "cannot generate GET /things/{id} (operationId getThing)",
            "panicked",
        ],
    );
}

#[test]
fn a_generator_rejection_names_the_operation_in_one_line() {
    let error = regen_error(&bad_spec("cookie-parameter.yaml"));
    assert_names(
        &error,
        &[
            "cookie-parameter.yaml",
            "cannot generate GET /things (operationId listThings)",
            "cookie parameters are not supported",
        ],
    );
    assert!(
        !error.contains("parameter_data"),
        "the generator's debug dump leaked:\n{error}"
    );
}

#[test]
fn openapi_3_1_names_file_and_line() {
    let error = regen_error(&bad_spec("openapi-3-1.yaml"));
    assert_names(
        &error,
        &["openapi-3-1.yaml:2:", "\"3.1.0\" is not supported"],
    );
}

#[test]
fn a_path_item_reference_is_refused() {
    let error = regen_error(&bad_spec("path-item-ref.yaml"));
    assert_names(&error, &["path-item-ref.yaml", "path /things is a $ref"]);
}

#[test]
fn an_enum_value_named_like_the_fallback_is_refused() {
    let error = regen_error(&bad_spec("enum-value-unrecognized.yaml"));
    assert_names(
        &error,
        &["enum-value-unrecognized.yaml", "ThingState", "Unrecognized"],
    );
}

#[test]
fn a_malformed_waiter_names_the_operation_the_waiter_and_the_problem() {
    let error = regen_error(&bad_spec("malformed-waiter.yaml"));
    assert_names(
        &error,
        &[
            "malformed-waiter.yaml",
            "invalid x-waiters",
            "#/paths/~1thing/get/x-waiters/thingReady: GET /thing: waiter `thingReady` is malformed: invalid type: string \"soon\", expected u64",
        ],
    );
}

#[test]
fn an_unreadable_spec_is_an_error() {
    let error = regen_error(&bad_spec("no-such-spec.yaml"));
    assert_names(&error, &["cannot read the spec", "no-such-spec.yaml"]);
}

#[test]
fn bad_input_exits_with_status_2() {
    let args = ["regen", "--spec", "no-such-spec.yaml", "--out", "unused.rs"];
    assert_eq!(
        xtask::run(args.map(String::from)),
        std::process::ExitCode::from(EXIT_ERROR)
    );
    let unknown = xtask::run(["regen", "--frobnicate"].map(String::from));
    assert_eq!(unknown, std::process::ExitCode::from(EXIT_ERROR));
}

/// A copy of the committed client in a temporary folder.
fn committed_copy() -> (tempfile::TempDir, PathBuf, String) {
    let committed = fs::read_to_string(workspace_root().join(GENERATED_PATH)).unwrap();
    let (dir, out) = output_file(&committed);
    (dir, out, committed)
}

fn regen_args(out: &Path, check: bool) -> Vec<String> {
    let spec = workspace_root().join(SPEC_PATH);
    let mut args = vec![
        "regen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if check {
        args.push("--check");
    }
    args.into_iter().map(String::from).collect()
}

#[test]
fn check_fails_on_one_changed_line_and_writes_nothing() {
    let (_dir, out, committed) = committed_copy();
    let edited = committed.replacen("pub struct Client {", "pub struct Client { // edited", 1);
    assert_ne!(edited, committed);
    fs::write(&out, &edited).unwrap();

    assert_eq!(execute(regen_args(&out, true)).unwrap(), EXIT_DRIFT);
    assert!(
        fs::read_to_string(&out).unwrap() == edited,
        "--check wrote the file"
    );

    assert_eq!(execute(regen_args(&out, false)).unwrap(), 0);
    assert!(
        fs::read_to_string(&out).unwrap() == committed,
        "regen did not restore the file"
    );
}

#[test]
fn check_passes_on_the_committed_client() {
    let (_dir, out, _) = committed_copy();
    assert_eq!(execute(regen_args(&out, true)).unwrap(), 0);
}

#[test]
fn regenerating_twice_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated.rs");
    let spec = workspace_root().join(SPEC_PATH);
    let regen = || {
        let client = Pipeline::load(&spec, SPEC_PATH)
            .and_then(|pipeline| pipeline.render(GeneratedFile::Client))
            .unwrap();
        ensure_file_contents(&out, &client, false).unwrap()
    };
    assert_eq!(regen(), Outcome::Written);
    let first = fs::read(&out).unwrap();
    assert_eq!(regen(), Outcome::Unchanged);
    assert!(
        fs::read(&out).unwrap() == first,
        "the second run changed the bytes"
    );
}

/// The error of generating the command line from `spec`.
fn cli_table_error(spec: &Path) -> String {
    let error = Pipeline::load(spec, "spec.yaml")
        .and_then(|pipeline| pipeline.render(GeneratedFile::CliTable))
        .expect_err("generating the command line should fail");
    format!("{error:#}")
}

#[test]
fn an_untagged_operation_has_no_command_group() {
    let error = cli_table_error(&bad_spec("untagged-operation.yaml"));
    assert_names(
        &error,
        &[
            "untagged-operation.yaml",
            "GET /things",
            "a tag names its command group",
        ],
    );
}

#[test]
fn a_body_field_whose_flag_and_body_flag_parameters_take_is_refused() {
    let error = cli_table_error(&bad_spec("body-flag-clash.yaml"));
    assert_names(
        &error,
        &[
            "POST /things/{thingId}",
            "body field `thingId` and parameters take both --thing-id and its `body-` form",
        ],
    );
}
