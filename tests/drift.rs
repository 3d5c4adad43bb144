//! The committed client, command line, mocks and the request bench's peer
//! are what the spec generates, and the client's public API is the reviewed snapshot in
//! `snapshots/`.

use std::path::Path;

use xtask::{GENERATED_PATH, SPEC_PATH, regen, workspace_root};

fn committed_client() -> String {
    std::fs::read_to_string(workspace_root().join(GENERATED_PATH)).unwrap()
}

#[test]
fn committed_client_matches_the_spec() {
    let root = workspace_root();
    let generated = regen::generate(&root.join(SPEC_PATH), SPEC_PATH).unwrap();
    let committed = committed_client();
    if generated != committed {
        panic!(
            "{GENERATED_PATH} is stale; run `cargo xtask regen` and commit the result.\n{}",
            regen::unified_diff(&committed, &generated, Path::new(GENERATED_PATH))
        );
    }
}

#[test]
fn committed_command_line_mocks_and_peer_match_the_spec() {
    let root = workspace_root();
    let spec = std::fs::read_to_string(root.join(SPEC_PATH)).unwrap();
    for face in [
        regen::Face::CommandLine,
        regen::Face::Mocks,
        regen::Face::Peer,
    ] {
        let generated =
            regen::generate_face(face, &spec, &root.join(SPEC_PATH), SPEC_PATH).unwrap();
        let committed = std::fs::read_to_string(root.join(face.path())).unwrap();
        assert!(
            generated == committed,
            "{} is stale; run `cargo xtask regen` and commit the result.\n{}",
            face.path(),
            regen::unified_diff(&committed, &generated, Path::new(face.path()))
        );
    }
}

#[test]
fn public_api_of_the_client() {
    let file = syn::parse_file(&committed_client()).unwrap();
    insta::assert_snapshot!(xtask::public_api::public_items(&file).join("\n"));
}
