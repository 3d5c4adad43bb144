//! Each rule of the verdict on hand-written code, with and without what
//! makes it apply (`#[non_exhaustive]`, a sealed trait, a required value).

use syn::parse_quote;

use super::*;
use crate::diff::rust_api::{ChangedItem, RenamedMethod, compare_items};
use crate::public_api::public_items;

/// The verdict on the change from the code `old` to the code `new`.
fn verdict(old: syn::File, new: syn::File) -> Verdict {
    let changes = compare_items(&public_items(&old), &public_items(&new));
    judge(&Shapes::of(&old), &Shapes::of(&new), &changes)
}

/// `(rule, item)` of each reason.
fn reasons(verdict: &Verdict) -> Vec<(&str, &str)> {
    verdict
        .reasons
        .iter()
        .map(|r| (r.rule, r.item.as_str()))
        .collect()
}

#[test]
fn no_change_is_a_patch() {
    let code: syn::File = parse_quote! {
        pub mod types { pub struct Thing { pub id: String } }
    };
    let verdict = verdict(code.clone(), code);
    assert_eq!(verdict.release, Release::Patch);
    assert!(verdict.reasons.is_empty(), "{verdict:?}");
}

#[test]
fn a_removed_type_is_one_reason_and_major() {
    let old = parse_quote! {
        pub mod types {
            pub struct Thing { pub id: String }
            pub enum Status { Active, Other(String) }
            impl ::std::fmt::Display for Status { }
            impl From<Status> for String { }
            pub mod builder { pub struct Thing { id: Result<String, String> } }
        }
    };
    let new = parse_quote! {
        pub mod types {
            pub struct Thing { pub id: String }
            pub mod builder { pub struct Thing { id: Result<String, String> } }
        }
    };
    let verdict = verdict(old, new);
    assert_eq!(verdict.release, Release::Major);
    assert_eq!(reasons(&verdict), [("item-removed", "enum types::Status")]);
}

#[test]
fn a_removed_field_or_method_is_major() {
    let old = parse_quote! {
        pub mod types { pub struct Thing { pub id: String, pub name: String } }
        pub struct Client;
        impl Client { pub fn get_thing(&self) -> builder::GetThing<'_> { todo!() } }
        pub mod builder {
            pub struct GetThing<'a> { client: &'a Client }
            impl<'a> GetThing<'a> { pub fn send(self) {} }
        }
        pub trait MockServerExt { fn get_thing(&self); fn list_things(&self); }
    };
    // The operation's mock goes with it; another mock alone is one more.
    let new = parse_quote! {
        pub mod types { pub struct Thing { pub id: String } }
        pub struct Client;
        pub trait MockServerExt {}
    };
    assert_eq!(
        reasons(&verdict(old, new)),
        [
            ("item-removed", "field types::Thing.name"),
            ("item-removed", "fn Client::get_thing"),
            ("item-removed", "fn MockServerExt::list_things"),
            ("item-removed", "mod builder"),
        ]
    );
}

#[test]
fn a_renamed_method_is_major() {
    let changes = ApiChanges {
        renamed: vec![RenamedMethod {
            operation: "GET /things".into(),
            old: "list_things".into(),
            new: "get_things".into(),
        }],
        ..ApiChanges::default()
    };
    let verdict = judge(&Shapes::default(), &Shapes::default(), &changes);
    assert_eq!(verdict.release, Release::Major);
    assert_eq!(
        reasons(&verdict),
        [(
            "method-renamed",
            "fn Client::list_things → fn Client::get_things"
        )]
    );
}

#[test]
fn a_changed_type_is_major() {
    let old = parse_quote! { pub mod types { pub struct Thing { pub size: i64 } } };
    let new = parse_quote! { pub mod types { pub struct Thing { pub size: Option<i64> } } };
    assert_eq!(
        reasons(&verdict(old, new)),
        [("signature-changed", "field types::Thing.size")]
    );
    let changes = ApiChanges {
        changed: vec![ChangedItem {
            old: "fn Client::a(&self) -> u8".into(),
            new: "fn Client::a(&self) -> u16".into(),
        }],
        ..ApiChanges::default()
    };
    let verdict = judge(&Shapes::default(), &Shapes::default(), &changes);
    assert_eq!(reasons(&verdict), [("signature-changed", "fn Client::a")]);
}

