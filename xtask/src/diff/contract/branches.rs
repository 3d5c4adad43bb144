//! The branches of a `oneOf`, `anyOf` or `allOf` paired by what they are,
//! never by their place in the list: inserting a branch moves every one
//! after it, and pairing by place would compare each with its neighbour.
//!
//! A branch written as a `$ref` (kept by
//! [`crate::raw::resolve::resolve_refs_keeping_names`]) is the schema it
//! names: it pairs with the branch naming the same schema, or with one of
//! the same content. The rest pair by likeness: the share of what they
//! have in common (title, enum values, property names) of all they have,
//! most alike first.

use std::collections::BTreeSet;

use serde_json::Value;

/// How the branches of two versions of one list pair up, by index.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pairing {
    /// `(old, new)`, in the order of the new list.
    pub pairs: Vec<(usize, usize)>,
    /// Old branches with no new one.
    pub removed: Vec<usize>,
    /// New branches with no old one.
    pub added: Vec<usize>,
}

/// Pairs the branches of `old` with those of `new`.
pub fn pair(old: &[Value], new: &[Value]) -> Pairing {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // The same schema by name, then the same content under any name.
    let same_name = |a: &Value, b: &Value| name(a).is_some() && name(a) == name(b);
    for same in [same_name as fn(&Value, &Value) -> bool, same_content] {
        for (j, branch) in new.iter().enumerate() {
            let free = |i: usize| !pairs.iter().any(|&(a, b)| a == i || b == j);
            if let Some(i) = (0..old.len()).find(|&i| free(i) && same(&old[i], branch)) {
                pairs.push((i, j));
            }
        }
    }
    // Then likeness, among branches of which one at least is written
    // inline: two different names are two different schemas.
    let old_left = unpaired(old.len(), &pairs, |p| p.0);
    let new_left = unpaired(new.len(), &pairs, |p| p.1);
    let old_features: Vec<BTreeSet<String>> = old_left.iter().map(|&i| features(&old[i])).collect();
    let new_features: Vec<BTreeSet<String>> = new_left.iter().map(|&j| features(&new[j])).collect();
    let mut candidates = Vec::new();
    for (a, &i) in old_left.iter().enumerate() {
        for (b, &j) in new_left.iter().enumerate() {
            let named_apart = name(&old[i]).is_some() && name(&new[j]).is_some();
            if named_apart || kind(&old[i]) != kind(&new[j]) {
                continue;
            }
            let shared = old_features[a].intersection(&new_features[b]).count();
            if shared == 0 {
                continue;
            }
            let all = old_features[a].len() + new_features[b].len() - shared;
            // Most alike first; among equals, the nearest in the lists.
            candidates.push((
                shared * 1_000_000 / all,
                std::cmp::Reverse(i.abs_diff(j)),
                i,
                j,
            ));
        }
    }
    candidates.sort_by(|x, y| y.cmp(x));
    for (_, _, i, j) in candidates {
        if !pairs.iter().any(|&(a, b)| a == i || b == j) {
            pairs.push((i, j));
        }
    }
    pairs.sort_by_key(|&(_, j)| j);
    Pairing {
        removed: unpaired(old.len(), &pairs, |p| p.0),
        added: unpaired(new.len(), &pairs, |p| p.1),
        pairs,
    }
}

/// The indices below `len` that no pair holds on the side `side` reads.
fn unpaired(
    len: usize,
    pairs: &[(usize, usize)],
    side: fn(&(usize, usize)) -> usize,
) -> Vec<usize> {
    (0..len)
        .filter(|at| !pairs.iter().map(side).any(|taken| taken == *at))
        .collect()
}

/// The `$ref` a branch was written as.
fn name(branch: &Value) -> Option<&str> {
    branch.get("$ref").and_then(Value::as_str)
}

/// Whether two branches are the same schema, whatever they are named.
fn same_content(a: &Value, b: &Value) -> bool {
    match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            let keys =
                |map: &serde_json::Map<String, Value>| map.keys().filter(|k| *k != "$ref").count();
            keys(a) == keys(b)
                && a.iter()
                    .filter(|(k, _)| *k != "$ref")
                    .all(|(k, v)| b.get(k) == Some(v))
        }
        _ => a == b,
    }
}

/// The `type`, which two branches must share to pair by likeness.
fn kind(branch: &Value) -> Option<&str> {
    branch.get("type").and_then(Value::as_str)
}

/// What likeness is measured on: the title, each enum value, each
/// property and the value of each property that allows one value only
/// (a discriminator's).
fn features(branch: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    if let Some(title) = branch.get("title").and_then(Value::as_str) {
        found.insert(format!("title {title}"));
    }
    for value in branch
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        found.insert(format!("value {value}"));
    }
    for (property, schema) in branch
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        found.insert(format!("property {property}"));
        if let Some([only]) = schema
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            found.insert(format!("property {property} = {only}"));
        }
    }
    found
}

