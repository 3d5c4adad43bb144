//! Atlas's rate-limit headers, on a success and on an error alike.

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;

use crate::Error;

/// How many requests Atlas allows in the current window and how many are
/// left, from the `RateLimit-Limit` and `RateLimit-Remaining` headers.
///
/// ```no_run
/// # async fn demo(client: atlas_backup_snapshots::Client) -> Result<(), atlas_backup_snapshots::Error> {
/// use atlas_backup_snapshots::RateLimitHeaders;
///
/// let snapshot = client
///     .get_flex_backup_snapshot()
///     .group_id("32b6e34b3d91647abb20e7b8")
///     .cluster_name("flex0")
///     .snapshot_id("5cc310ace5dc7ce369814bc8")
///     .send()
///     .await?;
/// if let Some(limit) = snapshot.rate_limit() {
///     println!("{:?} of {:?} requests left", limit.remaining, limit.limit);
/// }
/// # Ok(())
/// # }
/// ```
///
/// Atlas may send more of the rate-limit headers one day; a field for one
/// is added in a minor release, so the struct is read, not built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `RateLimit-Limit`: the requests allowed in the window.
    pub limit: Option<u64>,
    /// `RateLimit-Remaining`: the requests left in the window.
    pub remaining: Option<u64>,
}

impl RateLimit {
    /// The rate limit that `headers` carry, or `None` when they carry
    /// neither header as a whole number.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse().ok();
        let limit = Self {
            limit: number("ratelimit-limit"),
            remaining: number("ratelimit-remaining"),
        };
        (limit.limit.is_some() || limit.remaining.is_some()).then_some(limit)
    }
}

/// The [`RateLimit`] of an answer: implemented for successful responses
/// and for [`Error`], whose last answer may carry it. Sealed: callers use
/// it and cannot implement it, so that a method may be added in a minor
/// release.
pub trait RateLimitHeaders: sealed::Sealed {
    /// The rate limit the answer carries, if any.
    fn rate_limit(&self) -> Option<RateLimit>;
}

mod sealed {
    pub trait Sealed {}
    impl<T> Sealed for super::ResponseValue<T> {}
    impl Sealed for super::Error {}
}

impl<T> RateLimitHeaders for ResponseValue<T> {
    fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(self.headers())
    }
}

impl RateLimitHeaders for Error {
    fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(self.headers()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.parse().unwrap(), value.parse().unwrap()))
            .collect()
    }

    #[test]
    fn both_headers_are_read_and_either_may_be_missing() {
        let both = headers(&[("RateLimit-Limit", "100"), ("RateLimit-Remaining", " 7 ")]);
        assert_eq!(
            RateLimit::from_headers(&both),
            Some(RateLimit {
                limit: Some(100),
                remaining: Some(7)
            })
        );
        let one = headers(&[("RateLimit-Remaining", "0")]);
        assert_eq!(
            RateLimit::from_headers(&one),
            Some(RateLimit {
                limit: None,
                remaining: Some(0)
            })
        );
    }

    #[test]
    fn absent_or_malformed_headers_give_none() {
        assert_eq!(RateLimit::from_headers(&HeaderMap::new()), None);
        let garbled = headers(&[("RateLimit-Limit", "many"), ("RateLimit-Remaining", "-1")]);
        assert_eq!(RateLimit::from_headers(&garbled), None);
    }
}
