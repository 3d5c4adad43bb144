//! The request headers progenitor 0.15 gets wrong: it cannot send a
//! versioned `Accept` or `Content-Type`, and it sends an `api-version`
//! header, taken from `info.version`, that Atlas does not read.

use anyhow::{Result, bail};
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItemFn, LitStr, Pat, Stmt, parse_quote};

use super::syntax::{expr_contains_literal, replace_exprs};
use crate::facts::PLAIN_JSON;

/// The header progenitor adds to every request.
const API_VERSION: &str = "api-version";
/// The map progenitor collects header parameters in.
const HEADER_MAP: &str = "header_map";

/// Replaces the one `application/json` literal of `dispatch`, the value of
/// its `Accept` header, with `accept`.
pub fn set_accept(dispatch: &mut ImplItemFn, accept: &str) -> Result<()> {
    struct Replace<'a> {
        accept: &'a str,
        count: usize,
    }
    impl VisitMut for Replace<'_> {
        fn visit_lit_str_mut(&mut self, lit: &mut LitStr) {
            if lit.value() == PLAIN_JSON {
                *lit = LitStr::new(self.accept, lit.span());
                self.count += 1;
            }
        }
    }
    let mut replace = Replace { accept, count: 0 };
    replace.visit_impl_item_fn_mut(dispatch);
    if replace.count != 1 {
        bail!(
            "expected one `{PLAIN_JSON}` Accept value in the generated request, found {}",
            replace.count
        );
    }
    Ok(())
}

/// Sets `Content-Type: content_type` before the one `.json(&body)` of
/// `dispatch`; reqwest's `json` keeps a content type already set.
pub fn set_content_type(dispatch: &mut ImplItemFn, content_type: &str) -> Result<()> {
    let inserted = replace_exprs(dispatch, |expr| match expr {
        Expr::MethodCall(json) if json.method == "json" => {
            let mut json = json.clone();
            let receiver = &json.receiver;
            *json.receiver = parse_quote! {
                #receiver.header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static(#content_type),
                )
            };
            Some(Expr::MethodCall(json))
        }
        _ => None,
    });
    if inserted != 1 {
        bail!("expected one `.json(&body)` in the generated request, found {inserted}");
    }
    Ok(())
}

/// Removes the statement of `dispatch` that adds the `api-version` header,
/// and the header map itself when nothing else adds to it: an empty map
/// still costs an allocation and a merge into the request's headers.
pub fn drop_api_version(dispatch: &mut ImplItemFn) -> Result<()> {
    let statements = &mut dispatch.block.stmts;
    let before = statements.len();
    statements.retain(
        |stmt| !matches!(stmt, Stmt::Expr(expr, _) if expr_contains_literal(expr, API_VERSION)),
    );
    if statements.len() + 1 != before {
        bail!("expected one statement that adds the `{API_VERSION}` header");
    }
    let appends = |stmt: &Stmt| quote!(#stmt).to_string().contains("header_map . append");
    if !statements.iter().any(appends) {
        drop_header_map(dispatch)?;
    }
    Ok(())
}

/// Removes the `let header_map = …;` of `dispatch` and its one
/// `.headers(header_map)`.
fn drop_header_map(dispatch: &mut ImplItemFn) -> Result<()> {
    let statements = &mut dispatch.block.stmts;
    let before = statements.len();
    statements.retain(|stmt| {
        !matches!(stmt, Stmt::Local(local)
            if matches!(&local.pat, Pat::Ident(binding) if binding.ident == HEADER_MAP))
    });
    let unmerged = replace_exprs(dispatch, |expr| match expr {
        Expr::MethodCall(call)
            if call.method == "headers"
                && matches!(call.args.first(), Some(Expr::Path(p)) if p.path.is_ident(HEADER_MAP)) =>
        {
            Some((*call.receiver).clone())
        }
        _ => None,
    });
    if dispatch.block.stmts.len() + 1 != before || unmerged != 1 {
        bail!(
            "expected one `{HEADER_MAP}` and one `.headers({HEADER_MAP})` in the generated request"
        );
    }
    Ok(())
}
