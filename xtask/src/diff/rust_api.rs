//! What a spec change does to the crate's public Rust API: both versions
//! are generated as `cargo xtask regen` would, and their public items
//! ([`crate::public_api::public_items`]) compared line by line.
//!
//! Operation by operation: an operation one version cannot generate is
//! left out of both, and listed with the reason, while the others are
//! compared all the same. The operations are paired as the contract pairs
//! them ([`super::contract::pair_operations`]), so an operation whose
//! operationId changed is one renamed method (and builder), and the rest
//! of its items are compared under the new name.
//!
//! Levels: a removed or changed item is breaking; an item that became
//! deprecated is a warning, since it still compiles; an added item or one
//! no longer deprecated is info. That includes a variant added to an enum:
//! every generated enum is open (its `Unrecognized(String)` variant holds
//! what it does not list), so code that reads one already handles values
//! it has no variant for, and the value moving from `Unrecognized` to its
//! own variant is the contract's `response-enum-value-added` warning. A
//! renamed method is breaking. The release the change needs is judged
//! apart, by semver ([`super::verdict`]): there a variant added to an enum
//! callers can match exhaustively is major.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, Result};
use openapiv3::OpenAPI;
use serde::Serialize;

use super::contract::OperationName;
use super::rules::Level;
use super::shapes::Shapes;
use crate::adapt::Refused;
use crate::generate::schemas::RefusedSchema;
use crate::naming::{rust_builder_name, rust_method_name, rust_type_name};
use crate::pipeline::{GeneratedFile, Pipeline};
use crate::public_api;

/// The Rust API section of a report: the comparison, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum RustApi {
    Compared(ApiChanges),
    /// One side cannot be generated; the reason is one line.
    Unavailable {
        reason: String,
    },
}

impl RustApi {
    /// The levels of the changes, see the module documentation.
    pub fn levels(&self) -> Vec<Level> {
        match self {
            RustApi::Compared(api) => api.levels(),
            RustApi::Unavailable { .. } => Vec::new(),
        }
    }

    /// Whether both sides were generated and their APIs are the same.
    pub fn is_empty(&self) -> bool {
        matches!(self, RustApi::Compared(api) if api.is_empty())
    }
}

/// The public items that differ between two versions of the crate, each
/// list sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ApiChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Items with the same name and a different signature or type.
    pub changed: Vec<ChangedItem>,
    /// Items that became `#[deprecated]`, otherwise the same.
    pub deprecated: Vec<ChangedItem>,
    /// Items no longer `#[deprecated]`, otherwise the same.
    pub undeprecated: Vec<ChangedItem>,
    /// Methods renamed with the operationId of their operation, whose
    /// request stayed; their other items are compared under the new name.
    pub renamed: Vec<RenamedMethod>,
    /// Operations a version cannot generate, left out of the comparison.
    pub unavailable: Vec<UnavailableOperation>,
    /// Component schemas a version cannot generate, left out of the
    /// comparison with their types, and the operations that reach them
    /// with the operations (in `unavailable`).
    pub unavailable_schemas: Vec<UnavailableSchema>,
}

/// A component schema left out of the comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnavailableSchema {
    /// Its name under `#/components/schemas`.
    pub schema: String,
    /// `old`, `new`, or both, for the same reason.
    pub versions: Vec<&'static str>,
    /// Why, on one line.
    pub reason: String,
}

/// A method renamed, with its builder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenamedMethod {
    /// `GET /path`, in the new version.
    pub operation: String,
    pub old: String,
    pub new: String,
}

/// An operation left out of the comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnavailableOperation {
    /// `GET /path`, in the version that cannot generate it.
    pub operation: String,
    /// `old`, `new`, or both, for the same reason.
    pub versions: Vec<&'static str>,
    /// Why, on one line.
    pub reason: String,
}

/// One item whose line changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangedItem {
    pub old: String,
    pub new: String,
}

impl ApiChanges {
    /// Whether the public API is the same, every operation compared.
    pub fn is_empty(&self) -> bool {
        self.levels().is_empty()
            && self.unavailable.is_empty()
            && self.unavailable_schemas.is_empty()
    }

