//! What each operation's generated code must carry that progenitor does
//! not emit by itself, read from the adapted spec: its versioned media
//! types (which the adaptation takes out), its deprecation, the bounds of
//! its integer parameters, and how it pages. [`crate::postprocess`] puts
//! them into the generated code.

use anyhow::{Result, bail};
use openapiv3::{
    Components, IntegerType, Operation, Parameter, ReferenceOr, SchemaKind, StatusCode, Type,
};

use crate::lookup;

/// What the generated code of one operation must carry that progenitor
/// does not emit by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationFacts {
    pub operation_id: String,
    pub media_types: MediaTypes,
    /// The deprecation note, if the operation is deprecated, with its
    /// sunset date if the spec gives one.
    pub deprecation: Option<String>,
    /// What cannot be undone, if the operation says so
    /// (`x-irreversible`): its method's documentation starts with it, and
    /// its command asks for confirmation.
    pub irreversible: Option<String>,
    /// Integer parameters with bounds the generated types do not enforce
    /// by themselves (typify turns `minimum: 1` into a `NonZero` type and
    /// drops `maximum`).
    pub bounds: Vec<ParameterBounds>,
    /// Parameters whose values the spec lists (`enum`): the generated
    /// enums keep any value, so that answers decode, and `send` refuses
    /// one the list does not hold.
    pub choices: Vec<ParameterChoices>,
    /// How the operation pages, if it takes Atlas's paging parameters.
    pub paging: Option<Paging>,
    /// Success statuses answered without a body beside one answered with
    /// a body (Atlas's 200 and 204): the call returns an `Option` of the
    /// body's type, `None` for these. progenitor is shown the others only.
    pub bodiless_success: Vec<u16>,
    /// Where the generated call is less typed than the spec says, because
    /// progenitor 0.15 cannot take the spec as written; `cargo xtask lint`
    /// reports each in our spec.
    pub concessions: Vec<Concession>,
}

/// A shape that Atlas publishes and the generated call takes less typed
/// than the spec says. Generating it keeps every operation of Atlas's
/// document callable (and comparable by `cargo xtask diff`); lint reports
/// it, so that our own spec keeps every list streaming and every error
/// typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Concession {
    /// The operation takes `pageNum` and `itemsPerPage` but its 200 body
    /// has no `results` array: a plain call, one page a call, and no
    /// stream of items.
    PagesWithoutResults,
    /// Error answers whose body differs from the one the operation types
    /// (the body most of its error answers share). Their status and body
    /// still reach the caller, as `ErrorKind::Api` when the body reads as
    /// Atlas's error JSON, else as `ErrorKind::Http` with the body's text.
    UntypedErrorBodies {
        /// The error answer whose body is typed.
        typed: String,
        /// The error answers whose bodies are not.
        untyped: Vec<String>,
    },
    /// The request body or the success answers come in several resource
    /// versions: the client sends and accepts the newest, and a success
    /// status only an older version answers with is left out.
    NewestVersion {
        /// The versioned media types it uses (its `Content-Type`, its
        /// `Accept`), sorted.
        kept: Vec<String>,
        /// The versioned media types it does not, sorted.
        left_out: Vec<String>,
    },
}

impl Concession {
    /// What a caller reads of it in the method's documentation and the
    /// command's help.
    pub fn doc(&self) -> String {
        match self {
            Concession::PagesWithoutResults => format!(
                "Takes `{PAGE_NUMBER_PARAMETER}` and `{PAGE_SIZE_PARAMETER}`, but its answer holds no `{PAGE_ITEMS_PROPERTY}` array, so it is called one page at a time and does not stream."
            ),
            Concession::UntypedErrorBodies { typed, untyped } => format!(
                "Error answer {} has a body unlike {typed}'s, which is not typed: it comes as Atlas's error JSON if it reads as one (`ErrorKind::Api`), else as text (`ErrorKind::Http`).",
                untyped.join(", ")
            ),
            Concession::NewestVersion { kept, left_out } => format!(
                "Atlas also offers this operation in resource version{} {}; the client uses the newest, {}.",
                if left_out.len() == 1 { "" } else { "s" },
                versions(left_out),
                kept.iter()
                    .map(|kept| format!("`{kept}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        }
    }
}

/// `2023-01-01, 2023-02-01` of versioned media types.
fn versions(media_types: &[String]) -> String {
    (media_types.iter())
        .map(|media_type| version_of(media_type))
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::fmt::Display for Concession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Concession::PagesWithoutResults => write!(
                f,
                "it takes {PAGE_NUMBER_PARAMETER} and {PAGE_SIZE_PARAMETER} but its 200 body has no `{PAGE_ITEMS_PROPERTY}` array, so the client calls it one page at a time and cannot stream its items"
            ),
            Concession::UntypedErrorBodies { typed, untyped } => write!(
                f,
                "error answer {} has a body other than {typed}'s; the client types one error body per operation, so {} reaches the caller as its status and text",
                untyped.join(", "),
                if untyped.len() == 1 {
                    "that answer"
                } else {
                    "those answers"
                }
            ),
            Concession::NewestVersion { kept, left_out } => write!(
                f,
                "it comes in resource versions {} and {}; the client uses the newest, {}, and cannot call the others",
                versions(left_out),
                versions(kept),
                versions(kept)
            ),
        }
    }
}

/// The `minimum` and `maximum` of one integer parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterBounds {
    /// The parameter's name in the spec, such as `itemsPerPage`.
    pub name: String,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
}

/// The values a string parameter takes, from its `enum`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterChoices {
    /// The parameter's name in the spec, such as `cloudProvider`.
    pub name: String,
    pub required: bool,
    pub values: Vec<String>,
}

