//! A new operation of each shape Atlas uses, added to a copy of the spec,
//! needs nothing but `cargo xtask regen`: a POST with a versioned request
//! body whose only success is 201 (or 409), a POST whose body schema is
//! written inline, a PATCH answering 202, a DELETE answering 204, a GET
//! of yet another resource version, and a POST answering 200 with a body
//! or 204 without, as Atlas's `POST /groups/{groupId}/access` does. The generated client, command
//! line and mocks are compiled with the crate's hand-written code, and the
//! requests and mock answers carry the versioned media types.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::{Mapping, Value};
use xtask::pipeline::{GeneratedFile, Pipeline};
use xtask::{SPEC_PATH, workspace_root};

const VERSION: &str = "application/vnd.atlas.2025-03-12+json";

/// The project's spec with the new operations and their schema added.
fn spec_with_new_shapes() -> String {
    let text = fs::read_to_string(workspace_root().join(SPEC_PATH)).unwrap();
    let mut spec: Value = serde_yaml::from_str(&text).unwrap();
    let things = format!(
        r#"
post:
  operationId: createThing
  summary: Create one thing
  tags: [Cloud Backups]
  parameters: [{{ $ref: '#/components/parameters/groupId' }}]
  requestBody:
    required: true
    content:
      {VERSION}: {{ schema: {{ $ref: '#/components/schemas/Thing' }} }}
  responses:
    '201':
      description: Created
      content:
        {VERSION}: {{ schema: {{ $ref: '#/components/schemas/Thing' }} }}
    '409': {{ $ref: '#/components/responses/conflict' }}
    '429': {{ $ref: '#/components/responses/tooManyRequests' }}
get:
  operationId: getThings
  summary: Return things
  tags: [Cloud Backups]
  parameters: [{{ $ref: '#/components/parameters/groupId' }}]
  responses:
    '200':
      description: OK
      content:
        {VERSION}: {{ schema: {{ $ref: '#/components/schemas/Thing' }} }}
"#
    );
    let thing = format!(
        r#"
patch:
  operationId: updateThing
  summary: Change one thing
  tags: [Cloud Backups]
  parameters:
    - {{ $ref: '#/components/parameters/groupId' }}
    - {{ name: thingId, in: path, required: true, schema: {{ $ref: '#/components/schemas/RestoreJobId' }} }}
  requestBody:
    required: true
    content:
      {VERSION}: {{ schema: {{ $ref: '#/components/schemas/Thing' }} }}
  responses:
    '202':
      description: Accepted
      content:
        {VERSION}: {{ schema: {{ $ref: '#/components/schemas/Thing' }} }}
    '409': {{ $ref: '#/components/responses/conflict' }}
delete:
  operationId: deleteThing
  summary: Delete one thing
  tags: [Cloud Backups]
  parameters:
    - {{ $ref: '#/components/parameters/groupId' }}
    - {{ name: thingId, in: path, required: true, schema: {{ $ref: '#/components/schemas/RestoreJobId' }} }}
  responses:
    '204': {{ description: No Content }}
    '404': {{ $ref: '#/components/responses/notFound' }}
"#
    );
    let invite = format!(
        r#"
post:
  operationId: inviteThing
  summary: Add a thing, or invite one
  tags: [Cloud Backups]
  parameters: [{{ $ref: '#/components/parameters/groupId' }}]
  requestBody:
    required: true
    content:
      {VERSION}: {{ schema: {{ $ref: '#/components/schemas/Thing' }} }}
  responses:
    '200':
      description: Invited
      content:
        {VERSION}: {{ schema: {{ $ref: '#/components/schemas/Thing' }} }}
    '204':
      description: Added
      content:
        {VERSION}: {{ x-xgen-version: '2025-03-12' }}
    '409': {{ $ref: '#/components/responses/conflict' }}
"#
    );
    let probe = format!(
        r#"
post:
  operationId: probeThings
  summary: Probe things
  tags: [Cloud Backups]
  parameters: [{{ $ref: '#/components/parameters/groupId' }}]
  requestBody:
    required: true
    content:
      {VERSION}:
        schema:
          type: object
          required: [depth]
          properties:
            depth: {{ type: integer, format: int32, minimum: 1 }}
            label: {{ type: string }}
  responses:
    '201':
      description: Created
      content:
        {VERSION}: {{ schema: {{ $ref: '#/components/schemas/Thing' }} }}
"#
    );
    let schema = r#"
type: object
required: [name]
properties:
  name: { $ref: '#/components/schemas/DeploymentItemName' }
  size: { type: integer, format: int64 }
"#;
    let paths = spec["paths"].as_mapping_mut().unwrap();
    for (path, item) in [
        ("/api/atlas/v2/groups/{groupId}/things", things),
        ("/api/atlas/v2/groups/{groupId}/things/{thingId}", thing),
        ("/api/atlas/v2/groups/{groupId}/thingProbes", probe),
        ("/api/atlas/v2/groups/{groupId}/things:invite", invite),
    ] {
        paths.insert(path.into(), serde_yaml::from_str(&item).unwrap());
    }
    let schemas: &mut Mapping = spec["components"]["schemas"].as_mapping_mut().unwrap();
    schemas.insert("Thing".into(), serde_yaml::from_str(schema).unwrap());
    serde_yaml::to_string(&spec).unwrap()
}

