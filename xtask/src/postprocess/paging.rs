//! Streams for operations that page with `pageNum` and `itemsPerPage`: the
//! builder gets `stream()` (items) and `pages()`, driven by the runtime's
//! pager through the `PagedRequest` and `Page` traits implemented here.

use anyhow::{Context, Result, bail};
use quote::format_ident;
use syn::{Fields, Item, parse_quote};

use super::syntax::{first_type_argument, module_items, type_name};
use crate::facts::{PAGE_ITEMS_PROPERTY, PAGE_NUMBER_PARAMETER, PAGE_SIZE_PARAMETER, Paging};
use crate::naming::rust_field_name;

/// Adds paging to the builder `builder` whose success body is `page`.
pub fn add(
    file: &mut syn::File,
    builder: &syn::Ident,
    page: &syn::Type,
    paging: &Paging,
) -> Result<()> {
    let page_name = type_name(page).context("the paged body is not a named type")?;
    let item = item_type(module_items(file, "types")?, page_name)?;
    let items_field = format_ident!("{PAGE_ITEMS_PROPERTY}");
    let page_field = format_ident!("{}", rust_field_name(PAGE_NUMBER_PARAMETER));
    let size_field = format_ident!("{}", rust_field_name(PAGE_SIZE_PARAMETER));
    let default_size = paging.default_page_size;

    let added: [Item; 3] = [
        parse_quote! {
            impl<'a> #builder<'a> {
                /// Every item of every page from the one set with
                /// `page_num` (or the first), fetched one page at a time;
                /// at most one page is held in memory.
                pub fn stream(self) -> impl crate::paging::Stream<
                    Item = ::std::result::Result<types::#item, crate::Error>,
                > + ::std::marker::Send + 'a {
                    crate::paging::items(self)
                }

                /// Every page from the one set with `page_num` (or the
                /// first), fetched when the stream is polled.
                pub fn pages(self) -> impl crate::paging::Stream<
                    Item = ::std::result::Result<#page, crate::Error>,
                > + ::std::marker::Send + 'a {
                    crate::paging::pages(self)
                }
            }
        },
        parse_quote! {
            impl crate::paging::PagedRequest for #builder<'_> {
                type Page = #page;
                const DEFAULT_PAGE_SIZE: u32 = #default_size;

                fn position(
                    &self,
                ) -> ::std::result::Result<
                    (::std::option::Option<u32>, ::std::option::Option<u32>),
                    crate::Error,
                > {
                    let invalid = |message: &String| Self::OPERATION.invalid_request(message);
                    let page = (*self.#page_field.as_ref().map_err(invalid)?).map(u32::from);
                    let size = (*self.#size_field.as_ref().map_err(invalid)?).map(u32::from);
                    Ok((page, size))
                }

                fn at(self, page: u32, size: u32) -> Self {
                    self.#page_field(page).#size_field(size)
                }

                fn send_page(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<Self::Page, crate::Error>,
                > + ::std::marker::Send {
                    async move { self.send().await.map(ResponseValue::into_inner) }
                }
            }
        },
        parse_quote! {
            impl crate::paging::Page for #page {
                type Item = types::#item;

                fn len(&self) -> usize {
                    self.#items_field.len()
                }

                fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                    self.#items_field
                }
            }
        },
    ];
    module_items(file, "builder")?.extend(added);
    Ok(())
}

/// The element type of the `results` field of the struct `page`.
fn item_type(types: &[Item], page: &syn::Ident) -> Result<syn::Ident> {
    let fields = types
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if &s.ident == page => Some(&s.fields),
            _ => None,
        })
        .with_context(|| format!("no generated struct `{page}`"))?;
    let Fields::Named(fields) = fields else {
        bail!("`{page}` has no named fields");
    };
    let field = fields
        .named
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == PAGE_ITEMS_PROPERTY))
        .with_context(|| format!("`{page}` has no field `{PAGE_ITEMS_PROPERTY}`"))?;
    first_type_argument(&field.ty)
        .and_then(type_name)
        .cloned()
        .with_context(|| format!("`{page}.{PAGE_ITEMS_PROPERTY}` is not a list of a named type"))
}