#[test]
fn a_field_breaks_only_a_struct_callers_can_build() {
    let old = parse_quote! { pub mod types { pub struct Thing { pub id: String } } };
    let new = parse_quote! {
        pub mod types { pub struct Thing { pub id: String, pub color: Option<String> } }
    };
    let open = verdict(old, new);
    assert_eq!(open.release, Release::Major);
    assert_eq!(
        reasons(&open),
        [(
            "field-added-to-buildable-struct",
            "field types::Thing.color"
        )]
    );
    let old = parse_quote! {
        pub mod types { #[non_exhaustive] pub struct Thing { pub id: String } }
    };
    let new = parse_quote! {
        pub mod types {
            #[non_exhaustive]
            pub struct Thing { pub id: String, pub color: Option<String> }
        }
    };
    let closed = verdict(old, new);
    assert_eq!(closed.release, Release::Minor);
    assert_eq!(
        reasons(&closed),
        [("item-added", "field types::Thing.color")]
    );
    // A private field makes a literal impossible too.
    let old = parse_quote! { pub mod types { pub struct Thing { pub id: String, seal: () } } };
    let new = parse_quote! {
        pub mod types { pub struct Thing { pub id: String, pub color: u8, seal: () } }
    };
    assert_eq!(verdict(old, new).release, Release::Minor);
}

#[test]
fn a_variant_breaks_only_an_enum_callers_can_match_exhaustively() {
    let old = parse_quote! { pub mod types { pub enum Status { Active, Other(String) } } };
    let new = parse_quote! {
        pub mod types { pub enum Status { Active, Lost, Other(String) } }
    };
    assert_eq!(
        reasons(&verdict(old, new)),
        [(
            "variant-added-to-exhaustive-enum",
            "variant types::Status::Lost"
        )]
    );
    let old = parse_quote! {
        pub mod types { #[non_exhaustive] pub enum Status { Active, Other(String) } }
    };
    let new = parse_quote! {
        pub mod types { #[non_exhaustive] pub enum Status { Active, Lost, Other(String) } }
    };
    let closed = verdict(old, new);
    assert_eq!(closed.release, Release::Minor);
    assert_eq!(
        reasons(&closed),
        [("item-added", "variant types::Status::Lost")]
    );
}

#[test]
fn a_value_a_builder_requires_is_major() {
    // An operation's builder: a new required parameter.
    let old = parse_quote! {
        pub mod builder {
            pub struct GetThing<'a> { client: &'a Client, id: Result<String, String> }
            impl<'a> GetThing<'a> {
                pub fn new(client: &'a Client) -> Self {
                    Self { client: client, id: Err("id is required".to_string()) }
                }
                pub fn id<V>(mut self, value: V) -> Self { self }
            }
        }
    };
    let new = parse_quote! {
        pub mod builder {
            pub struct GetThing<'a> {
                client: &'a Client, id: Result<String, String>, zone: Result<String, String>,
                note: Result<Option<String>, String>,
            }
            impl<'a> GetThing<'a> {
                pub fn new(client: &'a Client) -> Self {
                    Self {
                        client: client,
                        id: Err("id is required".to_string()),
                        zone: Err("zone is required".to_string()),
                        note: Ok(None),
                    }
                }
                pub fn id<V>(mut self, value: V) -> Self { self }
                pub fn zone<V>(mut self, value: V) -> Self { self }
                pub fn note<V>(mut self, value: V) -> Self { self }
            }
        }
    };
    let verdict_of_parameters = verdict(old, new);
    assert_eq!(
        reasons(&verdict_of_parameters),
        [
            ("builder-value-required", "builder::GetThing.zone"),
            ("item-added", "fn builder::GetThing<'a>::note"),
            ("item-added", "fn builder::GetThing<'a>::zone"),
        ]
    );
    // typify's builder of a body: an optional property, then a required one.
    let body = |required: bool| -> syn::File {
        let color = if required {
            quote::quote!(Err("color is required".to_string()))
        } else {
            quote::quote!(Ok(Default::default()))
        };
        parse_quote! {
            pub mod types {
                pub mod builder {
                    pub struct Thing { id: Result<String, String>, color: Result<String, String> }
                    impl ::std::default::Default for Thing {
                        fn default() -> Self {
                            Self { id: Err("id is required".to_string()), color: #color }
                        }
                    }
                }
            }
        }
    };
    let became_required = verdict(body(false), body(true));
    assert_eq!(
        reasons(&became_required),
        [("builder-value-required", "types::builder::Thing.color")]
    );
    assert_eq!(verdict(body(true), body(false)).release, Release::Patch);
}

#[test]
fn a_method_breaks_only_a_trait_callers_can_implement() {
    let open_old = parse_quote! { pub trait MockServerExt { fn get_thing(&self); } };
    let open_new = parse_quote! {
        pub trait MockServerExt { fn get_thing(&self); fn list_things(&self); fn help(&self) {} }
    };
    assert_eq!(
        reasons(&verdict(open_old, open_new)),
        [("trait-method-added", "fn MockServerExt::list_things")]
    );
    let sealed_old = parse_quote! {
        pub trait MockServerExt: sealed::Sealed { fn get_thing(&self); }
        mod sealed { pub trait Sealed {} }
    };
    let sealed_new = parse_quote! {
        pub trait MockServerExt: sealed::Sealed { fn get_thing(&self); fn list_things(&self); }
        mod sealed { pub trait Sealed {} }
    };
    let sealed = verdict(sealed_old, sealed_new);
    assert_eq!(sealed.release, Release::Minor);
    assert_eq!(
        reasons(&sealed),
        [("item-added", "fn MockServerExt::list_things")]
    );
}

#[test]
fn sealing_a_trait_is_major() {
    let old = parse_quote! { pub trait Ext { fn a(&self); } };
    let new = parse_quote! {
        pub trait Ext: private::Sealed { fn a(&self); }
        mod private { pub trait Sealed {} }
    };
    assert_eq!(reasons(&verdict(old, new)), [("trait-sealed", "trait Ext")]);
}

#[test]
fn non_exhaustive_added_is_major_and_removed_minor() {
    let open: syn::File = parse_quote! {
        pub mod types {
            pub struct Thing { pub id: String }
            pub struct Hidden { pub id: String, seal: () }
            pub enum Status { Active }
        }
    };
    let closed: syn::File = parse_quote! {
        pub mod types {
            #[non_exhaustive]
            pub struct Thing { pub id: String }
            #[non_exhaustive]
            pub struct Hidden { pub id: String, seal: () }
            #[non_exhaustive]
            pub enum Status { Active }
        }
    };
    assert_eq!(
        reasons(&verdict(open.clone(), closed.clone())),
        [
            ("non-exhaustive-added", "enum types::Status"),
            ("non-exhaustive-added", "struct types::Thing"),
        ]
    );
    let opened = verdict(closed, open);
    assert_eq!(opened.release, Release::Minor);
    assert_eq!(
        reasons(&opened),
        [
            ("non-exhaustive-removed", "enum types::Status"),
            ("non-exhaustive-removed", "struct types::Hidden"),
            ("non-exhaustive-removed", "struct types::Thing"),
        ]
    );
}

/// How the public-API listing may show the attribute: a line of its own,
/// which the shapes judge, not the lines.
#[test]
fn an_attribute_line_is_left_to_the_shapes() {
    let changes = ApiChanges {
        added: vec!["#[non_exhaustive] types::Thing".into()],
        removed: vec!["#[non_exhaustive] types::Other".into()],
        ..ApiChanges::default()
    };
    let verdict = judge(&Shapes::default(), &Shapes::default(), &changes);
    assert_eq!(verdict.release, Release::Patch, "{verdict:?}");
}

#[test]
fn an_added_type_or_operation_is_one_minor_reason() {
    let old = parse_quote! {
        pub mod types { pub struct Thing { pub id: String } }
        pub struct Client;
    };
    let new = parse_quote! {
        pub mod types {
            pub struct Thing { pub id: String }
            pub struct Zone { pub name: String }
            impl ::std::fmt::Display for Zone { }
        }
        pub struct Client;
        impl Client { pub fn get_zone(&self) -> builder::GetZone<'_> { todo!() } }
        pub mod builder {
            pub struct GetZone<'a> { client: &'a Client, id: Result<String, String> }
            impl<'a> GetZone<'a> {
                pub fn new(client: &'a Client) -> Self {
                    Self { client: client, id: Err("id is required".to_string()) }
                }
                pub fn send(self) {}
            }
        }
    };
    let verdict = verdict(old, new);
    assert_eq!(verdict.release, Release::Minor);
    assert_eq!(
        reasons(&verdict),
        [
            ("item-added", "fn Client::get_zone"),
            ("item-added", "mod builder"),
            ("item-added", "struct types::Zone"),
        ]
    );
}

#[test]
fn deprecation_is_minor() {
    let old = parse_quote! { pub struct Client; impl Client { pub fn a(&self) {} } };
    let new = parse_quote! {
        pub struct Client;
        impl Client { #[deprecated] pub fn a(&self) {} }
    };
    assert_eq!(
        reasons(&verdict(old, new)),
        [("item-deprecated", "fn Client::a")]
    );
}

#[test]
fn breaking_reasons_come_first() {
    let old = parse_quote! {
        pub mod types { pub struct Thing { pub id: String } pub enum Gone { A } }
    };
    let new = parse_quote! {
        pub mod types { pub struct Thing { pub id: String } pub struct Zone { pub name: String } }
    };
    let verdict = verdict(old, new);
    assert_eq!(
        reasons(&verdict),
        [
            ("item-removed", "enum types::Gone"),
            ("item-added", "struct types::Zone"),
        ]
    );
    assert_eq!(verdict.reasons_of(Release::Minor).count(), 1);
}

#[test]
fn every_rule_is_tested_here() {
    let source = include_str!("tests.rs");
    for rule in ALL {
        assert!(
            source.contains(&format!("\"{}\"", rule.id)),
            "no test names {}",
            rule.id
        );
    }
}

#[test]
fn versions_before_one_bump_the_minor_number_for_a_major_change() {
    for (current, release, next) in [
        ("0.1.0", Release::Major, "0.2.0"),
        ("0.1.3", Release::Minor, "0.1.4"),
        ("0.1.3", Release::Patch, "0.1.4"),
        ("0.0.7", Release::Major, "0.0.8"),
        ("1.2.3", Release::Major, "2.0.0"),
        ("1.2.3", Release::Minor, "1.3.0"),
        ("1.2.3", Release::Patch, "1.2.4"),
    ] {
        assert_eq!(
            next_version(current, release).unwrap(),
            next,
            "{current} {release}"
        );
    }
    assert_eq!(
        pre_release_note("0.1.0", Release::Major),
        Some("before 1.0 a major change bumps the minor number")
    );
    assert_eq!(pre_release_note("1.0.0", Release::Major), None);
    let error = next_version("0.1", Release::Major).unwrap_err();
    assert_eq!(
        error.to_string(),
        "`0.1` is not a version of three numbers (x.y.z)"
    );
}

#[test]
fn the_version_is_read_from_the_package_table() {
    let manifest = "[workspace]\nversion = \"9.9.9\"\n\n[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[dependencies]\nversion = \"1\"\n";
    assert_eq!(package_version(manifest).unwrap(), "0.1.0");
    let error = package_version("[package]\nversion.workspace = true\n").unwrap_err();
    assert_eq!(error.to_string(), "no version in the [package] table");
}
