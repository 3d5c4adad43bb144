//! Refusals that say why. progenitor's setters drop the conversion error
//! ("conversion to `GroupId` for group_id failed") or bury it; each setter
//! here reports it, so a refused value names the parameter, its problem
//! and the rule: the pattern or length from the type's own check, and for
//! the integers that typify makes `NonZero`, the range the spec gives. A
//! missing value says that it is required.

use anyhow::{Result, bail};
use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Expr, ExprClosure, ImplItem, ImplItemFn, ItemImpl, LitStr, parse_quote};

use super::syntax::{first_type_argument, type_name};
use crate::facts::ParameterBounds;
use crate::naming::rust_field_name;

/// How progenitor's refusal messages start.
const GENERATED_REFUSAL: &str = "conversion to `";

/// Rewrites the refusal of every setter of `builder` that converts its
/// value; `bounds` are the integer bounds of the operation's parameters.
/// Fails when such a setter has none of progenitor's refusals to rewrite.
pub fn explain(builder: &mut ItemImpl, bounds: &[ParameterBounds]) -> Result<()> {
    for item in &mut builder.items {
        let ImplItem::Fn(setter) = item else {
            continue;
        };
        let Some(target) = converted_type(setter) else {
            continue;
        };
        let name = setter.sig.ident.to_string();
        let Some(keeps_error) = refusal_of(setter) else {
            bail!(
                "the setter `{name}` converts its value but has no `{GENERATED_REFUSAL}…` refusal"
            );
        };
        let nonzero = type_name(&target).is_some_and(|t| t.to_string().starts_with("NonZero"));
        let refusal: Expr = if nonzero {
            // The standard library's error says only "out of range".
            let message = nonzero_refusal(&name, bounds);
            parse_quote!(|_| #message.to_string())
        } else {
            if !keeps_error {
                setter
                    .sig
                    .generics
                    .make_where_clause()
                    .predicates
                    .push(parse_quote!(
                        <V as std::convert::TryInto<#target>>::Error: std::fmt::Display
                    ));
            }
            let prefix = format!("{name} is invalid: ");
            parse_quote!(|e| format!("{}{}", #prefix, e))
        };
        Replace(refusal).visit_impl_item_fn_mut(setter);
    }
    Ok(())
}

/// Rewrites the messages of values never set, progenitor's ("group_id was
/// not initialized") and typify's ("no value supplied for snapshot_id"):
/// the `Err("…".to_string())` that a builder starts a required value with.
/// Fails on such a message in other words, which would reach callers as
/// written.
pub fn explain_missing(items: &mut [syn::Item]) -> Result<()> {
    struct Missing(Vec<String>);
    impl VisitMut for Missing {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            syn::visit_mut::visit_expr_call_mut(self, call);
            let Some(lit) = unset_message(call) else {
                return;
            };
            let value = lit.value();
            let name = value
                .strip_suffix(" was not initialized")
                .or_else(|| value.strip_prefix("no value supplied for "));
            match name.filter(|n| is_identifier(n)) {
                Some(name) => {
                    *lit = LitStr::new(&format!("{name} is required and was not set"), lit.span());
                }
                None => self.0.push(value),
            }
        }
    }
    let mut missing = Missing(Vec::new());
    for item in items {
        missing.visit_item_mut(item);
    }
    match missing.0.first() {
        None => Ok(()),
        Some(message) => bail!("a value that is not set is refused in unknown words: {message:?}"),
    }
}

/// The literal of `Err("…".to_string())`.
fn unset_message(call: &mut syn::ExprCall) -> Option<&mut LitStr> {
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    if !function.path.is_ident("Err") || call.args.len() != 1 {
        return None;
    }
    let Expr::MethodCall(to_string) = &mut call.args[0] else {
        return None;
    };
    if to_string.method != "to_string" || !to_string.args.is_empty() {
        return None;
    }
    match &mut *to_string.receiver {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Some(lit),
        _ => None,
    }
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `T` of a setter `fn name<V>(self, value: V) where V: TryInto<T>`.
fn converted_type(setter: &ImplItemFn) -> Option<syn::Type> {
    let predicates = &setter.sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            if bound.path.segments.last()?.ident != "TryInto" {
                return None;
            }
            let bound = syn::Type::Path(syn::TypePath {
                qself: None,
                path: bound.path.clone(),
            });
            first_type_argument(&bound).cloned()
        })
    })
}

/// The refusal of 0 for an integer parameter that must be positive.
fn nonzero_refusal(name: &str, bounds: &[ParameterBounds]) -> String {
    let range = bounds
        .iter()
        .find(|b| rust_field_name(&b.name) == name)
        .and_then(|b| Some((b.minimum?, b.maximum?)));
    match range {
        Some((minimum, maximum)) => format!("{name} must be from {minimum} to {maximum}, not 0"),
        None => format!("{name} must not be 0"),
    }
}

