//! Settings from the environment variables Atlas's own CLI reads, so that
//! a shell set up for `atlas` is set up for this crate too. Errors name the
//! variables, never their values.

use std::ffi::OsString;

use crate::base_url::checked_base_url;
use crate::credentials::Credentials;
use crate::error::EnvError;

/// Replaces the base URL, as in Atlas's CLI.
pub const BASE_URL_VARIABLE: &str = "MONGODB_ATLAS_OPS_MANAGER_URL";

pub(crate) const PUBLIC_API_KEY: &str = "MONGODB_ATLAS_PUBLIC_API_KEY";
pub(crate) const PRIVATE_API_KEY: &str = "MONGODB_ATLAS_PRIVATE_API_KEY";
pub(crate) const CLIENT_ID: &str = "MONGODB_ATLAS_CLIENT_ID";
pub(crate) const CLIENT_SECRET: &str = "MONGODB_ATLAS_CLIENT_SECRET";

/// The value of a variable, `None` when it is unset.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<OsString>;

/// The variables of the process.
pub(crate) fn process(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

impl Credentials {
    /// The credentials that the environment variables of Atlas's CLI give:
    /// an API key from `MONGODB_ATLAS_PUBLIC_API_KEY` and
    /// `MONGODB_ATLAS_PRIVATE_API_KEY`, or a service account from
    /// `MONGODB_ATLAS_CLIENT_ID` and `MONGODB_ATLAS_CLIENT_SECRET`. An
    /// empty variable counts as unset. [`ClientBuilder::environment`]
    /// reads the base URL too.
    ///
    /// [`ClientBuilder::environment`]: crate::ClientBuilder::environment
    ///
    /// # Errors
    ///
    /// [`EnvError`] naming the variables, never their values: neither pair
    /// set, a pair half set, both pairs set, or a value that is not
    /// Unicode.
    pub fn from_env() -> Result<Self, EnvError> {
        credentials(&process)
    }
}

/// An API key or a service account, from the variables `lookup` gives.
pub(crate) fn credentials(lookup: Lookup<'_>) -> Result<Credentials, EnvError> {
    let api_key = pair(lookup, PUBLIC_API_KEY, PRIVATE_API_KEY)?;
    let service_account = pair(lookup, CLIENT_ID, CLIENT_SECRET)?;
    match (api_key, service_account) {
        (Some((public, private)), None) => Ok(Credentials::api_key(public, private)),
        (None, Some((id, secret))) => Ok(Credentials::service_account(id, secret)),
        (Some(_), Some(_)) => Err(EnvError::BothSet),
        (None, None) => Err(EnvError::NoCredentials),
    }
}

/// The base URL that `lookup` gives, checked, if it gives one.
pub(crate) fn base_url(lookup: Lookup<'_>) -> Result<Option<String>, EnvError> {
    let Some(url) = variable(lookup, BASE_URL_VARIABLE)? else {
        return Ok(None);
    };
    // Checked as a URL here; whether it may be `http://` depends on the
    // builder it goes into, which checks it again and names this variable.
    match checked_base_url(&url, true) {
        Ok(_) => Ok(Some(url)),
        Err(reason) => Err(EnvError::InvalidBaseUrl {
            variable: BASE_URL_VARIABLE,
            reason,
        }),
    }
}

/// Both variables of a pair, none, or an error naming the missing one.
fn pair(
    lookup: Lookup<'_>,
    first: &'static str,
    second: &'static str,
) -> Result<Option<(String, String)>, EnvError> {
    match (variable(lookup, first)?, variable(lookup, second)?) {
        (Some(a), Some(b)) => Ok(Some((a, b))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(EnvError::HalfSet {
            set: first,
            unset: second,
        }),
        (None, Some(_)) => Err(EnvError::HalfSet {
            set: second,
            unset: first,
        }),
    }
}

/// A variable's value; empty or blank counts as unset.
fn variable(lookup: Lookup<'_>, name: &'static str) -> Result<Option<String>, EnvError> {
    match lookup(name) {
        None => Ok(None),
        Some(value) => match value.into_string() {
            Ok(value) if value.trim().is_empty() => Ok(None),
            Ok(value) => Ok(Some(value)),
            Err(_) => Err(EnvError::NotUnicode(name)),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const SECRET: &str = "s3cr3t-value-never-shown";

    /// The outcome of reading `vars` as the environment.
    fn read(vars: &[(&str, &str)]) -> Result<Credentials, EnvError> {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        credentials(&|name| vars.get(name).cloned())
    }

    fn refusal(vars: &[(&str, &str)]) -> String {
        let error = read(vars).unwrap_err();
        let message = error.to_string();
        assert!(!message.contains(SECRET), "{message}");
        assert!(!format!("{error:?}").contains(SECRET), "{error:?}");
        message
    }

    #[test]
    fn either_pair_gives_its_credentials() {
        let key = read(&[(PUBLIC_API_KEY, "abcdefgh"), (PRIVATE_API_KEY, SECRET)]).unwrap();
        let debug = format!("{key:?}");
        assert!(
            debug.contains("ApiKey") && !debug.contains(SECRET),
            "{debug}"
        );
        let account = read(&[(CLIENT_ID, "mdb_sa_id"), (CLIENT_SECRET, SECRET)]).unwrap();
        let debug = format!("{account:?}");
        assert!(
            debug.contains("ServiceAccount") && !debug.contains(SECRET),
            "{debug}"
        );
        // An empty pair counts as unset.
        let key = read(&[
            (PUBLIC_API_KEY, "abcdefgh"),
            (PRIVATE_API_KEY, SECRET),
            (CLIENT_ID, ""),
            (CLIENT_SECRET, " "),
        ]);
        assert!(key.is_ok());
    }

    #[test]
    fn no_credentials_names_both_pairs() {
        assert_eq!(
            refusal(&[]),
            "no credentials: set MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY, \
             or MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET"
        );
    }

    #[test]
    fn a_half_set_pair_names_the_missing_variable() {
        for (set, unset) in [
            (PUBLIC_API_KEY, PRIVATE_API_KEY),
            (PRIVATE_API_KEY, PUBLIC_API_KEY),
            (CLIENT_ID, CLIENT_SECRET),
            (CLIENT_SECRET, CLIENT_ID),
        ] {
            assert_eq!(
                refusal(&[(set, SECRET)]),
                format!("{set} is set but {unset} is not")
            );
        }
        // Beside a whole pair, a half pair is still refused.
        assert_eq!(
            refusal(&[
                (PUBLIC_API_KEY, "abcdefgh"),
                (PRIVATE_API_KEY, SECRET),
                (CLIENT_SECRET, SECRET),
            ]),
            "MONGODB_ATLAS_CLIENT_SECRET is set but MONGODB_ATLAS_CLIENT_ID is not"
        );
    }

    #[test]
    fn both_pairs_are_refused() {
        assert_eq!(
            refusal(&[
                (PUBLIC_API_KEY, "abcdefgh"),
                (PRIVATE_API_KEY, SECRET),
                (CLIENT_ID, "mdb_sa_id"),
                (CLIENT_SECRET, SECRET),
            ]),
            "both an API key (MONGODB_ATLAS_PUBLIC_API_KEY) and a service account \
             (MONGODB_ATLAS_CLIENT_ID) are set; unset one"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_unicode_is_named_not_shown() {
        use std::os::unix::ffi::OsStringExt;
        let broken = OsString::from_vec(b"s3cr3t\xff".to_vec());
        let error = credentials(&|name| match name {
            PUBLIC_API_KEY => Some("abcdefgh".into()),
            PRIVATE_API_KEY => Some(broken.clone()),
            _ => None,
        })
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "MONGODB_ATLAS_PRIVATE_API_KEY is not valid Unicode"
        );
        assert!(!format!("{error:?}").contains("s3cr3t"));
    }

    #[test]
    fn a_base_url_is_read_checked_and_never_shown() {
        let url = |value: &'static str| base_url(&move |_| Some(value.into()));
        assert_eq!(
            url("http://127.0.0.1:8080").unwrap().unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(url("").unwrap(), None);
        assert_eq!(base_url(&|_| None).unwrap(), None);
        let error = url("https://user:s3cr3t@x/?a=1").unwrap_err();
        assert_eq!(
            error.to_string(),
            "MONGODB_ATLAS_OPS_MANAGER_URL is an invalid base URL: a base URL has no query or fragment"
        );
        assert!(!format!("{error:?}").contains("s3cr3t"));
    }
}
