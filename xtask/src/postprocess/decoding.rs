//! Answers decoded by the client's `runtime::decode`, which moves the
//! headers into the `ResponseValue` where progenitor's
//! `ResponseValue::from_response` copies them.

use syn::visit_mut::VisitMut;
use syn::{Expr, parse_quote};

use super::syntax::calls_path_ending_with;

/// Rewrites each `ResponseValue::from_response(response)` of `items`.
pub fn decode_in_runtime(items: &mut [syn::Item]) {
    struct Rewrite;
    impl VisitMut for Rewrite {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            let Expr::Call(call) = expr else {
                return;
            };
            if calls_path_ending_with(call, &["ResponseValue", "from_response"])
                && call.args.len() == 1
            {
                let response = &call.args[0];
                *expr = parse_quote!(crate::runtime::decode(#response));
            }
        }
    }
    for item in items {
        Rewrite.visit_item_mut(item);
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn answers_and_error_answers_are_decoded_by_the_runtime() {
        let mut items: Vec<syn::Item> = vec![parse_quote! {
            async fn dispatch(response: Response) -> Result<ResponseValue<T>, Error<E>> {
                match response.status().as_u16() {
                    200u16 => ResponseValue::from_response(response).await,
                    _ => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                }
            }
        }];
        decode_in_runtime(&mut items);
        let code = items[0].to_token_stream().to_string();
        assert_eq!(
            code.matches("crate :: runtime :: decode (response) . await")
                .count(),
            2,
            "{code}"
        );
        assert!(!code.contains("from_response"), "{code}");
    }
}
