//! Changing the operations of a typed OpenAPI path item in place, which
//! openapiv3 offers no iterator for (`PathItem::iter` reads them);
//! [`crate::raw`] walks the document as written.

use openapiv3::{Operation, PathItem};

/// Each operation slot of a path item with its lower-case HTTP method, in
/// the order of [`crate::raw::METHODS`].
pub fn slots_mut(item: &mut PathItem) -> [(&'static str, &mut Option<Operation>); 8] {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ]
}

/// The operations a path item holds, with their lower-case HTTP methods.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    slots_mut(item)
        .into_iter()
        .filter_map(|(method, operation)| Some((method, operation.as_mut()?)))
}
