//! Each client method's example compiled. progenitor documents a method
//! with its builder call, every setter given a placeholder (`.group_id(group_id)`),
//! in an `ignore` block that rustdoc never builds, so docs.rs could show a
//! call that no longer compiles. Here the block becomes `no_run`: the
//! optional setters are dropped, each required one gets a value from the
//! spec (its `example`, the first of its `enum`, its lower bound), a body
//! is built through typify's builder (`body_map`) or, for a discriminated
//! schema, as its first variant, and the call runs in an `async fn` with a
//! client from `Client::builder()`. Where the spec gives no value for a
//! required parameter, the block stays `ignore` and says which.

use anyhow::{Context, Result, bail};
use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{
    Components, OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use syn::{Expr, ExprLit, Lit, Meta};

use super::syntax::client_method;
use crate::facts::inclusive_bounds;
use crate::lookup;
use crate::naming::{rust_field_name, rust_method_name, rust_type_name};
use crate::tagged_unions::{SCHEMA_PREFIX, TaggedUnion};

/// The crate the examples are compiled against, as doc-tests name it.
const CRATE: &str = "atlas_backup_snapshots";

/// How progenitor opens and closes a method's example.
const IGNORED: &str = "```ignore\n";
const FENCE_END: &str = "\n```";

/// Rewrites the example of every operation's client method.
pub fn compile(file: &mut syn::File, openapi: &OpenAPI, unions: &[TaggedUnion]) -> Result<()> {
    let empty = Components::default();
    let components = openapi.components.as_ref().unwrap_or(&empty);
    let values = Values { components, unions };
    for (_, item) in &openapi.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, operation) in item.iter() {
            let Some(id) = &operation.operation_id else {
                continue;
            };
            let parameters = lookup::parameters(components, &item.parameters, operation);
            let body = operation
                .request_body
                .as_ref()
                .and_then(|body| lookup::request_body(components, body))
                .filter(|body| body.required)
                .and_then(|body| body.content.values().next())
                .and_then(|content| content.schema.as_ref());
            let setters = |field: &str| -> Result<Option<String>, String> {
                if field == "body" {
                    return body.map_or(Ok(None), |schema| values.body(schema));
                }
                match parameters
                    .iter()
                    .find(|p| rust_field_name(&p.parameter_data_ref().name) == field)
                {
                    Some(parameter) if parameter.parameter_data_ref().required => values
                        .parameter(parameter)
                        .map(|value| Some(format!(".{field}({value})"))),
                    _ => Ok(None),
                }
            };
            let method = client_method(file, &rust_method_name(id))?;
            let deprecated = method.attrs.iter().any(|a| a.path().is_ident("deprecated"));
            let doc = method
                .attrs
                .iter_mut()
                .find_map(|attr| match &mut attr.meta {
                    Meta::NameValue(nv) if nv.path.is_ident("doc") => match &mut nv.value {
                        Expr::Lit(ExprLit {
                            lit: Lit::Str(text),
                            ..
                        }) if text.value().contains(IGNORED) => Some(text),
                        _ => None,
                    },
                    _ => None,
                })
                .with_context(|| {
                    format!("the documentation of `{id}` has no example in a ```ignore block")
                })?;
            let rewritten = rewrite(&doc.value(), deprecated, setters)
                .with_context(|| format!("the example of `{id}`"))?;
            *doc = syn::LitStr::new(&rewritten, doc.span());
        }
    }
    Ok(())
}

