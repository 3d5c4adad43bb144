//! Running progenitor, with its panics turned into errors that name the
//! operation at fault: the client and the typed mocks of the `mock`
//! feature.
//! For the diff, what it cannot generate is left out: operations here,
//! component schemas in [`schemas`]; and its output is cut to what the
//! public items show ([`outline`]).

pub mod outline;
pub mod schemas;

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use anyhow::{Result, anyhow};
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

use self::schemas::RefusedSchema;
use crate::adapt::Refused;
use crate::operations::slots_mut;
use crate::tagged_unions::TaggedUnion;

/// Generates the client code for `openapi` with the builder interface;
/// the enums of `unions` are post-processing's to write.
pub fn client_tokens(openapi: &OpenAPI, unions: &[TaggedUnion]) -> Result<TokenStream> {
    guarded(openapi, &settings(unions), |generator, spec| {
        generator.generate_tokens(spec)
    })
}

/// Generates progenitor's `httpmock` extension for `openapi`, for code in
/// the client crate itself (`crate::types`).
pub fn mock_tokens(openapi: &OpenAPI, unions: &[TaggedUnion]) -> Result<TokenStream> {
    guarded(openapi, &settings(unions), |generator, spec| {
        generator.httpmock(spec, "crate")
    })
}

/// What [`client_tokens_leaving_out_failing`] left out, with why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub operations: Vec<Refused>,
    pub schemas: Vec<RefusedSchema>,
}

/// [`client_tokens`] for the part of `openapi` progenitor can generate:
/// each component schema typify fails on, with the schemas and operations
/// that reach it, and each operation it fails on are left out of
/// `openapi`, and returned with why. An error when the components fail
/// and no schema alone does.
pub fn client_tokens_leaving_out_failing(
    openapi: &mut OpenAPI,
    unions: &[TaggedUnion],
) -> Result<(TokenStream, LeftOut)> {
    let run: Run = |generator, spec| generator.generate_tokens(spec);
    let settings = &settings(unions);
    if let Ok(Ok(tokens)) = run_guarded(openapi, settings, run) {
        return Ok((tokens, LeftOut::default()));
    }
    let mut left_out = LeftOut::default();
    if !matches!(run_guarded(&only(openapi, &[]), settings, run), Ok(Ok(_))) {
        (left_out.schemas, left_out.operations) =
            schemas::leave_out_failing(openapi, settings, run);
    }
    // Halves that generate are cleared at once, so finding k failing
    // operations among n takes about 2k·log2(n) runs, not n.
    guarded(&only(openapi, &[]), settings, run)?;
    let operations: Vec<(String, String)> = openapi
        .paths
        .paths
        .iter()
        .filter_map(|(path, item)| Some((path, item.as_item()?)))
        .flat_map(|(path, item)| item.iter().map(|(method, _)| (path.clone(), method.into())))
        .collect();
    let failing = failing_among(openapi, &operations, settings, run);
    for refused in &failing {
        let (path, method) = &refused.1;
        if let Some(ReferenceOr::Item(item)) = openapi.paths.paths.get_mut(path) {
            for (m, slot) in slots_mut(item) {
                if m == method {
                    *slot = None;
                }
            }
        }
    }
    let tokens = guarded(openapi, settings, run)?;
    (left_out.operations).extend(failing.into_iter().map(|(refused, _)| refused));
    Ok((tokens, left_out))
}

/// The operations among `operations` that progenitor fails on, with the
/// whole of the components beside them.
fn failing_among(
    openapi: &OpenAPI,
    operations: &[(String, String)],
    settings: &GenerationSettings,
    run: Run,
) -> Vec<(Refused, (String, String))> {
    let spec = only(openapi, operations);
    let failure = match run_guarded(&spec, settings, run) {
        Ok(Ok(_)) => return Vec::new(),
        Ok(Err(e)) => e.to_string().lines().next().unwrap_or_default().to_string(),
        Err(panic) => format!("it panicked with: {panic}"),
    };
    match operations {
        [] => Vec::new(),
        [(path, method)] => {
            let id = spec
                .operations()
                .next()
                .and_then(|(_, _, operation)| operation.operation_id.clone())
                .unwrap_or_default();
            let reason = format!("progenitor cannot generate it: {failure}");
            vec![(
                Refused {
                    operation: crate::raw::label(method, path),
                    operation_id: id,
                    reason: reason.lines().next().unwrap_or_default().to_string(),
                },
                (path.clone(), method.clone()),
            )]
        }
        _ => {
            let (first, second) = operations.split_at(operations.len() / 2);
            let mut failing = failing_among(openapi, first, settings, run);
            failing.extend(failing_among(openapi, second, settings, run));
            failing
        }
    }
}

/// `openapi` with only `operations` (path and method) kept.
fn only(openapi: &OpenAPI, operations: &[(String, String)]) -> OpenAPI {
    let mut kept = openapi.clone();
    kept.paths.paths.retain(|path, item| {
        let ReferenceOr::Item(item) = item else {
            return false;
        };
        let mut any = false;
        for (method, slot) in slots_mut(item) {
            if operations.iter().any(|(p, m)| p == path && m == method) {
                any |= slot.is_some();
            } else {
                *slot = None;
            }
        }
        any
    });
    kept
}

type Run = fn(&mut Generator, &OpenAPI) -> progenitor_impl::Result<TokenStream>;

/// Runs `run` with `settings` and, if it fails, names the first operation
/// it fails on.
fn guarded(openapi: &OpenAPI, settings: &GenerationSettings, run: Run) -> Result<TokenStream> {
    let failure = match run_guarded(openapi, settings, run) {
        Ok(Ok(tokens)) => return Ok(tokens),
        // The rest of progenitor's message can be a long debug dump.
        Ok(Err(e)) => e.to_string().lines().next().unwrap_or_default().to_string(),
        Err(panic) => format!("it panicked with: {panic}"),
    };
    // Where the components alone fail, every operation does: the schemas
    // are at fault, not the first operation tried.
    let place = match run_guarded(&only(openapi, &[]), settings, run) {
        Ok(Ok(_)) => find_failing_operation(openapi, settings, run),
        _ => schemas::name_failing(openapi, settings, run),
    };
    Err(match place {
        Some(place) => anyhow!("progenitor cannot generate {place}: {failure}"),
        None => anyhow!("progenitor cannot generate this spec: {failure}"),
    })
}

fn settings(unions: &[TaggedUnion]) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        // The credentials and the retry policy, which the runtime sends
        // with; progenitor's hooks are never called.
        .with_inner_type(quote::quote!(crate::runtime::AuthAndRetry))
        .with_hooks(HooksMode::Expected);
    // A discriminated schema is the enum post-processing writes; typify
    // refers to it and writes nothing for it.
    for union in unions {
        let name = union.rust_name();
        settings.with_replacement(&name, format!("crate::types::{name}"), std::iter::empty());
    }
    settings
}

/// Runs the generator: its own result, or the panic message if it panicked.
fn run_guarded(
    openapi: &OpenAPI,
    settings: &GenerationSettings,
    run: Run,
) -> Result<progenitor_impl::Result<TokenStream>, String> {
    silence_panics_on_this_thread(|| {
        panic::catch_unwind(AssertUnwindSafe(|| {
            run(&mut Generator::new(settings), openapi)
        }))
    })
    .map_err(panic_message)
}

/// Generates each operation alone to find the first one that fails.
fn find_failing_operation(
    openapi: &OpenAPI,
    settings: &GenerationSettings,
    run: Run,
) -> Option<String> {
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
