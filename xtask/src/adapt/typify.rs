//! The component schemas typify 0.8 cannot take as written, rewritten in
//! memory: subtypes that extend a base listing them, and enums whose
//! values name no variant.

use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr};
use serde_yaml::Value as YamlValue;

use crate::naming::typify_names_variants;

/// Rewrites the component schemas typify 0.8 cannot take as written:
/// subtypes that extend a base listing them ([`inline_bases`]), and enums
/// whose values name no variant ([`unnamed_enums_as_strings`]). Each is
/// rewritten as a YAML value, which keeps the order of its keys, and so of
/// the fields typify writes.
pub(super) fn schemas_for_typify(openapi: &mut OpenAPI) {
    let Some(components) = openapi.components.as_mut() else {
        return;
    };
    let bases: HashMap<String, YamlValue> = components
        .schemas
        .iter()
        .filter_map(|(name, schema)| {
            let mut value = serde_yaml::to_value(schema.as_item()?).ok()?;
            let object = value.as_mapping_mut()?;
            let lists = object.remove("oneOf").is_some() | object.remove("anyOf").is_some();
            object.remove("discriminator");
            lists.then(|| (format!("#/components/schemas/{name}"), value))
        })
        .collect();
    for schema in components.schemas.values_mut() {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let Ok(mut value) = serde_yaml::to_value(&*schema) else {
            continue;
        };
        let changed = inline_bases(&mut value, &bases, &mut Vec::new())
            | unnamed_enums_as_strings(&mut value);
        if changed && let Ok(rewritten) = serde_yaml::from_value(value) {
            *schema = rewritten;
        }
    }
}

/// Inlines each `$ref`, in an `allOf`, to one of `bases`: a schema that
/// lists its subtypes in `oneOf` or `anyOf`, here without that list.
/// Atlas's subtypes extend their base so (`allOf: [$ref Base, {...}]`)
/// while the base lists them, and typify 0.8 merges such a cycle until
/// the stack overflows, which aborts. `inlined` holds the bases being
/// inlined, so that a base extending itself ends.
fn inline_bases<'b>(
    value: &mut YamlValue,
    bases: &'b HashMap<String, YamlValue>,
    inlined: &mut Vec<&'b str>,
) -> bool {
    match value {
        YamlValue::Mapping(map) => {
            let mut changed = false;
            for (key, child) in map.iter_mut() {
                let YamlValue::Sequence(parts) = child else {
                    changed |= inline_bases(child, bases, inlined);
                    continue;
                };
                if key.as_str() != Some("allOf") {
                    changed |= inline_bases(child, bases, inlined);
                    continue;
                }
                for part in parts {
                    let reference = part.get("$ref").and_then(YamlValue::as_str);
                    match reference.and_then(|r| bases.get_key_value(r)) {
                        Some((name, base)) if !inlined.contains(&name.as_str()) => {
                            *part = base.clone();
                            inlined.push(name);
                            inline_bases(part, bases, inlined);
                            inlined.pop();
                            changed = true;
                        }
                        _ => changed |= inline_bases(part, bases, inlined),
                    }
                }
            }
            changed
        }
        YamlValue::Sequence(items) => items.iter_mut().fold(false, |changed, item| {
            inline_bases(item, bases, inlined) | changed
        }),
        _ => false,
    }
}

/// Drops each `enum` of strings for which typify finds no distinct variant
/// names, which it panics on: values without a letter or digit, such as
/// Atlas's `Operator` (`<`, `>`). The value is then a string, which the
/// client's open enums would have kept anyway.
fn unnamed_enums_as_strings(value: &mut YamlValue) -> bool {
    match value {
        YamlValue::Mapping(map) => {
            let unnamed = map
                .get("enum")
                .and_then(YamlValue::as_sequence)
                .is_some_and(|values| !names_variants(values));
            if unnamed {
                map.remove("enum");
            }
            map.values_mut().fold(unnamed, |changed, child| {
                unnamed_enums_as_strings(child) | changed
            })
        }
        YamlValue::Sequence(items) => items.iter_mut().fold(false, |changed, item| {
            unnamed_enums_as_strings(item) | changed
        }),
        _ => false,
    }
}

/// Whether typify names the variants of an enum of `values` apart; an
/// enum of values other than strings it types otherwise.
fn names_variants(values: &[YamlValue]) -> bool {
    values
        .iter()
        .map(YamlValue::as_str)
        .collect::<Option<Vec<_>>>()
        .is_none_or(|values| typify_names_variants(&values))
}