/// `doc` with its `ignore` block compiled: each setter line that
/// `setter` (given the field) answers `Some` for replaced by that line,
/// the others dropped, and the call's error returned with `?`.
fn rewrite(
    doc: &str,
    deprecated: bool,
    setter: impl Fn(&str) -> Result<Option<String>, String>,
) -> Result<String> {
    let start = doc.find(IGNORED).context("no ```ignore block")?;
    let code_start = start + IGNORED.len();
    let code_end = code_start
        + doc[code_start..]
            .find(FENCE_END)
            .context("the ```ignore block does not end")?;
    let mut lines = Vec::new();
    let mut uses_types = false;
    let mut missing = None;
    for line in doc[code_start..code_end].lines() {
        let trimmed = line.trim();
        let Some(field) = trimmed
            .strip_prefix('.')
            .and_then(|call| call.split_once('('))
            .map(|(field, _)| field)
            .filter(|field| !matches!(*field, "send" | "await"))
        else {
            lines.push(match trimmed {
                ".await;" => line.replace(".await;", ".await?;"),
                _ => line.to_string(),
            });
            continue;
        };
        if trimmed != format!(".{field}({field})") {
            bail!("`{trimmed}` is not a setter given its placeholder");
        }
        match setter(field) {
            Ok(Some(call)) => {
                uses_types |= call.contains("types::");
                lines.push(format!("    {call}"));
            }
            Ok(None) => {}
            Err(reason) => missing = missing.or(Some(reason)),
        }
    }
    if !lines.iter().any(|line| line.trim() == ".await?;") {
        bail!("the example does not end in `.await;`");
    }
    let block = match missing {
        Some(reason) => format!(
            "```ignore\n// Not compiled: {reason}.\n{}",
            doc[code_start..code_end].trim_end()
        ),
        None => {
            let allow = if deprecated {
                "# #[allow(deprecated)]\n"
            } else {
                ""
            };
            let types = if uses_types {
                format!("use {CRATE}::types;\n\n")
            } else {
                String::new()
            };
            format!(
                "```no_run\n{allow}# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
                 # use {CRATE}::{{Client, Credentials}};\n\
                 # let client = Client::builder()\n\
                 #     .credentials(Credentials::api_key(\"public-key\", \"private-key\"))\n\
                 #     .build()?;\n\
                 {types}{}\n# Ok(())\n# }}",
                lines.join("\n")
            )
        }
    };
    Ok(format!("{}{block}{}", &doc[..start], &doc[code_end..]))
}

/// Values from the spec, written as Rust expressions.
struct Values<'a> {
    components: &'a Components,
    unions: &'a [TaggedUnion],
}

