//! The `atlas-backup-snapshots` binary run as a process against local
//! servers: every operation, each exit code, `--all` over three pages,
//! bodies from flags and files, and bad input answered with one line.

use std::path::Path;
use std::process::{Command, Output};

use atlas_backup_snapshots::mock::Mock;
use atlas_backup_snapshots::mock::httpmock::prelude::*;
use serde_json::{Value, json};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const SNAPSHOT: &str = "5cc310ace5dc7ce369814bc8";
const JOB: &str = "6dd421bdf6ed8df47a925cd9";
const V2: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8";
const FLEX: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/flex0/backup";

/// The binary with an API key and `server` as its base URL, and nothing
/// else from the environment of the test.
fn tool(server: &MockServer) -> Command {
    let mut command = bare_tool();
    command
        .env("MONGODB_ATLAS_PUBLIC_API_KEY", "abcdefgh")
        .env("MONGODB_ATLAS_PRIVATE_API_KEY", "private-key")
        .env("MONGODB_ATLAS_OPS_MANAGER_URL", server.base_url());
    command
}

fn bare_tool() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_atlas-backup-snapshots"));
    command.env_clear();
    command
}

fn run(mut command: Command, args: &[&str]) -> Output {
    command.args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json_out(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(output)))
}

/// Asserts the exit code and that standard error is one `error:` line
/// holding each of `parts`.
fn assert_fails(output: &Output, code: i32, parts: &[&str]) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(code), "stderr: {err}");
    let errors: Vec<_> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "one error line expected:\n{err}");
    for part in parts {
        assert!(errors[0].contains(part), "{part:?} not in {:?}", errors[0]);
    }
}

/// One operation: its command line, the request it must send and the
/// answer the server gives.
struct Case {
    args: Vec<&'static str>,
    method: &'static str,
    path: String,
    body: Option<Value>,
    answer: Value,
}

fn get(args: &[&'static str], path: String, answer: Value) -> Case {
    Case {
        args: args.to_vec(),
        method: "GET",
        path,
        body: None,
        answer,
    }
}

fn every_operation() -> Vec<Case> {
    let snapshot = json!({ "id": SNAPSHOT, "status": "COMPLETED" });
    let job = json!({ "id": JOB, "snapshotId": SNAPSHOT, "status": "QUEUED" });
    let ids = ["--group-id", GROUP, "--snapshot-id", SNAPSHOT];
    let with = |head: &[&'static str], tail: &[&'static str]| [head, tail].concat();
    vec![
        get(
            &with(
                &["cloud-backups", "get-serverless-snapshot-v1"],
                &[
                    ids[0],
                    ids[1],
                    "--instance-name",
                    "serverless0",
                    ids[2],
                    ids[3],
                ],
            ),
            format!(
                "/api/atlas/v1.0/groups/{GROUP}/serverless/serverless0/backup/snapshots/{SNAPSHOT}"
            ),
            json!({ "id": SNAPSHOT, "status": "completed" }),
        ),
        get(
            &with(
                &["cloud-backups", "get-shared-tier-snapshot-v1"],
                &[ids[0], ids[1], "--cluster-name", "m2", ids[2], ids[3]],
            ),
            format!(
                "/api/atlas/v1.0/groups/{GROUP}/clusters/m2/backup/tenant/snapshots/{SNAPSHOT}"
            ),
            snapshot.clone(),
        ),
        get(
            &with(
                &["cloud-backups", "get-serverless-snapshot-v2"],
                &[
                    ids[0],
                    ids[1],
                    "--cluster-name",
                    "serverless0",
                    ids[2],
                    ids[3],
                ],
            ),
            format!("{V2}/serverless/serverless0/backup/snapshots/{SNAPSHOT}"),
            json!({ "id": SNAPSHOT, "status": "completed" }),
        ),
        get(
            &with(
                &["cloud-backups", "list-serverless-snapshots-v1"],
                &[ids[0], ids[1], "--cluster-name", "serverless0"],
            ),
            format!("/api/atlas/v1.0/groups/{GROUP}/serverless/serverless0/backup/snapshots"),
            json!({ "results": [{ "id": SNAPSHOT }], "totalCount": 1 }),
        ),
        get(
            &with(
                &["cloud-backups", "get-legacy-snapshot-v2"],
                &[ids[0], ids[1], "--cluster-name", "legacy0", ids[2], ids[3]],
            ),
            format!("{V2}/clusters/legacy0/snapshots/{SNAPSHOT}"),
            json!({ "id": SNAPSHOT, "complete": true }),
        ),
        get(
            &with(
                &["flex-snapshots", "list-flex-backup-snapshots"],
                &[ids[0], ids[1], "--cluster-name", "flex0"],
            ),
            format!("{FLEX}/snapshots"),
            json!({ "results": [snapshot.clone()], "totalCount": 1 }),
        ),
        get(
            &with(
                &["flex-snapshots", "get-flex-backup-snapshot"],
                &[ids[0], ids[1], "--cluster-name", "flex0", ids[2], ids[3]],
            ),
            format!("{FLEX}/snapshots/{SNAPSHOT}"),
            snapshot.clone(),
        ),
        Case {
            args: with(
                &["flex-snapshots", "download-flex-backup"],
                &[ids[0], ids[1], "--cluster-name", "flex0", ids[2], ids[3]],
            ),
            method: "POST",
            path: format!("{FLEX}/download"),
            body: Some(json!({ "snapshotId": SNAPSHOT })),
            answer: json!({ "id": JOB, "deliveryType": "DOWNLOAD", "snapshotUrl": "https://example.com/s.tgz" }),
        },
        get(
            &with(
                &["flex-restore-jobs", "list-flex-restore-jobs"],
                &[ids[0], ids[1], "--cluster-name", "flex0"],
            ),
            format!("{FLEX}/restoreJobs"),
            json!({ "results": [job.clone()] }),
        ),
        Case {
            args: with(
                &["flex-restore-jobs", "create-flex-restore-job"],
                &[
                    ids[0],
                    ids[1],
                    "--cluster-name",
                    "flex0",
                    ids[2],
                    ids[3],
                    "--target-deployment-item-name",
                    "flex1",
                ],
            ),
            method: "POST",
            path: format!("{FLEX}/restoreJobs"),
            body: Some(json!({ "snapshotId": SNAPSHOT, "targetDeploymentItemName": "flex1" })),
            answer: job.clone(),
        },
        get(
            &with(
                &["flex-restore-jobs", "get-flex-restore-job"],
                &[
                    ids[0],
                    ids[1],
                    "--cluster-name",
                    "flex0",
                    "--restore-job-id",
                    JOB,
                ],
            ),
            format!("{FLEX}/restoreJobs/{JOB}"),
            job,
        ),
    ]
}

#[test]
fn every_operation_sends_its_request_and_prints_the_answer() {
    let cases = every_operation();
    assert_eq!(cases.len(), 11);
    for case in cases {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = when.method(case.method).path(case.path.clone());
            if let Some(body) = &case.body {
                when.json_body(body.clone());
            }
            then.status(200)
                .header("content-type", "application/json")
                .json_body(case.answer.clone());
        });
        let output = run(tool(&server), &case.args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{:?}: {}",
            case.args,
            stderr(&output)
        );
        mock.assert();
        assert_eq!(json_out(&output), case.answer, "{:?}", case.args);
    }
}

