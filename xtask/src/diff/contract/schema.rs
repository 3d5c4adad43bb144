//! Two versions of one schema compared, judged by which way its values
//! travel: what a caller sends may only widen, what Atlas returns may only
//! narrow.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Collector, branches, shown};
use crate::diff::markdown::code;
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

    /// The rules of this side: `sent` for what a caller sends, `returned`
    /// for what Atlas returns.
    fn rules<T>(self, sent: T, returned: T) -> T {
        if self.sends() { sent } else { returned }
    }
}

pub struct SchemaComparison<'c, 'f> {
    side: Side,
    /// How messages name a body, such as `200 response body`.
    body: String,
    out: &'c mut Collector<'f>,
    /// While two paired branches of a `oneOf` or `anyOf` of enums are
    /// compared: the values of all its branches, old and new. A value
    /// that moved to another branch was neither removed nor added.
    values_of_all_branches: Option<(BTreeSet<String>, BTreeSet<String>)>,
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

impl<'c, 'f> SchemaComparison<'c, 'f> {
    /// A comparison of values travelling on `side`; `body` names a body
    /// in messages, such as `200 response body`.
    pub fn new(side: Side, body: String, out: &'c mut Collector<'f>) -> Self {
        SchemaComparison {
            side,
            body,
            out,
            values_of_all_branches: None,
        }
    }

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
        let values_of_all_branches = self.values_of_all_branches.take();
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
        let enums = self.compare_enums(old, new, pointer, &subject, values_of_all_branches);
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
        self.compare_discriminators(old, new, pointer, &subject);
        for combinator in ["allOf", "anyOf", "oneOf"] {
            if enums && combinator != "allOf" {
                // An enum written as single values, compared as one above.
                continue;
            }
            let (old_list, new_list) = (list(old, combinator), list(new, combinator));
            if !old_list.is_empty() || !new_list.is_empty() {
                let at = format!("{pointer}/{combinator}");
                self.compare_branches(combinator, old_list, new_list, &at, field, &subject);
            }
        }
    }

    /// The branches of one `oneOf`, `anyOf` or `allOf`, paired by content
    /// ([`branches::pair`]). A branch of an `allOf` added or removed adds
    /// or removes its properties.
    fn compare_branches(
        &mut self,
        combinator: &str,
        old: &[Value],
        new: &[Value],
        at: &str,
        field: &str,
        subject: &str,
    ) {
        let choice = combinator != "allOf";
        let pairing = branches::pair(old, new);
        // A branch of an enum split in branches may regroup values: only
        // what leaves or joins all of them is a change.
        let enum_values = match (branches::enum_values(old), branches::enum_values(new)) {
            (Some(old_values), Some(new_values)) if choice => Some((old_values, new_values)),
            _ => None,
        };
        for &(i, j) in &pairing.pairs {
            self.values_of_all_branches = enum_values.clone();
            self.compare(&old[i], &new[j], &format!("{at}/{j}"), field);
        }
        self.values_of_all_branches = None;
        let sends = self.side.sends();
        let sides = [
            (
                old,
                &pairing.removed,
                "removed",
                enum_values.as_ref().map(|v| &v.1),
            ),
            (
                new,
                &pairing.added,
                "added",
                enum_values.as_ref().map(|v| &v.0),
            ),
        ];
        for (list, unpaired, change, other_side) in sides {
            for &at_index in unpaired {
                let branch = &list[at_index];
                let values =
                    branches::enum_values(std::slice::from_ref(branch)).unwrap_or_default();
                if other_side.is_some_and(|all| !values.is_empty() && values.is_subset(all)) {
                    // Its values regrouped in the other version's branches.
                    continue;
                }
                let pointer = format!("{at}/{at_index}");
                let rule = match (choice, change, sends) {
                    (false, "removed", _) => {
                        self.compare_properties(branch, &Value::Null, &pointer, field);
                        continue;
                    }
                    (false, _, _) => {
                        self.compare_properties(&Value::Null, branch, &pointer, field);
                        continue;
                    }
                    (true, "removed", true) => rules::REQUEST_BRANCH_REMOVED,
                    (true, "removed", false) => rules::RESPONSE_BRANCH_REMOVED,
                    (true, _, true) => rules::REQUEST_BRANCH_ADDED,
                    (true, _, false) => rules::RESPONSE_BRANCH_ADDED,
                };
                let name = code(&branches::describe(branch));
                let message = format!("{subject}: `{combinator}` branch {name} was {change}");
                self.out.push(rule, pointer, message);
            }
        }
    }

