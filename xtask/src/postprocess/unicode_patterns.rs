//! Patterns compiled as JSON Schema reads them. typify compiles every
//! `pattern` with `regress::Regex::new`, which has no Unicode mode, so
//! `\p{L}` would refuse every name; see [`crate::patterns`].

use syn::visit_mut::VisitMut;
use syn::{Expr, ExprCall, Lit, parse_quote};

use crate::patterns::regress_flags;

/// Compiles each pattern of `types` that is valid in Unicode mode with the
/// `u` flag.
pub fn compile_in_unicode_mode(types: &mut [syn::Item]) {
    struct Flag;
    impl VisitMut for Flag {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            let Expr::Call(call) = expr else {
                return;
            };
            let Some(pattern) = regress_new_argument(call) else {
                return;
            };
            if regress_flags(&pattern.value()) == "u" {
                *expr = parse_quote!(::regress::Regex::with_flags(#pattern, "u"));
            }
        }
    }
    for item in types {
        Flag.visit_item_mut(item);
    }
}

/// The literal `p` of a call `::regress::Regex::new(p)`.
fn regress_new_argument(call: &ExprCall) -> Option<syn::LitStr> {
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    let segments: Vec<String> = function
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    if segments != ["regress", "Regex", "new"] || call.args.len() != 1 {
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