    /// The level of each kind of change present.
    pub fn levels(&self) -> Vec<Level> {
        [
            (self.removed.is_empty(), Level::Breaking),
            (self.changed.is_empty(), Level::Breaking),
            (self.renamed.is_empty(), Level::Breaking),
            (self.deprecated.is_empty(), Level::Warning),
            (self.added.is_empty(), Level::Info),
            (self.undeprecated.is_empty(), Level::Info),
        ]
        .into_iter()
        .filter(|(empty, _)| !empty)
        .map(|(_, level)| level)
        .collect()
    }
}

/// The public items of one version's client, their shapes, and the
/// operations it leaves out because it cannot generate them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionApi {
    pub items: Vec<String>,
    /// What semver asks of them beyond their lines, the mocks' extension
    /// trait included.
    pub shapes: Shapes,
    pub unavailable: Vec<Refused>,
    /// Component schemas it leaves out, with the schemas that reach them.
    pub unavailable_schemas: Vec<RefusedSchema>,
}

/// The public items of the client generated from `openapi`, which
/// [`crate::spec::check_for_generator`] has passed in its written form
/// `document`; `spec_path` names it. Generated through [`Pipeline`], as
/// regen generates it, with what regen refuses left out and listed
/// ([`Pipeline::into_public_client`]); an error when nothing can be
/// generated.
pub fn public_items_of(
    openapi: OpenAPI,
    document: &serde_json::Value,
    spec_path: &std::path::Path,
) -> Result<VersionApi> {
    let client =
        Pipeline::leaving_out_refused(openapi, document, spec_path)?.into_public_client()?;
    let mut shapes = Shapes::of(&client.file);
    shapes.extend(
        mock_extension(&client.operations).with_context(|| spec_path.display().to_string())?,
    );
    Ok(VersionApi {
        items: public_api::public_items(&client.file),
        shapes,
        unavailable: client.unavailable,
        unavailable_schemas: client.unavailable_schemas,
    })
}

/// The shapes of the mocks' extension trait: its declaration as the
/// mocks of a spec without operations have it, which no operation
/// changes, and a method for each of `operations`, named as its method on
/// `Client`, as progenitor writes one. Generating the whole mocks would
/// add a second typing of every schema to each side of the diff.
fn mock_extension(operations: &[crate::facts::OperationFacts]) -> Result<Shapes> {
    let empty = OpenAPI {
        openapi: "3.0.3".to_string(),
        ..OpenAPI::default()
    };
    let no_operations = std::path::Path::new("a spec without operations");
    let file = Pipeline::leaving_out_refused(empty, &serde_json::Value::Null, no_operations)?
        .generate(GeneratedFile::Mocks)?;
    let mut shapes = Shapes::of(&file);
    for extension in shapes.traits.values_mut() {
        extension.required_methods.extend(
            operations
                .iter()
                .map(|fact| rust_method_name(&fact.operation_id)),
        );
    }
    Ok(shapes)
}

/// Compares two versions' APIs, whose operations `pairs` pairs (see the
/// module documentation): the changes, and the shapes of the old and the
/// new version, named as the changes name their items and without what
/// they leave out, for the verdict to judge.
pub fn compare(
    old: &VersionApi,
    new: &VersionApi,
    pairs: &[(Option<OperationName>, Option<OperationName>)],
) -> (ApiChanges, [Shapes; 2]) {
    let refused = |api: &VersionApi, name: &Option<OperationName>| {
        name.as_ref()
            .is_some_and(|name| api.unavailable.iter().any(|r| r.operation == name.label))
    };
    let (mut old_names, mut new_names) = (Names::default(), Names::default());
    for schema in old
        .unavailable_schemas
        .iter()
        .chain(&new.unavailable_schemas)
    {
        old_names.leave_out_schema(&schema.schema);
        new_names.leave_out_schema(&schema.schema);
    }
    let mut renamed = Vec::new();
    for (old_name, new_name) in pairs {
        if refused(old, old_name) || refused(new, new_name) {
            old_names.leave_out(old_name);
            new_names.leave_out(new_name);
            continue;
        }
        if let (Some(from), Some(to)) = (old_name, new_name) {
            let (before, after) = (
                rust_method_name(&from.operation_id),
                rust_method_name(&to.operation_id),
            );
            if before != after {
                old_names.rename(&from.operation_id, &to.operation_id);
                renamed.push(RenamedMethod {
                    operation: to.label.clone(),
                    old: before,
                    new: after,
                });
            }
        }
    }
    old_names.leave_out_types(&old.items, &new.items);
    new_names.leave_out_types(&new.items, &old.items);
    let new_items: Vec<String> = new
        .items
        .iter()
        .filter(|item| !new_names.left_out(item))
        .cloned()
        .collect();
    old_names.rename_types_of_renamed(&old.items, &new_items);
    let old_items: Vec<String> = old
        .items
        .iter()
        .filter(|item| !old_names.left_out(item))
        .map(|item| old_names.renamed(item))
        .collect();
    let mut changes = compare_items(&old_items, &new_items);
    renamed.sort_by(|a, b| (&a.old, &a.operation).cmp(&(&b.old, &b.operation)));
    changes.renamed = renamed;
    changes.unavailable = unavailable(old, new);
    changes.unavailable_schemas = unavailable_schemas(old, new);
    let shapes = [old_names.shapes(&old.shapes), new_names.shapes(&new.shapes)];
    (changes, shapes)
}

