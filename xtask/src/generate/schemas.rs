//! For the diff: the component schemas typify cannot take, which stop
//! every operation's generation (typify types all of them first), found
//! and left out with the schemas and operations that reach them, so that
//! the rest of the document still generates.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Components, OpenAPI, ReferenceOr};
use progenitor_impl::GenerationSettings;
use serde_json::Value;

use super::{Run, run_guarded};
use crate::adapt::Refused;
use crate::operations::slots_mut;

const SCHEMAS: &str = "#/components/schemas/";

/// A component schema left out of the generation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedSchema {
    /// Its name under `#/components/schemas`.
    pub schema: String,
    /// Why, on one line.
    pub reason: String,
}

/// The component schemas of `openapi` that typify fails on, alone with
/// the schemas they reach, each with the error, and the `$ref`s between
/// the components.
struct Failing {
    graph: Graph,
    /// Every schema that fails, by itself or through one it reaches.
    schemas: BTreeMap<String, String>,
    /// Those that fail by themselves, not through another.
    causes: BTreeMap<String, String>,
}

impl Failing {
    fn find(openapi: &OpenAPI, settings: &GenerationSettings, run: Run) -> Failing {
        let empty = Components::default();
        let components = openapi.components.as_ref().unwrap_or(&empty);
        let graph = Graph::of(&serde_json::to_value(components).unwrap_or(Value::Null));
        let names: Vec<String> = components.schemas.keys().cloned().collect();
        let attempt = |names: &[String]| -> Result<(), String> {
            let reached = graph.reach(names.iter().map(|name| format!("{SCHEMAS}{name}")));
            let only = OpenAPI {
                openapi: openapi.openapi.clone(),
                info: openapi.info.clone(),
                components: Some(Components {
                    schemas: (components.schemas.iter())
                        .filter(|(name, _)| reached.contains(&format!("{SCHEMAS}{name}")))
                        .map(|(name, schema)| (name.clone(), schema.clone()))
                        .collect(),
                    ..Components::default()
                }),
                ..OpenAPI::default()
            };
            match run_guarded(&only, settings, run) {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(e.to_string().lines().next().unwrap_or_default().to_string()),
                Err(panic) => Err(format!("it panicked with: {panic}")),
            }
        };
        let schemas = failing_among(&names, &attempt);
        let causes = (schemas.iter())
            .filter(|(name, _)| {
                let reached = graph.reach([format!("{SCHEMAS}{name}")]);
                !(schemas.keys())
                    .any(|other| other != *name && reached.contains(&format!("{SCHEMAS}{other}")))
            })
            .map(|(name, error)| (name.clone(), error.clone()))
            .collect();
        Failing {
            graph,
            schemas,
            causes,
        }
    }

    /// Whether `reached`, a set of components, holds a failing schema.
    fn any_in(&self, reached: &BTreeSet<String>) -> bool {
        (self.schemas.keys()).any(|name| reached.contains(&format!("{SCHEMAS}{name}")))
    }

    /// `schema `A`, which typify cannot take: why`, for the causes among
    /// `reached`.
    fn causes_in(&self, reached: &BTreeSet<String>) -> String {
        let (names, errors): (Vec<String>, BTreeSet<&str>) = (self.causes.iter())
            .filter(|(cause, _)| reached.contains(&format!("{SCHEMAS}{cause}")))
            .map(|(cause, error)| (format!("`{cause}`"), error.as_str()))
            .unzip();
        let errors: Vec<&str> = errors.into_iter().collect();
        format!(
            "schema {}, which typify cannot take: {}",
            names.join(", "),
            errors.join("; ")
        )
    }
}

/// The component schemas that stop typify by themselves, named for an
/// error message (`schema `A``); `None` when no schema alone does.
pub(super) fn name_failing(
    openapi: &OpenAPI,
    settings: &GenerationSettings,
    run: Run,
) -> Option<String> {
    let causes = Failing::find(openapi, settings, run).causes;
    let names: Vec<String> = causes.keys().map(|name| format!("`{name}`")).collect();
    (!names.is_empty()).then(|| format!("schema {}", names.join(", ")))
}

