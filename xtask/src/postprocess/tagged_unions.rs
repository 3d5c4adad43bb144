//! The enums of discriminated schemas ([`crate::tagged_unions`]): one
//! variant per value of the discriminating property, holding the struct
//! typify made of the schema that value selects, and `Unrecognized` for
//! an object whose value this version does not know (or that has none),
//! kept whole so that a page with a new kind of item still decodes.
//!
//! Serialization is serde's internally tagged form; decoding is written
//! out, since serde's `untagged` fallback would also swallow an object of
//! a known kind that fails to decode.

use anyhow::Result;
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::syntax::module_items;
use crate::naming::rust_type_name;
use crate::tagged_unions::TaggedUnion;

/// The variant that holds an object of a kind the enum does not list.
const FALLBACK: &str = "Unrecognized";

/// Adds the enum of each of `unions` to the `types` module of `file`.
pub fn write(file: &mut syn::File, unions: &[TaggedUnion]) -> Result<()> {
    let types = module_items(file, "types")?;
    for union in unions {
        types.extend(syn::parse2::<syn::File>(union_enum(union))?.items);
    }
    Ok(())
}

fn union_enum(union: &TaggedUnion) -> TokenStream {
    let name = format_ident!("{}", union.rust_name());
    let property = &union.property;
    let docs = union
        .description
        .as_deref()
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| format!("`{}`", union.name));
    let values: Vec<&String> = union.variants.iter().map(|(value, _)| value).collect();
    let variants: Vec<syn::Ident> = values
        .iter()
        .map(|value| format_ident!("{}", value.to_upper_camel_case()))
        .collect();
    let targets: Vec<syn::Ident> = union
        .variants
        .iter()
        .map(|(_, target)| format_ident!("{}", rust_type_name(target)))
        .collect();
    let variant_docs: Vec<String> = values
        .iter()
        .map(|value| format!("`{property}` is `{value}`."))
        .collect();
    let fallback = format_ident!("{FALLBACK}");
    let fallback_doc = format!(
        "A `{property}` this version of the crate does not know, or none: the object as Atlas sent it."
    );
    quote! {
        #[doc = #docs]
        #[derive(::serde::Serialize, Clone, Debug, PartialEq)]
        #[serde(tag = #property)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #[serde(rename = #values)]
                #variants(#targets),
            )*
            #[doc = #fallback_doc]
            #[serde(untagged)]
            #fallback(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let (tag, object) = crate::tagged::read(deserializer, #property)?;
                match tag.as_deref() {
                    #(
                        ::std::option::Option::Some(#values) => {
                            crate::tagged::variant(object, #property, #values).map(Self::#variants)
                        }
                    )*
                    _ => ::std::result::Result::Ok(Self::#fallback(object)),
                }
            }
        }
    }
}
