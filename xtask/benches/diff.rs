//! How long `cargo xtask diff` takes on the project's spec against a copy
//! with an enum value and a response property removed: the full diff
//! (contract and public Rust API, which generates both versions), and the
//! contract alone. Run with `cargo bench -p xtask`.

use std::path::PathBuf;

use serde_json::Value;
use xtask::diff::source::SpecText;
use xtask::diff::{contract, diff};
use xtask::raw::resolve;
use xtask::{SPEC_PATH, workspace_root};

fn main() {
    divan::main();
}

fn versions() -> (SpecText, SpecText) {
    let text = std::fs::read_to_string(workspace_root().join(SPEC_PATH)).unwrap();
    let changed = text
        .replace(
            "enum: [queued, inProgress, completed, failed]",
            "enum: [queued, inProgress, completed]",
        )
        .replace(
            "        storageSizeBytes:\n          type: integer\n          format: int64\n          description: Number of bytes taken to store the backup snapshot.\n",
            "",
        );
    assert_ne!(
        text, changed,
        "the spec no longer has what the bench removes"
    );
    let spec = |name: &str, text: String| SpecText {
        name: name.to_string(),
        path: PathBuf::from(name),
        text,
    };
    (spec("old.yaml", text), spec("new.yaml", changed))
}

#[divan::bench(sample_count = 20)]
fn full_diff(bencher: divan::Bencher) {
    let (old, new) = versions();
    bencher.bench(|| diff(&old, &new).unwrap());
}

#[divan::bench(sample_count = 20)]
fn contract_only(bencher: divan::Bencher) {
    let (old, new) = versions();
    let parse = |spec: &SpecText| serde_yaml::from_str::<Value>(&spec.text).unwrap();
    let (old, new) = (parse(&old), parse(&new));
    bencher.bench(|| contract::compare(&resolve::resolve_refs(&old), &resolve::resolve_refs(&new)));
}