impl Values<'_> {
    /// The value of a required parameter: its own `example`, or its
    /// schema's value.
    fn parameter(&self, parameter: &Parameter) -> Result<String, String> {
        let data = parameter.parameter_data_ref();
        let schema = lookup::parameter_schema(self.components, parameter)
            .ok_or_else(|| format!("`{}` has no schema", data.name))?;
        match &data.example {
            Some(example) => literal(example, schema),
            None => self.value(schema, &data.name),
        }
    }

    /// The setter of a required body: `body_map` setting each required
    /// property, `body` with the first variant of a discriminated schema,
    /// or `None` where every property is optional and the default will do.
    fn body(&self, schema: &ReferenceOr<Schema>) -> Result<Option<String>, String> {
        if let Some(value) = self.union(schema, "    ")? {
            return Ok(Some(format!(".body({value})")));
        }
        let resolved = lookup::schema(self.components, schema).ok_or("the body has no schema")?;
        let setters = self.required_setters(resolved, "        ")?;
        Ok(match setters.as_slice() {
            [] => None,
            [one] => Some(format!(".body_map(|body| body{one})")),
            [first, rest @ ..] => Some(format!(
                ".body_map(|body| {{\n        body{first}{}\n    }})",
                rest.iter()
                    .map(|setter| format!("\n            {setter}"))
                    .collect::<String>()
            )),
        })
    }

    /// `types::Union::Variant(…)` for a `$ref` to a discriminated schema:
    /// its first variant, built; `indent` is that of the line it starts on.
    fn union(&self, schema: &ReferenceOr<Schema>, indent: &str) -> Result<Option<String>, String> {
        let Some(name) = reference_name(schema) else {
            return Ok(None);
        };
        let Some(union) = self.unions.iter().find(|u| u.name == name) else {
            return Ok(None);
        };
        let (value, target) = union
            .variants
            .first()
            .ok_or_else(|| format!("`{name}` lists no kinds"))?;
        let inner = format!("{indent}    ");
        Ok(Some(format!(
            "types::{}::{}(\n{inner}{}\n{inner}    .try_into()?,\n{indent})",
            union.rust_name(),
            value.to_upper_camel_case(),
            self.built(target, &inner)?
        )))
    }

    /// `types::Name::builder()` with each required property of the
    /// component schema `name` set, a line each; `indent` is that of the
    /// line it starts on.
    fn built(&self, name: &str, indent: &str) -> Result<String, String> {
        let schema = lookup::component_schema(self.components, &format!("{SCHEMA_PREFIX}{name}"))
            .ok_or_else(|| format!("no schema `{name}`"))?;
        let inner = format!("{indent}    ");
        Ok(format!(
            "types::{}::builder(){}",
            rust_type_name(name),
            self.required_setters(schema, &inner)?
                .iter()
                .map(|setter| format!("\n{inner}{setter}"))
                .collect::<String>()
        ))
    }

    /// A setter, `.name(value)`, for each required property of the object
    /// `schema`; `indent` is that of the lines they go on.
    fn required_setters(&self, schema: &Schema, indent: &str) -> Result<Vec<String>, String> {
        let mut object = Fields::default();
        self.fields(schema, &mut object)?;
        let mut setters = Vec::new();
        for name in &object.required {
            let property = object
                .properties
                .get(name)
                .ok_or_else(|| format!("the required property `{name}` is not described"))?;
            let value = match property {
                ReferenceOr::Reference { reference: target } => {
                    let reference = ReferenceOr::Reference {
                        reference: target.clone(),
                    };
                    match self.union(&reference, indent)? {
                        Some(value) => value,
                        None => {
                            let target = lookup::schema(self.components, &reference)
                                .ok_or_else(|| format!("no schema `{target}`"))?;
                            match (&target.schema_kind, reference_name(&reference)) {
                                (SchemaKind::Type(Type::Object(_)), Some(object)) => {
                                    self.built(object, indent)?
                                }
                                _ => self.value(target, name)?,
                            }
                        }
                    }
                }
                ReferenceOr::Item(schema) => self.value(schema, name)?,
            };
            setters.push(format!(".{}({value})", rust_field_name(name)));
        }
        Ok(setters)
    }

    /// The properties and required names of the object `schema`, with
    /// those of its `allOf` members (as a discriminated schema's subtypes
    /// have them).
    fn fields<'s>(&'s self, schema: &'s Schema, into: &mut Fields<'s>) -> Result<(), String> {
        let (own, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                (Some((&object.properties, &object.required)), &[][..])
            }
            SchemaKind::AllOf { all_of } => (None, &all_of[..]),
            SchemaKind::Any(any) => (Some((&any.properties, &any.required)), &any.all_of[..]),
            _ => return Err("a body that is not an object".to_string()),
        };
        if let Some((properties, required)) = own {
            into.properties
                .extend(properties.iter().map(|(k, v)| (k.as_str(), v)));
            into.required.extend(required.iter().map(String::as_str));
        }
        for member in all_of {
            let member = lookup::schema(self.components, member)
                .ok_or("an `allOf` member that is not described")?;
            self.fields(member, into)?;
        }
        Ok(())
    }

    /// A value of the scalar `schema`: its `example`, the first of its
    /// `enum`, or, for a number, its lower bound or default.
    fn value(&self, schema: &Schema, name: &str) -> Result<String, String> {
        if let Some(example) = &schema.schema_data.example {
            return literal(example, schema);
        }
        let none = || format!("the spec gives no example of `{name}`");
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if let Some(Some(first)) = string.enumeration.first() {
                    return Ok(format!("{first:?}"));
                }
                Err(none())
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let first = integer.enumeration.iter().flatten().next().copied();
                first
                    .or(inclusive_bounds(integer).0)
                    .or_else(|| schema.schema_data.default.as_ref()?.as_i64())
                    .map(|n| n.to_string())
                    .ok_or_else(none)
            }
            SchemaKind::Type(Type::Boolean(_)) => Ok(schema
                .schema_data
                .default
                .as_ref()
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(true)
                .to_string()),
            _ => Err(none()),
        }
    }
}

