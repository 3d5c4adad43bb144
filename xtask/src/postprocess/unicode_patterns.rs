//! Patterns compiled with Unicode semantics. typify compiles a schema's
//! `pattern` with `regress::Regex::new`, which has no Unicode mode, so
//! `\p{L}` would mean the letters `p{L}` and refuse `Sauvegarde-été`.
//! Each pattern that compiles in Unicode mode is compiled there instead
//! (see [`crate::patterns`]).

use anyhow::{Result, bail};
use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Expr, ExprCall, Lit, Path, parse_quote};

use crate::patterns::regress_flags;

/// Compiles each pattern of `types` in Unicode mode where it is valid
/// there. Fails when a regress regex is made otherwise than by
/// `::regress::Regex::new("literal")`, which typify emits and this
/// rewrites: a pattern would silently keep the wrong mode.
pub fn compile_in_unicode_mode(types: &mut [syn::Item]) -> Result<()> {
    struct Rewrite(Vec<String>);
    impl VisitMut for Rewrite {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            let Expr::Call(call) = expr else {
                return;
            };
            match regress_call(call) {
                Some(Ok(pattern)) if regress_flags(&pattern.value()) == "u" => {
                    *expr = parse_quote!(::regress::Regex::with_flags(#pattern, "u"));
                }
                Some(Err(())) => self.0.push(call.to_token_stream().to_string()),
                Some(Ok(_)) | None => {}
            }
        }
    }
    let mut rewrite = Rewrite(Vec::new());
    for item in types {
        rewrite.visit_item_mut(item);
    }
    match rewrite.0.first() {
        None => Ok(()),
        Some(call) => bail!(
            "expected each regress regex to be made by `::regress::Regex::new(\"pattern\")`, \
             found `{call}`"
        ),
    }
}

/// For a call of a function of `regress::Regex`: `Ok(p)` when it is
/// `Regex::new(p)` with a literal `p`, else `Err`. `None` for any other call.
fn regress_call(call: &ExprCall) -> Option<Result<syn::LitStr, ()>> {
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    let segments = segments(&function.path);
    if segments.len() != 3 || segments[..2] != ["regress", "Regex"] {
        return None;
    }
    let literal = match (
        segments[2].as_str(),
        &call.args.iter().collect::<Vec<_>>()[..],
    ) {
        ("new", [Expr::Lit(lit)]) => match &lit.lit {
            Lit::Str(pattern) => Some(pattern.clone()),
            _ => None,
        },
        _ => None,
    };
    Some(literal.ok_or(()))
}

fn segments(path: &Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regex_made_otherwise_is_refused() {
        let mut items: Vec<syn::Item> = vec![parse_quote! {
            fn checked(pattern: &str) -> ::regress::Regex {
                ::regress::Regex::with_flags(pattern, "i").unwrap()
            }
        }];
        let error = compile_in_unicode_mode(&mut items).unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected each regress regex to be made by `::regress::Regex::new(\"pattern\")`, \
             found `:: regress :: Regex :: with_flags (pattern , \"i\")`"
        );
    }
}
