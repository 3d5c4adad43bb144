//! Schemas that Atlas discriminates by one property: a `discriminator`
//! whose `mapping` names, for each value of the property, the schema of
//! the object (a snapshot's `type`, an export bucket's `cloudProvider`).
//!
//! typify 0.8 ignores `discriminator`: such a schema becomes one struct
//! with only its shared fields, and a base whose `oneOf` lists subtypes
//! that refer back to it (`allOf`) makes it recurse until the stack
//! overflows. So, in memory, each subtype's reference to its base is
//! replaced by the base's own properties, which ends the cycle, and the
//! discriminating property leaves the subtypes: it is the variant of the
//! enum that [`crate::postprocess::tagged_unions`] writes in place of the
//! base, which typify is told to leave alone ([`crate::generate`]).

use anyhow::{Result, bail};
use heck::ToUpperCamelCase;
use openapiv3::{ObjectType, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

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
        rust_name(&self.name)
    }
}

/// The Rust type typify names a component schema with.
pub fn rust_name(schema: &str) -> String {
    schema.to_upper_camel_case()
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

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

/// Rewrites, in memory, the subtypes of every discriminated schema so
/// that typify reads each as a plain struct, and returns the unions.
pub fn for_progenitor(openapi: &mut OpenAPI) -> Result<Vec<TaggedUnion>> {
    let unions = find(openapi)?;
    let Some(components) = openapi.components.as_mut() else {
        return Ok(unions);
    };
    for union in &unions {
        let Some(ReferenceOr::Item(base)) = components.schemas.get(&union.name) else {
            continue;
        };
        let shared = shared_part(base, &union.property);
        let reference = format!("{SCHEMA_PREFIX}{}", union.name);
        let mut targets: Vec<&String> = union.variants.iter().map(|(_, t)| t).collect();
        targets.sort();
        targets.dedup();
        for target in targets {
            if let Some(ReferenceOr::Item(subtype)) = components.schemas.get_mut(target) {
                inline_base(subtype, &reference, &shared);
                drop_property(subtype, &union.property);
            }
        }
    }
    Ok(unions)
}

/// The base's own object part, without the discriminating property, for
/// its subtypes to hold in place of their reference to it.
fn shared_part(base: &Schema, property: &str) -> Schema {
    // A base with `oneOf` beside its properties reads as `Any`.
    let object = match &base.schema_kind {
        SchemaKind::Type(Type::Object(object)) => object.clone(),
        SchemaKind::Any(any) => ObjectType {
            properties: any.properties.clone(),
            required: any.required.clone(),
            ..Default::default()
        },
        _ => Default::default(),
    };
    let mut shared = Schema {
        schema_data: Default::default(),
        schema_kind: SchemaKind::Type(Type::Object(object)),
    };
    drop_property(&mut shared, property);
    shared
}

/// Replaces each `allOf` member of `subtype` that refers to the base.
fn inline_base(subtype: &mut Schema, reference: &str, shared: &Schema) {
    let all_of = match &mut subtype.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        // `allOf` beside `type` or `required` reads as `Any`.
        SchemaKind::Any(any) => &mut any.all_of,
        _ => return,
    };
    for member in all_of.iter_mut() {
        if matches!(member, ReferenceOr::Reference { reference: r } if r == reference) {
            *member = ReferenceOr::Item(shared.clone());
        }
    }
}

/// Removes `property` from `schema`'s properties and required list, and
/// from those of its inline `allOf` members.
fn drop_property(schema: &mut Schema, property: &str) {
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            object.properties.shift_remove(property);
            object.required.retain(|p| p != property);
        }
        SchemaKind::AllOf { all_of } => drop_from_members(all_of, property),
        SchemaKind::Any(any) => {
            any.properties.shift_remove(property);
            any.required.retain(|p| p != property);
            drop_from_members(&mut any.all_of, property);
        }
        _ => {}
    }
}

fn drop_from_members(members: &mut [ReferenceOr<Schema>], property: &str) {
    for member in members {
        if let ReferenceOr::Item(member) = member {
            drop_property(member, property);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Item:
      description: One item.
      type: object
      required: [kind]
      properties:
        kind: { type: string, enum: [often, once] }
        id: { type: string }
      oneOf:
        - $ref: '#/components/schemas/OnceItem'
        - $ref: '#/components/schemas/OftenItem'
      discriminator:
        propertyName: kind
        mapping:
          once: '#/components/schemas/OnceItem'
          often: '#/components/schemas/OftenItem'
    OnceItem:
      type: object
      allOf:
        - $ref: '#/components/schemas/Item'
    OftenItem:
      type: object
      allOf:
        - $ref: '#/components/schemas/Item'
        - type: object
          required: [kind, every]
          properties:
            every: { type: integer }
"#;

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
        let mut openapi = spec(SPEC);
        for_progenitor(&mut openapi).unwrap();
        let schemas = openapi.components.unwrap().schemas;
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
