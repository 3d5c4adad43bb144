//! Two versions of one schema compared, judged by which way its values
//! travel: what a caller sends may only widen, what Atlas returns may only
//! narrow.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Collector, code, shown};
use crate::diff::rules::{self, Rule};
use crate::raw::{escape, members};

/// Which way a schema's values travel, which decides how a change is judged.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// A parameter the caller sends.
    Parameter,
    /// A request body the caller sends.
    RequestBody,
    /// A body Atlas returns.
    Response,
}

impl Side {
    fn sends(self) -> bool {
        self != Side::Response
    }
}

pub struct SchemaComparison<'c, 'f> {
    pub side: Side,
    /// How messages name a body, such as `200 response body`.
    pub body: String,
    pub out: &'c mut Collector<'f>,
}

/// A bound and the rules for narrowing and widening it.
struct Bound {
    key: &'static str,
    /// Whether a larger value narrows what is valid (`minimum`).
    larger_narrows: bool,
    /// The rules on the sending side: narrowed, widened.
    sent: (Rule, Rule),
}

const BOUNDS: [Bound; 6] = [
    Bound {
        key: "minimum",
        larger_narrows: true,
        sent: (
            rules::PARAMETER_MINIMUM_INCREASED,
            rules::PARAMETER_MINIMUM_DECREASED,
        ),
    },
    Bound {
        key: "maximum",
        larger_narrows: false,
        sent: (
            rules::PARAMETER_MAXIMUM_DECREASED,
            rules::PARAMETER_MAXIMUM_INCREASED,
        ),
    },
    Bound {
        key: "minLength",
        larger_narrows: true,
        sent: (
            rules::REQUEST_LENGTH_NARROWED,
            rules::REQUEST_LENGTH_WIDENED,
        ),
    },
    Bound {
        key: "maxLength",
        larger_narrows: false,
        sent: (
            rules::REQUEST_LENGTH_NARROWED,
            rules::REQUEST_LENGTH_WIDENED,
        ),
    },
    Bound {
        key: "minItems",
        larger_narrows: true,
        sent: (
            rules::REQUEST_ITEM_COUNT_NARROWED,
            rules::REQUEST_ITEM_COUNT_WIDENED,
        ),
    },
    Bound {
        key: "maxItems",
        larger_narrows: false,
        sent: (
            rules::REQUEST_ITEM_COUNT_NARROWED,
            rules::REQUEST_ITEM_COUNT_WIDENED,
        ),
    },
];

impl SchemaComparison<'_, '_> {
    /// Compares two schemas at `pointer`; `field` names the value: the
    /// parameter, or the property path in the body (`results[].status`),
    /// empty for the body itself.
    pub fn compare(&mut self, old: &Value, new: &Value, pointer: &str, field: &str) {
        let subject = match self.side {
            Side::Parameter => format!("parameter `{field}`"),
            _ if field.is_empty() => self.body.clone(),
            Side::RequestBody => format!("request property `{field}`"),
            Side::Response => format!("property `{field}`"),
        };
        let (old_type, new_type) = (type_of(old), type_of(new));
        if old_type != new_type {
            let rule = match self.side {
                Side::Parameter => rules::PARAMETER_TYPE_CHANGED,
                Side::RequestBody => rules::REQUEST_PROPERTY_TYPE_CHANGED,
                Side::Response => rules::RESPONSE_PROPERTY_TYPE_CHANGED,
            };
            let message = format!(
                "{subject}: type {} became {}",
                code(&old_type),
                code(&new_type)
            );
            let (before, after) = (Value::String(old_type), Value::String(new_type));
            self.out.push_values(
                rule,
                pointer.to_string(),
                message,
                Some(&before),
                Some(&after),
            );
            return;
        }
        self.compare_enums(old, new, pointer, &subject);
        self.compare_pattern(old, new, pointer, &subject);
        self.compare_bounds(old, new, pointer, &subject);
        self.compare_exclusive_bounds(old, new, pointer, &subject);
        if self.side == Side::Parameter {
            self.compare_default(old, new, pointer, &subject);
        }
        if self.side != Side::Parameter {
            self.compare_properties(old, new, pointer, field);
        }
        if let (Some(old_items), Some(new_items)) = (old.get("items"), new.get("items")) {
            let items = format!("{field}[]");
            self.compare(old_items, new_items, &format!("{pointer}/items"), &items);
        }
        for combinator in ["allOf", "anyOf", "oneOf"] {
            let (Some(old_list), Some(new_list)) = (
                old.get(combinator).and_then(Value::as_array),
                new.get(combinator).and_then(Value::as_array),
            ) else {
                continue;
            };
            for (i, (old_part, new_part)) in old_list.iter().zip(new_list).enumerate() {
                let at = format!("{pointer}/{combinator}/{i}");
                self.compare(old_part, new_part, &at, field);
            }
        }
    }

