//! The committed client, command line and mocks are what the spec
//! generates, and the client's public API is the reviewed snapshot in
//! `snapshots/`.

use xtask::pipeline::{GeneratedFile, Pipeline};
use xtask::regen::{Outcome, ensure_file_contents};
use xtask::{GENERATED_PATH, SPEC_PATH, workspace_root};

#[test]
fn committed_files_match_the_spec() {
    let root = workspace_root();
    let pipeline = Pipeline::load(&root.join(SPEC_PATH), SPEC_PATH).unwrap();
    let generated = pipeline.render_all(&GeneratedFile::ALL).unwrap();
    for (file, contents) in GeneratedFile::ALL.iter().zip(generated) {
        let check = ensure_file_contents(&root.join(file.path()), &contents, true).unwrap();
        if let Outcome::Drift(diff) = check {
            panic!(
                "{} is stale; run `cargo xtask regen` and commit the result.\n{diff}",
                file.path()
            );
        }
    }
}

#[test]
fn public_api_of_the_client() {
    let committed = std::fs::read_to_string(workspace_root().join(GENERATED_PATH)).unwrap();
    let file = syn::parse_file(&committed).unwrap();
    insta::assert_snapshot!(xtask::public_api::public_items(&file).join("\n"));
}
