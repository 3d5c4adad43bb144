//! `cargo xtask lint`: one spec per rule in `lint-specs/<rule-id>.yaml`,
//! its findings kept in `snapshots/`; the README lists every rule; the project's spec and a marked page
//! error pass; bad input is an error with exit status 2.

use std::path::{Path, PathBuf};

use tests::{assert_names, bad_spec};
use xtask::lint::{lint, rules};
use xtask::{EXIT_ERROR, EXIT_FINDINGS, execute};
use xtask::{SPEC_PATH, workspace_root};

fn lint_spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("lint-specs")
        .join(format!("{name}.yaml"))
}

fn findings(spec: &Path) -> Vec<String> {
    let found = lint(&workspace_root(), spec).unwrap();
    found.iter().map(ToString::to_string).collect()
}

#[test]
fn each_defect_is_found() {
    for rule in rules::ALL.iter().map(|rule| rule.id) {
        assert!(
            lint_spec(rule).is_file(),
            "{rule} has no case in lint-specs/"
        );
        let found = findings(&lint_spec(rule));
        assert!(
            found.iter().any(|f| f.starts_with(&format!("{rule} #"))),
            "{rule}: {found:#?}"
        );
        insta::assert_snapshot!(rule, found.join("\n"));
    }
}

#[test]
fn the_project_spec_passes() {
    let spec = workspace_root().join(SPEC_PATH);
    assert_eq!(findings(&spec), Vec::<String>::new());
    assert_eq!(execute(["lint".to_string()]).unwrap(), 0);
}

#[test]
fn an_example_marked_as_a_page_error_passes() {
    let spec = lint_spec("known-page-error");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(text.contains("x-known-page-error"));
    assert_eq!(findings(&spec), Vec::<String>::new());
    // The same example unmarked is a finding.
    let unmarked = findings(&lint_spec(rules::EXAMPLE_DOES_NOT_MATCH));
    assert!(!unmarked.is_empty());
}

/// The cycle of a discriminated schema does not stop the validator, and
/// its discriminating enum, which becomes the variants of one Rust enum,
/// is no duplicate where each kind writes it again.
#[test]
fn a_discriminated_schema_with_its_cycle_passes() {
    assert_eq!(findings(&lint_spec("discriminated")), Vec::<String>::new());
}

#[test]
fn findings_exit_with_status_1() {
    let spec = lint_spec(rules::MISSING_SUMMARY);
    let args = ["lint", "--spec", spec.to_str().unwrap()].map(String::from);
    assert_eq!(execute(args).unwrap(), EXIT_FINDINGS);
}

fn lint_error(spec: &Path) -> String {
    let args = ["lint", "--spec", spec.to_str().unwrap()].map(String::from);
    assert_eq!(
        xtask::run(args.clone()),
        std::process::ExitCode::from(EXIT_ERROR)
    );
    format!("{:#}", execute(args).expect_err("lint should fail"))
}

#[test]
fn an_unreadable_spec_is_an_error() {
    let error = lint_error(Path::new("no-such-spec.yaml"));
    assert_names(&error, &["cannot read the spec no-such-spec.yaml"]);
}

#[test]
fn invalid_yaml_is_an_error_naming_file_and_line() {
    let error = lint_error(&bad_spec("yaml-syntax.yaml"));
    assert_names(&error, &["yaml-syntax.yaml:11: not valid YAML"]);
}

/// The README's table of lint rules lists every rule of [`rules::ALL`] with
/// what it finds, in order.
#[test]
fn the_readme_lists_every_lint_rule() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let listed: Vec<String> = readme
        .lines()
        .skip_while(|line| *line != "| lint rule | finding |")
        .skip(2)
        .take_while(|line| line.starts_with("| `"))
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = rules::ALL
        .iter()
        .map(|rule| format!("| `{}` | {} |", rule.id, rule.finding))
        .collect();
    assert_eq!(listed, expected, "the README's table of lint rules");
}
