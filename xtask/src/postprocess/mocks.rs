//! The typed mocks of the client's `mock` feature, from progenitor's
//! `httpmock` extension: the typed success answer, named as progenitor
//! names it after its status (`ok` for 200, `created` for 201, `accepted`
//! for 202), answers with the operation's versioned media type, as Atlas
//! does, and every operation's answer also offers the
//! failures a caller's error handling must meet: `api_error`,
//! `rate_limited` and `gone`, written once in `crate::mock::answers`.
//! The closure that configures a mock may end in an expression, such as
//! `|_, then| then.ok(&snapshot)`: its value is dropped. The extension
//! trait is sealed: callers use it and cannot implement it, so that the
//! method a new operation adds is not a breaking change.

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{
    GenericParam, ImplItem, ImplItemFn, Item, ReturnType, Signature, WherePredicate, parse_quote,
};

use super::headers;
use super::syntax::{is_named, module_items};
use crate::facts::OperationFacts;
use crate::naming::mock_then_name;

/// Parses progenitor's mock extension and applies `facts` to it.
pub fn apply(tokens: TokenStream, facts: &[OperationFacts]) -> Result<syn::File> {
    let mut file: syn::File =
        syn::parse2(tokens).context("progenitor produced mocks that do not parse")?;
    let operations = module_items(&mut file, "operations")?;
    for fact in facts {
        let name = mock_then_name(&fact.operation_id);
        let then = operations
            .iter_mut()
            .find_map(|item| match item {
                Item::Impl(i) if i.trait_.is_none() && is_named(&i.self_ty, &name) => Some(i),
                _ => None,
            })
            .with_context(|| format!("the mocks have no `impl {name}`"))?;
        if let Some(accept) = &fact.media_types.accept {
            // A success without a body (204) has no media type to give.
            let success = |f: &ImplItemFn| answer_kind(f).0;
            let has_success = then
                .items
                .iter()
                .any(|i| matches!(i, ImplItem::Fn(f) if success(f)));
            if !has_success {
                bail!("`{name}` has no success answer to give the media type {accept}");
            }
            for answer in success_answers(then) {
                let answer_name = answer.sig.ident.to_string();
                headers::set_accept(answer, accept).with_context(|| {
                    format!("cannot set the media type of `{name}::{answer_name}`")
                })?;
            }
        }
        // A 410 the spec lists has progenitor's `gone(body)`, which the
        // `gone()` every operation has, with Atlas's body, replaces.
        let failures = failure_answers();
        then.items
            .retain(|item| !failures.iter().any(|failure| same_name(item, failure)));
        then.items.extend(failures);
    }
    let mut sealed = 0;
    for item in &mut file.items {
        match item {
            Item::Trait(t) if t.ident == EXTENSION => {
                seal(t);
                sealed += 1;
                t.items
                    .iter_mut()
                    .filter_map(|i| match i {
                        syn::TraitItem::Fn(f) => Some(&mut f.sig),
                        _ => None,
                    })
                    .try_for_each(any_closure_result)?;
            }
            Item::Impl(i)
                if i.trait_
                    .as_ref()
                    .is_some_and(|(_, p, _)| p.is_ident(EXTENSION)) =>
            {
                for f in i.items.iter_mut().filter_map(|i| match i {
                    ImplItem::Fn(f) => Some(f),
                    _ => None,
                }) {
                    any_closure_result(&mut f.sig)?;
                    DropClosureResult.visit_block_mut(&mut f.block);
                }
            }
            _ => {}
        }
    }
    if sealed != 1 {
        bail!("expected one `trait {EXTENSION}` in the mocks, found {sealed}");
    }
    file.items.push(parse_quote! {
        /// The supertrait that keeps the extension trait implemented for
        /// `MockServer` alone: a private module, out of callers' reach.
        mod sealed {
            pub trait Sealed {}
            impl Sealed for ::httpmock::MockServer {}
        }
    });
    Ok(file)
}

