//! An operation that answers with a body or with nothing (Atlas's 200
//! beside 204): [`crate::adapt`] shows progenitor only the answers with a
//! body, and here `send` returns an `Option` of it, `None` for the
//! statuses without. An `Option` reads as what the caller meets: a value,
//! or none; an enum would add a type per operation for the same two cases.

use anyhow::{Context, Result, bail};
use syn::{Arm, Expr, ExprMatch, ImplItemFn, Pat, parse_quote};

/// Makes `send` return `ResponseValue<Option<T>>`, with `Some` for its
/// success answers and `None` for `bodiless`. Where its body was left out
/// ([`crate::generate::outline`]) only the signature changes; `Ok(false)`
/// says so.
pub fn none_for(send: &mut ImplItemFn, bodiless: &[u16]) -> Result<bool> {
    // Named in the closure, which is all that tells the decoder what to
    // decode.
    let body = wrap_success_type(send)?;
    let Some(status) = status_match(&mut send.block) else {
        return Ok(false);
    };
    let mut wrapped = 0;
    for arm in &mut status.arms {
        if status_of(&arm.pat).is_some_and(|code| (200..300).contains(&code)) {
            let decoded = postfix_operand(&arm.body);
            *arm.body = parse_quote! {
                #decoded.and_then(|answer: ResponseValue<#body>| answer.map(::std::option::Option::Some))
            };
            wrapped += 1;
        }
    }
    if wrapped == 0 {
        bail!("the generated `send` decodes no success answer");
    }
    let literals = status
        .arms
        .iter()
        .take_while(|arm| matches!(arm.pat, Pat::Lit(_)))
        .count();
    let added: Vec<Arm> = bodiless
        .iter()
        .map(|code| {
            let code = syn::LitInt::new(&format!("{code}u16"), proc_macro2::Span::call_site());
            parse_quote! {
                #code => ResponseValue::empty(response).map(|()| ::std::option::Option::None),
            }
        })
        .collect();
    status.arms.splice(literals..literals, added);
    Ok(true)
}

/// `expr` as the receiver of a method: the expression of a block of one,
/// in parentheses unless it already binds as tightly.
fn postfix_operand(expr: &Expr) -> Expr {
    let inner = match expr {
        Expr::Block(block) => match block.block.stmts.as_slice() {
            [syn::Stmt::Expr(inner, None)] => inner,
            _ => expr,
        },
        _ => expr,
    };
    match inner {
        Expr::Await(_) | Expr::Call(_) | Expr::MethodCall(_) | Expr::Path(_) | Expr::Paren(_) => {
            inner.clone()
        }
        _ => parse_quote!((#inner)),
    }
}

/// `Result<ResponseValue<T>, E>` becomes `Result<ResponseValue<Option<T>>, E>`;
/// returns `T`.
fn wrap_success_type(send: &mut ImplItemFn) -> Result<syn::Type> {
    let syn::ReturnType::Type(_, returned) = &mut send.sig.output else {
        bail!("the generated `send` returns nothing");
    };
    let value = first_type_argument_mut(returned)
        .context("the generated `send` does not return a `Result`")?;
    let body = first_type_argument_mut(value)
        .context("the generated `send` does not return a `ResponseValue`")?;
    let inner = body.clone();
    *body = parse_quote!(::std::option::Option<#inner>);
    Ok(inner)
}

fn first_type_argument_mut(ty: &mut syn::Type) -> Option<&mut syn::Type> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &mut p.path.segments.last_mut()?.arguments
    else {
        return None;
    };
    args.args.iter_mut().find_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The `match` on the answer's status, the last statement of `send`.
fn status_match(block: &mut syn::Block) -> Option<&mut ExprMatch> {
    block.stmts.iter_mut().rev().find_map(|stmt| match stmt {
        syn::Stmt::Expr(Expr::Match(status), _) => Some(status),
        _ => None,
    })
}

/// The status a literal arm matches: `200` for `200u16`.
fn status_of(pattern: &Pat) -> Option<u16> {
    let Pat::Lit(literal) = pattern else {
        return None;
    };
    match &literal.lit {
        syn::Lit::Int(int) => int.base10_parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn without_a_body_only_the_signature_changes() {
        let mut send: ImplItemFn = parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Invitation>, Error<()>> {}
        };
        assert!(!none_for(&mut send, &[204]).unwrap());
        let code = send.sig.to_token_stream().to_string();
        assert!(
            code.contains("ResponseValue < :: std :: option :: Option < types :: Invitation > >"),
            "{code}"
        );
    }
}