#[test]
fn operation_ids_and_tags_as_atlas_writes_them_are_accepted() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path(format!("{FLEX}/snapshots/{SNAPSHOT}"));
        then.status(200).json_body(json!({ "id": SNAPSHOT }));
    });
    let args = [
        &["flexSnapshots", "getFlexBackupSnapshot"][..],
        &GET_FLEX_SNAPSHOT[2..],
    ]
    .concat();
    let output = run(tool(&server), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    mock.assert();
}

/// A mock that answers every request with an empty 200, to count them.
fn catch_all(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.any_request();
        then.status(200);
    })
}

/// `getFlexBackupSnapshot` of flex0's snapshot.
const GET_FLEX_SNAPSHOT: [&str; 8] = [
    "flex-snapshots",
    "get-flex-backup-snapshot",
    "--group-id",
    GROUP,
    "--cluster-name",
    "flex0",
    "--snapshot-id",
    SNAPSHOT,
];

fn get_flex_snapshot(server: &MockServer) -> Output {
    run(tool(server), &GET_FLEX_SNAPSHOT)
}

fn answer_error<'a>(server: &'a MockServer, status: u16, code: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.any_request();
        then.status(status)
            .header("content-type", "application/json")
            .header("retry-after", "0")
            .json_body(json!({ "error": status, "errorCode": code, "detail": "said the server" }));
    })
}

#[test]
fn not_found_exits_3() {
    let server = MockServer::start();
    answer_error(&server, 404, "SNAPSHOT_NOT_FOUND");
    let output = get_flex_snapshot(&server);
    assert_fails(
        &output,
        3,
        &["getFlexBackupSnapshot", "404", "SNAPSHOT_NOT_FOUND"],
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn unauthorized_exits_4() {
    let server = MockServer::start();
    answer_error(&server, 401, "UNAUTHORIZED");
    assert_fails(&get_flex_snapshot(&server), 4, &["401", "UNAUTHORIZED"]);
}

#[test]
fn a_refused_service_account_exits_4() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/api/oauth/token");
        then.status(401).body(r#"{"error":"invalid_client"}"#);
    });
    let mut command = bare_tool();
    command
        .env("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id")
        .env("MONGODB_ATLAS_CLIENT_SECRET", "mdb_sa_sk")
        .env("MONGODB_ATLAS_OPS_MANAGER_URL", server.base_url())
        .args([
            "flex-snapshots",
            "get-flex-backup-snapshot",
            "--group-id",
            GROUP,
        ])
        .args(["--cluster-name", "flex0", "--snapshot-id", SNAPSHOT]);
    assert_fails(&run(command, &[]), 4, &["token endpoint", "401"]);
}

#[test]
fn a_service_account_calls_with_its_token() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/api/oauth/token");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(
                json!({ "access_token": "tok", "token_type": "Bearer", "expires_in": 3600 }),
            );
    });
    let api = server.mock(|when, then| {
        when.method(GET).header("authorization", "Bearer tok");
        then.status(200).json_body(json!({ "id": SNAPSHOT }));
    });
    let mut command = bare_tool();
    command
        .env("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id")
        .env("MONGODB_ATLAS_CLIENT_SECRET", "mdb_sa_sk")
        .env("MONGODB_ATLAS_OPS_MANAGER_URL", server.base_url());
    let output = run(
        command,
        &[
            "flex-restore-jobs",
            "get-flex-restore-job",
            "--group-id",
            GROUP,
            "--cluster-name",
            "flex0",
            "--restore-job-id",
            JOB,
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    api.assert();
}

#[test]
fn rate_limited_after_the_retries_exits_5() {
    let server = MockServer::start();
    let mock = answer_error(&server, 429, "RATE_LIMITED");
    let output = get_flex_snapshot(&server);
    assert_fails(&output, 5, &["429", "RATE_LIMITED", "(4 requests)"]);
    mock.assert_calls(4);
}

#[test]
fn gone_exits_6_and_names_the_successor() {
    let server = MockServer::start();
    answer_error(&server, 410, "VERSION_GONE");
    let args = [
        "cloud-backups",
        "get-serverless-snapshot-v2",
        "--group-id",
        GROUP,
        "--cluster-name",
        "serverless0",
        "--snapshot-id",
        SNAPSHOT,
    ];
    let output = run(tool(&server), &args);
    assert_fails(
        &output,
        6,
        &[
            "410",
            "Atlas no longer serves this endpoint",
            "use `get_flex_backup_snapshot` instead",
        ],
    );
    let warnings: Vec<_> = stderr(&output)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(str::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("Sunset 2026-01-22"), "{}", warnings[0]);
    assert!(warnings[0].contains("flex-snapshots get-flex-backup-snapshot"));
}

#[test]
fn a_server_error_with_a_proxy_page_exits_1_with_one_line() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.any_request();
        then.status(500)
            .header("content-type", "text/html")
            .body("<html>\n<body>\n<h1>Internal error</h1>\n</body>\n</html>\n");
    });
    assert_fails(
        &get_flex_snapshot(&server),
        1,
        &["500", "not an Atlas error", "<h1>Internal error</h1>"],
    );
}

