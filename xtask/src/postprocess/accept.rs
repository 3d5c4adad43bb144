//! The versioned `Accept` header progenitor cannot send.

use anyhow::{Result, bail};
use syn::visit_mut::VisitMut;
use syn::{ImplItemFn, LitStr};

/// The media type progenitor asks for on every typed response.
const PLAIN_JSON: &str = "application/json";

/// Replaces the one `application/json` literal of `send`, the value of its
/// `Accept` header, with `accept`.
pub fn set(send: &mut ImplItemFn, accept: &str) -> Result<()> {
    struct Replace<'a> {
        accept: &'a str,
        count: usize,
    }
    impl VisitMut for Replace<'_> {
        fn visit_lit_str_mut(&mut self, lit: &mut LitStr) {
            if lit.value() == PLAIN_JSON {
                *lit = LitStr::new(self.accept, lit.span());
                self.count += 1;
            }
        }
    }
    let mut replace = Replace { accept, count: 0 };
    replace.visit_impl_item_fn_mut(send);
    if replace.count != 1 {
        bail!(
            "expected one `{PLAIN_JSON}` Accept value in the generated `send`, found {}",
            replace.count
        );
    }
    Ok(())
}
