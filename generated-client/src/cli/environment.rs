//! The client the tool calls with: credentials and base URL from the
//! environment variables Atlas's own CLI reads. Flags never take secrets.

use crate::Client;

use super::output::Failure;

pub use crate::environment::BASE_URL_VARIABLE;
use crate::environment::{CLIENT_ID, CLIENT_SECRET, PRIVATE_API_KEY, PUBLIC_API_KEY};

/// The API key pair, then the service-account pair.
pub const CREDENTIAL_VARIABLES: [&str; 4] =
    [PUBLIC_API_KEY, PRIVATE_API_KEY, CLIENT_ID, CLIENT_SECRET];

/// A client with the credentials and base URL of the environment, and the
/// crate's default retries: writes are repeated only where Atlas certainly
/// did not act.
pub(super) fn client() -> Result<Client, Failure> {
    let builder = Client::builder()
        .environment()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    builder.build().map_err(|e| Failure::Usage(e.to_string()))
}
