//! Path parameters formatted straight into the URL by the client's
//! `runtime::PathValue::path_segment`, rather than through progenitor's
//! `encode_path(&value.to_string())`, which builds two strings a parameter.

use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, Macro, Token, parse_quote};

/// Rewrites each `encode_path(&value.to_string())` among the arguments of
/// a `format!` of `items`, where progenitor builds its URLs, and brings
/// the method into scope.
pub fn format_in_place(items: &mut Vec<syn::Item>) {
    struct Rewrite(bool);
    impl VisitMut for Rewrite {
        fn visit_macro_mut(&mut self, mac: &mut Macro) {
            if !mac.path.is_ident("format") {
                return;
            }
            let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
            let Ok(mut arguments) = parser.parse2(mac.tokens.clone()) else {
                return;
            };
            for argument in &mut arguments {
                if let Some(value) = encoded_value(argument) {
                    *argument = parse_quote!(#value.path_segment());
                    self.0 = true;
                }
            }
            mac.tokens = quote::quote!(#arguments);
        }
    }
    let mut rewrite = Rewrite(false);
    for item in items.iter_mut() {
        rewrite.visit_item_mut(item);
    }
    if rewrite.0 {
        items.insert(
            0,
            parse_quote!(
                use crate::runtime::PathValue as _;
            ),
        );
    }
}

/// `value` of `encode_path(&value.to_string())`.
fn encoded_value(expr: &Expr) -> Option<Expr> {
    let Expr::Call(call) = expr else {
        return None;
    };
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    if !function.path.is_ident("encode_path") || call.args.len() != 1 {
        return None;
    }
    let Expr::Reference(reference) = &call.args[0] else {
        return None;
    };
    let Expr::MethodCall(to_string) = &*reference.expr else {
        return None;
    };
    (to_string.method == "to_string" && to_string.args.is_empty())
        .then(|| (*to_string.receiver).clone())
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn each_encoded_parameter_is_formatted_in_place() {
        let mut items: Vec<syn::Item> = vec![parse_quote! {
            fn url(base: &str, group_id: &GroupId, page: u32) -> String {
                format!("{}/groups/{}/{}/{}", base, encode_path(&group_id.to_string()),
                    encode_path(&page.to_string()), encode_path("kept"))
            }
        }];
        format_in_place(&mut items);
        let code: Vec<String> = items
            .iter()
            .map(|i| i.to_token_stream().to_string())
            .collect();
        assert_eq!(code[0], "use crate :: runtime :: PathValue as _ ;");
        assert!(
            code[1].contains(
                "base , group_id . path_segment () , page . path_segment () , \
                 encode_path (\"kept\")"
            ),
            "{}",
            code[1]
        );
    }
}
