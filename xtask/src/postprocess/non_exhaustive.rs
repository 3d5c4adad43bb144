//! Atlas adds response properties, optional request properties and enum
//! values without a new API version. In Rust's semver rules each of them
//! breaks a caller who builds the struct with a literal or matches the
//! enum exhaustively, so every struct and enum of `types` (typify's, the
//! open enums and the enums of discriminated schemas) is made
//! `#[non_exhaustive]`: outside the crate a struct is built with the
//! builder typify writes for it (`X::builder()`), and a `match` needs a
//! wildcard arm. Inside the crate nothing changes, so typify's
//! conversions between a builder and its struct compile as before.
//!
//! A pass, not a setting: progenitor 0.15 does not pass typify's
//! `with_attr` on, and its per-type patches reach only types named in
//! advance, not inline ones nor the enums post-processing writes.

use std::collections::HashSet;

use anyhow::{Result, bail};
use syn::{Attribute, Fields, ImplItem, Item, Visibility, parse_quote};

use super::syntax::type_name;

/// Marks every public enum, and every public struct with public named
/// fields, among `types` `#[non_exhaustive]`. Fails naming a struct that
/// has no `builder()`: callers outside the crate could not make it at all.
pub fn mark(types: &mut [Item]) -> Result<()> {
    let with_builder: HashSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Impl(i) if i.trait_.is_none() && has_builder_fn(&i.items) => {
                type_name(&i.self_ty).map(ToString::to_string)
            }
            _ => None,
        })
        .collect();
    for item in types {
        match item {
            Item::Struct(s) if is_pub(&s.vis) && has_public_named_fields(&s.fields) => {
                if !with_builder.contains(&s.ident.to_string()) {
                    bail!(
                        "struct `{}` has public fields and no `builder()`: marked \
                         #[non_exhaustive], it could not be built outside the crate",
                        s.ident
                    );
                }
                add_once(&mut s.attrs);
            }
            Item::Enum(e) if is_pub(&e.vis) => add_once(&mut e.attrs),
            _ => {}
        }
    }
    Ok(())
}

/// Whether `attrs` hold `#[non_exhaustive]`.
pub fn is_non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn add_once(attrs: &mut Vec<Attribute>) {
    if !is_non_exhaustive(attrs) {
        attrs.push(parse_quote!(#[non_exhaustive]));
    }
}

fn has_builder_fn(items: &[ImplItem]) -> bool {
    items.iter().any(|item| {
        matches!(item, ImplItem::Fn(f) if f.sig.ident == "builder" && is_pub(&f.vis) && f.sig.inputs.is_empty())
    })
}

fn has_public_named_fields(fields: &Fields) -> bool {
    matches!(fields, Fields::Named(named) if named.named.iter().any(|f| is_pub(&f.vis)))
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn items(code: proc_macro2::TokenStream) -> Vec<Item> {
        syn::parse2::<syn::File>(code).unwrap().items
    }

    fn marked(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::Struct(s) if is_non_exhaustive(&s.attrs) => Some(s.ident.to_string()),
                Item::Enum(e) if is_non_exhaustive(&e.attrs) => Some(e.ident.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn structs_with_a_builder_and_enums_are_marked_once() {
        let mut types = items(quote! {
            pub struct Snapshot { pub id: String }
            impl Snapshot { pub fn builder() -> builder::Snapshot { Default::default() } }
            #[non_exhaustive]
            pub enum Status { Ready, Unrecognized(String) }
            pub enum Kind { A(Snapshot) }
            pub struct SnapshotId(String);
            pub struct Opaque { id: String }
            enum Private { A }
        });
        mark(&mut types).unwrap();
        assert_eq!(marked(&types), ["Snapshot", "Status", "Kind"]);
        let status = match &types[2] {
            Item::Enum(e) => e,
            _ => unreachable!(),
        };
        let count = status
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("non_exhaustive"))
            .count();
        assert_eq!(count, 1);
    }

    #[test]
    fn a_struct_without_a_builder_is_refused() {
        let mut types = items(quote! {
            pub struct Snapshot { pub id: String }
            impl Snapshot { pub fn id(&self) -> &str { &self.id } }
        });
        let error = mark(&mut types).unwrap_err();
        assert_eq!(
            error.to_string(),
            "struct `Snapshot` has public fields and no `builder()`: marked #[non_exhaustive], \
             it could not be built outside the crate"
        );
    }
}