#[test]
fn a_success_that_does_not_decode_exits_1() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.any_request();
        then.status(200).body(r#"{"id": 42"#);
    });
    assert_fails(&get_flex_snapshot(&server), 1, &["does not decode"]);
}

#[test]
fn a_write_is_not_repeated_after_a_bad_gateway() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path(format!("{FLEX}/restoreJobs"));
        then.status(502).body("bad gateway");
    });
    let args = [
        &CREATE_FLEX0_RESTORE[..],
        &[
            "--snapshot-id",
            SNAPSHOT,
            "--target-deployment-item-name",
            "flex1",
        ],
    ]
    .concat();
    assert_fails(&run(tool(&server), &args), 1, &["502"]);
    mock.assert_calls(1);
}

#[test]
fn an_invalid_id_is_refused_before_sending() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let args = [
        "flex-snapshots",
        "get-flex-backup-snapshot",
        "--group-id",
        "not-a-group",
        "--cluster-name",
        "flex0",
        "--snapshot-id",
        SNAPSHOT,
    ];
    assert_fails(
        &run(tool(&server), &args),
        2,
        &["invalid request", "group_id"],
    );
    mock.assert_calls(0);
}

#[test]
fn usage_errors_exit_2() {
    let server = MockServer::start();
    let missing = run(
        tool(&server),
        &[
            "flex-snapshots",
            "get-flex-backup-snapshot",
            "--group-id",
            GROUP,
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("--cluster-name"),
        "{}",
        stderr(&missing)
    );
    let unknown = run(
        tool(&server),
        &["flex-snapshots", "get-flex-backup-snapshot", "--bogus"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    let help = run(tool(&server), &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("flex-restore-jobs"));
}

#[test]
fn missing_credentials_are_named() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let args = GET_FLEX_SNAPSHOT;
    let mut half = bare_tool();
    half.env("MONGODB_ATLAS_PUBLIC_API_KEY", "abcdefgh")
        .env("MONGODB_ATLAS_OPS_MANAGER_URL", server.base_url());
    assert_fails(
        &run(half, &args),
        2,
        &["MONGODB_ATLAS_PUBLIC_API_KEY is set but MONGODB_ATLAS_PRIVATE_API_KEY is not"],
    );
    let mut none = bare_tool();
    none.env("MONGODB_ATLAS_OPS_MANAGER_URL", server.base_url());
    assert_fails(
        &run(none, &args),
        2,
        &["no credentials", "MONGODB_ATLAS_CLIENT_ID"],
    );
    mock.assert_calls(0);
}

/// The tool with an API key and `url` as its base URL.
fn tool_at(url: &str) -> Command {
    let mut command = bare_tool();
    command
        .env("MONGODB_ATLAS_PUBLIC_API_KEY", "abcdefgh")
        .env("MONGODB_ATLAS_PRIVATE_API_KEY", "private-key")
        .env("MONGODB_ATLAS_OPS_MANAGER_URL", url);
    command
}

const LIST_FLEX0_RESTORES: [&str; 6] = [
    "flex-restore-jobs",
    "list-flex-restore-jobs",
    "--group-id",
    GROUP,
    "--cluster-name",
    "flex0",
];

#[test]
fn a_bad_base_url_is_named() {
    assert_fails(
        &run(tool_at("cloud.mongodb.com"), &LIST_FLEX0_RESTORES),
        2,
        &["MONGODB_ATLAS_OPS_MANAGER_URL", "invalid base URL"],
    );
}

#[test]
fn an_http_base_url_to_another_host_is_refused_before_sending() {
    assert_fails(
        &run(tool_at("http://cloud.mongodb.com"), &LIST_FLEX0_RESTORES),
        2,
        &[
            "MONGODB_ATLAS_OPS_MANAGER_URL",
            "http:// would send the credentials in clear text to cloud.mongodb.com; use https://",
        ],
    );
}

/// `createFlexRestoreJob` on flex0, without its body.
const CREATE_FLEX0_RESTORE: [&str; 6] = [
    "flex-restore-jobs",
    "create-flex-restore-job",
    "--group-id",
    GROUP,
    "--cluster-name",
    "flex0",
];

fn create_with_file(server: &MockServer, file: &Path) -> Output {
    let args = [
        &CREATE_FLEX0_RESTORE[..],
        &["--file", file.to_str().unwrap()],
    ]
    .concat();
    run(tool(server), &args)
}

#[test]
fn a_body_comes_from_a_file() {
    let server = MockServer::start();
    let body = json!({ "snapshotId": SNAPSHOT, "targetDeploymentItemName": "flex1", "targetProjectId": GROUP });
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(format!("{FLEX}/restoreJobs"))
            .json_body(body.clone());
        then.status(200).json_body(json!({ "id": JOB }));
    });
    let dir = tempdir();
    let file = dir.join("body.json");
    std::fs::write(&file, body.to_string()).unwrap();
    let output = create_with_file(&server, &file);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    mock.assert();
}

#[test]
fn a_malformed_or_missing_body_file_is_refused_before_sending() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let dir = tempdir();
    let file = dir.join("body.json");
    std::fs::write(&file, r#"{ "snapshotId": "5cc310ace5dc7ce369814bc8" }"#).unwrap();
    assert_fails(
        &create_with_file(&server, &file),
        2,
        &["body.json is not a valid body", "targetDeploymentItemName"],
    );
    std::fs::write(&file, "{ not json").unwrap();
    assert_fails(
        &create_with_file(&server, &file),
        2,
        &["body.json is not a valid body", "line 1"],
    );
    assert_fails(
        &create_with_file(&server, &dir.join("absent.json")),
        2,
        &["cannot read the body file"],
    );
    mock.assert_calls(0);
}

