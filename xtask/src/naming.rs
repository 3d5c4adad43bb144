//! The Rust names progenitor 0.15 and typify 0.8 give what the spec
//! names, mirrored in one place: post-processing finds the generated items
//! by them, the command line's table calls them, and the diff pairs them.
//!
//! Both generators clean a name the same way before they case it: `'`
//! dropped, and what cannot be in an identifier made a word break
//! ([`sanitize`]). A method's or a field's name that starts with a digit
//! or is a keyword is mended as theirs are ([`rust_method_name`]); a type's
//! name that does is not, as none of Atlas's documents has one, except
//! where typify names enum variants ([`typify_names_variants`]).

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The method of an operation on `Client`: its operationId in snake case,
/// mended as progenitor mends it: a name that starts with a digit takes a
/// `_` before it (`_2fa`), and a keyword one after it (`type_`).
pub fn rust_method_name(operation_id: &str) -> String {
    let name = underscored_if_digit_led(sanitize(operation_id).to_snake_case());
    if syn::parse_str::<syn::Ident>(&name).is_ok() {
        name
    } else {
        format!("{name}_")
    }
}

/// The builder of an operation (`builder::X`), whose name also starts the
/// types progenitor names after the operation: its operationId in Pascal
/// case, after a `_` if it starts with a digit.
pub fn rust_builder_name(operation_id: &str) -> String {
    underscored_if_digit_led(sanitize(operation_id).to_upper_camel_case())
}

/// `name` after a `_` if it starts with a digit, which no identifier may.
fn underscored_if_digit_led(name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// The `Then` of an operation's typed mock, which gives its answers.
pub fn mock_then_name(operation_id: &str) -> String {
    rust_builder_name(&format!("{operation_id}-then"))
}

/// The field and setter of an operation's builder for the parameter
/// `name`, and the setter of a body builder for the property `name`:
/// named as a method is.
pub fn rust_field_name(name: &str) -> String {
    rust_method_name(name)
}

/// The type typify makes of the component schema `schema`: cased as a
/// builder is.
pub fn rust_type_name(schema: &str) -> String {
    rust_builder_name(schema)
}

/// The type progenitor names a request body written inline with.
pub fn inline_body_type_name(operation_id: &str) -> String {
    rust_builder_name(&format!("{operation_id}-body"))
}

/// The type typify names the property `property` of the type `parent`
/// with, when the property is an enum or a constrained string written
/// inline.
pub fn inline_property_type_name(parent: &str, property: &str) -> String {
    format!("{parent}{}", sanitize(property).to_upper_camel_case())
}

/// Whether typify 0.8 names the variants of an enum of `values` apart: it
/// tries each value in Pascal case, a name that does not start with a
/// letter prefixed with `X`, then again with `_` and what cannot be in an
/// identifier written `X`.
pub fn typify_names_variants(values: &[&str]) -> bool {
    let name = |value: &str| {
        let name = sanitize(value).to_upper_camel_case();
        match name.chars().next() {
            Some(c) if c.is_alphabetic() => name,
            _ => format!("X{name}"),
        }
    };
    let distinct = |names: Vec<String>| {
        let count = names.len();
        names.into_iter().collect::<HashSet<_>>().len() == count
    };
    distinct(values.iter().map(|v| name(v)).collect())
        || distinct(
            values
                .iter()
                .map(|v| name(&v.replace(|c| c == '_' || !in_identifier(c), "X")))
                .collect(),
        )
}

/// `name` with `'` dropped and each character that cannot be in an
/// identifier made `-`, a word break for the casing that follows.
fn sanitize(name: &str) -> String {
    name.replace('\'', "").replace(|c| !in_identifier(c), "-")
}

fn in_identifier(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names come from progenitor itself: a spec with awkward
    /// operationIds is generated and its `Client` methods and the
    /// builders they return read back.
    #[test]
    fn method_names_are_progenitors() {
        let ids = [
            "getServerlessSnapshotV1",
            "listServerlessSnapshotsV1",
            "get-legacy.snapshot",
            "HTTPSnapshotURL",
            "it's_mine",
            "list things 2",
            "type",
            "2fa-check",
        ];
        let paths: serde_json::Map<String, serde_json::Value> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let get = serde_json::json!({"get": {"operationId": id,
                    "responses": {"204": {"description": "none"}}}});
                (format!("/op{i}"), get)
            })
            .collect();
        let document = serde_json::json!({"openapi": "3.0.3",
            "info": {"title": "t", "version": "1"}, "paths": paths});
        let openapi: openapiv3::OpenAPI = serde_json::from_value(document).unwrap();
        let tokens = crate::generate::client_tokens(&openapi, &[]).unwrap();
        let file: syn::File = syn::parse2(tokens).unwrap();
        let client_methods = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(i) if i.trait_.is_none() => Some(i),
                _ => None,
            })
            .filter(|i| crate::postprocess::syntax::is_named(&i.self_ty, "Client"))
            .flat_map(|i| &i.items)
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f),
                _ => None,
            })
            .filter(|f| !matches!(f.sig.ident.to_string().as_str(), "new" | "new_with_client"));
        let mut generated: Vec<(String, String)> = client_methods
            .map(|f| {
                let syn::ReturnType::Type(_, builder) = &f.sig.output else {
                    panic!("{} returns nothing", f.sig.ident);
                };
                let builder = crate::postprocess::syntax::type_name(builder).unwrap();
                (f.sig.ident.to_string(), builder.to_string())
            })
            .collect();
        generated.sort();
        let mut ours: Vec<(String, String)> = ids
            .iter()
            .map(|id| (rust_method_name(id), rust_builder_name(id)))
            .collect();
        ours.sort();
        assert_eq!(ours, generated);
    }

    /// The setters of parameters come from progenitor too, keywords
    /// among them.
    #[test]
    fn parameter_setters_are_progenitors() {
        let names = ["type", "itemsPerPage", "match", "group-id", "2fa"];
        let parameters: Vec<serde_json::Value> = names
            .iter()
            .map(|name| serde_json::json!({"name": name, "in": "query", "schema": {"type": "string"}}))
            .collect();
        let document = serde_json::json!({"openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"get": {"operationId": "listThings",
                "parameters": parameters,
                "responses": {"204": {"description": "none"}}}}}});
        let openapi: openapiv3::OpenAPI = serde_json::from_value(document).unwrap();
        let tokens = crate::generate::client_tokens(&openapi, &[]).unwrap();
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        let builder = crate::postprocess::syntax::builder_impl(&mut file, "list_things").unwrap();
        let mut generated: Vec<String> = builder
            .items
            .iter()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .filter(|name| !matches!(name.as_str(), "new" | "send" | "build_request"))
            .collect();
        generated.sort();
        let mut ours: Vec<String> = names.iter().map(|name| rust_field_name(name)).collect();
        ours.sort();
        assert_eq!(ours, generated);
    }

    #[test]
    fn typify_tells_variants_apart_when_their_names_differ() {
        assert!(typify_names_variants(&["AWS", "azure", "m10_nvme", "a b"]));
        assert!(
            typify_names_variants(&["a_b", "aB"]),
            "told apart on the second try"
        );
        assert!(!typify_names_variants(&["<", ">"]));
        assert!(!typify_names_variants(&["a", "A"]));
    }
}
