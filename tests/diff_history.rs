//! `cargo xtask diff` on two real pairs of Atlas's published document, from
//! `../shared/sources/history/` (gzip): what a reviewer of each must see.
//! Each diff generates both versions of Atlas's whole document for the
//! Rust API section, which takes about half a minute in a debug build.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;
use xtask::diff::report::{Format, render};
use xtask::diff::rules::Level;
use xtask::diff::rust_api::{ApiChanges, RustApi};
use xtask::diff::source::SpecText;
use xtask::diff::{Finding, Report, diff};
use xtask::raw::{escape, resolve};

/// A version of Atlas's document from `../shared/sources/history/`.
fn history(name: &str) -> SpecText {
    let path = xtask::workspace_root()
        .join("../shared/sources/history")
        .join(format!("{name}.yaml.gz"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SpecText {
        name: format!("{name}.yaml"),
        path: PathBuf::from(format!("{name}.yaml")),
        text,
    }
}

fn compared(report: &Report) -> &ApiChanges {
    match &report.rust_api {
        RustApi::Compared(api) => api,
        RustApi::Unavailable { reason } => panic!("no Rust API section: {reason}"),
    }
}

fn at<'r>(report: &'r Report, operation: &str) -> Vec<&'r Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.operation == operation || f.operations.iter().any(|o| o == operation))
        .collect()
}

/// The transformed document of 2025-08-25 and -29: hundreds of
/// operationIds renamed, two of them moved crosswise, and a few real
/// changes among them.
#[test]
fn a_release_of_mass_renames() {
    let (old, new) = (
        history("atlas-api-transformed-2025-08-25"),
        history("atlas-api-transformed-2025-08-29"),
    );
    let report = diff(&old, &new).unwrap();

    // The two operations whose operationIds moved crosswise: a rename
    // each, at info level, and nothing else.
    let delete = "DELETE /api/atlas/v2/orgs/{orgId}/teams/{teamId}/users/{userId}";
    let post = "POST /api/atlas/v2/orgs/{orgId}/teams/{teamId}:removeUser";
    for (operation, old_id, new_id) in [
        (delete, "removeTeamUser", "removeUserFromTeam"),
        (post, "removeUserFromTeam", "removeOrgTeamUser"),
    ] {
        let findings = at(&report, operation);
        let [renamed] = findings.as_slice() else {
            panic!("{operation}: {findings:#?}");
        };
        assert_eq!(renamed.rule, "operation-id-changed");
        assert_eq!(renamed.level, Level::Info);
        assert_eq!(
            (renamed.before.as_ref(), renamed.after.as_ref()),
            (Some(&Value::from(old_id)), Some(&Value::from(new_id)))
        );
    }
    let renames = report
        .findings
        .iter()
        .filter(|f| f.rule == "operation-id-changed")
        .count();
    assert!(renames > 300, "{renames}");

    // In the Rust API, the same two are renamed methods, breaking.
    let api = compared(&report);
    let renamed = |operation: &str| {
        api.renamed
            .iter()
            .find(|r| r.operation == operation)
            .map(|r| (r.old.as_str(), r.new.as_str()))
    };
    assert_eq!(
        renamed(delete),
        Some(("remove_team_user", "remove_user_from_team"))
    );
    assert_eq!(
        renamed(post),
        Some(("remove_user_from_team", "remove_org_team_user"))
    );
    assert!(api.renamed.len() > 300, "{}", api.renamed.len());
    assert_eq!(api.unavailable, [], "operations not compared");
    assert!(report.reaches(Level::Breaking));

    // The real removals stay in plain sight, with the release they force,
    // in under 40 lines.
    let text = render(&report, Format::Text);
    assert!(
        text.lines().count() < 40,
        "{} lines:\n{text}",
        text.lines().count()
    );
    for removed in [
        "request property `tgwId` was removed",
        "property `vpcCIDR` was removed",
    ] {
        assert!(text.contains(removed), "{text}");
    }
    assert_eq!(text.matches("operation-id-changed").count(), 1, "{text}");
    assert_eq!(
        tests::json_findings(&report, "operation-id-changed"),
        renames,
        "JSON lists every finding"
    );
}

