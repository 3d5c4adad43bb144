//! Every example body of the five Atlas pages, and every error example of
//! the excerpt of Atlas's published v2 document, decodes into the generated
//! types. Where a page's example breaks the page's own schema, the places
//! are listed here and checked one by one: a value against a `pattern` is
//! decoded as sent (the client takes what Atlas sends) but refused when
//! built from a string; a value against a `format` is refused by decoding.

use std::collections::BTreeSet;
use std::str::FromStr;

use atlas_backup_snapshots::types::{
    ApiError, ClusterName, LegacyBackupSnapshot, LegacyBackupSnapshotPartMachineId, MongodVersion,
    PaginatedServerlessBackupSnapshots, ServerlessBackupSnapshot, SharedTierSnapshot, SnapshotId,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tests::{fixture, fixtures_dir, seed_page, source_document};

/// Where decoding stopped, as a JSON pointer, and why.
type Rejection = (String, String);

/// Whether a string builds the type of a field.
type Builds = fn(&str) -> bool;

struct SuccessExample {
    page: &'static str,
    decode: fn(&str) -> Result<(), Rejection>,
    /// Values that break a pattern of the page's schema, each with the
    /// check that building its type from a string applies.
    pattern_errors: &'static [(&'static str, Builds)],
    /// Values that break a format, in the order decoding meets them, each
    /// with a value the schema accepts.
    format_errors: &'static [(&'static str, &'static str)],
}

fn accepts<T: FromStr>(value: &str) -> bool {
    T::from_str(value).is_ok()
}

const SUCCESS_EXAMPLES: &[SuccessExample] = &[
    SuccessExample {
        page: "000_a09300ffccf3d5f9",
        decode: decode::<ServerlessBackupSnapshot>,
        // Placeholders where the page meant real values.
        pattern_errors: &[
            ("/id", accepts::<SnapshotId>),
            ("/serverlessInstanceName", accepts::<ClusterName>),
        ],
        format_errors: &[],
    },
    SuccessExample {
        page: "001_0febfd8663e828a6",
        decode: decode::<SharedTierSnapshot>,
        pattern_errors: &[],
        format_errors: &[],
    },
    SuccessExample {
        page: "002_4c9947135e3c7d0e",
        decode: decode::<ServerlessBackupSnapshot>,
        // "string" against the major.minor.patch pattern.
        pattern_errors: &[("/mongodVersion", accepts::<MongodVersion>)],
        format_errors: &[],
    },
    SuccessExample {
        page: "003_29d22861862584a8",
        decode: decode::<PaginatedServerlessBackupSnapshots>,
        pattern_errors: &[("/results/0/mongodVersion", accepts::<MongodVersion>)],
        format_errors: &[],
    },
    SuccessExample {
        page: "004_5c5a46628cca301b",
        decode: decode::<LegacyBackupSnapshot>,
        // "string" against the host-and-port pattern, the version pattern
        // and the uuid format.
        pattern_errors: &[
            (
                "/parts/0/machineId",
                accepts::<LegacyBackupSnapshotPartMachineId>,
            ),
            ("/parts/0/mongodVersion", accepts::<MongodVersion>),
        ],
        format_errors: &[(
            "/parts/0/masterKeyUUID",
            r#""6e1a4f3c-2b7d-4c8e-9f10-112233445566""#,
        )],
    },
];

/// The error statuses each page gives an example body for.
const ERROR_EXAMPLES: &[(&str, &[u16])] = &[
    ("002_4c9947135e3c7d0e", &[400, 401, 403, 404, 500]),
    ("003_29d22861862584a8", &[400, 401, 403, 404, 500]),
    ("004_5c5a46628cca301b", &[401, 403, 404, 500]),
];

/// The excerpt of Atlas's published document that the Flex operations come
/// from, and the statuses of its error examples. It has no success
/// examples.
const FLEX_SOURCE: (&str, &[u16]) = (
    "atlas-v2-flex-backups-2026-08-21",
    &[400, 401, 403, 404, 409, 429, 500],
);

fn decode<T: DeserializeOwned>(json: &str) -> Result<(), Rejection> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map(drop)
        .map_err(|e| (json_pointer(e.path()), e.inner().to_string()))
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .map(|segment| match segment {
            Segment::Seq { index } => format!("/{index}"),
            Segment::Map { key } => format!("/{key}"),
            Segment::Enum { variant } => format!("/{variant}"),
            Segment::Unknown => "/?".to_string(),
        })
        .collect()
}

