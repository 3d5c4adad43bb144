//! Streams over paged operations. Atlas pages with `pageNum` (from 1) and
//! `itemsPerPage`; its `totalCount` is an estimate, and absent with
//! `includeCount=false`, so the pager ignores it: it stops at the first
//! page that holds fewer items than it asked for. Each page is requested
//! only when the stream is polled past the one before, so at most one
//! page is held at a time.
//!
//! The builder of every paged operation has `stream()` (items) and
//! `pages()`; read them with [`futures_util::TryStreamExt`] or any stream
//! combinator:
//!
//! ```no_run
//! # #![allow(deprecated)]
//! use futures_util::TryStreamExt;
//! # async fn demo(client: atlas_backup_snapshots::Client) -> Result<(), atlas_backup_snapshots::Error> {
//! let mut snapshots = std::pin::pin!(client
//!     .list_serverless_snapshots_v1()
//!     .group_id("32b6e34b3d91647abb20e7b8")
//!     .cluster_name("serverless0")
//!     .items_per_page(500)
//!     .stream());
//! while let Some(snapshot) = snapshots.try_next().await? {
//!     println!("{:?}", snapshot.id);
//! }
//! # Ok(())
//! # }
//! ```

use std::future::Future;

pub use futures_core::Stream;
use futures_util::{TryStreamExt, stream};

use crate::Error;

/// A request of a paged operation, implemented by its generated builder.
pub trait PagedRequest: Clone + Send + Sized {
    /// The response body of one page.
    type Page: Page + Send;
    /// The page size asked for when the caller sets none: the spec's
    /// default.
    const DEFAULT_PAGE_SIZE: u32;

    /// The page number and page size the caller set, if any.
    ///
    /// # Errors
    ///
    /// The caller set a value that cannot be sent.
    fn position(&self) -> Result<(Option<u32>, Option<u32>), Error>;

    /// This request for page `page` of `size` items.
    fn at(self, page: u32, size: u32) -> Self;

    /// Sends this request for one page.
    fn send_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send;
}

/// The body of one page.
pub trait Page {
    /// One item of the page.
    type Item;
    /// How many items the page holds.
    fn len(&self) -> usize;
    /// Whether the page holds no items.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The page's items.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Where the pager is.
enum Position<R> {
    Start(R),
    Next { request: R, page: u32, size: u32 },
    Done,
}

/// Every page of `request`, from the page it names (or the first).
pub fn pages<'a, R: PagedRequest + 'a>(
    request: R,
) -> impl Stream<Item = Result<R::Page, Error>> + Send + 'a {
    stream::try_unfold(Position::Start(request), |position| async move {
        let (request, page, size) = match position {
            Position::Done => return Ok(None),
            Position::Next {
                request,
                page,
                size,
            } => (request, page, size),
            Position::Start(request) => {
                let (page, size) = request.position()?;
                let size = size.unwrap_or(R::DEFAULT_PAGE_SIZE);
                (request, page.unwrap_or(1), size)
            }
        };
        let body = request.clone().at(page, size).send_page().await?;
        let is_last = body.is_empty() || body.len() < size as usize;
        let next = match page.checked_add(1) {
            Some(page) if !is_last => Position::Next {
                request,
                page,
                size,
            },
            _ => Position::Done,
        };
        Ok(Some((body, next)))
    })
}

/// Every item of every page of `request`.
pub fn items<'a, R>(
    request: R,
) -> impl Stream<Item = Result<<R::Page as Page>::Item, Error>> + Send + 'a
where
    R: PagedRequest + 'a,
    <R::Page as Page>::Item: Send,
{
    pages(request)
        .map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok)))
        .try_flatten()
}