/// The published document of 2025-01-06 and 2025-02-11: a branch inserted
/// in the middle of a `oneOf` of event types, and one appended to the
/// `oneOf` of `EARPrivateEndpoint.regionName`.
#[test]
fn a_release_with_one_of_branches_added() {
    let (old, new) = (
        history("atlas-api-2025-01-06"),
        history("atlas-api-2025-02-11"),
    );
    let report = diff(&old, &new).unwrap();

    // No enum value is reported removed that is still allowed where it was.
    let new_document: Value = serde_yaml::from_str(&new.text).unwrap();
    let resolved = resolve::resolve_refs(&new_document);
    let mut removed = 0;
    for finding in report
        .findings
        .iter()
        .filter(|f| f.rule.ends_with("-enum-value-removed"))
    {
        let value = removed_value(finding);
        let allowed = allowed_at(&new_document, &resolved, finding);
        assert!(
            !allowed.contains(&value),
            "{value} is still allowed: {finding:#?}"
        );
        removed += 1;
    }
    assert!(removed < 5, "{removed} enum values removed");

    // The appended branch, on both sides of the wire.
    let region_branch = |f: &&Finding| {
        f.message
            .contains("`regionName`: `oneOf` branch `\"AWS Regions\"` was added")
    };
    let region: Vec<_> = report.findings.iter().filter(region_branch).collect();
    assert!(
        region.iter().any(|f| f.rule == "response-branch-added"
            && f.pointer == "/components/schemas/EARPrivateEndpoint/properties/regionName/oneOf/1"),
        "{region:#?}"
    );
    assert!(
        region.iter().any(|f| f.rule == "request-branch-added"),
        "{region:#?}"
    );

    // The branch inserted among the event types is one branch added, where
    // pairing branches by place found hundreds of changes; another was
    // inserted further on.
    let events = "GET /api/atlas/v2/groups/{groupId}/events";
    let event_types: Vec<_> = at(&report, events)
        .into_iter()
        .filter(|f| f.pointer.starts_with("/get/parameters/7/"))
        .map(|f| (f.rule, f.message.as_str()))
        .collect();
    assert!(
        event_types.contains(&(
            "request-branch-added",
            "parameter `eventType[]`: `oneOf` branch `\"Data Explorer Event Types\"` was added"
        )),
        "{event_types:#?}"
    );
    // Besides the two branches added, values added to branches, and
    // nothing removed.
    assert!(
        event_types
            .iter()
            .all(|(rule, _)| ["request-branch-added", "request-enum-value-added"].contains(rule)),
        "{event_types:#?}"
    );
    let branches = event_types
        .iter()
        .filter(|(rule, _)| *rule == "request-branch-added")
        .count();
    assert_eq!(branches, 2, "{event_types:#?}");
    assert!(
        report.count(Level::Breaking) < 30,
        "{} breaking",
        report.count(Level::Breaking)
    );

    // The Rust API of the whole document is compared, every operation of
    // it: the ones that take paging parameters without a `results` array
    // and the ones with two error bodies generate too.
    let api = compared(&report);
    assert!(!api.added.is_empty(), "{api:?}");
    assert_eq!(api.unavailable, [], "operations not compared");
}

/// The value a `*-enum-value-removed` finding names, as JSON text.
fn removed_value(finding: &Finding) -> String {
    let (_, rest) = finding.message.split_once("enum value `").unwrap();
    let (value, _) = rest.rsplit_once("` was removed").unwrap();
    value.to_string()
}

/// Every value the new document allows at a finding's enum: the enum's
/// own list, and, for a branch of a `oneOf` or `anyOf`, every branch's.
fn allowed_at(document: &Value, resolved: &Value, finding: &Finding) -> BTreeSet<String> {
    let (root, pointer) = match finding.operation.split_once(' ') {
        Some((_, path)) => (
            resolved,
            format!("/paths/{}{}", escape(path), finding.pointer),
        ),
        None => (document, finding.pointer.clone()),
    };
    let schema = pointer.strip_suffix("/enum").unwrap_or(&pointer);
    let list = match schema.rsplit_once('/') {
        Some((list, index))
            if index.parse::<usize>().is_ok()
                && (list.ends_with("/oneOf") || list.ends_with("/anyOf")) =>
        {
            list
        }
        _ => schema,
    };
    let found = root.pointer(list).unwrap_or_else(|| panic!("{list}"));
    let branches = match found {
        Value::Array(branches) => branches.clone(),
        one => vec![one.clone()],
    };
    branches
        .iter()
        .flat_map(|branch| {
            let branch = match branch.get("$ref").and_then(Value::as_str) {
                Some(target) => document.pointer(&target[1..]).unwrap(),
                None => branch,
            };
            branch
                .get("enum")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .map(|value| value.to_string())
        .collect()
}

/// The change that added the Cloud Backups operations to this project's
/// spec (commits 8050d74 and 79a19d8): dozens of operations and types
/// added, and one enum removed, which makes it a major release; the
/// review fits a screen, the removal first among the reasons.
#[test]
fn the_cloud_backups_change_is_major_on_one_screen() {
    use xtask::diff::source::Source;
    use xtask::diff::verdict::Release;
    let root = xtask::workspace_root();
    let read = |revision: &str| Source::Revision(revision.into()).read(&root).unwrap();
    let report = diff(&read("8050d74"), &read("79a19d8")).unwrap();
    let verdict = report.verdict.as_ref().expect("the Rust API is compared");
    assert_eq!(verdict.release, Release::Major);
    assert_eq!(
        verdict.reasons[0].item,
        "enum types::ServerlessBackupSnapshotStatus"
    );
    assert_eq!(verdict.reasons[0].rule, "item-removed");
    let text = render(&report, Format::Text);
    assert!(
        text.lines().count() < 80,
        "{} lines:\n{text}",
        text.lines().count()
    );
    assert!(
        text.contains("  - enum types::ServerlessBackupSnapshotStatus\n"),
        "{text}"
    );
    // Every added item is in the JSON report.
    let json: Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
    assert_eq!(
        json["rust_api"]["added"].as_array().map(Vec::len),
        Some(compared(&report).added.len())
    );
    assert!(compared(&report).added.len() > 1000);
}
