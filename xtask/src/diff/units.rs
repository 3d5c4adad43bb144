//! The public items of a Rust API change grouped as a reviewer reads
//! them: by the operation whose method or builder they belong to, and by
//! the type of the schemas whose field, variant, builder or trait
//! implementation they are. An operation or a type that comes or goes is
//! one entry of the reports people read, with its items folded into it.

use std::collections::{BTreeSet, HashMap};

use super::rust_api::owner;

/// What an item belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// An operation, by its method on `Client` (or the builder's name,
    /// where the method is not among the items read).
    Operation(String),
    /// A type of `types`, by its name.
    Type(String),
}

/// The units of one version's items: which builder each method returns,
/// and which types they declare.
#[derive(Debug, Default)]
pub struct Units {
    /// Builder name to the method of `Client` that returns it.
    builders: HashMap<String, String>,
    /// The names of the types declared.
    types: BTreeSet<String>,
}

impl Units {
    pub fn new<'a>(items: impl IntoIterator<Item = &'a String>) -> Units {
        let mut units = Units::default();
        for item in items {
            match declaration(item) {
                Some(Unit::Operation(method)) => {
                    if let Some(builder) = returned_builder(item) {
                        units.builders.insert(builder.to_string(), method);
                    }
                }
                Some(Unit::Type(name)) => {
                    units.types.insert(name);
                }
                None => {}
            }
        }
        units
    }

    /// The unit `item` belongs to, if any: a method, the builder it
    /// returns and that builder's items are the operation's; a type, its
    /// fields, variants, methods, typify's builder of it and the trait
    /// implementations naming it are the type's.
    pub fn of(&self, item: &str) -> Option<Unit> {
        if let Some(unit) = declaration(item) {
            return Some(unit);
        }
        let owner = owner(item);
        // A trait implemented in `builder` for a type of `types`.
        let owner = owner
            .strip_prefix("builder::types::")
            .map_or(owner, |_| &owner["builder::".len()..]);
        let is_impl = item.starts_with("impl ");
        if let Some(rest) = owner
            .strip_prefix("types::builder::")
            .or_else(|| owner.strip_prefix("types::"))
        {
            let name = leading_identifier(rest);
            // `impl From<A> for String` in `types` reads `for types::String`.
            if !name.is_empty() && (!is_impl || self.types.contains(name)) {
                return Some(Unit::Type(name.to_string()));
            }
        } else if let Some(rest) = owner.strip_prefix("builder::") {
            let builder = leading_identifier(rest);
            return Some(match self.builders.get(builder) {
                Some(method) => Unit::Operation(method.clone()),
                None => Unit::Operation(builder.to_string()),
            });
        }
        // A trait implementation for a type of the standard library,
        // such as `impl From<GroupId> for String`: the type it names.
        if is_impl {
            return item
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .find(|word| self.types.contains(*word))
                .map(|name| Unit::Type(name.to_string()));
        }
        None
    }
}

/// The unit `item` declares: `fn Client::name(…)` an operation's (or a
/// waiter's) method, `struct types::A` or `enum types::A` a type.
pub fn declaration(item: &str) -> Option<Unit> {
    let item = item.strip_prefix("async ").unwrap_or(item);
    if let Some(rest) = item.strip_prefix("fn Client::") {
        return Some(Unit::Operation(leading_identifier(rest).to_string()));
    }
    let item = item.strip_suffix(" #[deprecated]").unwrap_or(item);
    let name = item
        .strip_prefix("struct types::")
        .or_else(|| item.strip_prefix("enum types::"))?;
    (!name.contains("::")).then(|| Unit::Type(name.to_string()))
}

impl Unit {
    /// How a report names it: `method_name` or `TypeName`.
    pub fn name(&self) -> &str {
        match self {
            Unit::Operation(name) | Unit::Type(name) => name,
        }
    }
}

/// `items` without those that belong to a unit whose declaration is
/// among them: an operation or a type added or removed is its one line.
pub fn folded(items: &[String]) -> Vec<&String> {
    let units = Units::new(items);
    let declared: BTreeSet<Unit> = items.iter().filter_map(|item| declaration(item)).collect();
    items
        .iter()
        .filter(|item| {
            declaration(item).is_some()
                || units.of(item).is_none_or(|unit| !declared.contains(&unit))
        })
        .collect()
}

/// `B` of `fn Client::m(&self) -> builder::B<'_>`.
fn returned_builder(item: &str) -> Option<&str> {
    let (_, rest) = item.rsplit_once("-> builder::")?;
    Some(leading_identifier(rest))
}

fn leading_identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_belong_to_their_operation_or_type() {
        let items = [
            "fn Client::get_thing(&self) -> builder::GetThing<'_>",
            "struct types::Thing",
            "struct types::GroupId",
        ]
        .map(String::from);
        let units = Units::new(&items);
        let operation = Some(Unit::Operation("get_thing".into()));
        let thing = Some(Unit::Type("Thing".into()));
        for (item, unit) in [
            (items[0].as_str(), &operation),
            ("struct builder::GetThing", &operation),
            (
                "async fn builder::GetThing<'a>::send(self) -> Result<()>",
                &operation,
            ),
            (
                "impl crate::paging::PagedRequest for builder::GetThing<'_>",
                &operation,
            ),
            ("field types::Thing.id: String", &thing),
            ("variant types::Thing::Other(String)", &thing),
            (
                "fn types::builder::Thing::id<T>(mut self, value: T) -> Self",
                &thing,
            ),
            ("struct types::builder::Thing", &thing),
            ("impl ::std::fmt::Display for types::Thing", &thing),
            ("impl crate::paging::Page for builder::types::Thing", &thing),
            ("#[non_exhaustive] types::Thing", &thing),
            (
                "impl ::std::convert::From<GroupId> for types::::std::string::String",
                &Some(Unit::Type("GroupId".into())),
            ),
            ("mod types", &None),
        ] {
            assert_eq!(&units.of(item), unit, "{item}");
        }
        assert_eq!(
            units.of("fn builder::Other<'a>::send(self)"),
            Some(Unit::Operation("Other".into()))
        );
        assert_eq!(declaration("struct types::builder::Thing"), None);
        assert_eq!(declaration("enum types::Thing #[deprecated]"), thing);
    }
}
