//! The generator's golden files (`golden/`, generated from
//! `xtask/tests/golden/spec.yaml`), compiled as this crate's generated
//! modules with its hand-written runtime, command line and mocks, and one
//! call made through them.
//!
//! The generated code names the crate absolutely (`crate::runtime`,
//! `crate::Client`, `crate::types`), so it compiles only as the generated
//! modules of a crate root: this one mirrors `src/lib.rs` and the `cli`
//! and `mock` modules, with the golden files in place of the committed
//! ones, and `the_crate_root_mirrors_lib_rs` fails when a module or a
//! re-export of theirs is missing here or left over. `harness = false`: the hand-written modules' unit tests run in
//! the library's own test binary, not again here.

#![allow(dead_code, unused_imports)]

#[path = "../src/auth/mod.rs"]
mod auth;
#[path = "../src/base_url.rs"]
mod base_url;
#[path = "../src/body.rs"]
mod body;
#[path = "../src/call.rs"]
mod call;
#[path = "../src/classify.rs"]
mod classify;
#[path = "../src/config.rs"]
mod config;
#[path = "../src/credentials.rs"]
mod credentials;
#[path = "../src/environment.rs"]
mod environment;
#[path = "../src/error.rs"]
mod error;
#[path = "../src/paging.rs"]
mod paging;
#[path = "../src/rate_limit.rs"]
mod rate_limit;
#[path = "../src/retry.rs"]
mod retry;
#[path = "../src/runtime.rs"]
mod runtime;
#[path = "../src/tagged.rs"]
mod tagged;
#[path = "../src/tls.rs"]
mod tls;
#[path = "../src/wait.rs"]
mod wait;

#[rustfmt::skip]
#[allow(clippy::all)]
#[path = "golden/client.rs"]
mod generated;

#[path = "../src/cli"]
mod cli {
    mod args;
    mod command;
    mod confirm;
    mod environment;
    mod exit;
    mod model;
    mod output;
    mod table;
    mod watch;
    #[rustfmt::skip]
    #[allow(clippy::all)]
    #[path = "../../tests/golden/cli_table.rs"]
    mod operations;

    /// The golden table makes a valid `clap` command, which parses a
    /// command line into its operation.
    pub(crate) fn parses_a_command_of_the_table() {
        let command = command::command();
        command.clone().debug_assert();
        let matches = command
            .clone()
            .try_get_matches_from([
                "golden",
                "vault-items",
                "probe-vault",
                "--group-id",
                "32b6e34b3d91647abb20e7b8",
                "--vault-name",
                "Trésor",
                "--depth",
                "2",
            ])
            .unwrap();
        let (operation, args) = command::chosen(&matches).unwrap();
        assert_eq!(operation.id, "probeVault");
        // A body field stays text until the body is built.
        assert_eq!(
            args.get_one::<String>("depth").map(String::as_str),
            Some("2")
        );

        // A body field that repeats a path parameter takes the `body-`
        // form of its flag; the path parameter keeps the plain one.
        let matches = command
            .clone()
            .try_get_matches_from([
                "golden",
                "vaults",
                "update-vault",
                "--group-id",
                "32b6e34b3d91647abb20e7b8",
                "--vault-name",
                "old",
                "--body-vault-name",
                "new",
            ])
            .unwrap();
        let (operation, args) = command::chosen(&matches).unwrap();
        assert_eq!(operation.id, "updateVault");
        let text = |name: &str| args.get_one::<String>(name).map(String::as_str);
        assert_eq!(text("vaultName"), Some("old"));
        assert_eq!(text("body.vaultName"), Some("new"));

        // An integer flag takes any `i64`, negative ones too; a keyword
        // is a flag like any other name.
        let matches = command
            .clone()
            .try_get_matches_from([
                "golden",
                "vaults",
                "list-archived-vaults",
                "--group-id",
                "32b6e34b3d91647abb20e7b8",
                "--archived-after",
                "-5",
                "--type",
                "cold",
            ])
            .unwrap();
        let (operation, args) = command::chosen(&matches).unwrap();
        assert_eq!(operation.id, "listArchivedVaults");
        assert_eq!(args.get_one::<i64>("archivedAfter"), Some(&-5));
        assert_eq!(
            args.get_one::<String>("type").map(String::as_str),
            Some("cold")
        );

        // A write that a waiter follows takes --watch and its --timeout;
        // --timeout alone, or --watch on another command, is refused.
        let vault = [
            "golden",
            "vaults",
            "create-vault",
            "--group-id",
            "32b6e34b3d91647abb20e7b8",
            "--name",
            "vault-1",
        ];
        let watched = |extra: &[&str]| {
            command
                .clone()
                .try_get_matches_from([&vault[..], extra].concat())
        };
        let matches = watched(&["--watch", "--timeout", "5m"]).unwrap();
        let (_, args) = command::chosen(&matches).unwrap();
        assert_eq!(
            args::Args::new(args).watch().map(|timing| timing.timeout),
            Some(std::time::Duration::from_secs(300))
        );
        let matches = watched(&["--watch"]).unwrap();
        let (_, args) = command::chosen(&matches).unwrap();
        assert_eq!(
            args::Args::new(args).watch().map(|timing| timing.timeout),
            Some(std::time::Duration::from_secs(600)),
            "the waiter's bound"
        );
        let matches = watched(&[]).unwrap();
        let (_, args) = command::chosen(&matches).unwrap();
        assert_eq!(
            args::Args::new(args).watch().map(|timing| timing.timeout),
            None
        );
        assert!(watched(&["--timeout", "5m"]).is_err());
        let unwatched = command.clone().try_get_matches_from([
            "golden",
            "vaults",
            "get-vault",
            "--group-id",
            "32b6e34b3d91647abb20e7b8",
            "--vault-name",
            "vault-1",
            "--watch",
        ]);
        assert_eq!(
            unwatched.unwrap_err().kind(),
            clap::error::ErrorKind::UnknownArgument
        );

        // An operation that cannot be undone takes --yes, which confirms
        // it; no other does.
        let policy = |yes: &'static str| {
            command.clone().try_get_matches_from([
                "golden",
                "vaults",
                "update-vault-policy",
                "--group-id",
                "32b6e34b3d91647abb20e7b8",
                "--vault-name",
                "vault-1",
                "--authorized-email",
                "owner@example.com",
                yes,
            ])
        };
        let matches = policy("--yes").unwrap();
        let (operation, args) = command::chosen(&matches).unwrap();
        assert_eq!(
            operation.irreversible,
            Some("Only the vault's owner can give it another policy.")
        );
        assert!(confirm::confirmed(operation.command, "", args).is_ok());
        assert!(policy("--force").is_err());
    }
}

