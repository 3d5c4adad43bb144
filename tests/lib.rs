//! Helpers shared by the test suites in this folder.

use std::path::{Path, PathBuf};

/// The page examples, one folder per page of `../shared/seeds`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The example body with HTTP `status` from the page `page` (a seed file
/// name without `.txt`).
pub fn fixture(page: &str, status: u16) -> String {
    let path = fixtures_dir().join(page).join(format!("{status}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of an Atlas reference page from `../shared/seeds`.
pub fn seed_page(page: &str) -> String {
    let path = xtask::workspace_root()
        .join("../shared/seeds")
        .join(format!("{page}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A broken spec from `bad-specs/`.
pub fn bad_spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("bad-specs")
        .join(name)
}

/// Asserts that an error message contains each of `parts`.
pub fn assert_names(error: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            error.contains(part),
            "error does not name {part:?}:\n{error}"
        );
    }
}

/// A client of the local server at `base_url`, without credentials or
/// retries, for tests about what one request looks like.
pub fn local_client(base_url: &str) -> atlas_backup_snapshots::Client {
    atlas_backup_snapshots::Client::builder()
        .base_url(base_url)
        .retry(atlas_backup_snapshots::RetryPolicy::none())
        .build()
        .expect("a local base URL is valid")
}