/// Whether `closure` is one of progenitor's refusals, and if so whether
/// it keeps the conversion error (`|s| format!(…, s)`) or drops it (`|_|`).
fn refusal_kind(closure: &ExprClosure) -> Option<bool> {
    let generated = closure
        .body
        .to_token_stream()
        .to_string()
        .contains(GENERATED_REFUSAL);
    let keeps_error = !matches!(closure.inputs.first(), Some(syn::Pat::Wild(_)));
    generated.then_some(keeps_error)
}

/// The closure of a `.map_err(closure)` call, if `call` is one.
fn map_err_closure(call: &mut syn::ExprMethodCall) -> Option<&mut Expr> {
    (call.method == "map_err" && call.args.len() == 1).then(|| &mut call.args[0])
}

/// The kind of the setter's refusal, if it has one of progenitor's.
fn refusal_of(setter: &mut ImplItemFn) -> Option<bool> {
    struct Finder(Option<bool>);
    impl VisitMut for Finder {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            if let Some(Expr::Closure(closure)) = map_err_closure(call) {
                self.0 = self.0.or(refusal_kind(closure));
            }
        }
    }
    let mut finder = Finder(None);
    finder.visit_impl_item_fn_mut(setter);
    finder.0
}

/// Puts its refusal in place of progenitor's.
struct Replace(Expr);

impl VisitMut for Replace {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        let refusal = self.0.clone();
        if let Some(closure) = map_err_closure(call)
            && matches!(closure, Expr::Closure(c) if refusal_kind(c).is_some())
        {
            *closure = refusal;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ItemImpl {
        parse_quote! {
            impl<'a> GetThing<'a> {
                pub fn new(client: &'a super::Client) -> Self {
                    Self { group_id: Err("group_id was not initialized".to_string()) }
                }
                pub fn group_id<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<types::GroupId>,
                {
                    self.group_id = value
                        .try_into()
                        .map_err(|_| "conversion to `GroupId` for group_id failed".to_string());
                    self
                }
                pub fn items_per_page<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<::std::num::NonZeroU32>,
                {
                    self.items_per_page = value.try_into().map(Some).map_err(|_| {
                        "conversion to `:: std :: num :: NonZeroU32` for items_per_page failed"
                            .to_string()
                    });
                    self
                }
                pub fn body<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<types::Thing>,
                    <V as std::convert::TryInto<types::Thing>>::Error: std::fmt::Display,
                {
                    self.body = value.try_into().map_err(|s| {
                        format!("conversion to `Thing` for body failed: {}", s)
                    });
                    self
                }
                pub async fn send(self) {}
            }
        }
    }

    fn tokens(item: &ItemImpl) -> String {
        item.to_token_stream().to_string()
    }

    #[test]
    fn refusals_keep_the_type_s_reason_or_give_the_range() {
        let mut builder = builder();
        let bounds = [ParameterBounds {
            name: "itemsPerPage".into(),
            minimum: Some(1),
            maximum: Some(500),
        }];
        explain(&mut builder, &bounds).unwrap();
        let code = tokens(&builder);
        assert!(!code.contains("conversion to"), "{code}");
        assert!(code.contains(r#""group_id is invalid: ""#), "{code}");
        assert!(code.contains(r#""body is invalid: ""#), "{code}");
        let display_bound = "Error : std :: fmt :: Display";
        assert_eq!(code.matches(display_bound).count(), 2, "{code}");
        assert!(
            code.contains(r#""items_per_page must be from 1 to 500, not 0""#),
            "{code}"
        );
    }

    #[test]
    fn a_positive_integer_without_a_maximum_must_not_be_0() {
        let mut builder = builder();
        explain(&mut builder, &[]).unwrap();
        assert!(tokens(&builder).contains(r#""items_per_page must not be 0""#));
    }

    #[test]
    fn missing_values_are_said_to_be_required() {
        let mut items = vec![
            syn::Item::Impl(builder()),
            parse_quote! {
                impl Default for Thing {
                    fn default() -> Self {
                        Self { id: Err("no value supplied for snapshot_id".to_string()) }
                    }
                }
            },
        ];
        explain_missing(&mut items).unwrap();
        let code = items
            .iter()
            .map(|i| i.to_token_stream().to_string())
            .collect::<String>();
        assert!(
            code.contains(r#""group_id is required and was not set""#),
            "{code}"
        );
        assert!(
            code.contains(r#""snapshot_id is required and was not set""#),
            "{code}"
        );
        assert!(!code.contains("was not initialized"), "{code}");
    }

    #[test]
    fn refusals_in_other_words_are_refused() {
        let mut builder: ItemImpl = parse_quote! {
            impl<'a> GetThing<'a> {
                pub fn group_id<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<types::GroupId>,
                {
                    self.group_id = value.try_into().map_err(|_| "bad group".to_string());
                    self
                }
            }
        };
        let error = explain(&mut builder, &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the setter `group_id` converts its value but has no `conversion to `…` refusal"
        );
        let mut items: Vec<syn::Item> = vec![parse_quote! {
            fn new() -> Self { Self { group_id: Err("group_id is missing".to_string()) } }
        }];
        let error = explain_missing(&mut items).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a value that is not set is refused in unknown words: \"group_id is missing\""
        );
    }
}
