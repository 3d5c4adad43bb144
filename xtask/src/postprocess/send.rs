//! Routes every operation through the hand-written runtime. progenitor's
//! `send` builds a request, sends it through its hooks and decodes the
//! answer; it is cut in two where it sends, into the private
//! `build_request` and `decode`, and a new `send` checks parameter bounds
//! and listed values and hands both to `runtime::exec`, which sends the request with the
//! client's credentials and retries and turns every failure, an
//! authentication or transport failure included, into the crate's one
//! error type.

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Block, Expr, ImplItem, ImplItemFn, ItemImpl, Pat, Stmt, parse_quote};

use super::syntax::{first_type_argument, impl_fn};
use crate::facts::{OperationFacts, ParameterBounds, ParameterChoices};
use crate::naming::rust_field_name;

/// The private halves of progenitor's `send`.
const BUILD_REQUEST: &str = "build_request";
const DECODE: &str = "decode";
/// The builder's field that holds the client.
const CLIENT_FIELD: &str = "client";

/// Whether the generated `send` is cut in two, or was left without a body
/// (`crate::generate::outline`) and is only replaced.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Body {
    Whole,
    LeftOut,
}

/// Replaces the `send` of `builder`, whose struct has `fields`, and
/// returns the type of the success body.
pub fn wrap(
    builder: &mut ItemImpl,
    fact: &OperationFacts,
    fields: &[String],
    body: Body,
) -> Result<syn::Type> {
    for name in [BUILD_REQUEST, DECODE] {
        if impl_fn(builder, name).is_some() {
            bail!("the builder already has a `{name}`, which `send` would be cut into");
        }
    }
    if !fields.iter().any(|f| f == CLIENT_FIELD) {
        bail!("the builder has no field `{CLIENT_FIELD}`");
    }
    let position = builder
        .items
        .iter()
        .position(|item| matches!(item, ImplItem::Fn(f) if f.sig.ident == "send"))
        .context("the builder has no `send`")?;
    let ImplItem::Fn(generated) = builder.items.remove(position) else {
        unreachable!("the item was matched as a function");
    };
    let syn::ReturnType::Type(_, returned) = &generated.sig.output else {
        bail!("the generated `send` returns nothing");
    };
    let response = first_type_argument(returned)
        .context("the generated `send` does not return a `Result`")?
        .clone();
    let body_type = first_type_argument(&response)
        .context("the generated `send` does not return a `ResponseValue`")?
        .clone();
    let mut added = Vec::new();
    if body == Body::Whole {
        added.extend(cut(&generated, returned)?);
    }

    let checks = fact
        .bounds
        .iter()
        .map(|bounds| bounds_check(bounds, fields))
        .chain(
            fact.choices
                .iter()
                .map(|choices| choices_check(choices, fields)),
        )
        .collect::<Result<Vec<_>>>()?;
    let id = &fact.operation_id;
    let deprecation = match &fact.deprecation {
        Some(note) => quote!(::std::option::Option::Some(#note)),
        None => quote!(::std::option::Option::None),
    };
    let (client, build_request, decode) = (
        format_ident!("{CLIENT_FIELD}"),
        format_ident!("{BUILD_REQUEST}"),
        format_ident!("{DECODE}"),
    );
    added.splice(
        0..0,
        [
            parse_quote! {
                const OPERATION: crate::runtime::Operation = crate::runtime::Operation {
                    id: #id,
                    deprecation: #deprecation,
                };
            },
            parse_quote! {
                /// Sends the request: authenticates, retries what is safe to
                /// retry, and decodes the answer.
                ///
                /// # Errors
                ///
                /// A [`crate::Error`]; a missing or invalid parameter fails
                /// before anything is sent.
                pub async fn send(self) -> ::std::result::Result<#response, crate::Error> {
                    #(#checks)*
                    let client = self.#client;
                    crate::runtime::exec(Self::OPERATION, client, self.#build_request(), Self::#decode)
                        .await
                }
            },
        ],
    );
    builder.items.splice(position..position, added);
    Ok(body_type)
}

/// progenitor's `send` cut where it sends: everything before, which builds
/// the request, and everything after, which decodes the answer. Between
/// them are progenitor's hooks, which the runtime replaces:
///
/// ```text
/// let info = OperationInfo { .. };
/// client.pre(&mut request, &info).await?;
/// let result = client.exec(request, &info).await;
/// client.post(&result, &info).await?;
/// let response = result?;
/// ```
fn cut(generated: &ImplItemFn, returned: &syn::Type) -> Result<[ImplItem; 2]> {
    const SHAPE: &str = "`let info`, `client.pre`, `let result = client.exec(request, &info)`, \
                         `client.post` and `let response = result?`";
    let statements = &generated.block.stmts;
    let sends = statements
        .iter()
        .enumerate()
        .filter(|(_, stmt)| method_call(stmt, "exec").is_some())
        .map(|(at, _)| at)
        .collect::<Vec<_>>();
    let [exec] = sends[..] else {
        bail!(
            "expected one `client.exec(request, &info)` in the generated `send`, found {}",
            sends.len()
        );
    };
    let hooks = exec
        .checked_sub(2)
        .map(|first| (first, &statements[first..]));
    let Some((first, [info, pre, send, post, unwrap, ..])) = hooks else {
        bail!("expected {SHAPE} in the generated `send`");
    };
    let shaped = binds(info, "info")
        && method_call(pre, "pre").is_some()
        && binds(send, "result")
        && method_call(post, "post").is_some()
        && binds(unwrap, "response");
    let Some(Expr::MethodCall(exec_call)) = method_call(send, "exec") else {
        bail!("expected {SHAPE} in the generated `send`");
    };
    let Some(request) = exec_call.args.first().filter(|_| shaped) else {
        bail!("expected {SHAPE} in the generated `send`");
    };
    let error = error_type(returned)?;
    let building: Vec<Stmt> = statements[..first].to_vec();
    let decoding = Block {
        brace_token: generated.block.brace_token,
        stmts: statements[first + 5..].to_vec(),
    };
    let (build_request, decode) = (format_ident!("{BUILD_REQUEST}"), format_ident!("{DECODE}"));
    Ok([
        parse_quote! {
            fn #build_request(self) -> ::std::result::Result<::reqwest::Request, #error> {
                #(#building)*
                ::std::result::Result::Ok(#request)
            }
        },
        parse_quote! {
            async fn #decode(response: ::reqwest::Response) -> #returned #decoding
        },
    ])
}

/// The method call `name` on `client` that `stmt` makes, awaited or not,
/// as an expression statement or a `let`.
fn method_call<'a>(stmt: &'a Stmt, name: &str) -> Option<&'a Expr> {
    let mut expr = match stmt {
        Stmt::Expr(expr, _) => expr,
        Stmt::Local(local) => &*local.init.as_ref()?.expr,
        _ => return None,
    };
    loop {
        expr = match expr {
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::MethodCall(call)
                if call.method == name
                    && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("client")) =>
            {
                return Some(expr);
            }
            _ => return None,
        };
    }
}

