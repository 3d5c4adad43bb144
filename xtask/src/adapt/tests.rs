//! The adaptation as a whole, on small specs of each shape it rewrites.

use super::*;
use crate::facts::{Concession, MediaTypes, PLAIN_JSON};
use openapiv3::{OpenAPI, ReferenceOr};

fn spec(yaml: &str) -> OpenAPI {
    serde_yaml::from_str(yaml).unwrap()
}

/// Adapts `openapi` where it is, for the tests that read it after, and
/// returns its operations' facts.
fn adapted_in_place(openapi: &mut OpenAPI) -> Result<Vec<OperationFacts>> {
    let adapted = for_progenitor(std::mem::take(openapi))?;
    *openapi = adapted.openapi;
    Ok(adapted.operations)
}

const SPEC: &str = include_str!("../../tests/specs/adapt-omitted-and-shared.yaml");

#[test]
fn shared_vendor_response_becomes_plain_json_and_the_accept_header() {
    let mut openapi = spec(SPEC);
    let facts = adapted_in_place(&mut openapi).unwrap();
    assert_eq!(
        facts,
        [OperationFacts {
            operation_id: "listThings".into(),
            media_types: MediaTypes {
                accept: Some("application/vnd.atlas.2023-01-01+json".into()),
                content_type: None,
            },
            deprecation: Some("Use the other one.".into()),
            irreversible: None,
            bounds: Vec::new(),
            choices: Vec::new(),
            paging: None,
            bodiless_success: Vec::new(),
            concessions: Vec::new(),
        }]
    );
    let ReferenceOr::Item(shared) = &openapi.components.unwrap().responses["things"] else {
        panic!("the shared response is no longer inline");
    };
    assert_eq!(
        shared.content.keys().collect::<Vec<_>>(),
        ["application/json"]
    );
}

#[test]
fn parameters_marked_for_omission_are_dropped_inline_and_by_reference() {
    let mut openapi = spec(SPEC);
    adapted_in_place(&mut openapi).unwrap();
    let (_, _, operation) = openapi.operations().next().unwrap();
    let names: Vec<_> = operation
        .parameters
        .iter()
        .map(|p| match p {
            ReferenceOr::Item(p) => p.parameter_data_ref().name.clone(),
            ReferenceOr::Reference { reference } => reference.clone(),
        })
        .collect();
    assert_eq!(names, ["pretty"]);
}

#[test]
fn plain_json_operations_need_nothing_restored() {
    let mut openapi =
        spec(&SPEC.replace("application/vnd.atlas.2023-01-01+json", "application/json"));
    let facts = adapted_in_place(&mut openapi).unwrap();
    assert_eq!(facts[0].media_types.accept, None);
}

const WRITES: &str = include_str!("../../tests/specs/adapt-request-bodies.yaml");

#[test]
fn versioned_request_bodies_become_plain_json_and_the_content_type() {
    let mut openapi = spec(WRITES);
    let facts = adapted_in_place(&mut openapi).unwrap();
    let content_types: Vec<_> = facts
        .iter()
        .map(|f| f.media_types.content_type.as_deref())
        .collect();
    assert_eq!(
        content_types,
        [
            Some("application/vnd.atlas.2025-01-01+json"),
            Some("application/vnd.atlas.2024-11-13+json"),
        ]
    );
    let shared = openapi.components.unwrap().request_bodies["thing"].clone();
    let ReferenceOr::Item(shared) = shared else {
        panic!("the shared request body is no longer inline");
    };
    assert_eq!(shared.content.keys().collect::<Vec<_>>(), [PLAIN_JSON]);
}

#[test]
fn success_answers_with_different_bodies_are_refused() {
    let two_bodies = WRITES.replace(
            "        '204': { description: No Content }",
            "        '200':\n          description: OK\n          content:\n            application/json: { schema: { type: integer } }\n        '201':\n          description: Created\n          content:\n            application/json: { schema: { type: string } }",
        );
    let error = adapted_in_place(&mut spec(&two_bodies)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "PUT /things: success answers 200 and 201 have different bodies; the client decodes one success type per operation"
    );
}

/// Atlas's `POST /groups/{groupId}/access`: 200 with a body, 204
/// with the versioned media type and no schema; and an error answer
/// without a body beside one with.
const BODY_OR_NOTHING: &str = include_str!("../../tests/specs/adapt-body-or-nothing.yaml");

