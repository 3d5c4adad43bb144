//! What Rust's semver rules ask of generated code beyond its item lines
//! ([`crate::public_api`]): whether callers can build a struct with a
//! literal, match an enum exhaustively or implement a trait, and which
//! values a builder requires. Read from the generated items themselves
//! (attributes, field visibility, supertraits, the builders' initial
//! values), never assumed, so that the verdict ([`super::verdict`])
//! follows the generator as it changes.

use std::collections::{BTreeMap, BTreeSet};

use syn::{Expr, Fields, ImplItem, Item, TraitItem, Visibility};

/// The shapes of one version's public types, keyed by their path as the
/// item lines write it (`types::Thing`, `builder::GetThing`,
/// `MockServerExt`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shapes {
    pub structs: BTreeMap<String, StructShape>,
    /// Each public enum, and whether it is `#[non_exhaustive]`.
    pub enums: BTreeMap<String, bool>,
    pub traits: BTreeMap<String, TraitShape>,
    /// The values a builder requires before it builds: `builder::GetThing.group_id`
    /// (an operation's builder, set in its `new`), `types::builder::Thing.name`
    /// (typify's, set in its `Default`), each initially an `Err`.
    pub required: BTreeSet<String>,
}

/// A public struct.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StructShape {
    pub non_exhaustive: bool,
    /// Whether every field is public (a unit struct's too).
    pub fields_public: bool,
}

impl StructShape {
    /// Whether code outside the crate can write it as a literal, and so
    /// breaks when a field is added.
    pub fn buildable(self) -> bool {
        self.fields_public && !self.non_exhaustive
    }
}

/// A public trait.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraitShape {
    /// Whether callers cannot implement it: a supertrait they cannot name.
    pub sealed: bool,
    /// Its methods without a default body, which an implementation must
    /// write.
    pub required_methods: BTreeSet<String>,
}

impl Shapes {
    /// The shapes of the public items of `file`.
    pub fn of(file: &syn::File) -> Shapes {
        let mut shapes = Shapes::default();
        let private = private_paths(&file.items, "");
        collect(&file.items, "", &private, &mut shapes);
        shapes
    }

    /// `other`'s shapes added to these.
    pub fn extend(&mut self, other: Shapes) {
        self.structs.extend(other.structs);
        self.enums.extend(other.enums);
        self.traits.extend(other.traits);
        self.required.extend(other.required);
    }
}

