//! `cargo xtask diff` on two versions of a generated spec of Atlas's size:
//! 1,000 operations over 250 resources, each with its own schemas, paging,
//! a request body and shared errors. The new version drops an enum value
//! of every resource's status, a property of every tenth resource and
//! adds an operation. Target: the whole diff (contract and both
//! generations) under 5 s and under 1 GiB of heap at its peak, which a
//! counting allocator measures; the bench prints whether both were met.
//! Each sample runs the diff twice: timed with the counter off, then
//! counted. Counting from three threads at once, on shared atomics, would
//! add about a fifth to the time it measures.
//! The contract alone is timed too. Run with
//! `cargo bench -p xtask --bench scale`.

use std::alloc::{GlobalAlloc, Layout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use mimalloc::MiMalloc;
use serde_json::{Value, json};
use xtask::diff::diff;
use xtask::diff::source::SpecText;

/// The allocator of `cargo xtask` (mimalloc), counting, while
/// [`COUNTING`] is set, the bytes allocated less those freed since the
/// count began, now and at the peak.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// Adds `bytes` (less than zero for a free) to the count, if counting.
fn count(bytes: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

/// The heap's peak while `run` runs, above what was live when it began.
fn heap_peak<T>(run: impl FnOnce() -> T) -> (T, usize) {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    let result = run();
    COUNTING.store(false, Ordering::Relaxed);
    (result, PEAK.load(Ordering::Relaxed).max(0) as usize)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { MiMalloc.alloc(layout) };
        if !pointer.is_null() {
            count(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(pointer, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { MiMalloc.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const RESOURCES: usize = 250;
const TIME_LIMIT: Duration = Duration::from_secs(5);
const MEMORY_LIMIT: usize = 1 << 30;

fn main() {
    divan::main();
}

/// One resource's four operations and three schemas.
fn resource(
    i: usize,
    paths: &mut serde_json::Map<String, Value>,
    schemas: &mut serde_json::Map<String, Value>,
    new: bool,
) {
    let thing = format!("Thing{i}");
    let errors = json!({
        "400": {"description": "Bad request", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}},
        "404": {"description": "Not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}},
    });
    let with_errors = |mut responses: Value| {
        responses
            .as_object_mut()
            .unwrap()
            .extend(errors.as_object().unwrap().clone());
        responses
    };
    let ok = |schema: &str| json!({"description": "OK", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    let group = json!({"name": "groupId", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[a-f0-9]{24}$"}});
    let id = json!({"name": "thingId", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 64}});
    // The operation `{name}{i}`, with the errors every operation answers.
    let operation = |name: &str, summary: &str, parameters: Value, responses: Value| {
        json!({
            "operationId": format!("{name}{i}"),
            "summary": format!("{summary} {i}"),
            "parameters": parameters,
            "responses": with_errors(responses),
        })
    };
    let paging = json!([
        group,
        {"name": "pageNum", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
        {"name": "itemsPerPage", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}},
    ]);
    let mut create = operation(
        "createThing",
        "Create a thing",
        json!([group]),
        json!({"201": ok(&thing)}),
    );
    create["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/New{thing}")}}}});
    paths.insert(
        format!("/api/atlas/v2/groups/{{groupId}}/things{i}"),
        json!({
            "get": operation("listThings", "List things", paging, json!({"200": ok(&format!("{thing}Page"))})),
            "post": create,
        }),
    );
    paths.insert(
        format!("/api/atlas/v2/groups/{{groupId}}/things{i}/{{thingId}}"),
        json!({
            "get": operation("getThing", "Get a thing", json!([group, id]), json!({"200": ok(&thing)})),
            "delete": operation("deleteThing", "Delete a thing", json!([group, id]), json!({"204": {"description": "Deleted"}})),
        }),
    );
    let statuses: &[&str] = if new {
        &["queued", "inProgress", "completed"]
    } else {
        &["queued", "inProgress", "completed", "failed"]
    };
    let mut properties = json!({
        "id": {"type": "string", "pattern": "^[a-f0-9]{24}$"},
        "name": {"type": "string", "maxLength": 64},
        "status": {"type": "string", "enum": statuses},
        "sizeBytes": {"type": "integer", "format": "int64", "minimum": 0},
        "createdAt": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 50},
        "owner": {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}}},
        "description": {"type": "string"},
    });
    if new && i.is_multiple_of(10) {
        properties.as_object_mut().unwrap().remove("description");
    }
    schemas.insert(
        thing.clone(),
        json!({"type": "object", "required": ["id", "status"], "properties": properties}),
    );
    schemas.insert(
        format!("{thing}Page"),
        json!({"type": "object", "properties": {
            "results": {"type": "array", "items": {"$ref": format!("#/components/schemas/{thing}")}},
            "totalCount": {"type": "integer", "format": "int32"},
        }}),
    );
    schemas.insert(
        format!("New{thing}"),
        json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "maxLength": 64},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 50},
        }}),
    );
}

