//! An optional query parameter left out of the URL without touching it.

use progenitor_client::QueryParam;
use serde::Serialize;

/// `builder.optional_query(name, &value)`: progenitor's
/// `builder.query(&QueryParam::new(name, &value))` for an optional
/// parameter, which an unset value leaves alone. reqwest's `query`
/// rebuilds the URL's query even when nothing is added to it.
#[doc(hidden)]
pub trait OptionalQuery: Sized {
    /// Adds `value` to the query as `name` when it is set.
    #[must_use]
    fn optional_query<T: Serialize>(self, name: &str, value: &Option<T>) -> Self;
}

impl OptionalQuery for reqwest::RequestBuilder {
    fn optional_query<T: Serialize>(self, name: &str, value: &Option<T>) -> Self {
        match value {
            Some(_) => self.query(&QueryParam::new(name, value)),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder) -> String {
        let builder = reqwest::Client::new().get("https://atlas.test/groups/1");
        build(builder).build().unwrap().url().to_string()
    }

    #[test]
    fn a_set_value_is_added_as_progenitor_adds_it() {
        let items: Option<u32> = Some(500);
        let expected = url(|b| b.query(&QueryParam::new("itemsPerPage", &items)));
        assert_eq!(expected, "https://atlas.test/groups/1?itemsPerPage=500");
        assert_eq!(url(|b| b.optional_query("itemsPerPage", &items)), expected);
        let both = url(|b| {
            b.optional_query("pretty", &Some(true))
                .optional_query("pageNum", &Some(2))
        });
        assert_eq!(both, "https://atlas.test/groups/1?pretty=true&pageNum=2");
    }

    #[test]
    fn an_unset_value_leaves_the_url_as_it_was() {
        let unset: Option<bool> = None;
        assert_eq!(
            url(|b| b.optional_query("pretty", &unset)),
            "https://atlas.test/groups/1"
        );
        assert_eq!(
            url(|b| b.query(&QueryParam::new("pretty", &unset))),
            "https://atlas.test/groups/1",
            "as progenitor leaves it"
        );
    }
}