/// [`BODY_OR_NOTHING`] with a body on its 401 unlike its 404's.
fn two_error_bodies() -> String {
    BODY_OR_NOTHING.replace(
            "        '401':\n          description: Unauthorized\n",
            "        '401':\n          description: Unauthorized\n          content:\n            application/json: { schema: { type: string } }\n",
        )
}

/// [`BODY_OR_NOTHING`] with a 201 whose body is not the 200's.
fn two_success_bodies() -> String {
    BODY_OR_NOTHING.replace(
        "        '204': { $ref: '#/components/responses/noContent' }\n",
        "        '201':\n          description: Created\n          content:\n            application/json: { schema: { type: integer } }\n",
    )
}

/// The statuses the first operation of `openapi` with `method` answers,
/// as progenitor is shown them.
fn statuses_of(openapi: &OpenAPI, method: &str) -> Vec<String> {
    let (_, _, operation) = openapi.operations().find(|(_, m, _)| *m == method).unwrap();
    operation
        .responses
        .responses
        .keys()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_body_or_nothing_leaves_progenitor_the_body_and_names_the_statuses_without() {
    let mut openapi = spec(BODY_OR_NOTHING);
    let facts = adapted_in_place(&mut openapi).unwrap();
    assert_eq!(facts[0].bodiless_success, [204]);
    assert_eq!(
        facts[0].media_types.accept.as_deref(),
        Some("application/vnd.atlas.2023-02-01+json")
    );
    let statuses = statuses_of(&openapi, "post");
    // The error answer without a body is left out beside the other.
    assert_eq!(statuses, ["200", "404"]);
    let shared = &openapi.components.unwrap().responses["noContent"];
    assert!(shared.as_item().unwrap().content.is_empty());
}

#[test]
fn of_two_error_bodies_the_one_most_error_answers_share_is_typed() {
    let with_a_500_like_the_404 = two_error_bodies().replace(
        "components:\n",
        "        '500':\n          description: Server Error\n          content:\n            application/json: { schema: { type: integer } }\ncomponents:\n",
    );
    let mut openapi = spec(&with_a_500_like_the_404);
    let facts = adapted_in_place(&mut openapi).unwrap();
    assert_eq!(
        facts[0].concessions,
        [Concession::UntypedErrorBodies {
            typed: "404".into(),
            untyped: vec!["401".into()],
        }]
    );
    let statuses = statuses_of(&openapi, "post");
    assert_eq!(statuses, ["200", "404", "500"]);
}

#[test]
fn of_two_error_bodies_as_common_the_first_is_typed() {
    let mut openapi = spec(&two_error_bodies());
    let facts = adapted_in_place(&mut openapi).unwrap();
    assert_eq!(
        facts[0].concessions,
        [Concession::UntypedErrorBodies {
            typed: "401".into(),
            untyped: vec!["404".into()],
        }]
    );
}

#[test]
fn a_lenient_adaptation_leaves_out_what_it_refuses_and_says_why() {
    let text = two_success_bodies().replace(
            "paths:\n",
            "paths:\n  /ok:\n    get:\n      operationId: getOk\n      responses: { '204': { description: None } }\n",
        );
    let openapi = spec(&text);
    let (adapted, refused) = for_progenitor_without_refused(openapi).unwrap();
    let (openapi, facts) = (adapted.openapi, adapted.operations);
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].operation_id, "getOk");
    assert_eq!(
            refused,
            [Refused {
                operation: "POST /access".into(),
                operation_id: "addUser".into(),
                reason: "success answers 200 and 201 have different bodies; the client decodes one success type per operation".into(),
            }]
        );
    let item = openapi.paths.paths["/access"].as_item().unwrap();
    assert!(item.post.is_none());
}

/// Atlas's polymorphic schemas: a base that lists its subtypes, each
/// of which extends the base; and an enum of operators.
const SUBTYPES: &str = include_str!("../../tests/specs/adapt-subtypes.yaml");

/// The schema `name` of [`SUBTYPES`] adapted, as JSON.
fn adapted_subtypes(name: &str) -> serde_json::Value {
    let mut openapi = spec(SUBTYPES);
    adapted_in_place(&mut openapi).unwrap();
    serde_json::to_value(&openapi.components.unwrap().schemas[name]).unwrap()
}