#[test]
fn a_bad_body_flag_names_its_field() {
    let server = MockServer::start();
    let args = [
        "flex-snapshots",
        "download-flex-backup",
        "--group-id",
        GROUP,
        "--cluster-name",
        "flex0",
        "--snapshot-id",
        "XYZ",
    ];
    assert_fails(&run(tool(&server), &args), 2, &["\"XYZ\"", "snapshotId"]);
}

/// A fresh directory under the target directory, for body files.
fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Serves three pages of the serverless list: two full pages of two, then
/// one item.
fn three_pages(server: &MockServer) -> Vec<Mock<'_>> {
    let path = format!("/api/atlas/v1.0/groups/{GROUP}/serverless/serverless0/backup/snapshots");
    [(1, 2), (2, 2), (3, 1)]
        .into_iter()
        .map(|(page, count)| {
            let results: Vec<_> = (0..count)
                .map(|n| json!({ "id": format!("{:024x}", page * 10 + n), "status": "completed" }))
                .collect();
            server.mock(|when, then| {
                when.method(GET)
                    .path(path.clone())
                    .query_param("pageNum", page.to_string())
                    .query_param("itemsPerPage", "2");
                then.status(200).json_body(json!({ "results": results }));
            })
        })
        .collect()
}

const LIST_ALL: [&str; 9] = [
    "cloud-backups",
    "list-serverless-snapshots-v1",
    "--group-id",
    GROUP,
    "--cluster-name",
    "serverless0",
    "--items-per-page",
    "2",
    "--all",
];

/// An integer flag takes any integer on the command line and is narrowed
/// to its parameter's type: out of that range is a usage error, and a value
/// the type refuses (0 for a page size) is refused before sending.
#[test]
fn an_integer_flag_out_of_its_parameters_range_is_refused_before_sending() {
    let server = MockServer::start();
    let any = catch_all(&server);
    let with_page_size = |size: &'static str| {
        let mut args = LIST_ALL;
        args[7] = size;
        run(tool(&server), &args)
    };
    assert_fails(
        &with_page_size("-1"),
        2,
        &["invalid value -1 for itemsPerPage: it must fit a u32"],
    );
    assert_fails(
        &with_page_size("4294967296"),
        2,
        &["invalid value 4294967296 for itemsPerPage"],
    );
    let zero = with_page_size("0");
    assert_ne!(zero.status.code(), Some(0));
    assert!(
        stderr(&zero).contains("items_per_page"),
        "{}",
        stderr(&zero)
    );
    any.assert_calls(0);
}

#[test]
fn all_streams_every_item_of_three_pages_as_json_lines() {
    let server = MockServer::start();
    let pages = three_pages(&server);
    let output = run(tool(&server), &LIST_ALL);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let ids: Vec<String> = stdout(&output)
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let expected: Vec<String> = [10, 11, 20, 21, 30]
        .iter()
        .map(|n| format!("{n:024x}"))
        .collect();
    assert_eq!(ids, expected);
    for page in pages {
        page.assert();
    }
    // Not a terminal: no progress; the deprecation note once, not per page.
    let err = stderr(&output);
    assert_eq!(err.matches("deprecated").count(), 1, "{err}");
    assert!(!err.contains("items"), "{err}");
}

#[test]
fn a_table_has_a_row_per_item() {
    let server = MockServer::start();
    three_pages(&server);
    let args = [&LIST_ALL[..], &["-o", "table"]].concat();
    let output = run(tool(&server), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["ID", "STATUS", "CREATED", "SIZE"]
    );
    assert!(
        lines[5].starts_with(&format!("{:024x}  completed", 30)),
        "{text}"
    );
}

/// The commands of the README's "Command line" section.
fn readme_commands() -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let section = readme
        .split("\n## Command line\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the README has a Command line section");
    section
        .lines()
        .filter_map(|line| line.strip_prefix("atlas-backup-snapshots "))
        .map(|line| line.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_readme_examples_run_one_per_command_group() {
    let commands = readme_commands();
    let mut groups: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    groups.sort_unstable();
    assert_eq!(
        groups,
        ["cloud-backups", "flex-restore-jobs", "flex-snapshots"]
    );
    for command in &commands {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            when.any_request();
            // Decodes as a snapshot, a restore job and a page alike.
            then.status(200)
                .json_body(json!({ "id": SNAPSHOT, "results": [] }));
        });
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let output = run(tool(&server), &args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command:?}: {}",
            stderr(&output)
        );
        mock.assert();
        assert!(
            stdout(&output).contains(SNAPSHOT) || args.contains(&"--all"),
            "{command:?}"
        );
    }
}

/// Every operation of the spec, as `(tag in kebab case, operationId)`,
/// read from the spec's text.
fn spec_operations() -> Vec<(String, String)> {
    let spec = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/atlas-backup-snapshots.yaml"),
    )
    .unwrap();
    let mut operations = Vec::new();
    let mut id = None;
    for line in spec.lines().map(str::trim) {
        if let Some(found) = line.strip_prefix("operationId: ") {
            id = Some(found.to_string());
        } else if let Some(tag) = line.strip_prefix("tags: [") {
            let tag = tag.trim_end_matches(']').to_lowercase().replace(' ', "-");
            operations.extend(id.take().map(|found| (tag, found)));
        }
    }
    operations
}

/// `listBackupSnapshots` as a command: `list-backup-snapshots`.
fn kebab(id: &str) -> String {
    id.chars()
        .flat_map(|c| match c.is_ascii_uppercase() {
            true => vec!['-', c.to_ascii_lowercase()],
            false => vec![c],
        })
        .collect()
}