#[path = "../src/mock"]
mod mock {
    pub(crate) mod answers;
    mod sequence;
    #[rustfmt::skip]
    #[allow(clippy::all)]
    #[path = "../../tests/golden/mocks.rs"]
    mod generated;

    pub use generated::*;
    pub use httpmock::MockServer;
}

pub use config::{ATLAS_BASE_URL, ClientBuilder};
pub use credentials::Credentials;
pub use error::{AuthError, BuildError, EnvError, Error, ErrorKind};
pub use generated::*;
pub use rate_limit::{RateLimit, RateLimitHeaders};
pub use retry::RetryPolicy;
pub use wait::{Progress, WaitError};

fn main() {
    the_crate_root_mirrors_lib_rs();
    gets_a_vault_from_its_mock();
    probes_a_vault_with_an_inline_body_answered_by_201_alone();
    streams_a_list_whose_paging_parameters_are_64_bit();
    an_untyped_error_body_reaches_the_caller_as_text();
    an_integer_enum_is_checked_when_built_and_decoded_as_sent();
    a_path_parameter_of_an_enum_takes_only_its_values();
    replaces_a_policy_with_a_put();
    cli::parses_a_command_of_the_table();
    println!("the golden client, command line table and mocks compile, and work together");
}

/// The modules and re-exports above are those of `src/lib.rs`, and the
/// modules of `cli` and `mock` those of their `mod.rs`.
fn the_crate_root_mirrors_lib_rs() {
    let golden = include_str!("golden.rs");
    let lib = include_str!("../src/lib.rs");
    assert_eq!(modules(golden), modules(lib), "the crate root's modules");
    assert_eq!(
        reexports(golden),
        reexports(lib),
        "the crate root's re-exports"
    );
    for (name, source) in [
        ("cli", include_str!("../src/cli/mod.rs")),
        ("mock", include_str!("../src/mock/mod.rs")),
    ] {
        assert_eq!(
            modules(&block(golden, name)),
            modules(source),
            "the modules of `{name}`"
        );
    }
}

/// The modules that `source` declares at its outer level.
fn modules(source: &str) -> std::collections::BTreeSet<&str> {
    source
        .lines()
        .filter_map(|line| {
            let declared = ["pub(crate) ", "pub "]
                .iter()
                .find_map(|visibility| line.strip_prefix(visibility))
                .unwrap_or(line);
            let name = declared.strip_prefix("mod ")?;
            Some(name.trim_end_matches([';', '{', ' ']))
        })
        .collect()
}

