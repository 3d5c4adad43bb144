//! Patterns checked by the client's `runtime::Pattern` rather than by a
//! bare regress `Regex`: it compiles each pattern as JSON Schema reads it
//! (see [`crate::patterns`]), and checks the simple ones, such as ids,
//! without a regex engine.

use syn::visit_mut::VisitMut;
use syn::{Expr, ExprCall, Lit, Path, parse_quote};

use crate::patterns::regress_flags;

/// Rewrites each `::regress::Regex` of `types`: its type, its
/// `::regress::Regex::new(p)` and its `.find(value).is_none()`.
pub fn check_with_runtime(types: &mut [syn::Item]) {
    struct Rewrite;
    impl VisitMut for Rewrite {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            if let Expr::Call(call) = expr
                && let Some(pattern) = regress_new_argument(call)
            {
                let flags = regress_flags(&pattern.value());
                *expr = parse_quote!(crate::runtime::Pattern::new(#pattern, #flags));
            } else if let Expr::MethodCall(is_none) = expr
                && is_none.method == "is_none"
                && let Expr::MethodCall(find) = &*is_none.receiver
                && find.method == "find"
                && find.args.len() == 1
            {
                let (pattern, text) = (&find.receiver, &find.args[0]);
                *expr = parse_quote!(!#pattern.is_match(#text));
            }
        }

        fn visit_path_mut(&mut self, path: &mut Path) {
            if segments(path) == ["regress", "Regex"] {
                *path = parse_quote!(crate::runtime::Pattern);
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    for item in types {
        Rewrite.visit_item_mut(item);
    }
}

fn segments(path: &Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The literal `p` of a call `::regress::Regex::new(p)`.
fn regress_new_argument(call: &ExprCall) -> Option<syn::LitStr> {
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    if segments(&function.path) != ["regress", "Regex", "new"] || call.args.len() != 1 {
        return None;
    }
    match call.args.first()? {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(pattern) => Some(pattern.clone()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn a_regress_check_becomes_a_runtime_pattern_with_its_flags() {
        let mut items: Vec<syn::Item> = vec![
            parse_quote! {
                fn unicode(value: &str) -> bool {
                    static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                        ::std::sync::LazyLock::new(|| ::regress::Regex::new("^[\\p{L}]+$").unwrap());
                    PATTERN.find(value).is_none()
                }
            },
            parse_quote! {
                fn legacy() -> ::regress::Regex { ::regress::Regex::new("^(\\:[0-9])$").unwrap() }
            },
        ];
        check_with_runtime(&mut items);
        let code: Vec<String> = items
            .iter()
            .map(|i| i.to_token_stream().to_string())
            .collect();
        assert_eq!(
            code[0],
            "fn unicode (value : & str) -> bool { static PATTERN : :: std :: sync :: LazyLock < \
             crate :: runtime :: Pattern > = :: std :: sync :: LazyLock :: new (| | crate :: runtime \
             :: Pattern :: new (\"^[\\\\p{L}]+$\" , \"u\") . unwrap ()) ; ! PATTERN . is_match (value) }"
        );
        assert!(
            code[1].contains("crate :: runtime :: Pattern :: new (\"^(\\\\:[0-9])$\" , \"\")"),
            "{}",
            code[1]
        );
        assert!(!code[1].contains("regress"), "{}", code[1]);
    }
}
