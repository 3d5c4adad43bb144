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
    let builders = module_items(file, "builder")?;
    let position = position_type(builders, builder, &page_field)?;
    if position != position_type(builders, builder, &size_field)? {
        bail!("`{builder}`: `{page_field}` and `{size_field}` are integers of different widths");
    }
    let too_large = format!("page_num and items_per_page must be at most {}", u32::MAX);

    let mut added: Vec<Item> = vec![
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
                    let narrow = |value: #position| {
                        u32::try_from(value).map_err(|_| invalid(&#too_large.to_string()))
                    };
                    let page = *self.#page_field.as_ref().map_err(invalid)?;
                    let size = *self.#size_field.as_ref().map_err(invalid)?;
                    Ok((
                        page.map(|p| narrow(#position::from(p))).transpose()?,
                        size.map(|s| narrow(#position::from(s))).transpose()?,
                    ))
                }

                fn at(self, page: u32, size: u32) -> Self {
                    self.#page_field(#position::from(page)).#size_field(#position::from(size))
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
    ];
    // Operations that answer the same page type share its one `Page`.
    if !implements_page(builders, page_name) {
        added.push(parse_quote! {
            impl crate::paging::Page for #page {
                type Item = types::#item;

                fn len(&self) -> usize {
                    self.#items_field.len()
                }

                fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                    self.#items_field
                }
            }
        });
    }
    module_items(file, "builder")?.extend(added);
    Ok(())
}

/// Whether `items` already implement the pager's `Page` for `page`.
fn implements_page(items: &[Item], page: &syn::Ident) -> bool {
    items.iter().any(|item| match item {
        Item::Impl(implementation) => {
            let is_page = implementation
                .trait_
                .as_ref()
                .and_then(|(_, path, _)| path.segments.last())
                .is_some_and(|segment| segment.ident == "Page");
            is_page && type_name(&implementation.self_ty) == Some(page)
        }
        _ => false,
    })
}

/// The primitive integer, `u32` or `u64`, of the paging parameter `field`
/// of the builder struct `builder` (`Result<Option<NonZeroU64>, _>` gives
/// `u64`): the pager's `u32` positions widen to it and narrow from it.
fn position_type(items: &[Item], builder: &syn::Ident, field: &syn::Ident) -> Result<syn::Ident> {
    let ty = items
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if &s.ident == builder => match &s.fields {
                Fields::Named(fields) => fields
                    .named
                    .iter()
                    .find(|f| f.ident.as_ref() == Some(field))
                    .map(|f| &f.ty),
                _ => None,
            },
            _ => None,
        })
        .with_context(|| format!("the builder struct `{builder}` has no field `{field}`"))?;
    let integer = first_type_argument(ty)
        .and_then(first_type_argument)
        .and_then(type_name)
        .with_context(|| format!("`{builder}.{field}` is not a `Result<Option<_>, _>`"))?;
    Ok(match integer.to_string().as_str() {
        "NonZeroU32" | "u32" => format_ident!("u32"),
        "NonZeroU64" | "u64" => format_ident!("u64"),
        other => bail!(
            "`{builder}.{field}` is `{other}`; a page number or size must be an unsigned integer (`minimum: 0` or more)"
        ),
    })
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