/// Atlas pages with `pageNum` (from 1) and `itemsPerPage`, and answers with
/// the page's items in `results`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paging {
    /// `itemsPerPage` when the caller does not choose one: the spec's default.
    pub default_page_size: u32,
}

/// The versioned media types of an operation, which the adaptation shows
/// progenitor as `application/json`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MediaTypes {
    /// The versioned `Accept` media type of the success response, if it is
    /// not plain `application/json`.
    pub accept: Option<String>,
    /// The versioned `Content-Type` of the request body, if it is not plain
    /// `application/json`.
    pub content_type: Option<String>,
}

/// The media type progenitor 0.15 types, for answers and request bodies,
/// and asks for on every typed answer: the adapted spec's only JSON.
pub const PLAIN_JSON: &str = "application/json";

/// The version a versioned media type names: `2023-01-01` of
/// `application/vnd.atlas.2023-01-01+json`, `preview` of Atlas's preview.
pub fn version_of(media_type: &str) -> &str {
    let name = media_type.strip_suffix("+json").unwrap_or(media_type);
    name.rsplit('.').next().unwrap_or(name)
}

/// The query parameter that numbers pages, from 1.
pub const PAGE_NUMBER_PARAMETER: &str = "pageNum";
/// The query parameter that sets how many items a page holds.
pub const PAGE_SIZE_PARAMETER: &str = "itemsPerPage";
/// The property of a paged response body that holds the page's items.
pub const PAGE_ITEMS_PROPERTY: &str = "results";

/// The note a deprecated operation carries into `#[deprecated]`.
const DEPRECATION_EXTENSION: &str = "x-deprecation";
/// The date after which Atlas no longer serves an operation.
const SUNSET_EXTENSION: &str = "x-sunset";

/// The note of a deprecated operation, on one line, after its sunset date.
pub fn deprecation(operation: &Operation) -> Option<String> {
    if !operation.deprecated {
        return None;
    }
    let text = |key: &str| operation.extensions.get(key).and_then(|v| v.as_str());
    let note = text(DEPRECATION_EXTENSION).unwrap_or("Atlas has deprecated this operation.");
    let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match text(SUNSET_EXTENSION) {
        Some(date) => format!("Sunset {date}. {note}"),
        None => note,
    })
}

/// Marks an operation that cannot be undone, with what it does.
const IRREVERSIBLE_EXTENSION: &str = "x-irreversible";