#[test]
fn a_subtype_extends_its_base_without_the_list_of_subtypes() {
    let sub = adapted_subtypes("Sub");
    assert_eq!(
        sub["allOf"][0],
        serde_json::json!({"type": "object", "properties": {
                "kind": {"type": "string"}, "operator": {"type": "string"}}})
    );
    assert_eq!(sub["allOf"][1]["properties"]["size"]["type"], "integer");
    // The base still lists the subtype.
    let base = adapted_subtypes("Base");
    assert_eq!(base["oneOf"][0]["$ref"], "#/components/schemas/Sub");
}

#[test]
fn enums_typify_cannot_name_become_strings() {
    let base = adapted_subtypes("Base");
    assert_eq!(
        base["properties"]["operator"],
        serde_json::json!({"type": "string"})
    );
}

#[test]
fn an_answer_that_names_a_version_without_a_body_gives_accept_and_no_content() {
    let no_content = WRITES.replace(
            "        '204': { description: No Content }",
            "        '204':\n          description: No Content\n          content:\n            application/vnd.atlas.2023-01-01+json: {}",
        );
    let mut openapi = spec(&no_content);
    let facts = adapted_in_place(&mut openapi).unwrap();
    let put = facts.iter().find(|f| f.operation_id == "putThing").unwrap();
    assert_eq!(
        put.media_types.accept.as_deref(),
        Some("application/vnd.atlas.2023-01-01+json")
    );
    let (_, _, operation) = openapi
        .operations()
        .find(|(_, method, _)| *method == "put")
        .unwrap();
    let ReferenceOr::Item(answer) =
        &operation.responses.responses[&openapiv3::StatusCode::Code(204)]
    else {
        panic!("the answer is no longer inline");
    };
    assert!(answer.content.is_empty());
}

/// Atlas's operations in several resource versions.
const VERSIONS: &str = include_str!("../../tests/specs/adapt-versions.yaml");

#[test]
fn of_several_versions_the_newest_is_sent_and_accepted() {
    let mut openapi = spec(VERSIONS);
    let facts = adapted_in_place(&mut openapi).unwrap();
    let media_type = |version: &str| format!("application/vnd.atlas.{version}+json");
    let update = &facts[0];
    assert_eq!(
        update.media_types,
        MediaTypes {
            accept: Some(media_type("2024-08-05")),
            content_type: Some(media_type("2024-08-05")),
        }
    );
    assert_eq!(
        update.concessions,
        [Concession::NewestVersion {
            kept: vec![media_type("2024-08-05")],
            left_out: vec![
                media_type("2023-01-01"),
                media_type("2023-02-01"),
                media_type("preview")
            ],
        }]
    );
    // The newest body is the one progenitor types, alone.
    let (_, _, operation) = openapi.operations().next().unwrap();
    let ReferenceOr::Item(body) = operation.request_body.as_ref().unwrap() else {
        panic!("the body is no longer inline");
    };
    assert_eq!(body.content.keys().collect::<Vec<_>>(), [PLAIN_JSON]);
    let schema = serde_json::to_value(&body.content[PLAIN_JSON].schema).unwrap();
    assert_eq!(schema["type"], "integer");
    // The method's documentation says so.
    assert_eq!(
        operation.description.as_deref(),
        Some(
            "Atlas also offers this operation in resource versions 2023-01-01, 2023-02-01, \
             preview; the client uses the newest, `application/vnd.atlas.2024-08-05+json`."
        )
    );
    assert_eq!(
        update.concessions[0].to_string(),
        "it comes in resource versions 2023-01-01, 2023-02-01, preview and 2024-08-05; \
         the client uses the newest, 2024-08-05, and cannot call the others"
    );
}

#[test]
fn a_success_answer_only_an_older_version_gives_is_left_out() {
    let mut openapi = spec(VERSIONS);
    let facts = adapted_in_place(&mut openapi).unwrap();
    let create = &facts[1];
    assert_eq!(
        create.media_types.accept.as_deref(),
        Some("application/vnd.atlas.2024-05-30+json")
    );
    assert_eq!(
        create.media_types.content_type.as_deref(),
        Some("application/vnd.atlas.2024-05-30+json")
    );
    assert_eq!(statuses_of(&openapi, "post"), ["201", "400"]);
    assert_eq!(create.bodiless_success, Vec::<u16>::new());
}

#[test]
fn one_version_each_way_is_no_concession() {
    let mut openapi = spec(WRITES);
    let facts = adapted_in_place(&mut openapi).unwrap();
    assert!(facts.iter().all(|f| f.concessions.is_empty()), "{facts:?}");
}