#[test]
fn every_operation_of_the_spec_is_a_command() {
    let operations = spec_operations();
    assert_eq!(operations.len(), 50);
    for (group, id) in operations {
        let output = run(bare_tool(), &[&group, &kebab(&id), "--help"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{group} {id}: {}",
            stderr(&output)
        );
    }
}

const CLUSTER0: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0";

/// Runs `args` against a server that expects `method` on `path` with
/// `body`, answers `status` and `answer`, and returns what was printed.
fn exchange(
    args: &[&str],
    (method, path, body): (&str, String, Option<Value>),
    (status, answer): (u16, Option<Value>),
) -> Output {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        let when = when.method(method).path(path);
        if let Some(body) = body {
            when.json_body(body);
        }
        let then = then.status(status);
        if let Some(answer) = answer {
            then.header("content-type", "application/json")
                .json_body(answer);
        }
    });
    let output = run(tool(&server), args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    mock.assert();
    output
}

#[test]
fn dedicated_cluster_commands_take_their_body_flags() {
    let cluster = ["--group-id", GROUP, "--cluster-name", "Cluster0"];
    // An integer field with a minimum of 1 and a text field.
    let snapshot = json!({ "type": "replicaSet", "id": SNAPSHOT, "status": "queued" });
    let output = exchange(
        &[
            &["cloud-backups", "take-backup-snapshot"],
            &cluster[..],
            &["--description", "pre-migration", "--retention-in-days", "7"],
        ]
        .concat(),
        (
            "POST",
            format!("{CLUSTER0}/backup/snapshots"),
            Some(json!({ "description": "pre-migration", "retentionInDays": 7 })),
        ),
        (200, Some(snapshot.clone())),
    );
    assert_eq!(json_out(&output), snapshot);

    // An enum field and ids.
    let job = json!({ "id": JOB, "deliveryType": "automated" });
    exchange(
        &[
            &["cloud-backups", "create-backup-restore-job"],
            &cluster[..],
            &[
                "--delivery-type",
                "automated",
                "--snapshot-id",
                SNAPSHOT,
                "--target-cluster-name",
                "Staging0",
                "--target-group-id",
                GROUP,
            ],
        ]
        .concat(),
        (
            "POST",
            format!("{CLUSTER0}/backup/restoreJobs"),
            Some(
                json!({ "deliveryType": "automated", "snapshotId": SNAPSHOT, "targetClusterName": "Staging0", "targetGroupId": GROUP }),
            ),
        ),
        (200, Some(job)),
    );

    // A boolean field; a success of 201.
    exchange(
        &[
            "cloud-backups",
            "update-export-bucket",
            "--group-id",
            GROUP,
            "--export-bucket-id",
            "668c5f0ed436263134491592",
            "--require-private-networking",
            "true",
        ],
        (
            "PATCH",
            format!("{V2}/backup/exportBuckets/668c5f0ed436263134491592"),
            Some(json!({ "requirePrivateNetworking": true })),
        ),
        (
            200,
            Some(
                json!({ "_id": "668c5f0ed436263134491592", "bucketName": "b-1", "cloudProvider": "AWS", "iamRoleId": "668c5f0ed436263134491593" }),
            ),
        ),
    );
    exchange(
        &[
            &["cloud-backups", "create-collection-restore-job"],
            &cluster[..],
            &[
                "--index-strategy",
                "ALL",
                "--target-cluster-name",
                "Staging0",
                "--target-group-id",
                GROUP,
                "--write-strategy",
                "CREATE_NEW",
            ],
        ]
        .concat(),
        (
            "POST",
            format!("{CLUSTER0}/collectionRestoreJobs"),
            Some(
                json!({ "indexStrategy": "ALL", "targetClusterName": "Staging0", "targetGroupId": GROUP, "writeStrategy": "CREATE_NEW" }),
            ),
        ),
        (201, Some(json!({ "id": JOB, "state": "INITIALIZING" }))),
    );

    // A DELETE answered 204 prints nothing but JSON's null.
    let output = exchange(
        &[
            &["cloud-backups", "delete-backup-snapshot"],
            &cluster[..],
            &["--snapshot-id", SNAPSHOT],
        ]
        .concat(),
        (
            "DELETE",
            format!("{CLUSTER0}/backup/snapshots/{SNAPSHOT}"),
            None,
        ),
        (204, None),
    );
    assert_eq!(json_out(&output), Value::Null);
}

#[test]
fn a_body_of_several_shapes_comes_from_a_file_only() {
    let bucket = json!({ "cloudProvider": "GCP", "bucketName": "export-bucket", "roleId": "668c5f0ed436263134491592" });
    let dir = tempdir();
    let file = dir.join("bucket.json");
    std::fs::write(&file, bucket.to_string()).unwrap();
    let create = ["cloud-backups", "create-export-bucket", "--group-id", GROUP];
    let mut answer = bucket.clone();
    answer["_id"] = json!("668c5f0ed436263134491593");
    exchange(
        &[&create[..], &["--file", file.to_str().unwrap()]].concat(),
        ("POST", format!("{V2}/backup/exportBuckets"), Some(bucket)),
        (200, Some(answer)),
    );

    let server = MockServer::start();
    let any = catch_all(&server);
    let output = run(tool(&server), &create);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("required arguments were not provided:\n  --file <PATH>"),
        "{}",
        stderr(&output)
    );
    any.assert_calls(0);
}

#[test]
fn an_out_of_range_body_value_is_refused_before_sending() {
    let server = MockServer::start();
    let any = catch_all(&server);
    let args = [
        "cloud-backups",
        "take-backup-snapshot",
        "--group-id",
        GROUP,
        "--cluster-name",
        "Cluster0",
        "--retention-in-days",
        "0",
    ];
    assert_fails(
        &run(tool(&server), &args),
        2,
        &[
            "invalid value \"0\" for the body field retentionInDays",
            "zero",
        ],
    );
    any.assert_calls(0);
}

const SNAPSHOT_PATH: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/snapshots/5cc310ace5dc7ce369814bc8";

