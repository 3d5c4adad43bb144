//! Optional query parameters added by the client's
//! `runtime::OptionalQuery::optional_query`, which leaves the URL alone
//! when the value is unset, rather than by reqwest's `query`, which
//! rebuilds the URL's query even when it adds nothing.

use std::collections::{HashMap, HashSet};

use syn::visit_mut::VisitMut;
use syn::{Expr, Fields, Item, parse_quote};

use super::syntax::{calls_path_ending_with, first_type_argument, is_named, type_name};

/// Rewrites each `.query(&progenitor_client::QueryParam::new(name,
/// &value))` of a builder in `items` whose field `value` holds an
/// `Option`, and brings the method into scope.
pub fn add_when_set(items: &mut Vec<Item>) {
    let optional = optional_fields(items);
    let mut rewrite = Rewrite {
        optional: &HashSet::new(),
        count: 0,
    };
    for item in items.iter_mut() {
        if let Item::Impl(builder) = item
            && let Some(fields) = type_name(&builder.self_ty).and_then(|name| optional.get(name))
        {
            rewrite.optional = fields;
            rewrite.visit_item_impl_mut(builder);
        }
    }
    if rewrite.count > 0 {
        items.insert(
            0,
            parse_quote!(
                use crate::runtime::OptionalQuery as _;
            ),
        );
    }
}

/// The fields of type `Result<Option<_>, _>` of each struct of `items`.
fn optional_fields(items: &[Item]) -> HashMap<syn::Ident, HashSet<syn::Ident>> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => match &s.fields {
                Fields::Named(fields) => Some((s.ident.clone(), fields)),
                _ => None,
            },
            _ => None,
        })
        .map(|(name, fields)| {
            let optional = fields
                .named
                .iter()
                .filter(|f| {
                    is_named(&f.ty, "Result")
                        && first_type_argument(&f.ty).is_some_and(|ok| is_named(ok, "Option"))
                })
                .filter_map(|f| f.ident.clone())
                .collect();
            (name, optional)
        })
        .collect()
}

struct Rewrite<'a> {
    optional: &'a HashSet<syn::Ident>,
    count: usize,
}

impl VisitMut for Rewrite<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else {
            return;
        };
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        let Some((name, value)) = query_param(&call.args[0]) else {
            return;
        };
        if !self.optional.contains(&value) {
            return;
        }
        let receiver = &call.receiver;
        *expr = parse_quote!(#receiver.optional_query(#name, &#value));
        self.count += 1;
    }
}

/// `name` and `value` of `&progenitor_client::QueryParam::new(name, &value)`.
fn query_param(expr: &Expr) -> Option<(Expr, syn::Ident)> {
    let Expr::Reference(reference) = expr else {
        return None;
    };
    let Expr::Call(new) = &*reference.expr else {
        return None;
    };
    if !calls_path_ending_with(new, &["QueryParam", "new"]) || new.args.len() != 2 {
        return None;
    }
    let Expr::Reference(value) = &new.args[1] else {
        return None;
    };
    let Expr::Path(value) = &*value.expr else {
        return None;
    };
    Some((new.args[0].clone(), value.path.get_ident()?.clone()))
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn optional_parameters_are_added_when_set_and_required_ones_as_before() {
        let mut items: Vec<Item> = vec![
            parse_quote! {
                pub struct ListThings<'a> {
                    client: &'a super::Client,
                    pretty: Result<Option<bool>, String>,
                    kind: Result<types::Kind, String>,
                }
            },
            parse_quote! {
                impl<'a> ListThings<'a> {
                    async fn dispatch(self) -> Result<(), Error> {
                        let request = client
                            .client
                            .get(url)
                            .query(&progenitor_client::QueryParam::new("pretty", &pretty))
                            .query(&progenitor_client::QueryParam::new("kind", &kind))
                            .build()?;
                    }
                }
            },
        ];
        add_when_set(&mut items);
        let code: String = items
            .iter()
            .map(|i| i.to_token_stream().to_string())
            .collect();
        assert!(
            code.starts_with("use crate :: runtime :: OptionalQuery as _ ;"),
            "{code}"
        );
        assert!(
            code.contains(". optional_query (\"pretty\" , & pretty)"),
            "{code}"
        );
        assert!(
            code.contains(". query (& progenitor_client :: QueryParam :: new (\"kind\" , & kind))"),
            "{code}"
        );
    }

    #[test]
    fn a_builder_without_optional_parameters_is_left_as_it_is() {
        let mut items: Vec<Item> = vec![
            parse_quote! {
                pub struct GetThing<'a> {
                    kind: Result<types::Kind, String>,
                }
            },
            parse_quote! {
                impl<'a> GetThing<'a> {
                    async fn dispatch(self) {
                        let b = b.query(&progenitor_client::QueryParam::new("kind", &kind));
                    }
                }
            },
        ];
        let code = |items: &[Item]| -> String {
            items
                .iter()
                .map(|i| i.to_token_stream().to_string())
                .collect()
        };
        let before = code(&items);
        add_when_set(&mut items);
        assert_eq!(code(&items), before);
    }
}
