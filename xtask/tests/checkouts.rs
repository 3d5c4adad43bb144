//! One `xtask` binary serves whichever checkout it runs in. Two clones
//! that share a target directory (git worktrees, a global
//! `CARGO_TARGET_DIR`) run the same binary, which cargo finds fresh; each
//! must regenerate its own tree, never the one it was compiled in.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::pipeline::GeneratedFile;
use xtask::{GENERATED_PATH, SPEC_PATH, workspace_root};

/// Every file `regen` writes.
fn generated() -> Vec<&'static str> {
    GeneratedFile::ALL.iter().map(|file| file.path()).collect()
}
const STALE: &str = "// stale\n";

/// A checkout reduced to what `regen` reads and writes: the workspace
/// manifest, the spec (with `edit` applied) and stale generated files.
fn checkout(dir: &Path, edit: impl Fn(String) -> String) {
    fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    let spec = fs::read_to_string(workspace_root().join(SPEC_PATH)).unwrap();
    fs::create_dir_all(dir.join("spec")).unwrap();
    fs::write(dir.join(SPEC_PATH), edit(spec)).unwrap();
    for file in generated() {
        let path = dir.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, STALE).unwrap();
    }
}

fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn client(dir: &Path) -> String {
    fs::read_to_string(dir.join(GENERATED_PATH)).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-checkouts-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn each_checkout_regenerates_its_own_tree() {
    let a = scratch("a");
    let b = scratch("b");
    checkout(&a, |spec| spec);
    checkout(&b, |spec| {
        let summary = "summary: Return One Snapshot for One Flex Cluster";
        assert!(spec.contains(summary));
        spec.replacen(summary, &format!("{summary} As Edited In B"), 1)
    });

    // Run from a subdirectory of `a`: the root is found above it.
    let run = xtask_in(&a.join("generated-client"), &["regen"]);
    assert!(run.status.success(), "{run:?}");
    for file in generated() {
        assert_ne!(fs::read_to_string(a.join(file)).unwrap(), STALE, "{file}");
        assert_eq!(fs::read_to_string(b.join(file)).unwrap(), STALE, "{file}");
    }

    // `b` is stale for `--check`, though `a` was just regenerated.
    let check = xtask_in(&b, &["regen", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{check:?}");

    let run = xtask_in(&b, &["regen"]);
    assert!(run.status.success(), "{run:?}");
    assert!(client(&b).contains("As Edited In B"));
    assert!(!client(&a).contains("As Edited In B"));

    fs::remove_dir_all(a).unwrap();
    fs::remove_dir_all(b).unwrap();
}

#[test]
fn outside_a_checkout_regen_names_the_directory_and_writes_nothing() {
    let dir = scratch("outside");
    fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"not-a-workspace\"\n",
    )
    .unwrap();
    // A `[package]` manifest is not a workspace, and nothing above the
    // temporary directory is one either.
    assert!(xtask::find_workspace_root(&dir).is_err());
    let run = xtask_in(&dir, &["regen"]);
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("no Cargo.toml with a [workspace] table in")
            && stderr.contains(&*dir.to_string_lossy())
            && stderr.contains("run cargo xtask inside the checkout"),
        "{stderr}"
    );
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    fs::remove_dir_all(dir).unwrap();
}