/// The client, command line and mocks for the spec with the new shapes.
fn generated(spec: &Path) -> [String; 3] {
    let files = [
        GeneratedFile::Client,
        GeneratedFile::CliTable,
        GeneratedFile::Mocks,
    ];
    let rendered = Pipeline::load(spec, "spec.yaml")
        .and_then(|pipeline| pipeline.render_all(&files))
        .unwrap_or_else(|e| panic!("{e:#}"));
    rendered.try_into().unwrap()
}

/// The part of `code` from `start` to the next `end`.
fn between<'a>(code: &'a str, start: &str, end: &str) -> &'a str {
    let from = code
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in the generated code"));
    let rest = &code[from..];
    &rest[..rest[start.len()..]
        .find(end)
        .map_or(rest.len(), |e| e + start.len())]
}

/// The body of the generated function that builds the request of
/// `builder`'s operation.
fn dispatch_of<'a>(code: &'a str, builder: &str) -> &'a str {
    let start = code
        .find(&format!("impl<'a> {builder}<'a> {{"))
        .unwrap_or_else(|| panic!("no builder {builder}"));
    let rest = &code[start..];
    let dispatch = rest.find("fn build_request(").unwrap();
    let end = rest[dispatch..].find("::std::result::Result::Ok(").unwrap();
    &rest[dispatch..dispatch + end]
}

