//! The generator's golden files: the client, command line table and mocks
//! generated from `golden/spec.yaml`, a small spec with an operation of
//! each shape and a schema for each rewrite, are the files checked in as
//! `generated-client/tests/golden/*.rs`, where
//! `generated-client/tests/golden.rs` compiles them with the client's
//! hand-written runtime, command line and mocks. A change of the generator
//! shows as a reviewed diff of them;
//! `UPDATE_GOLDEN=1 cargo test -p xtask --test golden` rewrites them.

use xtask::pipeline::{GeneratedFile, Pipeline};
use xtask::regen::{Outcome, ensure_file_contents};
use xtask::{shown_path, workspace_root};

/// Each golden file, by the generated file it stands for.
const GOLDEN: [(GeneratedFile, &str); 3] = [
    (GeneratedFile::Client, "client.rs"),
    (GeneratedFile::CliTable, "cli_table.rs"),
    (GeneratedFile::Mocks, "mocks.rs"),
];

#[test]
fn the_generated_files_are_the_golden_ones() {
    let root = workspace_root();
    let spec = root.join("xtask/tests/golden/spec.yaml");
    let dir = root.join("generated-client/tests/golden");
    let pipeline = Pipeline::load(&spec, &shown_path(&root, &spec)).unwrap();
    let rendered = pipeline.render_all(&GOLDEN.map(|(file, _)| file)).unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = String::new();
    for ((_, name), contents) in GOLDEN.iter().zip(rendered) {
        if let Outcome::Drift(diff) =
            ensure_file_contents(&dir.join(name), &contents, !update).unwrap()
        {
            stale.push_str(&diff);
        }
    }
    assert!(
        stale.is_empty(),
        "the generator's output changed; review the diff, then accept it with \
         `UPDATE_GOLDEN=1 cargo test -p xtask --test golden`\n{stale}"
    );
}