/// A replica set's snapshot as the tool prints it (its struct has no
/// `type`, which tells the kinds of snapshot apart in a list).
fn replica_set(status: &str) -> Value {
    json!({ "id": SNAPSHOT, "status": status })
}

/// Answers the snapshot's reads with `answers` in turn, the last one to
/// every later read: each a status and a body.
fn snapshot_reads<'a>(server: &'a MockServer, answers: &[(u16, Value)]) -> Vec<Mock<'a>> {
    reads(server, SNAPSHOT_PATH, answers)
}

/// Answers the reads of `path` with `answers` in turn, the last one to
/// every later read: each a status and a body.
fn reads<'a>(server: &'a MockServer, path: &str, answers: &[(u16, Value)]) -> Vec<Mock<'a>> {
    answers
        .iter()
        .enumerate()
        .map(|(i, (status, body))| {
            let mock = server.mock(|when, then| {
                when.method(GET).path(path);
                then.status(*status)
                    .header("content-type", "application/json")
                    .json_body(body.clone());
            });
            if i + 1 < answers.len() {
                mock.up_to_n_times(1);
            }
            mock
        })
        .collect()
}

/// `watch-snapshot-completed` of Cluster0's snapshot, reading every 10 ms,
/// with `extra` flags.
fn watch_snapshot(server: &MockServer, extra: &[&str]) -> Output {
    let args = [
        &[
            "cloud-backups",
            "watch-snapshot-completed",
            "--group-id",
            GROUP,
            "--cluster-name",
            "Cluster0",
            "--snapshot-id",
            SNAPSHOT,
            "--min-delay",
            "10ms",
            "--max-delay",
            "10ms",
        ][..],
        extra,
    ]
    .concat();
    run(tool(server), &args)
}

#[test]
fn a_watch_prints_the_answer_that_completed_and_exits_0() {
    let server = MockServer::start();
    let reads = snapshot_reads(
        &server,
        &[
            (200, replica_set("queued")),
            (200, replica_set("inProgress")),
            (200, replica_set("completed")),
        ],
    );
    let output = watch_snapshot(&server, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_out(&output), replica_set("completed"));
    // Standard error is no terminal here: no progress.
    assert_eq!(stderr(&output), "");
    for read in &reads {
        read.assert_calls(1);
    }
}

