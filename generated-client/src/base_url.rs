//! What a base URL may be, one rule for the builder's and for the
//! environment's: an absolute `http` or `https` URL without a query or a
//! fragment, `http` only to this machine unless the caller opts in, and
//! `https` only in a build with TLS.

use crate::tls;

/// `url` without a trailing slash, once it is known to be usable as a
/// base, or why it is not. Every request carries credentials, so `http://`
/// is usable only to a loopback host, unless `insecure_http` allows it.
pub(crate) fn checked_base_url(url: &str, insecure_http: bool) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("the scheme must be http or https".into());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("a base URL has no query or fragment".into());
    }
    if parsed.scheme() == "https" && !tls::AVAILABLE {
        return Err(NO_TLS.into());
    }
    if parsed.scheme() == "http" && !insecure_http && !is_loopback(&parsed) {
        return Err(format!(
            "http:// would send the credentials in clear text to {}; use https://, \
             or ClientBuilder::allow_insecure_http(true) for a network you trust",
            parsed.host_str().unwrap_or_default()
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Why an `https://` base URL is refused by a build without TLS.
pub(crate) const NO_TLS: &str = "this build has no TLS: enable the `rustls`, `rustls-ring` or \
                                 `native-tls` feature of atlas-backup-snapshots";

/// Whether the URL's host is this machine.
fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let address = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || address
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
