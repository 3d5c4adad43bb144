//! Changes of the components that no operation owns: schemas as Rust
//! types, and security schemes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::Collector;
use crate::diff::Finding;
use crate::diff::markdown::code;
use crate::diff::rules;
use crate::raw::{escape, members};

pub fn compare_component_schemas(old: &Value, new: &Value, findings: &mut Vec<Finding>) {
    let (old_schemas, new_schemas) = (components(old, "schemas"), components(new, "schemas"));
    let mut out = Collector {
        place: String::new(),
        method: "",
        findings,
    };
    let removed: Vec<_> = old_schemas
        .keys()
        .filter(|name| !new_schemas.contains_key(*name))
        .collect();
    let mut added: BTreeSet<_> = new_schemas
        .keys()
        .filter(|name| !old_schemas.contains_key(*name))
        .collect();
    for name in removed {
        let renamed_to = added
            .iter()
            .copied()
            .find(|candidate| new_schemas[*candidate] == old_schemas[name]);
        match renamed_to {
            Some(new_name) => {
                added.remove(new_name);
                out.push(
                    rules::SCHEMA_RENAMED,
                    format!("/components/schemas/{}", escape(new_name)),
                    format!(
                        "schema {} was renamed {}; the Rust type `types::{name}` becomes `types::{new_name}`", code(name), code(new_name)
                    ),
                );
            }
            None => out.push(
                rules::SCHEMA_REMOVED,
                format!("/components/schemas/{}", escape(name)),
                format!(
                    "schema {} was removed; the Rust type `types::{name}` goes away",
                    code(name)
                ),
            ),
        }
    }
    for name in added {
        out.push(
            rules::SCHEMA_ADDED,
            format!("/components/schemas/{}", escape(name)),
            format!("schema {} was added", code(name)),
        );
    }
}

pub fn compare_security_schemes(old: &Value, new: &Value, findings: &mut Vec<Finding>) {
    let (old_schemes, new_schemes) = (
        components(old, "securitySchemes"),
        components(new, "securitySchemes"),
    );
    let mut out = Collector {
        place: String::new(),
        method: "",
        findings,
    };
    let at = |name: &str| format!("/components/securitySchemes/{}", escape(name));
    for name in old_schemes.keys() {
        if !new_schemes.contains_key(name) {
            let message = format!("security scheme {} was removed", code(name));
            out.push(rules::SECURITY_SCHEME_REMOVED, at(name), message);
        }
    }
    for (name, new_scheme) in &new_schemes {
        let Some(old_scheme) = old_schemes.get(name) else {
            let message = format!("security scheme {} was added", code(name));
            out.push(rules::SECURITY_SCHEME_ADDED, at(name), message);
            continue;
        };
        // Descriptions are prose for readers; everything else is contract.
        let keys: BTreeSet<&String> = old_scheme
            .as_object()
            .into_iter()
            .chain(new_scheme.as_object())
            .flat_map(Map::keys)
            .filter(|key| *key != "description")
            .collect();
        let changed: Vec<&str> = keys
            .into_iter()
            .filter(|key| old_scheme.get(key.as_str()) != new_scheme.get(key.as_str()))
            .map(String::as_str)
            .collect();
        if !changed.is_empty() {
            let message = format!(
                "security scheme {} changed its {}",
                code(name),
                changed.join(", ")
            );
            out.push(rules::SECURITY_SCHEME_CHANGED, at(name), message);
        }
    }
}

fn components<'a>(document: &'a Value, kind: &str) -> BTreeMap<&'a String, &'a Value> {
    document
        .get("components")
        .map(|components| members(components, kind))
        .unwrap_or_default()
}