/// The note of an operation that cannot be undone, on one line.
pub fn irreversible(operation: &Operation) -> Option<String> {
    let note = operation.extensions.get(IRREVERSIBLE_EXTENSION)?.as_str()?;
    Some(note.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The bounds of each integer parameter of `parameters` that has any.
pub fn bounds(components: &Components, parameters: &[Parameter]) -> Vec<ParameterBounds> {
    parameters
        .iter()
        .filter_map(|parameter| {
            let SchemaKind::Type(Type::Integer(integer)) =
                &lookup::parameter_schema(components, parameter)?.schema_kind
            else {
                return None;
            };
            let (minimum, maximum) = inclusive_bounds(integer);
            (minimum.is_some() || maximum.is_some()).then(|| ParameterBounds {
                name: parameter.parameter_data_ref().name.clone(),
                minimum,
                maximum,
            })
        })
        .collect()
}

/// The listed values of each string parameter of `parameters` that has an
/// `enum`.
pub fn choices(components: &Components, parameters: &[Parameter]) -> Vec<ParameterChoices> {
    parameters
        .iter()
        .filter_map(|parameter| {
            let SchemaKind::Type(Type::String(string)) =
                &lookup::parameter_schema(components, parameter)?.schema_kind
            else {
                return None;
            };
            let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
            let data = parameter.parameter_data_ref();
            (!values.is_empty()).then(|| ParameterChoices {
                name: data.name.clone(),
                required: data.required,
                values,
            })
        })
        .collect()
}

/// The `minimum` and `maximum` of `integer`, an exclusive one made
/// inclusive.
pub fn inclusive_bounds(integer: &IntegerType) -> (Option<i64>, Option<i64>) {
    let exclusive = |bound: Option<i64>, is_exclusive: bool, step: i64| {
        bound.map(|b| if is_exclusive { b + step } else { b })
    };
    (
        exclusive(integer.minimum, integer.exclusive_minimum, 1),
        exclusive(integer.maximum, integer.exclusive_maximum, -1),
    )
}

/// Paging facts for an operation that takes both paging parameters in its
/// query and answers the page's items in a `results` array, with the
/// [`Concession`] of one that takes the parameters without the array.
pub fn paging(
    place: &str,
    components: &Components,
    parameters: &[Parameter],
    operation: &Operation,
) -> Result<(Option<Paging>, Option<Concession>)> {
    let query = |name: &str| {
        parameters.iter().find(
            |p| matches!(p, Parameter::Query { parameter_data, .. } if parameter_data.name == name),
        )
    };
    let (Some(_), Some(size)) = (query(PAGE_NUMBER_PARAMETER), query(PAGE_SIZE_PARAMETER)) else {
        return Ok((None, None));
    };
    if !success_body_has_items(components, operation) {
        return Ok((None, Some(Concession::PagesWithoutResults)));
    }
    let default_page_size = lookup::parameter_schema(components, size)
        .and_then(|schema| schema.schema_data.default.as_ref())
        .and_then(|default| default.as_u64())
        .and_then(|default| u32::try_from(default).ok());
    let Some(default_page_size) = default_page_size else {
        bail!(
            "{place}: {PAGE_SIZE_PARAMETER} needs an integer `default`, the page size the client asks for when the caller sets none"
        );
    };
    Ok((Some(Paging { default_page_size }), None))
}

fn success_body_has_items(components: &Components, operation: &Operation) -> bool {
    let schema = operation
        .responses
        .responses
        .get(&StatusCode::Code(200))
        .and_then(|response| lookup::response(components, response))
        .and_then(|r| r.content.get(PLAIN_JSON))
        .and_then(|media| media.schema.as_ref())
        .and_then(|schema| lookup::schema(components, schema));
    let Some(SchemaKind::Type(Type::Object(object))) = schema.map(|s| &s.schema_kind) else {
        return false;
    };
    object
        .properties
        .get(PAGE_ITEMS_PROPERTY)
        .and_then(|items| match items {
            ReferenceOr::Item(schema) => Some(&schema.schema_kind),
            ReferenceOr::Reference { reference } => {
                lookup::component_schema(components, reference).map(|s| &s.schema_kind)
            }
        })
        .is_some_and(|kind| matches!(kind, SchemaKind::Type(Type::Array(_))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The facts of the operations of `yaml`, adapted.
    fn facts_of(yaml: &str) -> Result<Vec<OperationFacts>> {
        let openapi = serde_yaml::from_str(yaml).unwrap();
        Ok(crate::adapt::for_progenitor(openapi)?.operations)
    }

    const DEPRECATED: &str = include_str!("../tests/specs/facts-deprecated.yaml");

    #[test]
    fn a_sunset_date_leads_the_deprecation_note() {
        let facts = facts_of(DEPRECATED).unwrap();
        assert_eq!(
            facts[0].deprecation.as_deref(),
            Some("Sunset 2026-01-22. Use makeThing.")
        );
    }

    const PAGED: &str = include_str!("../tests/specs/facts-paged.yaml");

    #[test]
    fn integer_bounds_are_kept_with_exclusive_ones_made_inclusive() {
        let facts = facts_of(PAGED).unwrap();
        let bounds = |name: &str, minimum, maximum| ParameterBounds {
            name: name.into(),
            minimum,
            maximum,
        };
        assert_eq!(
            facts[0].bounds,
            [
                bounds("itemsPerPage", Some(1), Some(500)),
                bounds("pageNum", Some(1), None),
                bounds("offset", Some(1), Some(9)),
            ]
        );
    }

    #[test]
    fn paging_parameters_and_a_results_array_make_a_paged_operation() {
        let facts = facts_of(PAGED).unwrap();
        assert_eq!(
            facts[0].paging,
            Some(Paging {
                default_page_size: 100
            })
        );
        let unpaged = PAGED.replace("name: pageNum", "name: page");
        assert_eq!(facts_of(&unpaged).unwrap()[0].paging, None);
        assert_eq!(facts_of(&unpaged).unwrap()[0].concessions, []);
    }

    #[test]
    fn paging_parameters_without_a_results_array_make_a_plain_call_and_a_concession() {
        let without_results = PAGED.replace("results:", "items:");
        let facts = facts_of(&without_results).unwrap();
        assert_eq!(facts[0].paging, None);
        assert_eq!(facts[0].concessions, [Concession::PagesWithoutResults]);
        assert_eq!(
            facts[0].concessions[0].to_string(),
            "it takes pageNum and itemsPerPage but its 200 body has no `results` array, so the client calls it one page at a time and cannot stream its items"
        );
    }

    #[test]
    fn a_paged_operation_needs_a_default_page_size() {
        let no_default = PAGED.replace("maximum: 500, default: 100", "maximum: 500");
        let error = facts_of(&no_default).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("GET /things: itemsPerPage needs an integer `default`"),
            "{error}"
        );
    }
}