/// `trait MockServerExt` becomes `trait MockServerExt: sealed::Sealed`.
fn seal(extension: &mut syn::ItemTrait) {
    extension.supertraits.push(parse_quote!(sealed::Sealed));
    let docs = [
        "",
        " Sealed: implemented for `MockServer` only, so that the method of a",
        " new operation is not a breaking change.",
    ];
    extension
        .attrs
        .extend(docs.iter().map(|line| parse_quote!(#[doc = #line])));
}

/// The answers of `then` with a 2xx status and a JSON body, each a method
/// named after its status: `ok`, `created`, `accepted`.
fn success_answers(then: &mut syn::ItemImpl) -> impl Iterator<Item = &mut ImplItemFn> {
    then.items.iter_mut().filter_map(|item| match item {
        ImplItem::Fn(f) if answer_kind(f) == (true, true) => Some(f),
        _ => None,
    })
}

/// Whether `answer` sets a 2xx status, and whether it sets a JSON content
/// type, as progenitor writes them: `.status(201u16).header("content-type", …)`.
fn answer_kind(answer: &ImplItemFn) -> (bool, bool) {
    struct Finder {
        success: bool,
        json: bool,
    }
    impl<'ast> Visit<'ast> for Finder {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "status"
                && let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(status),
                    ..
                })) = call.args.first()
            {
                self.success |= status
                    .base10_parse::<u16>()
                    .is_ok_and(|s| (200..300).contains(&s));
            }
            self.json |= call.method == "header"
                && call.args.iter().any(
                    |arg| matches!(arg, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if s.value() == "content-type"),
                );
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut finder = Finder {
        success: false,
        json: false,
    };
    finder.visit_impl_item_fn(answer);
    (finder.success, finder.json)
}

/// progenitor's extension trait of `MockServer`.
const EXTENSION: &str = "MockServerExt";

/// `F: FnOnce(When, Then)` becomes `F: FnOnce(When, Then) -> R`.
fn any_closure_result(sig: &mut Signature) -> Result<()> {
    let name = sig.ident.to_string();
    sig.generics
        .params
        .push(GenericParam::Type(parse_quote!(R)));
    let bound = sig
        .generics
        .where_clause
        .iter_mut()
        .flat_map(|w| w.predicates.iter_mut())
        .find_map(|p| match p {
            WherePredicate::Type(t) => t.bounds.iter_mut().find_map(|b| match b {
                syn::TypeParamBound::Trait(t) => t.path.segments.last_mut(),
                _ => None,
            }),
            _ => None,
        })
        .with_context(|| format!("`{name}` has no closure bound"))?;
    let syn::PathArguments::Parenthesized(arguments) = &mut bound.arguments else {
        bail!("the closure bound of `{name}` is not `FnOnce(..)`");
    };
    arguments.output = ReturnType::Type(Default::default(), parse_quote!(R));
    Ok(())
}

/// Ends the closure given to `MockServer::mock` with `;`, so that it
/// returns `()` whatever the caller's closure returns.
struct DropClosureResult;

impl VisitMut for DropClosureResult {
    fn visit_expr_closure_mut(&mut self, closure: &mut syn::ExprClosure) {
        if let syn::Expr::Block(block) = closure.body.as_mut()
            && let Some(syn::Stmt::Expr(_, semicolon @ None)) = block.block.stmts.last_mut()
        {
            *semicolon = Some(Default::default());
        }
    }
}

/// Whether `a` and `b` are functions of one name.
fn same_name(a: &ImplItem, b: &ImplItem) -> bool {
    matches!((a, b), (ImplItem::Fn(a), ImplItem::Fn(b)) if a.sig.ident == b.sig.ident)
}

fn failure_answers() -> [ImplItem; 3] {
    [
        parse_quote! {
            /// Answers `status` with Atlas's error JSON `body`.
            pub fn api_error(self, status: u16, body: &types::ApiError) -> Self {
                Self(crate::mock::answers::status_error(self.0, status, body))
            }
        },
        parse_quote! {
            /// Answers 429 `RATE_LIMITED` with `Retry-After` in seconds, as
            /// Atlas does when a rate limit is reached.
            pub fn rate_limited(self, retry_after_seconds: u64) -> Self {
                Self(crate::mock::answers::rate_limited(self.0, retry_after_seconds))
            }
        },
        parse_quote! {
            /// Answers 410 `VERSION_GONE`, as Atlas does for an endpoint past
            /// its sunset.
            pub fn gone(self) -> Self {
                Self(crate::mock::answers::gone(self.0))
            }
        },
    ]
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn the_extension_trait_is_sealed() {
        let file = apply(
            quote! {
                pub mod operations {}
                pub trait MockServerExt {}
                impl MockServerExt for ::httpmock::MockServer {}
            },
            &[],
        )
        .unwrap();
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("pub trait MockServerExt: sealed::Sealed {}"),
            "{code}"
        );
        assert!(
            code.contains("mod sealed {\n    pub trait Sealed {}\n    impl Sealed for ::httpmock::MockServer {}\n}"),
            "{code}"
        );
    }

    #[test]
    fn mocks_without_the_extension_trait_are_refused() {
        let Err(error) = apply(
            quote!(
                pub mod operations {}
            ),
            &[],
        ) else {
            panic!("mocks without the extension trait were accepted");
        };
        assert_eq!(
            error.to_string(),
            "expected one `trait MockServerExt` in the mocks, found 0"
        );
    }
}
