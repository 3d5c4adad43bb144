//! A client is made by `Client::builder()`, which sets the timeouts and
//! the `User-Agent` and checks the base URL. progenitor's public
//! `Client::new` and `Client::new_with_client` skip all three: `new` is
//! removed, and `new_with_client`, which the builder calls, becomes
//! crate-private.

use anyhow::{Result, bail};
use syn::{ImplItem, Item, parse_quote};

use super::syntax::is_named;

/// Removes `Client::new` and makes `Client::new_with_client` crate-private.
pub fn builder_only(file: &mut syn::File) -> Result<()> {
    let (mut removed, mut hidden) = (0, 0);
    for item in &mut file.items {
        let Item::Impl(client) = item else {
            continue;
        };
        if client.trait_.is_some() || !is_named(&client.self_ty, "Client") {
            continue;
        }
        client.items.retain(|item| {
            let new = matches!(item, ImplItem::Fn(f) if f.sig.ident == "new");
            removed += usize::from(new);
            !new
        });
        for item in &mut client.items {
            if let ImplItem::Fn(f) = item
                && f.sig.ident == "new_with_client"
            {
                f.vis = parse_quote!(pub(crate));
                hidden += 1;
            }
        }
    }
    if (removed, hidden) != (1, 1) {
        bail!(
            "expected one `Client::new` and one `Client::new_with_client`, found {removed} and {hidden}"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_made_otherwise_is_refused() {
        let mut file: syn::File = parse_quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
            }
        };
        let error = builder_only(&mut file).unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected one `Client::new` and one `Client::new_with_client`, found 1 and 0"
        );
    }
}