#[test]
fn a_watch_survives_a_503_and_a_429_between_reads() {
    let server = MockServer::start();
    let unavailable = json!({ "error": 503, "errorCode": "SERVICE_UNAVAILABLE" });
    let limited = json!({ "error": 429, "errorCode": "RATE_LIMITED" });
    snapshot_reads(
        &server,
        &[
            (200, replica_set("queued")),
            (503, unavailable),
            (429, limited),
            (200, replica_set("completed")),
        ],
    );
    let output = watch_snapshot(&server, &["--timeout", "60s"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_out(&output), replica_set("completed"));
}

#[test]
fn a_failure_state_exits_7_with_the_failed_answer() {
    let server = MockServer::start();
    snapshot_reads(
        &server,
        &[(200, replica_set("queued")), (200, replica_set("failed"))],
    );
    let output = watch_snapshot(&server, &[]);
    assert_fails(
        &output,
        7,
        &[&format!(
            "error: snapshot {SNAPSHOT_PATH} failed: `status` is \"failed\""
        )],
    );
    assert_eq!(json_out(&output), replica_set("failed"));
}

#[test]
fn the_timeout_passing_exits_8_with_the_last_answer() {
    let server = MockServer::start();
    snapshot_reads(&server, &[(200, replica_set("inProgress"))]);
    let output = watch_snapshot(&server, &["--timeout", "100ms"]);
    assert_fails(
        &output,
        8,
        &[
            &format!("error: snapshot {SNAPSHOT_PATH} is not done within 100ms, after "),
            "reads; it goes on in Atlas",
        ],
    );
    assert_eq!(json_out(&output), replica_set("inProgress"));
}

#[test]
fn a_watch_that_meets_404_exits_3() {
    let server = MockServer::start();
    snapshot_reads(
        &server,
        &[(
            404,
            json!({ "error": 404, "errorCode": "CLUSTER_SNAPSHOT_NOT_FOUND", "detail": "No such snapshot." }),
        )],
    );
    let output = watch_snapshot(&server, &[]);
    assert_fails(
        &output,
        3,
        &[&format!(
            "error: cannot read snapshot {SNAPSHOT_PATH}: getBackupSnapshot: 404 Not Found: CLUSTER_SNAPSHOT_NOT_FOUND"
        )],
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn a_watch_of_a_deletion_exits_0_when_the_read_answers_404() {
    let server = MockServer::start();
    let reads = snapshot_reads(
        &server,
        &[
            (200, replica_set("completed")),
            (
                404,
                json!({ "error": 404, "errorCode": "CLUSTER_SNAPSHOT_NOT_FOUND" }),
            ),
        ],
    );
    let args = [
        "cloud-backups",
        "watch-snapshot-deleted",
        "--group-id",
        GROUP,
        "--cluster-name",
        "Cluster0",
        "--snapshot-id",
        SNAPSHOT,
        "--min-delay",
        "10ms",
        "--max-delay",
        "10ms",
    ];
    let output = run(tool(&server), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // As the deletion itself prints: nothing is left to show.
    assert_eq!(json_out(&output), Value::Null);
    for read in &reads {
        read.assert_calls(1);
    }
    let help = stdout(&run(
        bare_tool(),
        &["cloud-backups", "watch-snapshot-deleted", "--help"],
    ));
    assert!(
        help.contains("until it is gone (the read answers 404)"),
        "{help}"
    );
}

const ENDPOINT: &str = "6f1a2b3c4d5e6f7a8b9c0d1e";
const ENDPOINTS_PATH: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/backup/AWS/privateEndpoints";

fn endpoint(status: &str) -> Value {
    json!({ "cloudProvider": "AWS", "id": ENDPOINT, "regionName": "US_EAST_1", "status": status })
}

/// `create-backup-private-endpoint --watch`, the creation answered with an
/// `INITIATING` endpoint and its reads with `answers`; reading every
/// 10 ms, with `extra` flags.
fn create_endpoint_and_watch(
    server: &MockServer,
    answers: &[(u16, Value)],
    extra: &[&str],
) -> Output {
    let created = server.mock(|when, then| {
        when.method(POST)
            .path(ENDPOINTS_PATH)
            .json_body(json!({ "regionName": "US_EAST_1" }));
        then.status(201)
            .header("content-type", "application/json")
            .json_body(endpoint("INITIATING"));
    });
    reads(server, &format!("{ENDPOINTS_PATH}/{ENDPOINT}"), answers);
    let args = [
        &[
            "cloud-backups",
            "create-backup-private-endpoint",
            "--group-id",
            GROUP,
            "--cloud-provider",
            "AWS",
            "--region-name",
            "US_EAST_1",
            "--watch",
            "--min-delay",
            "10ms",
            "--max-delay",
            "10ms",
        ][..],
        extra,
    ]
    .concat();
    let output = run(tool(server), &args);
    created.assert_calls(1);
    output
}

#[test]
fn a_write_with_watch_waits_and_prints_the_final_answer() {
    let server = MockServer::start();
    let output = create_endpoint_and_watch(
        &server,
        &[
            (200, endpoint("INITIATING")),
            (200, endpoint("PENDING_ACCEPTANCE")),
            (200, endpoint("ACTIVE")),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_out(&output), endpoint("ACTIVE"));
}

#[test]
fn a_write_with_watch_exits_7_in_a_failure_state() {
    let server = MockServer::start();
    let output = create_endpoint_and_watch(&server, &[(200, endpoint("FAILED"))], &[]);
    assert_fails(
        &output,
        7,
        &[&format!(
            "error: private endpoint {ENDPOINTS_PATH}/{ENDPOINT} failed: `status` is \"FAILED\""
        )],
    );
    assert_eq!(json_out(&output), endpoint("FAILED"));
}

#[test]
fn a_write_with_watch_exits_8_when_its_timeout_passes() {
    let server = MockServer::start();
    let output = create_endpoint_and_watch(
        &server,
        &[(200, endpoint("PENDING_ACCEPTANCE"))],
        &["--timeout", "100ms"],
    );
    assert_fails(
        &output,
        8,
        &[&format!(
            "error: private endpoint {ENDPOINTS_PATH}/{ENDPOINT} is not done within 100ms"
        )],
    );
    assert_eq!(json_out(&output), endpoint("PENDING_ACCEPTANCE"));
}

/// `delete-…` with `--watch`, its `DELETE` of `path` answered 204 and its
/// reads with `answers`, reading every 10 ms, with `extra` flags.
fn delete_and_watch(
    server: &MockServer,
    path: &str,
    command: &[&str],
    answers: &[(u16, Value)],
    extra: &[&str],
) -> Output {
    let deleted = server.mock(|when, then| {
        when.method(DELETE).path(path);
        then.status(204);
    });
    reads(server, path, answers);
    let args = [
        command,
        &["--watch", "--min-delay", "10ms", "--max-delay", "10ms"],
        extra,
    ]
    .concat();
    let output = run(tool(server), &args);
    deleted.assert_calls(1);
    output
}

#[test]
fn a_delete_with_watch_ends_when_the_read_answers_404() {
    let server = MockServer::start();
    let output = delete_and_watch(
        &server,
        SNAPSHOT_PATH,
        &[
            "cloud-backups",
            "delete-backup-snapshot",
            "--group-id",
            GROUP,
            "--cluster-name",
            "Cluster0",
            "--snapshot-id",
            SNAPSHOT,
        ],
        &[
            (200, replica_set("completed")),
            (
                404,
                json!({ "error": 404, "errorCode": "CLUSTER_SNAPSHOT_NOT_FOUND" }),
            ),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_out(&output), Value::Null);
}

#[test]
fn a_delete_with_watch_exits_8_when_the_resource_stays() {
    let server = MockServer::start();
    let bucket = json!({ "_id": JOB, "bucketName": "export-bucket", "cloudProvider": "AWS", "iamRoleId": JOB });
    let path = format!("{V2}/backup/exportBuckets/{JOB}");
    let output = delete_and_watch(
        &server,
        &path,
        &[
            "cloud-backups",
            "delete-export-bucket",
            "--group-id",
            GROUP,
            "--export-bucket-id",
            JOB,
        ],
        &[(200, bucket.clone())],
        &["--timeout", "100ms"],
    );
    assert_fails(
        &output,
        8,
        &[&format!(
            "error: export bucket {path} is not done within 100ms"
        )],
    );
    assert_eq!(json_out(&output), bucket);
}

#[test]
fn watch_on_a_command_without_a_waiter_is_a_usage_error() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let output = run(
        tool(&server),
        &[
            "cloud-backups",
            "get-backup-snapshot",
            "--group-id",
            GROUP,
            "--cluster-name",
            "Cluster0",
            "--snapshot-id",
            SNAPSHOT,
            "--watch",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("unexpected argument '--watch'"),
        "{}",
        stderr(&output)
    );
    // A timeout without --watch is refused too.
    let output = run(
        tool(&server),
        &[
            "cloud-backups",
            "delete-export-bucket",
            "--group-id",
            GROUP,
            "--export-bucket-id",
            JOB,
            "--timeout",
            "5m",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--watch"), "{}", stderr(&output));
    mock.assert_calls(0);
}

#[test]
fn every_write_a_waiter_reads_takes_watch() {
    for (group, command, waiter) in [
        (
            "cloud-backups",
            "create-backup-private-endpoint",
            "watch-private-endpoint-active",
        ),
        (
            "cloud-backups",
            "delete-backup-private-endpoint",
            "watch-private-endpoint-deleted",
        ),
        (
            "cloud-backups",
            "update-compliance-policy",
            "watch-compliance-policy-active",
        ),
        (
            "cloud-backups",
            "delete-backup-snapshot",
            "watch-snapshot-deleted",
        ),
        (
            "cloud-backups",
            "delete-sharded-cluster-backup-snapshot",
            "watch-sharded-cluster-snapshot-deleted",
        ),
        (
            "cloud-backups",
            "delete-export-bucket",
            "watch-export-bucket-deleted",
        ),
        (
            "cloud-backups",
            "create-backup-restore-job",
            "watch-restore-job-finished",
        ),
        (
            "cloud-backups",
            "create-backup-export-job",
            "watch-export-job-successful",
        ),
        (
            "cloud-backups",
            "create-collection-restore-job",
            "watch-collection-restore-job-successful",
        ),
        (
            "flex-restore-jobs",
            "create-flex-restore-job",
            "watch-flex-restore-job-completed",
        ),
    ] {
        let output = run(bare_tool(), &[group, command, "--help"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command}: {}",
            stderr(&output)
        );
        let help = stdout(&output);
        assert!(
            help.contains(&format!("Then wait as `{group} {waiter}` does")),
            "{command}:\n{help}"
        );
        for flag in ["--timeout", "--min-delay", "--max-delay"] {
            assert!(help.contains(flag), "{command} lacks {flag}:\n{help}");
        }
    }
}

/// The Backup Compliance Policy as Atlas answers it.
fn compliance_policy() -> atlas_backup_snapshots::types::DataProtectionSettings {
    atlas_backup_snapshots::types::DataProtectionSettings::builder()
        .authorized_email("owner@example.com")
        .authorized_user_first_name("Ada")
        .authorized_user_last_name("Lovelace")
        .try_into()
        .unwrap()
}

fn update_compliance_policy(server: &MockServer, yes: &[&str]) -> Output {
    let args = [
        &[
            "cloud-backups",
            "update-compliance-policy",
            "--group-id",
            GROUP,
            "--authorized-email",
            "owner@example.com",
            "--authorized-user-first-name",
            "Ada",
            "--authorized-user-last-name",
            "Lovelace",
        ][..],
        yes,
    ]
    .concat();
    run(tool(server), &args)
}

#[test]
fn a_compliance_policy_is_not_changed_without_yes() {
    use atlas_backup_snapshots::mock::MockServerExt;

    let server = MockServer::start();
    let policy = compliance_policy();
    let update = server.update_compliance_policy(|_, then| then.ok(&policy));
    let disable = server.disable_compliance_policy(|_, then| then.no_content());
    // Standard input is no terminal here: nothing to ask on.
    let output = update_compliance_policy(&server, &[]);
    assert_fails(
        &output,
        2,
        &[
            "error: update-compliance-policy cannot be undone: Enabling or changing a Backup Compliance Policy cannot be undone without a MongoDB support ticket",
            "Give --yes to go on; nothing was sent.",
        ],
    );
    let output = run(
        tool(&server),
        &[
            "cloud-backups",
            "disable-compliance-policy",
            "--group-id",
            GROUP,
        ],
    );
    assert_fails(
        &output,
        2,
        &[
            "error: disable-compliance-policy cannot be undone: Disabling a Backup Compliance Policy needs a MongoDB support ticket filed first",
            "nothing was sent",
        ],
    );
    update.assert_calls(0);
    disable.assert_calls(0);
}

#[test]
fn yes_confirms_a_change_of_the_compliance_policy() {
    use atlas_backup_snapshots::mock::MockServerExt;

    let server = MockServer::start();
    let policy = compliance_policy();
    let update = server.update_compliance_policy(|when, then| {
        when.body(
            &atlas_backup_snapshots::types::DataProtectionSettingsRequest::builder()
                .authorized_email("owner@example.com")
                .authorized_user_first_name("Ada")
                .authorized_user_last_name("Lovelace")
                .try_into()
                .unwrap(),
        );
        then.ok(&policy);
    });
    let output = update_compliance_policy(&server, &["--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_out(&output), serde_json::to_value(&policy).unwrap());
    update.assert_calls(1);
    let help = stdout(&run(
        bare_tool(),
        &["cloud-backups", "update-compliance-policy", "--help"],
    ));
    assert!(
        help.contains("Cannot be undone: Enabling or changing a Backup Compliance Policy"),
        "{help}"
    );
}

#[test]
fn a_bad_timeout_exits_2_before_sending() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let output = watch_snapshot(&server, &["--timeout", "soon"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("\"soon\" is not a duration"),
        "{}",
        stderr(&output)
    );
    mock.assert_calls(0);
}

#[test]
fn every_waiter_is_a_watch_command_with_its_operations_flags() {
    for (group, command) in [
        ("cloud-backups", "watch-snapshot-completed"),
        ("cloud-backups", "watch-sharded-cluster-snapshot-completed"),
        ("cloud-backups", "watch-restore-job-finished"),
        ("cloud-backups", "watch-export-job-successful"),
        ("cloud-backups", "watch-collection-restore-job-successful"),
        ("flex-snapshots", "watch-flex-snapshot-completed"),
        ("flex-restore-jobs", "watch-flex-restore-job-completed"),
    ] {
        let output = run(bare_tool(), &[group, command, "--help"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command}: {}",
            stderr(&output)
        );
        let help = stdout(&output);
        for flag in [
            "--group-id",
            "--cluster-name",
            "--timeout",
            "--min-delay",
            "--max-delay",
        ] {
            assert!(help.contains(flag), "{command} lacks {flag}:\n{help}");
        }
        assert!(
            help.contains("7 a failure state, 8 the timeout passed"),
            "{help}"
        );
    }
    let help = stdout(&run(
        bare_tool(),
        &["cloud-backups", "watch-snapshot-completed", "--help"],
    ));
    assert!(help.contains("[default: 14400s]"), "{help}");
    assert!(help.contains("--snapshot-id"), "{help}");
}
