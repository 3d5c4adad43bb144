//! Strings Atlas sends are taken as sent. typify checks a `pattern` both
//! when a caller builds a value and when a response is decoded, so one odd
//! `mongodVersion` would fail a whole page of snapshots. Decoding keeps the
//! check out; building a value from a string (`parse`, `try_from`, the
//! builders' setters) still enforces it, so bad input never reaches Atlas.

use std::collections::HashSet;

use anyhow::{Result, bail};
use syn::{Fields, Item, ItemImpl, Visibility, parse_quote};

use super::syntax::type_name;

/// Makes the `Deserialize` of every constrained string newtype accept any
/// string. Fails when such a newtype, whose field typify keeps private so
/// that only a checked value gets in, has no `Deserialize` of its own to
/// replace.
pub fn accept_as_sent(types: &mut [Item]) -> Result<()> {
    // A set: a large spec has hundreds of newtypes among thousands of items.
    let newtypes: HashSet<syn::Ident> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if is_string_newtype(&s.fields) => Some(s.ident.clone()),
            _ => None,
        })
        .collect();
    let mut unreplaced: HashSet<&syn::Ident> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if newtypes.contains(&s.ident) && is_private_field(&s.fields) => {
                Some(&s.ident)
            }
            _ => None,
        })
        .collect();
    for item in types.iter() {
        if let Item::Impl(i) = item
            && is_deserialize_of(i, &newtypes)
            && let Some(name) = type_name(&i.self_ty)
        {
            unreplaced.remove(name);
        }
    }
    if let Some(name) = unreplaced.iter().min() {
        bail!("the checked string `{name}` has no `Deserialize` of its own to accept as sent");
    }
    for item in types.iter_mut() {
        match item {
            Item::Struct(s) if newtypes.contains(&s.ident) => {
                s.attrs.push(parse_quote! {
                    #[doc = "\n\nDecoding a response accepts any string, as Atlas sent it; building one from a string checks it."]
                });
            }
            Item::Impl(i) if is_deserialize_of(i, &newtypes) => {
                i.items = vec![parse_quote! {
                    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                    where
                        D: ::serde::Deserializer<'de>,
                    {
                        ::std::string::String::deserialize(deserializer).map(Self)
                    }
                }];
            }
            _ => {}
        }
    }
    Ok(())
}

fn is_private_field(fields: &Fields) -> bool {
    matches!(fields, Fields::Unnamed(f) if f.unnamed.iter().all(|f| matches!(f.vis, Visibility::Inherited)))
}

fn is_string_newtype(fields: &Fields) -> bool {
    let Fields::Unnamed(fields) = fields else {
        return false;
    };
    fields.unnamed.len() == 1 && type_name(&fields.unnamed[0].ty).is_some_and(|t| t == "String")
}

fn is_deserialize_of(item: &ItemImpl, newtypes: &HashSet<syn::Ident>) -> bool {
    let implements_deserialize = item.trait_.as_ref().is_some_and(|(_, path, _)| {
        path.segments
            .last()
            .is_some_and(|s| s.ident == "Deserialize")
    });
    implements_deserialize && type_name(&item.self_ty).is_some_and(|t| newtypes.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checked_string_without_its_own_deserialize_is_refused() {
        let mut items = syn::parse_str::<syn::File>(
            r#"
            #[derive(::serde::Deserialize)]
            pub struct GroupId(::std::string::String);
            #[derive(::serde::Deserialize)]
            pub struct Label(pub ::std::string::String);
            "#,
        )
        .unwrap()
        .items;
        let error = accept_as_sent(&mut items).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the checked string `GroupId` has no `Deserialize` of its own to accept as sent"
        );
    }
}
