//! The TLS backend of the HTTP client, as the crate's features choose it.
//!
//! - `rustls` (the default): reqwest's rustls with aws-lc-rs.
//! - `rustls-ring`: reqwest's rustls without a crypto provider, handed a
//!   configuration built on ring here, so that no C build of aws-lc runs.
//! - `native-tls`: the platform's TLS.
//!
//! Features add up, so several may be on at once (one crate asks for one,
//! another for another). Then `native-tls` wins, as in reqwest, and
//! `rustls-ring` wins over `rustls`: a feature asked for by name wins over
//! the default one.

use crate::error::BuildError;

/// `builder` with the TLS backend the features choose.
#[cfg(feature = "native-tls")]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, BuildError> {
    Ok(builder.tls_backend_native())
}

/// `builder` with rustls on ring, unless the application installed a
/// process-wide crypto provider, which is then used, as reqwest does.
/// The certificates are checked by the platform's verifier, as reqwest's
/// own rustls configuration checks them.
#[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, BuildError> {
    use rustls_platform_verifier::BuilderVerifierExt;

    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| std::sync::Arc::new(rustls::crypto::ring::default_provider()));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|config| config.with_platform_verifier())
        .map_err(|error| BuildError::Tls(error.to_string()))?
        .with_no_client_auth();
    // reqwest offers HTTP/2 by ALPN only in a configuration it builds.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(config))
}

/// `builder` as reqwest configures it: rustls on aws-lc-rs, or no TLS.
#[cfg(not(any(feature = "rustls-ring", feature = "native-tls")))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, BuildError> {
    Ok(builder)
}

/// Whether this build can reach an `https://` URL.
pub(crate) const AVAILABLE: bool = cfg!(any(
    feature = "rustls",
    feature = "rustls-ring",
    feature = "native-tls"
));