/// The `pub use` lines of `source`'s outer level.
fn reexports(source: &str) -> std::collections::BTreeSet<&str> {
    source
        .lines()
        .filter(|line| line.starts_with("pub use "))
        .collect()
}

/// The inside of the module `name` written inline in `source`, at the
/// outer level.
fn block(source: &str, name: &str) -> String {
    source
        .lines()
        .skip_while(|line| *line != format!("mod {name} {{"))
        .skip(1)
        .take_while(|line| *line != "}")
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

fn client_of(server: &mock::MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(Credentials::bearer_token("token"))
        .build()
        .unwrap()
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// The golden client calls the golden mock through the runtime, and the
/// answer decodes.
fn gets_a_vault_from_its_mock() {
    use mock::MockServerExt;

    let name: types::VaultName = "vault-1".parse().unwrap();
    let vault: types::Vault = types::Vault::builder()
        .name(name.clone())
        .try_into()
        .unwrap();
    let server = mock::MockServer::start();
    let mock = server.get_vault(|when, then| {
        when.vault_name(&name);
        then.ok(&vault);
    });
    let answer = block_on(
        client_of(&server)
            .get_vault()
            .group_id("32b6e34b3d91647abb20e7b8")
            .vault_name("vault-1")
            .send(),
    )
    .unwrap();
    assert_eq!(answer.into_inner(), vault);
    mock.assert_calls(1);
}

/// A request body written inline, with its own builder, and an operation
/// whose only success is 201: the mock matches the body and answers
/// `created`, and the call decodes it.
fn probes_a_vault_with_an_inline_body_answered_by_201_alone() {
    use mock::MockServerExt;

    let body = types::ProbeVaultBody {
        depth: std::num::NonZeroU32::new(2).unwrap(),
        label: Some("nightly".into()),
        mode: None,
    };
    let probe = types::Probe {
        comparison: Some("<".into()),
        id: Some("5f4e3d2c1b0a998877665544".parse().unwrap()),
        port: None,
    };
    let server = mock::MockServer::start();
    let mock = server.probe_vault(|when, then| {
        when.body(&body);
        then.created(&probe);
    });
    let answer = block_on(
        client_of(&server)
            .probe_vault()
            .group_id("32b6e34b3d91647abb20e7b8")
            .vault_name("vault-1")
            .body_map(|b| {
                b.depth(std::num::NonZeroU32::new(2).unwrap())
                    .label("nightly".to_string())
            })
            .send(),
    )
    .unwrap();
    mock.assert_calls(1);
    assert_eq!(answer.status(), reqwest::StatusCode::CREATED);
    assert_eq!(answer.into_inner(), probe);
}

/// A paged operation whose `pageNum` and `itemsPerPage` are 64-bit, and
/// whose page type another operation answers too, streams across pages,
/// with its other parameters (one typed from a schema openapiv3 cannot
/// read, one named by a keyword) sent on every page.
fn streams_a_list_whose_paging_parameters_are_64_bit() {
    use futures_util::TryStreamExt;
    use mock::MockServerExt;

    let vault =
        |name: &str| types::Vault::builder().name(name.parse::<types::VaultName>().unwrap());
    let page = |names: &[&str]| types::PaginatedVaults {
        results: names.iter().map(|n| vault(n).try_into().unwrap()).collect(),
        total_count: None,
    };
    let server = mock::MockServer::start();
    let first = server.list_archived_vaults(|when, then| {
        when.page_num(std::num::NonZeroU64::new(1))
            .items_per_page(std::num::NonZeroU64::new(2))
            .archived_after(1_636_466_948)
            .type_("cold");
        then.ok(&page(&["a", "b"]));
    });
    let second = server.list_archived_vaults(|when, then| {
        when.page_num(std::num::NonZeroU64::new(2))
            .items_per_page(std::num::NonZeroU64::new(2))
            .archived_after(1_636_466_948)
            .type_("cold");
        then.ok(&page(&["c"]));
    });
    let vaults: Vec<types::Vault> = block_on(
        client_of(&server)
            .list_archived_vaults()
            .group_id("32b6e34b3d91647abb20e7b8")
            .archived_after(1_636_466_948i64)
            .type_("cold")
            .items_per_page(2u64)
            .stream()
            .try_collect(),
    )
    .unwrap();
    let names: Vec<String> = vaults.iter().map(|v| v.name.to_string()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    first.assert_calls(1);
    second.assert_calls(1);
}

/// An error answer whose body is not the one the operation types (a 400
/// beside Atlas's error JSON) fails the call with its status and its body
/// as text; the paging parameters of an operation that does not stream
/// are sent as given.
fn an_untyped_error_body_reaches_the_caller_as_text() {
    use mock::MockServerExt;

    let body = r#"{"invalidFilters":["size>"]}"#;
    let server = mock::MockServer::start();
    let mock = server.list_vault_suggestions(|when, then| {
        when.page_num(std::num::NonZeroU32::new(2));
        then.into_inner().status(400).body(body);
    });
    let error = block_on(
        client_of(&server)
            .list_vault_suggestions()
            .group_id("32b6e34b3d91647abb20e7b8")
            .vault_name("vault-1")
            .page_num(2)
            .send(),
    )
    .unwrap_err();
    mock.assert_calls(1);
    assert_eq!(error.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    match error.kind() {
        ErrorKind::Http { body: text, .. } => assert_eq!(text, body),
        other => panic!("expected the 400's text, got {other:?}"),
    }
}

/// An integer of an `enum` refuses, when built, a value outside its list,
/// naming the list; an answer with such a value decodes as sent.
fn an_integer_enum_is_checked_when_built_and_decoded_as_sent() {
    let refused = types::VaultCopies::try_from(5).unwrap_err();
    assert_eq!(refused.to_string(), "must be 0 to 3 or 7, not 5");
    assert_eq!(*"7".parse::<types::VaultCopies>().unwrap(), 7);
    assert_eq!(
        "many"
            .parse::<types::VaultCopies>()
            .unwrap_err()
            .to_string(),
        "\"many\" is not an integer"
    );
    let vault: types::Vault =
        serde_json::from_value(serde_json::json!({ "name": "vault-1", "copies": 9 })).unwrap();
    assert_eq!(vault.copies.as_deref(), Some(&9));
}

/// A path parameter that is an enum: a listed value reaches its mock, one
/// the list does not hold is refused, naming the list, before sending.
fn a_path_parameter_of_an_enum_takes_only_its_values() {
    use mock::MockServerExt;

    let server = mock::MockServer::start();
    let endpoint: types::VaultEndpoint = types::VaultEndpoint::builder()
        .id(Some("5f4e3d2c1b0a998877665544".parse().unwrap()))
        .status(Some(types::VaultEndpointStatus::Active))
        .try_into()
        .unwrap();
    let mock = server.get_vault_endpoint(|when, then| {
        when.cloud_provider(types::GetVaultEndpointCloudProvider::Aws);
        then.ok(&endpoint);
    });
    let get = |provider: &'static str| {
        block_on(
            client_of(&server)
                .get_vault_endpoint()
                .group_id("32b6e34b3d91647abb20e7b8")
                .cloud_provider(provider)
                .endpoint_id("5f4e3d2c1b0a998877665544")
                .send(),
        )
    };
    assert_eq!(get("AWS").unwrap().into_inner(), endpoint);
    let refused = get("GCP").unwrap_err();
    assert_eq!(
        refused.to_string(),
        "getVaultEndpoint: invalid request: cloud_provider must be AWS, not \"GCP\""
    );
    assert_eq!(refused.attempts(), 0);
    mock.assert_calls(1);
}

/// A PUT sends its body and query flag with its versioned media type, and
/// its answer decodes; a body without its required field is refused
/// before sending.
fn replaces_a_policy_with_a_put() {
    use mock::MockServerExt;

    let policy: types::VaultPolicy = types::VaultPolicy::builder()
        .authorized_email("owner@example.com".to_string())
        .try_into()
        .unwrap();
    let server = mock::MockServer::start();
    let mock = server.update_vault_policy(|when, then| {
        when.overwrite(false)
            .body(&policy)
            .into_inner()
            .method(httpmock::Method::PUT)
            .header("content-type", "application/vnd.atlas.2023-10-01+json");
        then.ok(&policy);
    });
    let put = |body: types::builder::VaultPolicy| {
        block_on(
            client_of(&server)
                .update_vault_policy()
                .group_id("32b6e34b3d91647abb20e7b8")
                .vault_name("vault-1")
                .overwrite(false)
                .body(body)
                .send(),
        )
    };
    let answer =
        put(types::VaultPolicy::builder().authorized_email("owner@example.com".to_string()));
    assert_eq!(answer.unwrap().into_inner(), policy);
    let refused = put(types::VaultPolicy::builder()).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "updateVaultPolicy: invalid request: body is invalid: authorized_email is required and was not set"
    );
    mock.assert_calls(1);
}
