//! Operations that cannot be undone say so first. progenitor's
//! documentation of a method starts with the operation's summary; the
//! spec's `x-irreversible` note goes before it, so that a caller reads it
//! before anything else (and rustdoc shows it as the method's one line).

use syn::{ImplItemFn, parse_quote};

/// How the note starts.
pub const MARK: &str = "**Cannot be undone.**";

/// Puts `note` at the head of `method`'s documentation.
pub fn warn(method: &mut ImplItemFn, note: &str) {
    let first = format!("{MARK} {note}");
    method.attrs.splice(
        0..0,
        [parse_quote!(#[doc = #first]), parse_quote!(#[doc = ""])],
    );
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn the_note_comes_before_progenitors_documentation() {
        let mut method: ImplItemFn = parse_quote! {
            #[doc = "Update One Policy"]
            pub fn update_policy(&self) -> builder::UpdatePolicy<'_> { todo!() }
        };
        warn(&mut method, "Enabling it needs a support ticket to undo.");
        let docs: Vec<String> = method
            .attrs
            .iter()
            .map(|a| a.meta.to_token_stream().to_string())
            .collect();
        assert_eq!(
            docs,
            [
                "doc = \"**Cannot be undone.** Enabling it needs a support ticket to undo.\"",
                "doc = \"\"",
                "doc = \"Update One Policy\"",
            ]
        );
    }
}
