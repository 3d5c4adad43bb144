//! Streaming snapshots through the pager, 500 to a page, from a local
//! server that answers pages 1 to `count / 500` with a prebuilt full page
//! and every later page with an empty one. Times the whole stream (and
//! per item), and records the peak heap while streaming: the pager holds
//! one page at a time, so the peak should not grow with the count.

// Atlas has sunset the serverless operations; they are what there is to call.
#![allow(deprecated)]

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use atlas_backup_snapshots::types::PaginatedServerlessBackupSnapshots;
use atlas_backup_snapshots::{Client, Credentials, RetryPolicy};
use divan::Bencher;
use divan::counter::ItemsCount;
use futures_util::TryStreamExt;
use support::{CLUSTER, GROUP_ID, TOKEN};

const PAGE_SIZE: usize = 500;
const COUNTS: [usize; 3] = [20_000, 50_000, 100_000];

/// The system allocator, counting the bytes in use and their peak over
/// every thread of the process.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grown(bytes: usize) {
    let in_use = IN_USE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(in_use, Relaxed);
}

fn shrunk(bytes: usize) {
    IN_USE.fetch_sub(bytes, Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only
// observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are passed on.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grown(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            grown(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from this allocator, hence from `System`.
        unsafe { System.dealloc(pointer, layout) };
        shrunk(layout.size());
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; on failure the old block stays as it was.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size >= layout.size() {
                grown(new_size - layout.size());
            } else {
                shrunk(layout.size() - new_size);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Untimed runs per count whose peak heap is measured, each on its own.
const PEAK_RUNS: usize = 5;

/// The smallest and largest peak heap of a run, per count, printed after
/// the timings.
static PEAKS: Mutex<Vec<(usize, usize, usize)>> = Mutex::new(Vec::new());

fn main() {
    divan::main();
    let peaks = PEAKS.lock().unwrap();
    if peaks.is_empty() {
        return;
    }
    let body = support::page_json(0, PAGE_SIZE, COUNTS[2]);
    let decoding = peak_above_start(|| {
        serde_json::from_slice::<PaginatedServerlessBackupSnapshots>(body.as_bytes())
            .expect("a page")
            .results
            .len()
    });
    eprintln!(
        "\npeak heap of one streaming run, above the heap before it, over {PEAK_RUNS} runs \
         (one page body: {} B; decoding it alone peaks at {decoding} B):",
        body.len()
    );
    for (count, least, most) in peaks.iter() {
        eprintln!("  {count:>7} snapshots: {least:>7} B to {most:>7} B");
    }
}

/// What `run` allocates at its peak, above what was in use when it began.
fn peak_above_start<T>(run: impl FnOnce() -> T) -> usize {
    let before = IN_USE.load(Relaxed);
    PEAK.store(before, Relaxed);
    divan::black_box(run());
    PEAK.load(Relaxed).saturating_sub(before)
}

/// A server holding `count` snapshots, its pages built once up front.
fn serve_snapshots(count: usize) -> String {
    let full_pages = count / PAGE_SIZE;
    let full = support::ok(
        "application/json",
        support::page_json(0, PAGE_SIZE, count).as_bytes(),
    );
    let past_the_end = support::ok(
        "application/json",
        support::page_json(0, 0, count).as_bytes(),
    );
    support::serve(move |head| {
        if page_number(head) <= full_pages {
            full.clone()
        } else {
            past_the_end.clone()
        }
    })
}

/// `pageNum` of the request line of `head`.
fn page_number(head: &str) -> usize {
    let request_line = head.lines().next().unwrap_or_default();
    let Some((_, rest)) = request_line.split_once("pageNum=") else {
        return 1;
    };
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..digits].parse().unwrap_or(1)
}

/// Reads the whole stream, one snapshot at a time, and counts it.
async fn stream_all(client: &Client) -> usize {
    let snapshots = client
        .list_serverless_snapshots_v1()
        .group_id(GROUP_ID)
        .cluster_name(CLUSTER)
        .items_per_page(PAGE_SIZE as u32)
        .stream();
    let mut snapshots = std::pin::pin!(snapshots);
    let mut count = 0;
    while let Some(snapshot) = snapshots.try_next().await.expect("a snapshot") {
        divan::black_box(snapshot);
        count += 1;
    }
    count
}

#[divan::bench(args = COUNTS, sample_count = 20)]
fn stream_snapshots(bencher: Bencher, count: usize) {
    let base_url = serve_snapshots(count);
    let client = Client::builder()
        .base_url(base_url)
        .credentials(Credentials::bearer_token(TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .expect("a client");
    let runtime = support::runtime();
    // Opens the connection and checks the count, outside the timing.
    assert_eq!(runtime.block_on(stream_all(&client)), count);

    bencher
        .counter(ItemsCount::new(count))
        .bench_local(|| runtime.block_on(stream_all(&client)));

    let peaks: Vec<usize> = (0..PEAK_RUNS)
        .map(|_| peak_above_start(|| runtime.block_on(stream_all(&client))))
        .collect();
    let (least, most) = (peaks.iter().min(), peaks.iter().max());
    PEAKS
        .lock()
        .unwrap()
        .push((count, *least.unwrap(), *most.unwrap()));
}
