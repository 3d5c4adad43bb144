//! Schemas that Atlas discriminates by one property: a `discriminator`
//! whose `mapping` names, for each value of the property, the schema of
//! the object (a snapshot's `type`, an export bucket's `cloudProvider`).
//!
//! typify 0.8 ignores `discriminator`, and such a schema would become one
//! struct with only its shared fields. The adaptation rewrites its
//! subtypes ([`crate::adapt`]), and post-processing writes an enum in its
//! place ([`crate::postprocess::tagged_unions`]).

use anyhow::{Result, bail};
use openapiv3::{OpenAPI, ReferenceOr};

/// One discriminated schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaggedUnion {
    /// The component schema's name in the spec.
    pub name: String,
    pub description: Option<String>,
    /// The property whose value says which variant an object is.
    pub property: String,
    /// Each value of the property with the component schema it selects,
    /// in the order of the mapping.
    pub variants: Vec<(String, String)>,
}

impl TaggedUnion {
    /// The Rust type of the union: typify's name for the schema.
    pub fn rust_name(&self) -> String {
        crate::naming::rust_type_name(&self.name)
    }
}

pub(crate) const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The discriminated component schemas of `openapi`, in document order.
pub fn find(openapi: &OpenAPI) -> Result<Vec<TaggedUnion>> {
    let Some(components) = &openapi.components else {
        return Ok(Vec::new());
    };
    let mut unions = Vec::new();
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        // Without a mapping, the kinds are not written down: typify reads
        // such a schema as it is, after `adapt` has broken any cycle.
        let Some(discriminator) = schema
            .schema_data
            .discriminator
            .as_ref()
            .filter(|d| !d.mapping.is_empty())
        else {
            continue;
        };
        let mut variants = Vec::new();
        for (value, target) in &discriminator.mapping {
            let Some(target) = target.strip_prefix(SCHEMA_PREFIX) else {
                bail!(
                    "schema {name}: discriminator value `{value}` maps to {target}, not to a component schema"
                );
            };
            if !components.schemas.contains_key(target) {
                bail!(
                    "schema {name}: discriminator value `{value}` maps to {target}, which the spec does not define"
                );
            }
            variants.push((value.clone(), target.to_string()));
        }
        unions.push(TaggedUnion {
            name: name.clone(),
            description: schema.schema_data.description.clone(),
            property: discriminator.property_name.clone(),
            variants,
        });
    }
    Ok(unions)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = include_str!("../tests/specs/tagged-unions.yaml");

    fn spec(yaml: &str) -> OpenAPI {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn a_discriminator_with_a_mapping_is_a_union_of_its_values() {
        let unions = find(&spec(SPEC)).unwrap();
        assert_eq!(
            unions,
            [TaggedUnion {
                name: "Item".into(),
                description: Some("One item.".into()),
                property: "kind".into(),
                variants: vec![
                    ("once".into(), "OnceItem".into()),
                    ("often".into(), "OftenItem".into()),
                ],
            }]
        );
    }

    #[test]
    fn subtypes_hold_the_base_fields_without_the_cycle_or_the_tag() {
        let adapted = crate::adapt::for_progenitor(spec(SPEC)).unwrap();
        let schemas = adapted.openapi.components.unwrap().schemas;
        let often = serde_json::to_string(&schemas["OftenItem"]).unwrap();
        assert!(!often.contains("#/components/schemas/Item"), "{often}");
        assert!(!often.contains("kind"), "{often}");
        assert!(often.contains(r#""id":{"type":"string"}"#), "{often}");
        assert!(often.contains(r#""required":["every"]"#), "{often}");
        // The base itself is left as written: typify does not read it.
        let item = serde_json::to_string(&schemas["Item"]).unwrap();
        assert!(item.contains("discriminator"), "{item}");
    }

    #[test]
    fn a_mapping_to_a_schema_the_spec_lacks_is_refused() {
        let broken = SPEC.replace(
            "once: '#/components/schemas/OnceItem'",
            "once: '#/components/schemas/Missing'",
        );
        let error = find(&spec(&broken)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "schema Item: discriminator value `once` maps to Missing, which the spec does not define"
        );
    }
}