    /// The values a `discriminator`'s mapping names, each a subtype.
    fn compare_discriminators(&mut self, old: &Value, new: &Value, pointer: &str, subject: &str) {
        let mapping = |schema: &'_ Value| {
            members(
                schema.get("discriminator").unwrap_or(&Value::Null),
                "mapping",
            )
            .into_keys()
            .cloned()
            .collect::<BTreeSet<String>>()
        };
        let (old_mapping, new_mapping) = (mapping(old), mapping(new));
        let (added, removed) = self.side.rules(
            (
                rules::REQUEST_DISCRIMINATOR_MAPPING_ADDED,
                rules::REQUEST_DISCRIMINATOR_MAPPING_REMOVED,
            ),
            (
                rules::RESPONSE_DISCRIMINATOR_MAPPING_ADDED,
                rules::RESPONSE_DISCRIMINATOR_MAPPING_REMOVED,
            ),
        );
        let at = |value: &str| format!("{pointer}/discriminator/mapping/{}", escape(value));
        for value in old_mapping.difference(&new_mapping) {
            let message = format!("{subject}: discriminator value {} was removed", code(value));
            self.out.push(removed, at(value), message);
        }
        for value in new_mapping.difference(&old_mapping) {
            let message = format!("{subject}: discriminator value {} was added", code(value));
            self.out.push(added, at(value), message);
        }
    }

    /// The values two schemas allow, when both list them; whether they do.
    fn compare_enums(
        &mut self,
        old: &Value,
        new: &Value,
        pointer: &str,
        subject: &str,
        values_of_all_branches: Option<(BTreeSet<String>, BTreeSet<String>)>,
    ) -> bool {
        let (Some((_, old_list)), Some((new_at, new_list))) =
            (allowed_values(old), allowed_values(new))
        else {
            return false;
        };
        let set = |list: &[&Value]| list.iter().map(|v| v.to_string()).collect::<BTreeSet<_>>();
        let (mut old_values, mut new_values) = (set(&old_list), set(&new_list));
        if let Some((all_old, all_new)) = values_of_all_branches {
            // Moved from or to another branch: still there.
            old_values.retain(|value| !all_new.contains(value) || new_values.contains(value));
            new_values.retain(|value| !all_old.contains(value) || old_values.contains(value));
        }
        let list = |values: &[&Value]| Value::Array(values.iter().map(|v| (*v).clone()).collect());
        let (before, after) = (list(&old_list), list(&new_list));
        let at = format!("{pointer}{new_at}");
        self.push_value_changes(
            old_values,
            new_values,
            &at,
            subject,
            Some(&before),
            Some(&after),
        );
        true
    }

    /// One finding for each value removed from or added to a set of
    /// allowed values at `at`, whose lists are `before` and `after`.
    fn push_value_changes(
        &mut self,
        old_values: BTreeSet<String>,
        new_values: BTreeSet<String>,
        at: &str,
        subject: &str,
        before: Option<&Value>,
        after: Option<&Value>,
    ) {
        let (added, removed) = self.side.rules(
            (
                rules::REQUEST_ENUM_VALUE_ADDED,
                rules::REQUEST_ENUM_VALUE_REMOVED,
            ),
            (
                rules::RESPONSE_ENUM_VALUE_ADDED,
                rules::RESPONSE_ENUM_VALUE_REMOVED,
            ),
        );
        for value in old_values.difference(&new_values) {
            let message = format!("{subject}: enum value {} was removed", code(value));
            self.out
                .push_values(removed, at.to_string(), message, before, after);
        }
        for value in new_values.difference(&old_values) {
            let message = format!("{subject}: enum value {} was added", code(value));
            self.out
                .push_values(added, at.to_string(), message, before, after);
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

    /// Properties by name. A side reads only the properties that travel
    /// its way: a request skips `readOnly` ones, an answer `writeOnly`
    /// ones, and a property that stops travelling one way is a change of
    /// its own.
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
        // The flag that keeps a property from travelling this way.
        let hidden_by = if sends { "readOnly" } else { "writeOnly" };
        let hidden = |property: &Value| property.get(hidden_by) == Some(&Value::Bool(true));
        for (name, old_property) in &old_properties {
            if hidden(old_property) {
                continue;
            }
            let at = format!("{pointer}/properties/{}", escape(name));
            match new_properties.get(name) {
                Some(new_property) if hidden(new_property) => {
                    let (rule, became) = if sends {
                        (rules::REQUEST_PROPERTY_BECAME_READ_ONLY, "read-only")
                    } else {
                        (rules::RESPONSE_PROPERTY_BECAME_WRITE_ONLY, "write-only")
                    };
                    let message = format!("{noun} `{}` became {became}", child(name));
                    self.out.push_values(
                        rule,
                        format!("{at}/{hidden_by}"),
                        message,
                        old_property.get(hidden_by),
                        new_property.get(hidden_by),
                    );
                }
                Some(_) => {}
                None => {
                    let rule = if sends {
                        rules::REQUEST_PROPERTY_REMOVED
                    } else {
                        rules::RESPONSE_PROPERTY_REMOVED
                    };
                    self.out
                        .push(rule, at, format!("{noun} `{}` was removed", child(name)));
                }
            }
        }
        for (name, new_property) in &new_properties {
            if hidden(new_property) {
                continue;
            }
            let at = format!("{pointer}/properties/{}", escape(name));
            let Some(old_property) = old_properties.get(name).filter(|p| !hidden(p)) else {
                let (rule, kind) = match (sends, required(new, name)) {
                    (true, true) => (rules::REQUEST_PROPERTY_ADDED_REQUIRED, "required "),
                    (true, false) => (rules::REQUEST_PROPERTY_ADDED_OPTIONAL, "optional "),
                    (false, _) => (rules::RESPONSE_PROPERTY_ADDED, ""),
                };
                let change = match old_properties.get(name) {
                    Some(_) if sends => "is no longer read-only",
                    Some(_) => "is no longer write-only",
                    None => "was added",
                };
                let message = format!("{kind}{noun} `{}` {change}", child(name));
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

/// The branches of `schema`'s `combinator`, none if it has none.
fn list<'v>(schema: &'v Value, combinator: &str) -> &'v [Value] {
    schema
        .get(combinator)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `type` with its `format`, such as `integer (int32)`; `any` when untyped.
fn type_of(schema: &Value) -> String {
    let kind = schema.get("type").and_then(Value::as_str).unwrap_or("any");
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{kind} ({format})"),
        None => kind.to_string(),
    }
}

/// The values a schema allows, and where they are written: its `enum`,
/// or a `oneOf` or `anyOf` of single values, an enum written so.
fn allowed_values(schema: &Value) -> Option<(&'static str, Vec<&Value>)> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Some(("/enum", values.iter().collect()));
    }
    ["oneOf", "anyOf"].into_iter().find_map(|combinator| {
        let branches = list(schema, combinator);
        let values = branches::single_values(branches).filter(|_| !branches.is_empty())?;
        Some((
            if combinator == "oneOf" {
                "/oneOf"
            } else {
                "/anyOf"
            },
            values,
        ))
    })
}