/// Leaves out of `openapi` each component schema that typify fails on,
/// alone with the schemas it reaches, and each operation that reaches one
/// of them: both returned with why. Nothing when the failure is not one
/// schema's (then no schema alone fails).
pub(super) fn leave_out_failing(
    openapi: &mut OpenAPI,
    settings: &GenerationSettings,
    run: Run,
) -> (Vec<RefusedSchema>, Vec<Refused>) {
    let failing = Failing::find(openapi, settings, run);
    let schemas: Vec<RefusedSchema> = (failing.schemas.iter())
        .map(|(name, error)| RefusedSchema {
            schema: name.clone(),
            reason: match failing.causes.contains_key(name) {
                true => format!("typify cannot take it: {error}"),
                false => {
                    let reached = failing.graph.reach([format!("{SCHEMAS}{name}")]);
                    format!("it reaches {}", failing.causes_in(&reached))
                }
            },
        })
        .collect();
    let mut operations = Vec::new();
    for (path, item) in openapi.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let shared = refs(&serde_json::to_value(&item.parameters).unwrap_or(Value::Null));
        for (method, slot) in slots_mut(item) {
            let Some(operation) = slot.as_ref() else {
                continue;
            };
            let json = serde_json::to_value(operation).unwrap_or(Value::Null);
            let reached = (failing.graph).reach(refs(&json).into_iter().chain(shared.clone()));
            if failing.any_in(&reached) {
                operations.push(Refused {
                    operation: crate::raw::label(method, path),
                    operation_id: operation.operation_id.clone().unwrap_or_default(),
                    reason: format!("it reaches {}", failing.causes_in(&reached)),
                });
                *slot = None;
            }
        }
    }
    if let Some(components) = openapi.components.as_mut() {
        components
            .schemas
            .retain(|name, _| !failing.schemas.contains_key(name));
    }
    (schemas, operations)
}

/// The schemas among `names` that fail with what they reach, each with
/// the error: halves that generate are cleared at once.
fn failing_among(
    names: &[String],
    attempt: &dyn Fn(&[String]) -> Result<(), String>,
) -> BTreeMap<String, String> {
    match (attempt(names), names) {
        (Ok(()), _) | (Err(_), []) => BTreeMap::new(),
        (Err(error), [name]) => BTreeMap::from([(name.clone(), error)]),
        (Err(_), _) => {
            let (first, second) = names.split_at(names.len() / 2);
            let mut failing = failing_among(first, attempt);
            failing.extend(failing_among(second, attempt));
            failing
        }
    }
}

/// The `$ref`s between the components: what each component refers to.
struct Graph {
    refs: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// The graph of the components, `components` as JSON.
    fn of(components: &Value) -> Graph {
        let mut graph = Graph {
            refs: BTreeMap::new(),
        };
        for (kind, section) in components.as_object().into_iter().flatten() {
            for (name, component) in section.as_object().into_iter().flatten() {
                let from = format!("#/components/{kind}/{name}");
                graph.refs.insert(from, refs(component));
            }
        }
        graph
    }

    /// Every component `starts` reach, them included.
    fn reach(&self, starts: impl IntoIterator<Item = String>) -> BTreeSet<String> {
        let mut reached = BTreeSet::new();
        let mut next: Vec<String> = starts.into_iter().collect();
        while let Some(component) = next.pop() {
            if let Some(refs) = self.refs.get(&component) {
                next.extend(refs.iter().filter(|r| !reached.contains(*r)).cloned());
            }
            reached.insert(component);
        }
        reached
    }
}

/// The `$ref` targets in `value`.
fn refs(value: &Value) -> BTreeSet<String> {
    let mut found = Vec::new();
    crate::spec::collect_refs(value, String::new(), &mut found);
    found.into_iter().map(|(_, target)| target).collect()
}
