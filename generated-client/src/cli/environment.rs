//! The client the tool calls with: credentials and base URL from the
//! environment variables Atlas's own CLI reads. Flags never take secrets.

use crate::{Client, Credentials};

use super::output::Failure;

/// The API key pair, then the service-account pair.
pub const CREDENTIAL_VARIABLES: [&str; 4] = [
    "MONGODB_ATLAS_PUBLIC_API_KEY",
    "MONGODB_ATLAS_PRIVATE_API_KEY",
    "MONGODB_ATLAS_CLIENT_ID",
    "MONGODB_ATLAS_CLIENT_SECRET",
];

/// Replaces the base URL, as in Atlas's CLI.
pub const BASE_URL_VARIABLE: &str = "MONGODB_ATLAS_OPS_MANAGER_URL";

/// A client with the credentials and base URL of the environment, and the
/// crate's default retries: writes are repeated only where Atlas certainly
/// did not act.
pub(super) fn client() -> Result<Client, Failure> {
    let mut builder = Client::builder().credentials(credentials()?);
    if let Some(url) = variable(BASE_URL_VARIABLE) {
        builder = builder.base_url(url);
    }
    builder
        .build()
        .map_err(|e| Failure::Usage(format!("{BASE_URL_VARIABLE}: {e}")))
}

fn credentials() -> Result<Credentials, Failure> {
    let [public, private, id, secret] = CREDENTIAL_VARIABLES;
    let api_key = pair(public, private)?;
    let service_account = pair(id, secret)?;
    match (api_key, service_account) {
        (Some((public_key, private_key)), None) => {
            Ok(Credentials::api_key(public_key, private_key))
        }
        (None, Some((id, secret))) => Ok(Credentials::service_account(id, secret)),
        (Some(_), Some(_)) => Err(Failure::Usage(format!(
            "both an API key ({public}) and a service account ({id}) are set; unset one"
        ))),
        (None, None) => Err(Failure::Usage(format!(
            "no credentials: set {public} and {private}, or {id} and {secret}"
        ))),
    }
}

/// Both variables of a pair, none, or an error naming the missing one.
fn pair(first: &str, second: &str) -> Result<Option<(String, String)>, Failure> {
    match (variable(first), variable(second)) {
        (Some(a), Some(b)) => Ok(Some((a, b))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(Failure::Usage(format!(
            "{first} is set but {second} is not"
        ))),
        (None, Some(_)) => Err(Failure::Usage(format!(
            "{second} is set but {first} is not"
        ))),
    }
}

/// A variable's value; empty counts as unset.
fn variable(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}