/// An object's properties, gathered from its `allOf` members too.
#[derive(Default)]
struct Fields<'s> {
    properties: IndexMap<&'s str, &'s ReferenceOr<Box<Schema>>>,
    required: Vec<&'s str>,
}

/// The component schema a `$ref` names.
fn reference_name(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => reference.strip_prefix(SCHEMA_PREFIX),
        ReferenceOr::Item(_) => None,
    }
}

/// `example` as a Rust literal that converts into `schema`'s type.
fn literal(example: &serde_json::Value, schema: &Schema) -> Result<String, String> {
    if let SchemaKind::Type(Type::String(string)) = &schema.schema_kind {
        // typify types these as chrono's and uuid's, which no literal
        // converts into.
        let typed = match &string.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::Date | StringFormat::DateTime) => true,
            VariantOrUnknownOrEmpty::Unknown(format) => format == "uuid",
            _ => false,
        };
        if typed {
            return Err("a date or uuid cannot be written as a literal".to_string());
        }
    }
    match example {
        serde_json::Value::String(s) => Ok(format!("{s:?}")),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("the example `{other}` is not a scalar")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROGENITORS: &str = "Get one.\n\
        ```ignore\n\
        let response = client.get_one()\n    \
        .group_id(group_id)\n    \
        .pretty(pretty)\n    \
        .send()\n    \
        .await;\n\
        ```";

    fn group_id_only(field: &str) -> Result<Option<String>, String> {
        Ok((field == "group_id").then(|| ".group_id(\"32b6e34b3d91647abb20e7b8\")".to_string()))
    }

    #[test]
    fn required_setters_get_values_and_optional_ones_are_dropped() {
        let doc = rewrite(PROGENITORS, false, group_id_only).unwrap();
        assert_eq!(
            doc,
            "Get one.\n\
             ```no_run\n\
             # async fn example() -> Result<(), Box<dyn std::error::Error>> {\n\
             # use atlas_backup_snapshots::{Client, Credentials};\n\
             # let client = Client::builder()\n\
             #     .credentials(Credentials::api_key(\"public-key\", \"private-key\"))\n\
             #     .build()?;\n\
             let response = client.get_one()\n    \
             .group_id(\"32b6e34b3d91647abb20e7b8\")\n    \
             .send()\n    \
             .await?;\n\
             # Ok(())\n\
             # }\n\
             ```"
        );
    }

    #[test]
    fn a_deprecated_method_is_called_with_the_warning_allowed() {
        let doc = rewrite(PROGENITORS, true, group_id_only).unwrap();
        assert!(doc.contains("```no_run\n# #[allow(deprecated)]\n# async fn example()"));
    }

    #[test]
    fn a_value_the_spec_does_not_give_leaves_the_block_ignored_with_the_reason() {
        let doc = rewrite(PROGENITORS, false, |field| match field {
            "group_id" => Err("the spec gives no example of `groupId`".to_string()),
            _ => Ok(None),
        })
        .unwrap();
        assert!(doc.starts_with(
            "Get one.\n```ignore\n// Not compiled: the spec gives no example of `groupId`.\n\
             let response = client.get_one()\n"
        ));
        assert!(doc.ends_with("    .await;\n```"));
    }

    #[test]
    fn a_block_of_another_shape_is_refused() {
        let doc = "```ignore\nlet response = client.get_one()\n    .group_id(other)\n    .send()\n    .await;\n```";
        let error = rewrite(doc, false, group_id_only).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`.group_id(other)` is not a setter given its placeholder"
        );
    }
}
