//! The public items of generated Rust code, one line each, so that a change
//! to the crate's API reads as a short diff of lines.

use std::fmt::Write;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Visibility};

/// Lists the public items of `file`: types, fields, variants, functions,
/// methods and trait implementations, sorted. A `#[non_exhaustive]` type
/// has a line of its own, `#[non_exhaustive] types::A`: what callers can
/// build with a literal or match exhaustively is part of the API.
pub fn public_items(file: &syn::File) -> Vec<String> {
    let mut lines = Vec::new();
    collect(&file.items, "", &mut lines);
    lines.sort();
    lines.dedup();
    lines
}

fn collect(items: &[Item], prefix: &str, out: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                let inner = format!("{prefix}{}::", m.ident);
                out.push(format!("mod {}{}", prefix, m.ident));
                if let Some((_, items)) = &m.content {
                    collect(items, &inner, out);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let name = format!("{prefix}{}", s.ident);
                out.push(format!("struct {name}{}", deprecated(&s.attrs)));
                non_exhaustive(&name, &s.attrs, out);
                if let Fields::Named(fields) = &s.fields {
                    for field in fields.named.iter().filter(|f| is_pub(&f.vis)) {
                        let ident = field.ident.as_ref().map(ToString::to_string);
                        let ty = render(&field.ty);
                        out.push(format!("field {name}.{}: {ty}", ident.unwrap_or_default()));
                    }
                }
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let name = format!("{prefix}{}", e.ident);
                out.push(format!("enum {name}{}", deprecated(&e.attrs)));
                non_exhaustive(&name, &e.attrs, out);
                for variant in &e.variants {
                    let fields = match &variant.fields {
                        Fields::Unit => String::new(),
                        fields => render(fields),
                    };
                    out.push(format!("variant {name}::{}{fields}", variant.ident));
                }
            }
            Item::Fn(f) if is_pub(&f.vis) => {
                out.push(format!(
                    "{}{}",
                    signature(prefix, &f.sig),
                    deprecated(&f.attrs)
                ));
            }
            Item::Use(u) if is_pub(&u.vis) => {
                out.push(format!("use {prefix}{}", render(&u.tree)));
            }
            Item::Impl(i) => {
                let self_ty = format!("{prefix}{}", render(&i.self_ty));
                match &i.trait_ {
                    Some((_, t, _)) => out.push(format!("impl {} for {self_ty}", render(t))),
                    None => {
                        for f in i.items.iter().filter_map(|item| match item {
                            ImplItem::Fn(f) if is_pub(&f.vis) => Some(f),
                            _ => None,
                        }) {
                            let owner = format!("{self_ty}::");
                            out.push(format!(
                                "{}{}",
                                signature(&owner, &f.sig),
                                deprecated(&f.attrs)
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// `fn owner::name<generics>(inputs) -> output where ...`, `async` kept.
fn signature(owner: &str, sig: &syn::Signature) -> String {
    let asyncness = if sig.asyncness.is_some() {
        "async "
    } else {
        ""
    };
    let generics = &sig.generics;
    let where_clause = generics
        .where_clause
        .as_ref()
        .map(|w| format!(" {}", render(w)))
        .unwrap_or_default();
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        output => format!(" {}", render(output)),
    };
    format!(
        "{asyncness}fn {owner}{}{}({}){output}{where_clause}",
        sig.ident,
        render(generics),
        render(&sig.inputs),
    )
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn deprecated(attrs: &[syn::Attribute]) -> &'static str {
    if attrs.iter().any(|a| a.path().is_ident("deprecated")) {
        " #[deprecated]"
    } else {
        ""
    }
}

fn non_exhaustive(name: &str, attrs: &[syn::Attribute], out: &mut Vec<String>) {
    if crate::postprocess::non_exhaustive::is_non_exhaustive(attrs) {
        out.push(format!("#[non_exhaustive] {name}"));
    }
}

/// Tokens as one line of Rust, spaced as people write it.
fn render(tokens: &impl ToTokens) -> String {
    let mut out = String::new();
    push_tokens(tokens.to_token_stream(), &mut out);
    trim_trailing_comma(&mut out);
    out.trim().to_string()
}

fn push_tokens(stream: TokenStream, out: &mut String) {
    for token in stream {
        match token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '>')
                    && group.delimiter() == Delimiter::Brace
                {
                    out.push(' ');
                }
                out.push_str(open);
                push_tokens(group.stream(), out);
                trim_trailing_comma(out);
                out.push_str(close);
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ')') {
                    out.push(' ');
                }
                // Written in place, not through a string per token.
                let _ = write!(out, "{token}");
            }
            TokenTree::Punct(punct) => {
                let joint = punct.spacing() == Spacing::Joint;
                match punct.as_char() {
                    ',' => out.push_str(", "),
                    ';' => out.push_str("; "),
                    // The two halves of `::`; a lone `:` is followed by a space.
                    ':' if joint => out.push(':'),
                    ':' if out.ends_with(':') && !out.ends_with(": ") => out.push(':'),
                    ':' => out.push_str(": "),
                    '-' if joint => out.push_str(" -"),
                    '>' if out.ends_with(" -") => out.push_str("> "),
                    '>' => {
                        trim_trailing_comma(out);
                        out.push('>');
                    }
                    '=' => out.push_str(" = "),
                    '+' => out.push_str(" + "),
                    c => out.push(c),
                }
            }
        }
    }
}

fn trim_trailing_comma(out: &mut String) {
    let trimmed = out.trim_end().trim_end_matches(',').trim_end().len();
    out.truncate(trimmed);
}

#[cfg(test)]
mod tests {
    use super::public_items;

    #[test]
    fn lists_public_items_only() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Snapshot { pub id: Option<String>, secret: u8 }
                #[non_exhaustive]
                pub enum Status { Queued, Failed }
                struct Hidden;
            }
            pub struct Client;
            impl Client {
                #[deprecated(note = "gone")]
                pub fn get_snapshot(&self) -> u8 { 0 }
                fn private(&self) {}
            }
            impl std::fmt::Debug for Client { }
        };
        assert_eq!(
            public_items(&file),
            [
                "#[non_exhaustive] types::Status",
                "enum types::Status",
                "field types::Snapshot.id: Option<String>",
                "fn Client::get_snapshot(&self) -> u8 #[deprecated]",
                "impl std::fmt::Debug for Client",
                "mod types",
                "struct Client",
                "struct types::Snapshot",
                "variant types::Status::Failed",
                "variant types::Status::Queued",
            ]
        );
    }
}
