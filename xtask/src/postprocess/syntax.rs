//! Finding the parts of progenitor's output that post-processing changes.

use anyhow::{Context, Result};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{ImplItem, ImplItemFn, Item, ItemImpl, LitStr};

/// The items of the inline module `name` (`types` or `builder`).
pub fn module_items<'a>(file: &'a mut syn::File, name: &str) -> Result<&'a mut Vec<Item>> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .with_context(|| format!("progenitor's output has no `{name}` module"))
}

/// The `impl` of the builder that the client's method `method` returns,
/// the one with `send`. Found by that type, not by what `send` says, so
/// that it is found where bodies were left out ([`crate::generate::outline`]).
pub fn builder_impl<'a>(file: &'a mut syn::File, method: &str) -> Result<&'a mut ItemImpl> {
    let builder = match &client_method(file, method)?.sig.output {
        syn::ReturnType::Type(_, ty) => type_name(ty).cloned(),
        syn::ReturnType::Default => None,
    }
    .with_context(|| format!("`Client::{method}` does not return a named builder"))?;
    module_items(file, "builder")?
        .iter_mut()
        .find_map(|item| match item {
            Item::Impl(i)
                if i.trait_.is_none()
                    && type_name(&i.self_ty) == Some(&builder)
                    && i.items
                        .iter()
                        .any(|f| matches!(f, ImplItem::Fn(f) if f.sig.ident == "send")) =>
            {
                Some(i)
            }
            _ => None,
        })
        .with_context(|| format!("no generated builder `{builder}` with `send` for `{method}`"))
}

/// The function `name` of `item`.
pub fn impl_fn<'a>(item: &'a mut ItemImpl, name: &str) -> Option<&'a mut ImplItemFn> {
    impl_fns(item).find(|f| f.sig.ident == name)
}

/// The method of `impl Client` named `method`.
pub fn client_method<'a>(file: &'a mut syn::File, method: &str) -> Result<&'a mut ImplItemFn> {
    file.items
        .iter_mut()
        .filter_map(|item| match item {
            Item::Impl(i) if i.trait_.is_none() && is_named(&i.self_ty, "Client") => Some(i),
            _ => None,
        })
        .flat_map(impl_fns)
        .find(|f| f.sig.ident == method)
        .with_context(|| format!("`impl Client` has no method `{method}`"))
}

/// Whether `ty` is the plain path `name`, generics aside.
pub fn is_named(ty: &syn::Type, name: &str) -> bool {
    type_name(ty).is_some_and(|ident| ident == name)
}

/// The last segment of a path type: `Page` for `types::Page<'a>`.
pub fn type_name(ty: &syn::Type) -> Option<&syn::Ident> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

fn impl_fns(item: &mut ItemImpl) -> impl Iterator<Item = &mut ImplItemFn> {
    item.items.iter_mut().filter_map(|i| match i {
        ImplItem::Fn(f) => Some(f),
        _ => None,
    })
}

/// Looks for one string literal in the nodes it visits.
struct LiteralFinder<'v> {
    value: &'v str,
    found: bool,
}

impl<'ast> Visit<'ast> for LiteralFinder<'_> {
    fn visit_lit_str(&mut self, lit: &'ast LitStr) {
        self.found |= lit.value() == self.value;
    }
}

/// Whether `expr` holds the string literal `value`.
pub fn expr_contains_literal(expr: &syn::Expr, value: &str) -> bool {
    let mut finder = LiteralFinder {
        value,
        found: false,
    };
    finder.visit_expr(expr);
    finder.found
}

/// Replaces each expression of `function` for which `replace` gives
/// another, inner ones first, and returns how many it replaced.
pub fn replace_exprs(
    function: &mut ImplItemFn,
    replace: impl FnMut(&syn::Expr) -> Option<syn::Expr>,
) -> usize {
    struct Replace<F> {
        replace: F,
        count: usize,
    }
    impl<F: FnMut(&syn::Expr) -> Option<syn::Expr>> VisitMut for Replace<F> {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            if let Some(replaced) = (self.replace)(expr) {
                *expr = replaced;
                self.count += 1;
            }
        }
    }
    let mut visitor = Replace { replace, count: 0 };
    visitor.visit_impl_item_fn_mut(function);
    visitor.count
}

/// The first generic argument of the last segment of a path type:
/// `T` for `Result<T, E>` or `Vec<T>`.
pub fn first_type_argument(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}
