//! Integers of an `enum`, checked where callers build them and decoded as
//! sent. typify makes such an integer a newtype whose `TryFrom` refuses a
//! value outside the list with "invalid value", and whose `Deserialize`
//! refuses it too, so one interval Atlas adds later would fail a whole
//! answer. Here the refusal names the values allowed, and decoding keeps
//! any integer, as the open string enums keep any string; the command
//! line's flags parse one from text, checked the same way.

use std::collections::HashSet;

use anyhow::{Result, bail};
use quote::ToTokens;
use syn::visit::Visit;
use syn::{Expr, ImplItem, Item, ItemImpl, parse_quote};

use super::syntax::type_name;

/// The integer types typify gives an integer schema.
const INTEGERS: [&str; 8] = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];

/// Rewrites every integer newtype of `types` that typify limits to a
/// list of values. Fails when such a newtype's `TryFrom` lists its values
/// otherwise than as an array of integer literals, or when it has no
/// `Deserialize` of its own to replace.
pub fn check_on_input_only(types: &mut [Item]) -> Result<()> {
    let mut listed: Vec<(syn::Ident, syn::Type, Vec<i64>)> = Vec::new();
    for item in types.iter() {
        let Item::Impl(i) = item else { continue };
        let Some(integer) = integer_try_from(i) else {
            continue;
        };
        let Some(name) = type_name(&i.self_ty) else {
            continue;
        };
        let Some(values) = listed_values(i) else {
            continue;
        };
        listed.push((name.clone(), integer.clone(), values?));
    }
    let names: HashSet<&syn::Ident> = listed.iter().map(|(name, ..)| name).collect();
    let mut without_deserialize = names.clone();
    for item in types.iter() {
        if let Item::Impl(i) = item
            && implements(i, "Deserialize")
            && let Some(name) = type_name(&i.self_ty)
        {
            without_deserialize.remove(name);
        }
    }
    if let Some(name) = without_deserialize.iter().min() {
        bail!("the integer enum `{name}` has no `Deserialize` of its own to accept as sent");
    }
    for item in types.iter_mut() {
        let found = |name: Option<&syn::Ident>| {
            listed
                .iter()
                .find(|(listed, ..)| Some(listed) == name)
                .map(|(_, integer, values)| (integer.clone(), values.clone()))
        };
        match item {
            Item::Struct(s) => {
                if let Some((_, values)) = found(Some(&s.ident)) {
                    let doc = format!(
                        "\n\nBuilding one checks that it is {}; decoding a response accepts any integer, as Atlas sent it.",
                        allowed(&values)
                    );
                    s.attrs.push(parse_quote!(#[doc = #doc]));
                }
            }
            Item::Impl(i) => {
                let Some((integer, values)) = found(type_name(&i.self_ty)) else {
                    continue;
                };
                if implements(i, "Deserialize") {
                    i.items = vec![parse_quote! {
                        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                        where
                            D: ::serde::Deserializer<'de>,
                        {
                            <#integer>::deserialize(deserializer).map(Self)
                        }
                    }];
                } else if integer_try_from(i).is_some() {
                    let refusal = format!("must be {}, not {{value}}", allowed(&values));
                    let values = values
                        .iter()
                        .map(|v| proc_macro2::Literal::i64_unsuffixed(*v));
                    i.items.retain(|item| !matches!(item, ImplItem::Fn(_)));
                    i.items.push(parse_quote! {
                        fn try_from(
                            value: #integer,
                        ) -> ::std::result::Result<Self, self::error::ConversionError> {
                            if [#(#values),*].contains(&value) {
                                Ok(Self(value))
                            } else {
                                Err(format!(#refusal).into())
                            }
                        }
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Gives every integer newtype of `types` that typify limits (one with a
/// `TryFrom` of its integer) a `FromStr`, which checks the value as
/// `TryFrom` does, so that a command-line flag parses one from text.
/// Found by signatures alone, so that code whose bodies were left out
/// ([`crate::generate::outline`]) gets the same public items.
pub fn parse_from_text(types: &mut Vec<Item>) {
    let limited: Vec<(syn::Type, syn::Type)> = types
        .iter()
        .filter_map(|item| match item {
            Item::Impl(i) => {
                integer_try_from(i).map(|integer| ((*i.self_ty).clone(), integer.clone()))
            }
            _ => None,
        })
        .collect();
    for (name, integer) in limited {
        types.push(parse_quote! {
            impl ::std::str::FromStr for #name {
                type Err = self::error::ConversionError;
                fn from_str(
                    value: &str,
                ) -> ::std::result::Result<Self, self::error::ConversionError> {
                    let integer: #integer = value
                        .parse()
                        .map_err(|_| format!("{value:?} is not an integer"))?;
                    Self::try_from(integer)
                }
            }
        });
    }
}

/// The integer `I` of `impl TryFrom<I> for …`.
fn integer_try_from(item: &ItemImpl) -> Option<&syn::Type> {
    let (_, path, _) = item.trait_.as_ref()?;
    let last = path.segments.last()?;
    if last.ident != "TryFrom" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    let integer = arguments.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })?;
    let name = type_name(integer)?.to_string();
    INTEGERS.contains(&name.as_str()).then_some(integer)
}

/// The values of typify's check `if ![…].contains(&value)` in a `TryFrom`,
/// `None` when it has no such check, an error when the array is not of
/// integer literals.
fn listed_values(item: &ItemImpl) -> Option<Result<Vec<i64>>> {
    struct Find<'a>(Option<&'a syn::ExprArray>);
    impl<'a> Visit<'a> for Find<'a> {
        fn visit_expr_method_call(&mut self, call: &'a syn::ExprMethodCall) {
            if call.method == "contains"
                && let Expr::Array(array) = &*call.receiver
            {
                self.0 = Some(array);
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut find = Find(None);
    find.visit_item_impl(item);
    let array = find.0?;
    Some(
        array
            .elems
            .iter()
            .map(|element| match element {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(int),
                    ..
                }) => Ok(int.base10_parse::<i64>()?),
                other => bail!(
                    "expected an integer literal among the values of an integer enum, found `{}`",
                    other.to_token_stream()
                ),
            })
            .collect(),
    )
}

fn implements(item: &ItemImpl, name: &str) -> bool {
    item.trait_
        .as_ref()
        .is_some_and(|(_, path, _)| path.segments.last().is_some_and(|s| s.ident == name))
}

/// The values as a rule: runs of three or more written as a range,
/// `0 to 28 or 40`.
fn allowed(values: &[i64]) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start;
        while end + 1 < sorted.len() && sorted[end + 1] == sorted[end] + 1 {
            end += 1;
        }
        if end - start >= 2 {
            parts.push(format!("{} to {}", sorted[start], sorted[end]));
        } else {
            parts.extend(sorted[start..=end].iter().map(ToString::to_string));
        }
        start = end + 1;
    }
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "nothing".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typify_newtype(values: &str) -> Vec<Item> {
        syn::parse_str::<syn::File>(&format!(
            r#"
            pub struct Interval(i32);
            impl ::std::convert::TryFrom<i32> for Interval {{
                type Error = self::error::ConversionError;
                fn try_from(value: i32) -> ::std::result::Result<Self, self::error::ConversionError> {{
                    if ![{values}].contains(&value) {{ Err("invalid value".into()) }} else {{ Ok(Self(value)) }}
                }}
            }}
            impl<'de> ::serde::Deserialize<'de> for Interval {{
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where D: ::serde::Deserializer<'de> {{ todo!() }}
            }}
            "#
        ))
        .unwrap()
        .items
    }

    #[test]
    fn the_refusal_names_the_values_and_decoding_takes_any_integer() {
        let mut items = typify_newtype("0_i32, 1_i32, 2_i32, 3_i32, 7_i32, 9_i32");
        check_on_input_only(&mut items).unwrap();
        parse_from_text(&mut items);
        let code = quote::quote!(#(#items)*).to_string();
        assert!(
            code.contains("\"must be 0 to 3, 7 or 9, not {value}\""),
            "{code}"
        );
        assert!(!code.contains("invalid value"), "{code}");
        assert!(
            code.contains("< i32 > :: deserialize (deserializer) . map (Self)"),
            "{code}"
        );
        assert!(code.contains("accepts any integer"), "{code}");
        assert!(
            code.contains("impl :: std :: str :: FromStr for Interval"),
            "{code}"
        );
    }

    #[test]
    fn values_that_are_no_literals_or_no_deserialize_are_refused() {
        let mut items = typify_newtype("ONE, 2_i32");
        let error = check_on_input_only(&mut items).unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected an integer literal among the values of an integer enum, found `ONE`"
        );
        let mut items = typify_newtype("1_i32");
        items.pop();
        let error = check_on_input_only(&mut items).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the integer enum `Interval` has no `Deserialize` of its own to accept as sent"
        );
    }

    #[test]
    fn runs_are_ranges() {
        assert_eq!(allowed(&[40, 1, 2, 3, 4]), "1 to 4 or 40");
        assert_eq!(allowed(&[1, 2]), "1 or 2");
        assert_eq!(allowed(&[5]), "5");
    }
}
