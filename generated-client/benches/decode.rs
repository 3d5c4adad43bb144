//! Decoding one full page (500 snapshots, Atlas's largest) from bytes, as
//! the client does for every page it receives.

mod support;

use atlas_backup_snapshots::types::PaginatedServerlessBackupSnapshots;
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

const PAGE_SIZE: usize = 500;

fn main() {
    divan::main();
}

#[divan::bench]
fn page_of_500(bencher: Bencher) {
    let body = support::page_json(0, PAGE_SIZE, 100_000).into_bytes();
    let page: PaginatedServerlessBackupSnapshots = serde_json::from_slice(&body).expect("a page");
    assert_eq!(page.results.len(), PAGE_SIZE);
    bencher
        .counter(ItemsCount::new(PAGE_SIZE))
        .counter(BytesCount::of_slice(&body))
        .bench_local(|| {
            serde_json::from_slice::<PaginatedServerlessBackupSnapshots>(divan::black_box(&body))
                .expect("a page")
        });
}
