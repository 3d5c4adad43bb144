//! Enums that survive values Atlas adds later. typify makes string enums
//! closed, so a new `status` would fail the whole response; each one is
//! rebuilt here with an `Unrecognized(String)` variant that keeps the raw
//! value and serializes it back unchanged.

use std::collections::HashSet;

use anyhow::{Result, bail};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Attribute, Fields, Item, ItemEnum, LitStr};

use super::syntax::type_name;

/// The variant that holds a value the enum does not list.
const FALLBACK: &str = "Unrecognized";

/// Rebuilds every string enum among `types`.
pub fn open(types: &mut Vec<Item>) -> Result<()> {
    let closed: Vec<ItemEnum> = types
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if is_string_enum(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    // One pass for all enums: a pass each is quadratic in a large spec.
    let names: HashSet<String> = closed.iter().map(|e| e.ident.to_string()).collect();
    types.retain(|i| !is_replaced(i, &names));
    for item in &closed {
        types.extend(syn::parse2::<syn::File>(open_enum(item)?)?.items);
    }
    Ok(())
}

/// An enum of unit variants that serde reads, as typify emits for a
/// string schema with `enum`.
fn is_string_enum(item: &ItemEnum) -> bool {
    let derives_deserialize = item.attrs.iter().any(|a| {
        a.path().is_ident("derive") && a.meta.to_token_stream().to_string().contains("Deserialize")
    });
    derives_deserialize
        && item
            .variants
            .iter()
            .all(|v| matches!(v.fields, Fields::Unit))
}

/// The enum itself and the conversions typify wrote for it, all replaced,
/// for each enum in `names`.
fn is_replaced(item: &Item, names: &HashSet<String>) -> bool {
    match item {
        Item::Enum(e) => names.contains(&e.ident.to_string()),
        Item::Impl(i) => {
            let replaced_traits = ["Display", "FromStr", "TryFrom"];
            type_name(&i.self_ty).is_some_and(|name| names.contains(&name.to_string()))
                && i.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments
                        .last()
                        .is_some_and(|s| replaced_traits.iter().any(|t| s.ident == t))
                })
        }
        _ => false,
    }
}

fn open_enum(item: &ItemEnum) -> Result<TokenStream> {
    let name = &item.ident;
    let docs = doc_attrs(&item.attrs);
    let mut variants = Vec::new();
    let mut variant_docs = Vec::new();
    let mut wire = Vec::new();
    for variant in &item.variants {
        if variant.ident == FALLBACK {
            bail!("enum `{name}` has a value named `{FALLBACK}`, the name kept for unknown values");
        }
        variants.push(&variant.ident);
        variant_docs.push(doc_attrs(&variant.attrs));
        wire.push(serde_rename(&variant.attrs)?.unwrap_or_else(|| variant.ident.to_string()));
    }
    let fallback = quote::format_ident!("{FALLBACK}");
    Ok(quote! {
        #(#docs)*
        #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        pub enum #name {
            #( #(#variant_docs)* #variants, )*
            /// A value this version of the crate does not know, kept exactly
            /// as Atlas sent it.
            #fallback(::std::string::String),
        }
        impl #name {
            /// The value as Atlas writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wire, )*
                    Self::#fallback(value) => value.as_str(),
                }
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wire => Self::#variants, )*
                    other => Self::#fallback(other.to_string()),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #( #wire => Self::#variants, )*
                    _ => Self::#fallback(value),
                }
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                ::std::string::String::deserialize(deserializer).map(Self::from)
            }
        }
    })
}

fn doc_attrs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("doc")).collect()
}

/// The value of `#[serde(rename = "...")]`, if the variant has one.
fn serde_rename(attrs: &[Attribute]) -> Result<Option<String>> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<LitStr>()?.value());
            }
            Ok(())
        })?;
    }
    Ok(rename)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typify_enum(variants: &str) -> Vec<Item> {
        syn::parse_str::<syn::File>(&format!(
            r#"
            /// A state.
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
            pub enum State {{ {variants} }}
            impl ::std::fmt::Display for State {{ fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{ Ok(()) }} }}
            impl ::std::str::FromStr for State {{ type Err = (); fn from_str(v: &str) -> Result<Self, ()> {{ Err(()) }} }}
            impl ::std::convert::TryFrom<&str> for State {{ type Error = (); fn try_from(v: &str) -> Result<Self, ()> {{ Err(()) }} }}
            impl Default for State {{ fn default() -> Self {{ Self::Ready }} }}
            pub struct Other;
            "#
        ))
        .unwrap()
        .items
    }

    #[test]
    fn string_enums_gain_a_fallback_and_lose_their_fallible_conversions() {
        let mut items = typify_enum(
            r#"#[serde(rename = "READY")] Ready, #[serde(rename = "inProgress")] InProgress"#,
        );
        open(&mut items).unwrap();
        let code = quote!(#(#items)*).to_string();
        assert!(
            code.contains("Unrecognized (:: std :: string :: String)"),
            "{code}"
        );
        assert!(code.contains("Self :: Ready => \"READY\""), "{code}");
        assert!(
            code.contains("\"inProgress\" => Self :: InProgress"),
            "{code}"
        );
        assert!(!code.contains("TryFrom"), "{code}");
        assert!(!code.contains("Copy"), "{code}");
        // What typify wrote that is not a conversion stays.
        assert!(code.contains("impl Default for State"), "{code}");
        assert!(code.contains("pub struct Other"), "{code}");
    }

    #[test]
    fn a_value_named_like_the_fallback_is_refused() {
        let mut items = typify_enum("Ready, Unrecognized");
        let error = open(&mut items).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`State` has a value named `Unrecognized`"),
            "{error}"
        );
    }
}