#[test]
fn new_operations_of_each_shape_generate_with_their_versioned_headers() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    fs::write(&spec, spec_with_new_shapes()).unwrap();
    let [code, commands, mocks] = generated(&spec);

    for builder in ["CreateThing", "UpdateThing", "ProbeThings"] {
        let dispatch = dispatch_of(&code, builder);
        let accept = dispatch.find("ACCEPT").unwrap();
        let content_type = dispatch.find("CONTENT_TYPE").unwrap();
        let json = dispatch.find(".json(&body)").unwrap();
        assert!(accept < content_type && content_type < json, "{dispatch}");
        assert_eq!(dispatch.matches(VERSION).count(), 2, "{dispatch}");
    }
    assert_eq!(dispatch_of(&code, "GetThings").matches(VERSION).count(), 1);
    let delete = dispatch_of(&code, "DeleteThing");
    assert!(!delete.contains("CONTENT_TYPE"), "{delete}");
    assert!(!code.contains("api-version"));
    assert!(code.contains("201u16 =>"));
    assert!(code.contains("202u16 =>"));
    assert!(code.contains("204u16 => Ok(ResponseValue::empty(response))"));
    assert!(code.contains("409u16 =>"));
    // progenitor names the inline body after its operation, with a builder.
    assert!(
        code.contains("pub struct ProbeThingsBody {"),
        "no inline body type"
    );
    assert!(code.contains("types::builder::ProbeThingsBody"));
    // A body or nothing: an Option of the body, `None` for the 204.
    let invite = &code[code.find("impl<'a> InviteThing<'a>").unwrap()..];
    let invite = &invite[..invite.find("\n    impl").unwrap()];
    let flat: String = invite.split_whitespace().collect();
    for expected in [
        "->::std::result::Result<ResponseValue<::std::option::Option<types::Thing>>,crate::Error,>",
        "200u16=>{ResponseValue::from_response(response).await.and_then(|answer:ResponseValue<types::Thing>|{answer.map(::std::option::Option::Some)})}",
        "204u16=>{ResponseValue::empty(response).map(|()|::std::option::Option::None)}",
    ] {
        assert!(flat.contains(expected), "{expected}\n{invite}");
    }

    // Each mock's typed success answer, whatever its status, has the
    // operation's media type: `created` for 201, `accepted` for 202.
    for (then, answer) in [
        ("CreateThingThen", "created"),
        ("ProbeThingsThen", "created"),
        ("UpdateThingThen", "accepted"),
        ("GetThingsThen", "ok"),
    ] {
        let impl_then = between(
            &mocks,
            &format!("impl {then} {{"),
            "\n    }\n    pub struct",
        );
        let answer = between(impl_then, &format!("pub fn {answer}("), "\n        }");
        assert!(answer.contains(VERSION), "{then}::{answer}");
    }

    // The inline body's scalar fields are flags of its command, and the
    // command reads the body type progenitor named.
    let probe = between(&commands, "id: \"probeThings\"", "paged:");
    for flag in [
        "flag: \"depth\"",
        "flag: \"label\"",
        "body_file_only: false",
    ] {
        assert!(probe.contains(flag), "{flag} in {probe}");
    }
    assert!(commands.contains("args.body_file::<types::ProbeThingsBody>()"));
    assert!(commands.contains("command: \"create-thing\""));

    compiles_with_the_runtime(&code, &commands, &mocks);
}

/// Checks `code`, `commands` and `mocks` as the client crate's generated
/// files, with the `cli` and `mock` features on, in a copy of the crate
/// outside the workspace, so this test's cargo run is not waited on.
fn compiles_with_the_runtime(code: &str, commands: &str, mocks: &str) {
    let crate_dir = workspace_root().join("generated-client");
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&crate_dir.join("src"), &copy.path().join("src"));
    for (file, text) in [
        (GeneratedFile::Client, code),
        (GeneratedFile::CliTable, commands),
        (GeneratedFile::Mocks, mocks),
    ] {
        let file = file.path().strip_prefix("generated-client/").unwrap();
        fs::write(copy.path().join(file), text).unwrap();
    }
    fs::write(
        copy.path().join("Cargo.toml"),
        standalone_manifest(&crate_dir.join("Cargo.toml")),
    )
    .unwrap();
    fs::copy(
        workspace_root().join("Cargo.lock"),
        copy.path().join("Cargo.lock"),
    )
    .unwrap();

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("new-operation-shapes");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--lib", "--all-features"])
        .current_dir(copy.path())
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the generated code does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The client crate's manifest without the workspace: its own package
/// settings, features and dependencies, no benchmarks.
fn standalone_manifest(manifest: &Path) -> String {
    let text = fs::read_to_string(manifest).unwrap();
    let section = |name: &str| {
        text.split("\n[")
            .find(|section| section.starts_with(&format!("{name}]")))
            .unwrap_or_else(|| panic!("the crate has no [{name}]"))
    };
    format!(
        "[package]\nname = \"atlas-backup-snapshots\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [workspace]\n\n[{}\n[{}\n",
        section("features"),
        section("dependencies"),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}