/// How a message names a branch: the schema it names, its title, or its
/// type and first values.
pub fn describe(branch: &Value) -> String {
    if let Some(reference) = name(branch) {
        return reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
    }
    if let Some(title) = branch.get("title").and_then(Value::as_str) {
        return format!("\"{title}\"");
    }
    let kind = kind(branch).unwrap_or("any");
    match branch.get("enum").and_then(Value::as_array) {
        Some(values) => {
            let shown: Vec<String> = values.iter().take(3).map(Value::to_string).collect();
            let more = if values.len() > 3 { ", …" } else { "" };
            format!("{kind} [{}{more}]", shown.join(", "))
        }
        None => kind.to_string(),
    }
}

/// The value each branch allows, if each allows one only: an enum
/// written as a `oneOf` of single values.
pub fn single_values(branches: &[Value]) -> Option<Vec<&Value>> {
    branches.iter().map(single_value).collect()
}

/// The one value a branch allows (`enum` of one value), if it allows one
/// only and constrains nothing else a client would read.
fn single_value(branch: &Value) -> Option<&Value> {
    let object = branch.as_object()?;
    let shaped = ["properties", "items", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|key| object.contains_key(*key));
    match object.get("enum")?.as_array()?.as_slice() {
        [only] if !shaped => Some(only),
        _ => None,
    }
}

/// The values of each branch that is an enum and nothing more: all of
/// them, or `None` if one branch is something else.
pub fn enum_values(branches: &[Value]) -> Option<BTreeSet<String>> {
    let mut values = BTreeSet::new();
    for branch in branches {
        let object = branch.as_object()?;
        let shaped = ["properties", "items", "oneOf", "anyOf", "allOf"]
            .iter()
            .any(|key| object.contains_key(*key));
        if shaped {
            return None;
        }
        values.extend(object.get("enum")?.as_array()?.iter().map(Value::to_string));
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn values(title: &str, values: &[&str]) -> Value {
        json!({"type": "string", "title": title, "enum": values})
    }

    #[test]
    fn an_inserted_branch_moves_none_of_the_others() {
        let old = [values("A", &["a1", "a2"]), values("C", &["c1"])];
        let new = [
            values("A", &["a1", "a2"]),
            values("B", &["b1"]),
            values("C", &["c1", "c2"]),
        ];
        assert_eq!(
            pair(&old, &new),
            Pairing {
                pairs: vec![(0, 0), (1, 2)],
                removed: vec![],
                added: vec![1],
            }
        );
    }

    #[test]
    fn named_branches_pair_by_name_or_content_and_never_by_likeness() {
        let thing = |name: &str, size: &str| {
            json!({"$ref": format!("#/components/schemas/{name}"), "type": "object",
                "properties": {"id": {"type": "string"}, "size": {"type": size}}})
        };
        let old = [
            thing("Aws", "integer"),
            thing("Azure", "integer"),
            thing("Gcp", "string"),
        ];
        let new = [
            thing("Gcp", "integer"),
            thing("AzureRenamed", "integer"),
            thing("Aws", "integer"),
        ];
        let pairing = pair(&old, &new);
        assert_eq!(pairing.pairs, vec![(2, 0), (1, 1), (0, 2)]);
        let old = [thing("Aws", "integer")];
        let new = [thing("Gcp", "string")];
        assert_eq!(
            pair(&old, &new),
            Pairing {
                pairs: vec![],
                removed: vec![0],
                added: vec![0],
            }
        );
    }

    #[test]
    fn alike_branches_pair_most_alike_first() {
        // Two branches of one title, told apart by their values.
        let old = [values("T", &["a", "b"]), values("T", &["x", "y"])];
        let new = [values("T", &["x", "y", "z"]), values("T", &["a"])];
        assert_eq!(pair(&old, &new).pairs, vec![(1, 0), (0, 1)]);
        // Nothing in common: no pair.
        let unrelated = [values("U", &["q"])];
        assert_eq!(pair(&old[..1], &unrelated).pairs, vec![]);
    }

    #[test]
    fn branches_are_named_for_the_reader() {
        assert_eq!(
            describe(&json!({"$ref": "#/components/schemas/Aws"})),
            "Aws"
        );
        assert_eq!(describe(&values("AWS Regions", &["a"])), "\"AWS Regions\"");
        assert_eq!(
            describe(&json!({"type": "string", "enum": ["a", "b", "c", "d"]})),
            "string [\"a\", \"b\", \"c\", …]"
        );
    }
}