    fn compare_enums(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let (Some(old_values), Some(new_values)) = (enum_values(old), enum_values(new)) else {
            return;
        };
        let (added, removed) = if self.side.sends() {
            (
                rules::REQUEST_ENUM_VALUE_ADDED,
                rules::REQUEST_ENUM_VALUE_REMOVED,
            )
        } else {
            (
                rules::RESPONSE_ENUM_VALUE_ADDED,
                rules::RESPONSE_ENUM_VALUE_REMOVED,
            )
        };
        let at = format!("{pointer}/enum");
        let (before, after) = (old.get("enum"), new.get("enum"));
        for value in old_values.difference(&new_values) {
            let message = format!("{subject}: enum value {} was removed", code(value));
            self.out
                .push_values(removed, at.clone(), message, before, after);
        }
        for value in new_values.difference(&old_values) {
            let message = format!("{subject}: enum value {} was added", code(value));
            self.out
                .push_values(added, at.clone(), message, before, after);
        }
    }

    fn compare_pattern(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let (old_pattern, new_pattern) = (old.get("pattern"), new.get("pattern"));
        let change = match (old_pattern, new_pattern) {
            (a, b) if a == b => return,
            (None, Some(b)) => format!("pattern {} was added", shown(Some(b))),
            (Some(a), None) => format!("pattern {} was removed", shown(Some(a))),
            (a, b) => format!("pattern {} became {}", shown(a), shown(b)),
        };
        let rule = if self.side.sends() {
            rules::PARAMETER_PATTERN_CHANGED
        } else {
            rules::RESPONSE_PROPERTY_PATTERN_CHANGED
        };
        let pointer = format!("{pointer}/pattern");
        let message = format!("{subject}: {change}");
        self.out
            .push_values(rule, pointer, message, old_pattern, new_pattern);
    }