/// The spec text of one version.
fn spec(new: bool) -> String {
    let (mut paths, mut schemas) = (serde_json::Map::new(), serde_json::Map::new());
    for i in 0..RESOURCES {
        resource(i, &mut paths, &mut schemas, new);
    }
    if new {
        paths.insert(
            "/api/atlas/v2/ping".to_string(),
            json!({"get": {"operationId": "ping", "summary": "Ping", "responses": {"204": {"description": "Up"}}}}),
        );
    }
    schemas.insert(
        "ApiError".to_string(),
        json!({"type": "object", "required": ["error"], "properties": {
            "error": {"type": "integer", "format": "int32"},
            "detail": {"type": "string"},
            "errorCode": {"type": "string"},
        }}),
    );
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "Scale", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    });
    serde_yaml::to_string(&document).unwrap()
}

/// Both versions; with `XTASK_SCALE_SPECS=DIR` also written there as
/// `old.yaml` and `new.yaml`, to measure the xtask binary on them.
fn versions() -> (SpecText, SpecText) {
    let version = |name: &str, new: bool| SpecText {
        name: name.to_string(),
        path: PathBuf::from(name),
        text: spec(new),
    };
    let (old, new) = (version("old.yaml", false), version("new.yaml", true));
    if let Some(dir) = std::env::var_os("XTASK_SCALE_SPECS") {
        let dir = PathBuf::from(dir);
        std::fs::write(dir.join("old.yaml"), &old.text).unwrap();
        std::fs::write(dir.join("new.yaml"), &new.text).unwrap();
    }
    (old, new)
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn thousand_operations(bencher: divan::Bencher) {
    let (old, new) = versions();
    bencher.bench(|| {
        let run = || {
            diff(&old, &new).unwrap_or_else(|e| {
                eprintln!("the diff failed: {e:#}");
                panic!("the diff failed")
            })
        };
        let start = Instant::now();
        let report = run();
        let elapsed = start.elapsed();
        let (_, peak) = heap_peak(run);
        eprintln!(
            "1,000-operation diff ({} + {} bytes of spec): {elapsed:.2?}, heap peak {} MiB, {} findings",
            old.text.len(),
            new.text.len(),
            peak >> 20,
            report.findings.len()
        );
        assert!(
            matches!(report.rust_api, xtask::diff::rust_api::RustApi::Compared(_)),
            "{:?}",
            report.rust_api
        );
        // Printed, not asserted: a run on a loaded machine must still
        // report its figures, and the other benches must still run.
        let met = elapsed < TIME_LIMIT && peak < MEMORY_LIMIT;
        eprintln!(
            "  target (under {TIME_LIMIT:?} and 1 GiB): {}",
            if met { "met" } else { "NOT met" }
        );
        report
    });
}

/// The contract alone: both versions read, resolved and compared.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn thousand_operations_contract_only(bencher: divan::Bencher) {
    let (old, new) = versions();
    bencher.bench(|| {
        let read = |spec: &SpecText| xtask::raw::read(&spec.text, &spec.path).unwrap();
        let (old, new) = (read(&old), read(&new));
        let resolve = xtask::raw::resolve::resolve_refs;
        xtask::diff::contract::compare(&resolve(&old), &resolve(&new))
    });
}