/// Whether `stmt` is `let name = …;`.
fn binds(stmt: &Stmt, name: &str) -> bool {
    matches!(stmt, Stmt::Local(local) if matches!(&local.pat, Pat::Ident(p) if p.ident == name))
}

/// `E` of `Result<T, E>`.
fn error_type(returned: &syn::Type) -> Result<&syn::Type> {
    let syn::Type::Path(path) = returned else {
        bail!("the generated `send` does not return a `Result`");
    };
    let arguments = match &path.path.segments.last().map(|s| &s.arguments) {
        Some(syn::PathArguments::AngleBracketed(arguments)) => arguments,
        _ => bail!("the generated `send` does not return a `Result<T, E>`"),
    };
    let types: Vec<&syn::Type> = arguments
        .args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect();
    match types[..] {
        [_, error] => Ok(error),
        _ => bail!("the generated `send` does not return a `Result<T, E>`"),
    }
}

/// The builder's field of the parameter `name`, which has `what`.
fn checked_field(name: &str, what: &str, fields: &[String]) -> Result<String> {
    let field = rust_field_name(name);
    if !fields.contains(&field) {
        bail!("parameter {name} has {what} but the builder has no field `{field}`");
    }
    Ok(field)
}

fn bounds_check(bounds: &ParameterBounds, fields: &[String]) -> Result<TokenStream> {
    let field = checked_field(&bounds.name, "bounds", fields)?;
    // The setter's name, as the other refusals of the builder say it.
    let name = field.clone();
    let field = format_ident!("{field}");
    let bound = |value: Option<i64>| match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    let (minimum, maximum) = (bound(bounds.minimum), bound(bounds.maximum));
    Ok(quote! {
        Self::OPERATION.check_bounds(#name, &self.#field, #minimum, #maximum)?;
    })
}

/// Refuses a value of an enum parameter that the spec does not list,
/// which the generated enum keeps as `Unrecognized`.
fn choices_check(choices: &ParameterChoices, fields: &[String]) -> Result<TokenStream> {
    let field = checked_field(&choices.name, "listed values", fields)?;
    let name = field.clone();
    let field = format_ident!("{field}");
    let value = if choices.required {
        quote!(self.#field.as_ref().ok().map(|value| value.as_str()))
    } else {
        quote!(self.#field.as_ref().ok().and_then(|value| value.as_ref()).map(|value| value.as_str()))
    };
    let values = &choices.values;
    Ok(quote! {
        Self::OPERATION.check_listed(#name, #value, &[#(#values),*])?;
    })
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn fact() -> OperationFacts {
        OperationFacts {
            operation_id: "getThing".into(),
            media_types: Default::default(),
            deprecation: None,
            irreversible: None,
            bounds: Vec::new(),
            choices: Vec::new(),
            paging: None,
            bodiless_success: Vec::new(),
            concessions: Vec::new(),
        }
    }

    fn fields() -> Vec<String> {
        vec!["client".into(), "thing_id".into()]
    }

    fn impl_with(send: TokenStream) -> ItemImpl {
        parse_quote! {
            impl<'a> GetThing<'a> {
                pub fn new(client: &'a super::Client) -> Self { todo!() }
                #send
            }
        }
    }

    fn progenitor_send() -> TokenStream {
        quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ApiError>> {
                let Self { client, thing_id } = self;
                let thing_id = thing_id.map_err(Error::InvalidRequest)?;
                #[allow(unused_mut)]
                let mut request = client.client.get(url).build()?;
                let info = OperationInfo { operation_id: "get_thing" };
                client.pre(&mut request, &info).await?;
                let result = client.exec(request, &info).await;
                client.post(&result, &info).await?;
                let response = result?;
                match response.status().as_u16() {
                    200u16 => ResponseValue::from_response(response).await,
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        }
    }

    fn function(builder: &mut ItemImpl, name: &str) -> String {
        impl_fn(builder, name)
            .unwrap_or_else(|| panic!("no `{name}`"))
            .to_token_stream()
            .to_string()
    }

    #[test]
    fn send_is_cut_where_it_sends_and_the_runtime_sends() {
        let mut builder = impl_with(progenitor_send());
        let body = wrap(&mut builder, &fact(), &fields(), Body::Whole).unwrap();
        assert_eq!(body.to_token_stream().to_string(), "types :: Thing");

        let send = function(&mut builder, "send");
        assert!(
            send.contains(
                "let client = self . client ; crate :: runtime :: exec (Self :: OPERATION , \
                 client , self . build_request () , Self :: decode) . await"
            ),
            "{send}"
        );
        let build = function(&mut builder, "build_request");
        assert!(
            build.starts_with(
                "fn build_request (self) -> :: std :: result :: Result < :: reqwest :: Request , \
                 Error < types :: ApiError > >"
            ),
            "{build}"
        );
        assert!(
            build.ends_with(
                "let mut request = client . client . get (url) . build () ? ; \
                 :: std :: result :: Result :: Ok (request) }"
            ),
            "{build}"
        );
        let decode = function(&mut builder, "decode");
        assert!(
            decode.starts_with(
                "async fn decode (response : :: reqwest :: Response) -> \
                 Result < ResponseValue < types :: Thing > , Error < types :: ApiError > > \
                 { match response . status ()"
            ),
            "{decode}"
        );
        let all = builder.to_token_stream().to_string();
        for hook in ["info", ". pre", ". exec", ". post", "result ?"] {
            assert!(!all.contains(hook), "{hook} is left in {all}");
        }
    }

    #[test]
    fn a_send_without_progenitors_hooks_is_refused() {
        let mut builder = impl_with(quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ApiError>> {
                let request = client.client.get(url).build()?;
                let result = client.exec(request, &info).await;
                let response = result?;
                Ok(ResponseValue::empty(response))
            }
        });
        let error = wrap(&mut builder, &fact(), &fields(), Body::Whole)
            .err()
            .expect("a refusal");
        assert_eq!(
            error.to_string(),
            "expected `let info`, `client.pre`, `let result = client.exec(request, &info)`, \
             `client.post` and `let response = result?` in the generated `send`"
        );

        let mut builder = impl_with(quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ApiError>> {
                let result = client.client.execute(request).await;
                result
            }
        });
        let error = wrap(&mut builder, &fact(), &fields(), Body::Whole)
            .err()
            .expect("a refusal");
        assert_eq!(
            error.to_string(),
            "expected one `client.exec(request, &info)` in the generated `send`, found 0"
        );
    }

    #[test]
    fn a_name_taken_by_a_setter_is_refused() {
        let mut builder = impl_with(quote! {
            pub fn decode(self, value: bool) -> Self { self }
        });
        let error = wrap(&mut builder, &fact(), &fields(), Body::Whole)
            .err()
            .expect("a refusal");
        assert_eq!(
            error.to_string(),
            "the builder already has a `decode`, which `send` would be cut into"
        );
    }

    #[test]
    fn listed_values_are_checked_before_sending() {
        let mut builder = impl_with(progenitor_send());
        let mut fact = fact();
        fact.choices = vec![crate::facts::ParameterChoices {
            name: "thingId".into(),
            required: true,
            values: vec!["AWS".into(), "GCP".into()],
        }];
        wrap(&mut builder, &fact, &fields(), Body::Whole).unwrap();
        let send = function(&mut builder, "send");
        assert!(
            send.contains(
                "Self :: OPERATION . check_listed (\"thing_id\" , self . thing_id . as_ref () . ok () \
                 . map (| value | value . as_str ()) , & [\"AWS\" , \"GCP\"]) ?"
            ),
            "{send}"
        );
        fact.choices[0].name = "otherId".into();
        let mut builder = impl_with(progenitor_send());
        let error = wrap(&mut builder, &fact, &fields(), Body::Whole)
            .err()
            .expect("a refusal");
        assert_eq!(
            error.to_string(),
            "parameter otherId has listed values but the builder has no field `other_id`"
        );
    }

    #[test]
    fn a_send_left_without_a_body_is_only_replaced() {
        let mut builder = impl_with(quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ApiError>> {}
        });
        wrap(&mut builder, &fact(), &fields(), Body::LeftOut).unwrap();
        let all = builder.to_token_stream().to_string();
        assert!(!all.contains("fn build_request"), "{all}");
        assert!(
            function(&mut builder, "send")
                .contains("pub async fn send (self) -> :: std :: result :: Result < ResponseValue < types :: Thing > , crate :: Error >"),
            "{all}"
        );
    }
}
