//! Running progenitor, with its panics turned into errors that name the
//! operation at fault: the client, the typed mocks of the `mock` feature,
//! and progenitor's own client, which the request bench compares with.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use anyhow::{Result, anyhow};
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

use crate::operations::slots_mut;

/// Generates the client code for `openapi` with the builder interface.
pub fn client_tokens(openapi: &OpenAPI) -> Result<TokenStream> {
    guarded(openapi, settings, |generator, spec| {
        generator.generate_tokens(spec)
    })
}

/// Generates progenitor's `httpmock` extension for `openapi`, for code in
/// the client crate itself (`crate::types`).
pub fn mock_tokens(openapi: &OpenAPI) -> Result<TokenStream> {
    guarded(openapi, settings, |generator, spec| {
        generator.httpmock(spec, "crate")
    })
}

/// Generates the client that progenitor alone makes of `openapi`, with
/// the builder interface and its own hooks: the peer of the request bench.
pub fn peer_tokens(openapi: &OpenAPI) -> Result<TokenStream> {
    guarded(openapi, peer_settings, |generator, spec| {
        generator.generate_tokens(spec)
    })
}

type Run = fn(&mut Generator, &OpenAPI) -> progenitor_impl::Result<TokenStream>;
type Settings = fn(&OpenAPI) -> GenerationSettings;

/// Runs `run` with `settings` and, if it fails, names the first operation
/// it fails on.
fn guarded(openapi: &OpenAPI, settings: Settings, run: Run) -> Result<TokenStream> {
    let failure = match run_guarded(openapi, settings, run) {
        Ok(Ok(tokens)) => return Ok(tokens),
        // The rest of progenitor's message can be a long debug dump.
        Ok(Err(e)) => e.to_string().lines().next().unwrap_or_default().to_string(),
        Err(panic) => format!("it panicked with: {panic}"),
    };
    Err(match find_failing_operation(openapi, settings, run) {
        Some(place) => anyhow!("progenitor cannot generate {place}: {failure}"),
        None => anyhow!("progenitor cannot generate this spec: {failure}"),
    })
}

fn settings(openapi: &OpenAPI) -> GenerationSettings {
    let mut settings = peer_settings(openapi);
    settings
        // The credentials and the retry policy, which the runtime sends
        // with; progenitor's hooks are never called.
        .with_inner_type(quote::quote!(crate::runtime::AuthAndRetry))
        .with_hooks(HooksMode::Expected);
    // A discriminated schema is the enum post-processing writes; typify
    // refers to it and writes nothing for it.
    for union in crate::tagged_unions::find(openapi).unwrap_or_default() {
        let name = union.rust_name();
        settings.with_replacement(&name, format!("crate::types::{name}"), std::iter::empty());
    }
    settings
}

/// What the client and the peer share.
fn peer_settings(_openapi: &OpenAPI) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq");
    settings
}

/// Runs the generator: its own result, or the panic message if it panicked.
fn run_guarded(
    openapi: &OpenAPI,
    settings: Settings,
    run: Run,
) -> Result<progenitor_impl::Result<TokenStream>, String> {
    silence_panics_on_this_thread(|| {
        panic::catch_unwind(AssertUnwindSafe(|| {
            run(&mut Generator::new(&settings(openapi)), openapi)
        }))
    })
    .map_err(panic_message)
}

/// Generates each operation alone to find the first one that fails.
fn find_failing_operation(openapi: &OpenAPI, settings: Settings, run: Run) -> Option<String> {
    for (path, item) in openapi.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let mut single = openapi.clone();
            let mut only = item.clone();
            for (m, slot) in slots_mut(&mut only) {
                if m != method {
                    *slot = None;
                }
            }
            single.paths.paths.clear();
            single
                .paths
                .paths
                .insert(path.clone(), ReferenceOr::Item(only));
            if !matches!(run_guarded(&single, settings, run), Ok(Ok(_))) {
                let id = operation.operation_id.as_deref().unwrap_or("?");
                let label = crate::raw::label(method, path);
                return Some(format!("{label} (operationId {id})"));
            }
        }
    }
    None
}

thread_local! {
    static SILENT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` without printing panic messages from this thread, so that a
/// generator panic reaches the user once, as our error, not as a backtrace.
fn silence_panics_on_this_thread<T>(f: impl FnOnce() -> T) -> T {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !SILENT.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = SILENT.with(|s| s.replace(true));
    let out = f();
    SILENT.with(|s| s.set(was));
    out
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}
