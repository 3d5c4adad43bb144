//! The subtypes of schemas discriminated by a property
//! ([`crate::tagged_unions`]) rewritten in memory so that typify reads each
//! as a plain struct.
//!
//! typify 0.8 ignores `discriminator`, and a base whose `oneOf` lists
//! subtypes that refer back to it (`allOf`) makes it recurse until the
//! stack overflows. So each subtype's reference to its base is replaced by
//! the base's own properties, which ends the cycle, and the discriminating
//! property leaves the subtypes: it is the variant of the enum that
//! [`crate::postprocess::tagged_unions`] writes in place of the base,
//! which typify is told to leave alone ([`crate::generate`]).

use anyhow::Result;
use openapiv3::{ObjectType, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use crate::tagged_unions::{self, SCHEMA_PREFIX, TaggedUnion};

/// Rewrites, in memory, the subtypes of every discriminated schema so
/// that typify reads each as a plain struct, and returns the unions.
pub(super) fn subtypes_for_typify(openapi: &mut OpenAPI) -> Result<Vec<TaggedUnion>> {
    let unions = tagged_unions::find(openapi)?;
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