#[test]
fn success_examples_decode_except_where_the_page_breaks_a_format() {
    for example in SUCCESS_EXAMPLES {
        let page = example.page;
        let mut body: Value = serde_json::from_str(&fixture(page, 200)).unwrap();
        for (pointer, accepted) in example.format_errors {
            let rejection = (example.decode)(&body.to_string()).expect_err(&format!(
                "{page}: the page's value at {pointer} should be refused"
            ));
            assert_eq!(
                &rejection.0, pointer,
                "{page}: decoding failed somewhere other than the known page error: {rejection:?}"
            );
            *body.pointer_mut(pointer).unwrap() = serde_json::from_str(accepted).unwrap();
        }
        if let Err(rejection) = (example.decode)(&body.to_string()) {
            panic!("{page}: the example does not decode: {rejection:?}");
        }
    }
}

#[test]
fn values_against_a_pattern_decode_as_sent_but_cannot_be_built() {
    for example in SUCCESS_EXAMPLES {
        let body: Value = serde_json::from_str(&fixture(example.page, 200)).unwrap();
        for (pointer, builds) in example.pattern_errors {
            let value = body.pointer(pointer).and_then(Value::as_str);
            let value = value.unwrap_or_else(|| panic!("{}: no string at {pointer}", example.page));
            assert!(
                !builds(value),
                "{}: {pointer} = {value:?} matches its pattern; it is not a page error",
                example.page
            );
        }
    }
}

#[test]
fn error_examples_decode_into_api_error_with_their_status() {
    for (page, statuses) in ERROR_EXAMPLES {
        let text = seed_page(page);
        for &status in *statuses {
            let error: ApiError = serde_json::from_str(&fixture(page, status))
                .unwrap_or_else(|e| panic!("{page}/{status}: {e}"));
            assert_eq!(error.error, i32::from(status), "{page}/{status}");
            assert!(
                text.contains(&format!("\"errorCode\": \"{}\"", error.error_code)),
                "{page}/{status}: errorCode {} is not on the page",
                error.error_code
            );
            let detail = error.detail.expect("every page example has a detail");
            assert!(
                text.contains(&detail),
                "{page}/{status}: detail is not on the page"
            );
        }
    }
}

#[test]
fn the_excerpts_error_examples_are_its_own_and_decode_into_api_error() {
    let (source, statuses) = FLEX_SOURCE;
    let document = source_document(source);
    let examples: Vec<&Value> = document["components"]["responses"]
        .as_object()
        .expect("the excerpt has shared responses")
        .values()
        .map(|response| &response["content"]["application/json"]["example"])
        .collect();
    assert_eq!(examples.len(), statuses.len());
    for &status in statuses {
        let text = fixture(source, status);
        let example: Value = serde_json::from_str(&text).unwrap();
        assert!(
            examples.contains(&&example),
            "{source}/{status} is not an example of the excerpt"
        );
        let error: ApiError =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{source}/{status}: {e}"));
        assert_eq!(error.error, i32::from(status), "{source}/{status}");
    }
}

#[test]
fn every_member_name_of_a_success_example_is_on_its_page() {
    fn names(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                out.insert(k.clone());
                names(v, out);
            }),
            Value::Array(items) => items.iter().for_each(|v| names(v, out)),
            _ => {}
        }
    }
    for example in SUCCESS_EXAMPLES {
        let text = seed_page(example.page);
        let mut found = BTreeSet::new();
        names(
            &serde_json::from_str(&fixture(example.page, 200)).unwrap(),
            &mut found,
        );
        for name in found {
            assert!(
                text.contains(&format!("\"{name}\"")),
                "{}: {name}",
                example.page
            );
        }
    }
}

#[test]
fn every_fixture_file_is_checked_by_a_test() {
    let mut listed: BTreeSet<String> = SUCCESS_EXAMPLES
        .iter()
        .map(|e| format!("{}/200.json", e.page))
        .collect();
    for (page, statuses) in ERROR_EXAMPLES.iter().chain([&FLEX_SOURCE]) {
        listed.extend(statuses.iter().map(|s| format!("{page}/{s}.json")));
    }
    let mut on_disk = BTreeSet::new();
    for page in std::fs::read_dir(fixtures_dir()).unwrap() {
        let page = page.unwrap();
        for file in std::fs::read_dir(page.path()).unwrap() {
            let name = file.unwrap().file_name();
            on_disk.insert(format!(
                "{}/{}",
                page.file_name().to_string_lossy(),
                name.to_string_lossy()
            ));
        }
    }
    assert_eq!(on_disk, listed);
}