    /// Numeric bounds, lengths and item counts: narrowing what a caller may
    /// send breaks it, widening what Atlas may return can surprise it.
    fn compare_bounds(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let bound = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_f64);
        for Bound {
            key,
            larger_narrows,
            sent,
        } in BOUNDS
        {
            let (before, after) = (bound(old, key), bound(new, key));
            if before == after {
                continue;
            }
            let narrows = match (before, after) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(from), Some(to)) => (to > from) == larger_narrows,
                (None, None) => continue,
            };
            let rule = match (self.side.sends(), narrows) {
                (true, true) => sent.0,
                (true, false) => sent.1,
                (false, true) => rules::RESPONSE_BOUND_NARROWED,
                (false, false) => rules::RESPONSE_BOUND_WIDENED,
            };
            let message = format!(
                "{subject}: {key} {} became {}",
                shown(old.get(key)),
                shown(new.get(key))
            );
            let at = format!("{pointer}/{key}");
            self.out
                .push_values(rule, at, message, old.get(key), new.get(key));
        }
    }

    /// OpenAPI 3.0's `exclusiveMinimum: true` and `exclusiveMaximum: true`.
    fn compare_exclusive_bounds(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let exclusive = |schema: &Value, key: &str| schema.get(key) == Some(&Value::Bool(true));
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            let (before, after) = (exclusive(old, key), exclusive(new, key));
            if before == after {
                continue;
            }
            let rule = match (self.side.sends(), after) {
                (true, true) => rules::REQUEST_EXCLUSIVE_BOUND_ADDED,
                (true, false) => rules::REQUEST_EXCLUSIVE_BOUND_REMOVED,
                (false, true) => rules::RESPONSE_BOUND_NARROWED,
                (false, false) => rules::RESPONSE_BOUND_WIDENED,
            };
            let change = if after { "became" } else { "is no longer" };
            let message = format!("{subject}: {key} {change} `true`");
            let at = format!("{pointer}/{key}");
            self.out
                .push_values(rule, at, message, old.get(key), new.get(key));
        }
    }

    fn compare_default(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let (before, after) = (old.get("default"), new.get("default"));
        if before != after {
            let message = format!(
                "{subject}: default {} became {}",
                shown(before),
                shown(after)
            );
            let rule = rules::PARAMETER_DEFAULT_CHANGED;
            let at = format!("{pointer}/default");
            self.out.push_values(rule, at, message, before, after);
        }
    }

    /// Only for a property required on both sides: an optional one decodes
    /// `null` as `None` either way.
    fn compare_nullable(&mut self, old: &Value, new: &Value, pointer: &str, field: &str) {
        let nullable = |schema: &Value| schema.get("nullable") == Some(&Value::Bool(true));
        if !nullable(old) && nullable(new) {
            let rule = rules::RESPONSE_PROPERTY_BECAME_NULLABLE;
            let message = format!("required property `{field}` became nullable");
            let at = format!("{pointer}/nullable");
            let after = Value::Bool(true);
            self.out
                .push_values(rule, at, message, old.get("nullable"), Some(&after));
        }
    }

    fn compare_properties(&mut self, old: &Value, new: &Value, pointer: &str, field: &str) {
        let (old_properties, new_properties) =
            (members(old, "properties"), members(new, "properties"));
        let required = |s: &Value, name: &str| {
            s.get("required")
                .and_then(Value::as_array)
                .is_some_and(|names| names.iter().any(|n| n == name))
        };
        let child = |name: &str| match field {
            "" => name.to_string(),
            _ => format!("{field}.{name}"),
        };
        let sends = self.side.sends();
        let noun = if sends {
            "request property"
        } else {
            "property"
        };
        for name in old_properties.keys() {
            if !new_properties.contains_key(name) {
                let rule = if sends {
                    rules::REQUEST_PROPERTY_REMOVED
                } else {
                    rules::RESPONSE_PROPERTY_REMOVED
                };
                self.out.push(
                    rule,
                    format!("{pointer}/properties/{}", escape(name)),
                    format!("{noun} `{}` was removed", child(name)),
                );
            }
        }
        for (name, new_property) in &new_properties {
            let at = format!("{pointer}/properties/{}", escape(name));
            let Some(old_property) = old_properties.get(name) else {
                let (rule, kind) = match (sends, required(new, name)) {
                    (true, true) => (rules::REQUEST_PROPERTY_ADDED_REQUIRED, "required "),
                    (true, false) => (rules::REQUEST_PROPERTY_ADDED_OPTIONAL, "optional "),
                    (false, _) => (rules::RESPONSE_PROPERTY_ADDED, ""),
                };
                let message = format!("{kind}{noun} `{}` was added", child(name));
                self.out.push(rule, at, message);
                continue;
            };
            let change = match (required(old, name), required(new, name)) {
                (true, false) if sends => {
                    Some((rules::REQUEST_PROPERTY_BECAME_OPTIONAL, "became optional"))
                }
                (true, false) => Some((
                    rules::RESPONSE_PROPERTY_BECAME_OPTIONAL,
                    "is no longer required",
                )),
                (false, true) if sends => {
                    Some((rules::REQUEST_PROPERTY_BECAME_REQUIRED, "became required"))
                }
                (false, true) => {
                    Some((rules::RESPONSE_PROPERTY_BECAME_REQUIRED, "became required"))
                }
                _ => None,
            };
            if let Some((rule, what)) = change {
                let message = format!("{noun} `{}` {what}", child(name));
                self.out.push(rule, at.clone(), message);
            }
            if !sends && required(old, name) && required(new, name) {
                self.compare_nullable(old_property, new_property, &at, &child(name));
            }
            self.compare(old_property, new_property, &at, &child(name));
        }
    }
}

/// `type` with its `format`, such as `integer (int32)`; `any` when untyped.
fn type_of(schema: &Value) -> String {
    let kind = schema.get("type").and_then(Value::as_str).unwrap_or("any");
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{kind} ({format})"),
        None => kind.to_string(),
    }
}

fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    let values = schema.get("enum")?.as_array()?;
    Some(values.iter().map(Value::to_string).collect())
}
