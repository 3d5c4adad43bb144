//! progenitor's output cut down, before it is parsed, to what the diff
//! reads of it. Parsing the whole output of a large spec into a syntax
//! tree takes seconds and several hundred MiB, most of it for code whose
//! public items are its signatures alone.
//!
//! In `mod types` (typify's types, about three quarters of the output)
//! function bodies are left empty, trait impls keep their header alone
//! (but `Default`, whose body says which values typify's builders
//! require) and structs without a public field (typify's builders) their
//! name and one private field, which is all
//! [`crate::public_api::public_items`] and the diff's shapes read of them. In
//! `mod builder` the bodies of `send` are left empty: post-processing
//! cuts `send` into the private `build_request` and `decode` and changes,
//! in their bodies, only the HTTP headers, which its
//! [`Passes::Signatures`](crate::postprocess::Passes::Signatures) leave
//! alone; the setters stay whole, since their refusals change their
//! signatures.
//! The public items of the cut output are the same as of the whole one;
//! the tests of the diff's Rust API compare both.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// `tokens`, progenitor's output, cut as described above.
pub fn outline(tokens: TokenStream) -> TokenStream {
    let mut module = None;
    tokens
        .into_iter()
        .map(|tree| {
            let rule = module.filter(|_| is_brace(&tree));
            module = match &tree {
                TokenTree::Ident(i) if i == "types" => Some(Rule::Types),
                TokenTree::Ident(i) if i == "builder" => Some(Rule::Builder),
                _ => None,
            };
            match (tree, rule) {
                (TokenTree::Group(group), Some(rule)) => {
                    regroup(&group, items(group.stream(), rule))
                }
                (tree, _) => tree,
            }
        })
        .collect()
}

/// What is left out of a module.
#[derive(Clone, Copy)]
enum Rule {
    /// Every function body, the contents of every trait impl and the
    /// fields of structs with no public field.
    Types,
    /// The bodies of `send`.
    Builder,
}

/// What the item being read is, as far as its tokens so far tell.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Other,
    Function,
    Struct,
    Module,
    InherentImpl,
    TraitImpl,
    /// `impl Default for …`, whose body a builder's required values are
    /// read from.
    DefaultImpl,
}

/// A list of items (a module's or an inherent impl's), cut by `rule`.
fn items(stream: TokenStream, rule: Rule) -> TokenStream {
    let mut out = Vec::new();
    let mut kind = Kind::Other;
    let mut trees = stream.into_iter().peekable();
    let mut after_default = false;
    while let Some(tree) = trees.next() {
        let next = trees.peek();
        let default_before = std::mem::replace(
            &mut after_default,
            matches!(&tree, TokenTree::Ident(i) if i == "Default"),
        );
        match &tree {
            // `fn name`, not the pointer type `fn(..)`.
            TokenTree::Ident(i) if i == "fn" => match (next, rule) {
                (Some(TokenTree::Ident(name)), Rule::Builder) if name != "send" => {
                    kind = Kind::Other;
                }
                (Some(TokenTree::Ident(_)), _) => kind = Kind::Function,
                _ => {}
            },
            TokenTree::Ident(i) if i == "mod" && kind == Kind::Other => kind = Kind::Module,
            TokenTree::Ident(i) if i == "struct" && kind == Kind::Other => kind = Kind::Struct,
            TokenTree::Ident(i) if i == "impl" && kind == Kind::Other => kind = Kind::InherentImpl,
            // `impl Trait for Type`, not a bound `for<'a>`.
            TokenTree::Ident(i)
                if i == "for" && kind == Kind::InherentImpl && !is_punct(next, '<') =>
            {
                kind = if default_before {
                    Kind::DefaultImpl
                } else {
                    Kind::TraitImpl
                };
            }
            TokenTree::Punct(p) if p.as_char() == ';' => kind = Kind::Other,
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                // A brace group at this level ends the item.
                let cut = match (std::mem::replace(&mut kind, Kind::Other), rule) {
                    (Kind::Function, _) | (Kind::TraitImpl, Rule::Types) => {
                        Some(TokenStream::new())
                    }
                    // One private field stands for the fields left out,
                    // so that the struct still reads as one callers
                    // cannot build (the diff's shapes).
                    (Kind::Struct, Rule::Types) if !has_public_field(group) => {
                        Some(quote::quote!(outlined: ()))
                    }
                    (Kind::Module | Kind::InherentImpl, _) => Some(items(group.stream(), rule)),
                    (Kind::TraitImpl | Kind::DefaultImpl | Kind::Struct | Kind::Other, _) => None,
                };
                if let Some(inner) = cut {
                    out.push(regroup(group, inner));
                    continue;
                }
            }
            _ => {}
        }
        out.push(tree);
    }
    out.into_iter().collect()
}

/// Whether a struct's body has a `pub` field (or one `pub(..)`, which
/// is not listed, but kept to be safe).
fn has_public_field(body: &Group) -> bool {
    body.stream()
        .into_iter()
        .any(|tree| matches!(&tree, TokenTree::Ident(i) if i == "pub"))
}

fn is_punct(tree: Option<&TokenTree>, c: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_brace(tree: &TokenTree) -> bool {
    matches!(tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
}

/// `group`'s delimiter and span around `inner`.
fn regroup(group: &Group, inner: TokenStream) -> TokenTree {
    let mut cut = Group::new(group.delimiter(), inner);
    cut.set_span(group.span());
    TokenTree::Group(cut)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::outline;

    #[test]
    fn bodies_and_trait_impls_of_types_and_send_bodies_are_left_out() {
        let tokens = quote! {
            pub mod types {
                pub struct A { pub f: fn(u8) -> u8 }
                pub struct Hidden { f: Result<u8, String> }
                impl A { pub fn new() -> Self { todo!() } }
                impl ::std::fmt::Display for A { fn fmt(&self) -> u8 { 0 } }
                impl<F> A where for<'a> F: Fn(&'a u8) { pub fn g(&self) {} }
                pub mod builder {
                    impl B { pub fn x(self) -> Self { self } }
                    impl ::std::default::Default for B { fn default() -> Self { Self { x: Err(e) } } }
                }
                const C: A = A { f: g };
            }
            pub mod builder {
                impl B { pub fn send(self) { body() } pub fn x(self) -> Self { self } }
                impl Clone for B { fn clone(&self) -> Self { todo!() } }
            }
        };
        let cut = outline(tokens).to_string();
        let expected = quote! {
            pub mod types {
                pub struct A { pub f: fn(u8) -> u8 }
                pub struct Hidden { outlined: () }
                impl A { pub fn new() -> Self { } }
                impl ::std::fmt::Display for A { }
                impl<F> A where for<'a> F: Fn(&'a u8) { pub fn g(&self) {} }
                pub mod builder {
                    impl B { pub fn x(self) -> Self { } }
                    impl ::std::default::Default for B { fn default() -> Self { Self { x: Err(e) } } }
                }
                const C: A = A { f: g };
            }
            pub mod builder {
                impl B { pub fn send(self) { } pub fn x(self) -> Self { self } }
                impl Clone for B { fn clone(&self) -> Self { todo!() } }
            }
        };
        assert_eq!(cut, expected.to_string());
    }
}