fn collect(items: &[Item], prefix: &str, private: &BTreeSet<String>, shapes: &mut Shapes) {
    for item in items {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, items)) = &m.content {
                    collect(items, &format!("{prefix}{}::", m.ident), private, shapes);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let fields_public = match &s.fields {
                    Fields::Named(f) => f.named.iter().all(|f| is_pub(&f.vis)),
                    Fields::Unnamed(f) => f.unnamed.iter().all(|f| is_pub(&f.vis)),
                    Fields::Unit => true,
                };
                let shape = StructShape {
                    non_exhaustive: is_non_exhaustive(&s.attrs),
                    fields_public,
                };
                shapes.structs.insert(format!("{prefix}{}", s.ident), shape);
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let name = format!("{prefix}{}", e.ident);
                shapes.enums.insert(name, is_non_exhaustive(&e.attrs));
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                let sealed = t.supertraits.iter().any(|bound| match bound {
                    syn::TypeParamBound::Trait(bound) => {
                        is_unnameable(&bound.path, prefix, private)
                    }
                    _ => false,
                });
                let required_methods = t
                    .items
                    .iter()
                    .filter_map(|item| match item {
                        TraitItem::Fn(f) if f.default.is_none() => Some(f.sig.ident.to_string()),
                        _ => None,
                    })
                    .collect();
                let shape = TraitShape {
                    sealed,
                    required_methods,
                };
                shapes.traits.insert(format!("{prefix}{}", t.ident), shape);
            }
            Item::Impl(i) => {
                let Some(owner) = crate::postprocess::syntax::type_name(&i.self_ty) else {
                    continue;
                };
                for f in i.items.iter().filter_map(|item| match item {
                    ImplItem::Fn(f) if f.sig.ident == "new" || f.sig.ident == "default" => Some(f),
                    _ => None,
                }) {
                    for field in initially_missing(&f.block) {
                        shapes.required.insert(format!("{prefix}{owner}.{field}"));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The fields that the `Self { … }` a constructor ends with starts as
/// `Err(…)`: values the builder requires.
fn initially_missing(block: &syn::Block) -> Vec<String> {
    let Some(syn::Stmt::Expr(Expr::Struct(literal), None)) = block.stmts.last() else {
        return Vec::new();
    };
    literal
        .fields
        .iter()
        .filter(|field| {
            matches!(&field.expr, Expr::Call(call)
                if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("Err")))
        })
        .filter_map(|field| match &field.member {
            syn::Member::Named(ident) => Some(ident.to_string()),
            syn::Member::Unnamed(_) => None,
        })
        .collect()
}

/// The paths of the modules and traits of `items` that code outside the
/// crate cannot name: not `pub`, or inside a module that is not.
fn private_paths(items: &[Item], prefix: &str) -> BTreeSet<String> {
    let mut private = BTreeSet::new();
    for item in items {
        match item {
            Item::Mod(m) => {
                let path = format!("{prefix}{}", m.ident);
                if is_pub(&m.vis) {
                    if let Some((_, items)) = &m.content {
                        private.extend(private_paths(items, &format!("{path}::")));
                    }
                } else {
                    private.insert(path);
                }
            }
            Item::Trait(t) if !is_pub(&t.vis) => {
                private.insert(format!("{prefix}{}", t.ident));
            }
            _ => {}
        }
    }
    private
}

/// Whether the supertrait `path`, named in the module `prefix`, is one
/// callers cannot name, so that they cannot implement the trait: declared
/// in this file where they cannot reach it, or named in the manner of a
/// seal kept elsewhere (a module `sealed` or `private`, a trait `Sealed`).
fn is_unnameable(path: &syn::Path, prefix: &str, private: &BTreeSet<String>) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let conventional = segments.iter().enumerate().any(|(i, s)| {
        s == "Sealed" || (i + 1 < segments.len() && (s == "sealed" || s == "private"))
    });
    if conventional {
        return true;
    }
    // A path relative to the module it is named in: each of its leading
    // segments in turn may be a private module or trait.
    (1..=segments.len()).any(|n| private.contains(&format!("{prefix}{}", segments[..n].join("::"))))
}

fn is_non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_callers_can_build_match_and_implement() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Open { pub a: u8 }
                #[non_exhaustive]
                pub struct Closed { pub a: u8 }
                pub struct Hidden { a: u8 }
                pub struct Newtype(String);
                pub enum Matched { A }
                #[derive(Debug)]
                #[non_exhaustive]
                pub enum Unmatched { A }
                pub mod builder {
                    pub struct Thing { name: Result<String, String>, note: Result<Option<String>, String> }
                    impl Default for Thing {
                        fn default() -> Self {
                            Self { name: Err("name is required".to_string()), note: Ok(Default::default()) }
                        }
                    }
                }
            }
            pub mod builder {
                pub struct GetThing<'a> { client: &'a Client, id: Result<String, String> }
                impl<'a> GetThing<'a> {
                    pub fn new(client: &'a Client) -> Self {
                        Self { client: client, id: Err("id is required".to_string()) }
                    }
                }
            }
            pub trait Open { fn a(&self); fn b(&self) {} }
            pub trait SealedHere: seal::Seal { fn a(&self); }
            pub trait SealedElsewhere: crate::mock::sealed::Sealed {}
            mod seal { pub trait Seal {} }
        };
        let shapes = Shapes::of(&file);
        let shape = |name: &str| shapes.structs[name];
        assert!(shape("types::Open").buildable());
        assert!(!shape("types::Closed").buildable());
        assert!(shape("types::Closed").non_exhaustive);
        assert!(!shape("types::Hidden").buildable());
        assert!(!shape("types::Newtype").buildable());
        assert!(!shape("builder::GetThing").buildable());
        assert!(!shapes.enums["types::Matched"]);
        assert!(shapes.enums["types::Unmatched"]);
        assert_eq!(
            shapes.required.iter().collect::<Vec<_>>(),
            ["builder::GetThing.id", "types::builder::Thing.name"]
        );
        let open = &shapes.traits["Open"];
        assert!(!open.sealed);
        assert_eq!(open.required_methods.iter().collect::<Vec<_>>(), ["a"]);
        assert!(shapes.traits["SealedHere"].sealed);
        assert!(shapes.traits["SealedElsewhere"].sealed);
        assert!(!shapes.traits.contains_key("seal::Seal"));
    }
}