/// The operations either version leaves out, one entry for both when they
/// give the same reason.
fn unavailable(old: &VersionApi, new: &VersionApi) -> Vec<UnavailableOperation> {
    let names = |api: &VersionApi| -> Vec<(String, String)> {
        (api.unavailable.iter())
            .map(|r| (r.operation.clone(), r.reason.clone()))
            .collect()
    };
    by_versions(names(old), names(new))
        .into_iter()
        .map(|(operation, versions, reason)| UnavailableOperation {
            operation,
            versions,
            reason,
        })
        .collect()
}

/// The schemas either version leaves out, likewise.
fn unavailable_schemas(old: &VersionApi, new: &VersionApi) -> Vec<UnavailableSchema> {
    let names = |api: &VersionApi| -> Vec<(String, String)> {
        (api.unavailable_schemas.iter())
            .map(|r| (r.schema.clone(), r.reason.clone()))
            .collect()
    };
    by_versions(names(old), names(new))
        .into_iter()
        .map(|(schema, versions, reason)| UnavailableSchema {
            schema,
            versions,
            reason,
        })
        .collect()
}

/// What the old and the new version leave out, `(what, why)`: one entry
/// `(what, versions, why)` for both when they give the same reason,
/// sorted.
fn by_versions(
    old: Vec<(String, String)>,
    new: Vec<(String, String)>,
) -> Vec<(String, Vec<&'static str>, String)> {
    let mut found: Vec<(String, Vec<&'static str>, String)> = Vec::new();
    for (version, left_out) in [("old", old), ("new", new)] {
        for (what, why) in left_out {
            match found.iter_mut().find(|(w, _, r)| *w == what && *r == why) {
                Some((_, versions, _)) => versions.push(version),
                None => found.push((what, vec![version], why)),
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The Rust names of operations in one version's items: those left out,
/// and the renamed ones with their new names.
#[derive(Default)]
struct Names {
    /// Methods, builders and types of operations left out.
    left_out_methods: BTreeSet<String>,
    left_out_builders: BTreeSet<String>,
    left_out_types: BTreeSet<String>,
    /// The types of schemas left out, which also start the names of the
    /// types typify makes of their inline schemas.
    left_out_schema_types: BTreeSet<String>,
    /// Old name to new, for methods, builders and the types named after
    /// an operation (`types::CreateThingBody`).
    methods: HashMap<String, String>,
    builders: HashMap<String, String>,
    types: HashMap<String, String>,
}

impl Names {
    fn leave_out(&mut self, name: &Option<OperationName>) {
        if let Some(name) = name {
            self.left_out_methods
                .insert(rust_method_name(&name.operation_id));
            self.left_out_builders
                .insert(rust_builder_name(&name.operation_id));
        }
    }

    fn leave_out_schema(&mut self, schema: &str) {
        self.left_out_schema_types.insert(rust_type_name(schema));
    }

    fn rename(&mut self, old_id: &str, new_id: &str) {
        self.methods
            .insert(rust_method_name(old_id), rust_method_name(new_id));
        self.builders
            .insert(rust_builder_name(old_id), rust_builder_name(new_id));
    }

    /// Leaves out the types named after an operation left out (its
    /// builder's name and more, such as `GetThingOrder`) that `items`
    /// have and the other version's do not.
    fn leave_out_types(&mut self, items: &[String], other_items: &[String]) {
        if self.left_out_builders.is_empty() && self.left_out_schema_types.is_empty() {
            return;
        }
        let others = types_in(other_items);
        let starts = |name: &str, prefix: &str| {
            name.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        };
        for name in types_in(items) {
            let of_left_out = self.left_out_builders.iter().any(|b| starts(&name, b))
                || (self.left_out_schema_types.iter())
                    .any(|schema| name == *schema || starts(&name, schema));
            if of_left_out && !others.contains(&name) {
                self.left_out_types.insert(name);
            }
        }
    }

    /// Adds the types named after a renamed operation (its builder's name
    /// and more, such as `CreateThingBody`) that the new items have under
    /// the new name, and not the old.
    fn rename_types_of_renamed(&mut self, old_items: &[String], new_items: &[String]) {
        if self.builders.is_empty() {
            return;
        }
        let (old_types, new_types) = (types_in(old_items), types_in(new_items));
        for name in &old_types {
            // Of the builders `name` starts with, the one whose new name
            // gives a type of the new items that is new, or that takes the
            // place of `name` there (two operations that swapped names).
            let renamed = self.builders.iter().find_map(|(from, to)| {
                let rest = name.strip_prefix(from.as_str())?;
                let renamed = format!("{to}{rest}");
                (rest.starts_with(|c: char| c.is_ascii_uppercase())
                    && new_types.contains(&renamed)
                    && (!new_types.contains(name) || !old_types.contains(&renamed)))
                .then_some(renamed)
            });
            if let Some(renamed) = renamed {
                self.types.insert(name.clone(), renamed);
            }
        }
    }

    /// `shapes` without those of operations left out, and with the
    /// names of renamed operations replaced.
    fn shapes(&self, shapes: &Shapes) -> Shapes {
        let kept = |path: &String| !self.left_out(path);
        Shapes {
            structs: (shapes.structs.iter())
                .filter(|(path, _)| kept(path))
                .map(|(path, shape)| (self.renamed(path), *shape))
                .collect(),
            enums: (shapes.enums.iter())
                .filter(|(path, _)| kept(path))
                .map(|(path, shape)| (self.renamed(path), *shape))
                .collect(),
            required: (shapes.required.iter())
                .filter(|path| kept(path))
                .map(|path| self.renamed(path))
                .collect(),
            traits: (shapes.traits.iter())
                .map(|(name, shape)| {
                    let mut shape = shape.clone();
                    shape.required_methods = (shape.required_methods.iter())
                        .filter(|method| !self.left_out_methods.contains(*method))
                        .map(|method| self.methods.get(method).unwrap_or(method).clone())
                        .collect();
                    (name.clone(), shape)
                })
                .collect(),
        }
    }

    /// Whether `item` belongs to an operation left out.
    fn left_out(&self, item: &str) -> bool {
        if self.left_out_builders.is_empty() && self.left_out_types.is_empty() {
            return false;
        }
        identifiers(item).any(|(place, name)| match place {
            Place::Client => self.left_out_methods.contains(name),
            Place::Builder => self.left_out_builders.contains(name),
            Place::Types | Place::Other => self.left_out_types.contains(name),
        })
    }

    /// `item` with the names of renamed operations replaced.
    fn renamed(&self, item: &str) -> String {
        if self.methods.is_empty() {
            return item.to_string();
        }
        let mut out = String::with_capacity(item.len());
        let mut written = 0;
        for (place, name) in identifiers(item) {
            // A type is named in `types::`, in a trait's arguments and
            // from `super::`: its name, unique to one version, is enough.
            let map = match place {
                Place::Client => &self.methods,
                Place::Builder => &self.builders,
                Place::Types | Place::Other => &self.types,
            };
            if let Some(new_name) = map.get(name) {
                let start = name.as_ptr() as usize - item.as_ptr() as usize;
                out.push_str(&item[written..start]);
                out.push_str(new_name);
                written = start + name.len();
            }
        }
        out.push_str(&item[written..]);
        out
    }
}

/// The names of the types `items` declare or name in `types::`.
fn types_in(items: &[String]) -> BTreeSet<String> {
    items
        .iter()
        .flat_map(|item| identifiers(item))
        .filter(|(place, _)| *place == Place::Types)
        .map(|(_, name)| name.to_string())
        .collect()
}

/// What the path before an identifier says it names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `Client::name`: an operation's method.
    Client,
    /// `builder::Name`, not `types::builder::Name`: an operation's builder.
    Builder,
    /// `types::Name`: a type of the schemas.
    Types,
    Other,
}

/// The identifiers of an item's line, each with what it names.
fn identifiers(item: &str) -> impl Iterator<Item = (Place, &str)> {
    // In an item of `types`, `builder::` is typify's `types::builder`.
    let in_types = owner(item).starts_with("types::");
    let starts = item
        .char_indices()
        .filter(|&(i, c)| {
            (c.is_alphanumeric() || c == '_')
                && !item[..i].ends_with(|p: char| p.is_alphanumeric() || p == '_')
        })
        .map(|(i, _)| i);
    starts.map(move |start| {
        let end = item[start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(item.len(), |end| start + end);
        let before = &item[..start];
        let place = if before.ends_with("Client::") {
            Place::Client
        } else if before.ends_with("types::builder::") || in_types && before.ends_with("builder::")
        {
            Place::Other
        } else if before.ends_with("builder::") {
            Place::Builder
        } else if before.ends_with("types::") {
            Place::Types
        } else {
            Place::Other
        };
        (place, &item[start..end])
    })
}

/// The path an item's line is about: `types::A` for `field types::A.id: T`,
/// `builder::B<'a>::send` for a function, `types::A` for `impl T for types::A`.
pub fn owner(item: &str) -> &str {
    let item = item.strip_prefix("async ").unwrap_or(item);
    match item.strip_prefix("impl ") {
        Some(rest) => rest.rsplit(" for ").next().unwrap_or(rest),
        None => item.split_once(' ').map_or(item, |(_, rest)| rest),
    }
}

/// Compares two lists of public items: an item whose name is on both
/// sides with different lines is changed, the rest added or removed.
pub fn compare_items(old: &[String], new: &[String]) -> ApiChanges {
    let by_name = |items: &[String]| -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in items {
            map.entry(name_of(item)).or_default().push(item.clone());
        }
        map
    };
    let (old_items, new_items) = (by_name(old), by_name(new));
    let mut changes = ApiChanges::default();
    for (name, old_lines) in &old_items {
        let new_lines = new_items.get(name).map(Vec::as_slice).unwrap_or_default();
        match (old_lines.as_slice(), new_lines) {
            ([a], [b]) if a != b => {
                let item = ChangedItem {
                    old: a.clone(),
                    new: b.clone(),
                };
                let list = match (is_deprecated(a), is_deprecated(b)) {
                    (false, true) if b.strip_suffix(DEPRECATED) == Some(a) => {
                        &mut changes.deprecated
                    }
                    (true, false) if a.strip_suffix(DEPRECATED) == Some(b) => {
                        &mut changes.undeprecated
                    }
                    _ => &mut changes.changed,
                };
                list.push(item);
            }
            _ => changes.removed.extend(
                old_lines
                    .iter()
                    .filter(|line| !new_lines.contains(line))
                    .cloned(),
            ),
        }
    }
    for (name, new_lines) in &new_items {
        let old_lines = old_items.get(name).map(Vec::as_slice).unwrap_or_default();
        if matches!((old_lines, new_lines.as_slice()), ([_], [_])) {
            continue;
        }
        changes.added.extend(
            new_lines
                .iter()
                .filter(|line| !old_lines.contains(line))
                .cloned(),
        );
    }
    changes.added.sort();
    changes.removed.sort();
    changes
}

/// How [`public_api::public_items`] marks a deprecated item.
const DEPRECATED: &str = " #[deprecated]";

fn is_deprecated(item: &str) -> bool {
    item.ends_with(DEPRECATED)
}

/// The part of an item's line that names it: a field without its type, a
/// function without its generics and signature, a variant without its
/// payload, a type without `#[deprecated]`.
pub fn name_of(item: &str) -> String {
    let item = item.strip_prefix("async ").unwrap_or(item);
    let item = item.strip_suffix(DEPRECATED).unwrap_or(item);
    if item.starts_with("field ") {
        return item
            .split_once(": ")
            .map_or(item, |(name, _)| name)
            .to_string();
    }
    let (keyword, rest) = item.split_once(' ').unwrap_or((item, ""));
    let end = match keyword {
        "fn" => rest.find('('),
        "variant" => rest.find(['(', ' ', '{']),
        _ => return item.to_string(),
    };
    let name = &rest[..end.unwrap_or(rest.len())];
    format!("{keyword} {}", strip_trailing_generics(name))
}

/// `fn a::b<V>` without `<V>`.
fn strip_trailing_generics(head: &str) -> &str {
    if !head.ends_with('>') {
        return head;
    }
    let mut depth = 0;
    for (i, c) in head.char_indices().rev() {
        match c {
            '>' => depth += 1,
            '<' => {
                depth -= 1;
                if depth == 0 {
                    return &head[..i];
                }
            }
            _ => {}
        }
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of the whole client and of the cut one, for the spec at
    /// `path`; `None` when the generator refuses it.
    fn both_ways(path: &std::path::Path) -> Option<(Vec<String>, Vec<String>)> {
        let pipeline = Pipeline::load(path, "spec").ok()?;
        let whole = pipeline.generate(GeneratedFile::Client).ok()?;
        let spec = crate::spec::load(path).unwrap();
        let cut = public_items_of(spec.openapi, &spec.document, path).unwrap();
        assert!(cut.unavailable.is_empty(), "{cut:?}");
        Some((public_api::public_items(&whole), cut.items))
    }

    #[test]
    fn the_cut_code_has_the_public_items_of_the_whole() {
        let root = crate::workspace_root();
        let (whole, cut) = both_ways(&root.join(crate::SPEC_PATH)).unwrap();
        assert!(whole.len() > 500, "{}", whole.len());
        assert_eq!(cut, whole);
        // Every pair of the diff corpus, for the shapes the spec lacks.
        let mut compared = 0;
        for case in std::fs::read_dir(root.join("tests/diff-corpus")).unwrap() {
            for side in ["old.yaml", "new.yaml"] {
                let path = case.as_ref().unwrap().path().join(side);
                if let Some((whole, cut)) = both_ways(&path) {
                    assert_eq!(cut, whole, "{}", path.display());
                    compared += 1;
                }
            }
        }
        assert!(compared > 100, "{compared}");
    }

    #[test]
    fn names_leave_out_types_signatures_and_attributes() {
        assert_eq!(
            name_of("field types::A.id: Option<String>"),
            "field types::A.id"
        );
        assert_eq!(
            name_of("fn builder::G<'a>::group_id<V>(mut self, value: V) -> Self where V: X"),
            "fn builder::G<'a>::group_id"
        );
        assert_eq!(
            name_of("async fn builder::G<'a>::send(self) -> Result<()>"),
            "fn builder::G<'a>::send"
        );
        assert_eq!(
            name_of("variant types::S::Failed"),
            "variant types::S::Failed"
        );
        assert_eq!(
            name_of("variant types::S::Other(String)"),
            "variant types::S::Other"
        );
        assert_eq!(
            name_of("variant types::S::Kind{ name: String }"),
            "variant types::S::Kind"
        );
        assert_eq!(name_of("struct Client #[deprecated]"), "struct Client");
    }

    #[test]
    fn deprecation_alone_is_its_own_change() {
        let old = [
            "fn C::a(&self)",
            "fn C::b(&self) #[deprecated]",
            "fn C::c(&self)",
        ]
        .map(String::from);
        let new = [
            "fn C::a(&self) #[deprecated]",
            "fn C::b(&self)",
            "fn C::c(&self, x: u8) #[deprecated]",
        ]
        .map(String::from);
        let changes = compare_items(&old, &new);
        let item = |old: &str, new: &str| ChangedItem {
            old: old.into(),
            new: new.into(),
        };
        assert_eq!(changes.deprecated, [item(&old[0], &new[0])]);
        assert_eq!(changes.undeprecated, [item(&old[1], &new[1])]);
        assert_eq!(changes.changed, [item(&old[2], &new[2])]);
        assert_eq!(
            changes.levels(),
            [Level::Breaking, Level::Warning, Level::Info]
        );
    }

    #[test]
    fn same_name_with_another_line_is_a_change() {
        let old = ["field A.x: i64", "field A.y: String", "struct A"].map(String::from);
        let new = ["field A.x: Option<i64>", "field A.z: String", "struct A"].map(String::from);
        let changes = compare_items(&old, &new);
        assert_eq!(changes.added, ["field A.z: String"]);
        assert_eq!(changes.removed, ["field A.y: String"]);
        assert_eq!(
            changes.changed,
            [ChangedItem {
                old: "field A.x: i64".into(),
                new: "field A.x: Option<i64>".into()
            }]
        );
    }
}
