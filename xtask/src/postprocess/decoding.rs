//! Answers decoded by the client's `runtime::decode`, which moves the
//! headers into the `ResponseValue` where progenitor's
//! `ResponseValue::from_response` copies them, in one arm for the statuses
//! decoded alike where progenitor writes one arm for each.

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Arm, Expr, ExprMatch, Pat, Token, parse_quote};

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

/// Joins the arms of each status `match` of `items` whose bodies are the
/// same: every error status an operation lists is decoded as its one
/// error type, and each arm would be a state of the `send` future of its
/// own, and code of its own.
pub fn one_arm_per_body(items: &mut [syn::Item]) {
    struct Join;
    impl VisitMut for Join {
        fn visit_expr_match_mut(&mut self, status: &mut ExprMatch) {
            syn::visit_mut::visit_expr_match_mut(self, status);
            join_arms(status);
        }
    }
    for item in items {
        Join.visit_item_mut(item);
    }
}

/// Joins the arms of `status` that match a literal and have the same body,
/// in the place of the first. Literal patterns never overlap, so their
/// order is free until the first arm of another kind, which stays where it
/// is with every arm after it.
fn join_arms(status: &mut ExprMatch) {
    let literal = |arm: &Arm| matches!(arm.pat, Pat::Lit(_)) && arm.guard.is_none();
    let leading = status.arms.iter().take_while(|arm| literal(arm)).count();
    let rest = status.arms.split_off(leading);
    let mut joined: Vec<(String, Arm)> = Vec::new();
    for arm in std::mem::take(&mut status.arms) {
        let body = arm.body.to_token_stream().to_string();
        match joined.iter_mut().find(|(b, _)| *b == body) {
            Some((_, first)) => first.pat = or_pattern(&first.pat, &arm.pat),
            None => joined.push((body, arm)),
        }
    }
    status.arms = joined.into_iter().map(|(_, arm)| arm).chain(rest).collect();
}

fn or_pattern(first: &Pat, next: &Pat) -> Pat {
    let mut cases: Punctuated<Pat, Token![|]> = match first {
        Pat::Or(or) => or.cases.clone(),
        single => std::iter::once(single.clone()).collect(),
    };
    cases.push(next.clone());
    Pat::Or(syn::PatOr {
        attrs: Vec::new(),
        leading_vert: None,
        cases,
    })
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

    #[test]
    fn statuses_decoded_alike_share_one_arm() {
        let mut items: Vec<syn::Item> = vec![parse_quote! {
            async fn dispatch(response: Response) -> Result<ResponseValue<T>, Error<E>> {
                match response.status().as_u16() {
                    200u16 => decode(response).await,
                    400u16 => Err(Error::ErrorResponse(decode(response).await?)),
                    204u16 => Ok(ResponseValue::empty(response)),
                    404u16 => Err(Error::ErrorResponse(decode(response).await?)),
                    500u16 => Err(Error::ErrorResponse(decode(response).await?)),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        }];
        one_arm_per_body(&mut items);
        let code = items[0].to_token_stream().to_string();
        let arms = code.split(" => ").count() - 1;
        assert_eq!(arms, 4, "{code}");
        assert!(
            code.contains(
                "400u16 | 404u16 | 500u16 => Err (Error :: ErrorResponse (decode (response) . await ?))"
            ),
            "{code}"
        );
        assert!(
            code.contains("200u16 => decode (response) . await , 400u16"),
            "{code}"
        );
        assert!(
            code.contains("_ => Err (Error :: UnexpectedResponse (response)) ,"),
            "{code}"
        );
    }

    #[test]
    fn arms_after_one_of_another_kind_stay_apart() {
        let mut status: ExprMatch = parse_quote! {
            match n {
                1 => a(),
                m if m > 5 => b(),
                7 => a(),
                _ => c(),
            }
        };
        let before = status.to_token_stream().to_string();
        join_arms(&mut status);
        assert_eq!(status.to_token_stream().to_string(), before);
    }
}
