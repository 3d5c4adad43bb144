//! Every rule `cargo xtask diff` applies, in one table: its stable id, its
//! level and what it means. The README's rule table is checked against
//! [`ALL`] by a test, so the two cannot drift apart.
//!
//! Levels judge a change from the side of a caller of the generated crate:
//! `breaking` means code that compiled and worked may stop doing either,
//! `warning` that it keeps compiling but may behave differently, `info`
//! that nothing a caller relies on changes.

use std::fmt;

use serde::Serialize;

/// How much a change can hurt a caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Breaking,
    Warning,
    Info,
}

impl Level {
    /// The level's name as `--fail-on` and the reports write it.
    pub fn name(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }

    /// Parses a level name.
    pub fn from_name(name: &str) -> Option<Level> {
        [Level::Breaking, Level::Warning, Level::Info]
            .into_iter()
            .find(|level| level.name() == name)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable kebab-case id; reports, tests and the README use it.
    pub id: &'static str,
    pub level: Level,
    /// What the change is and why it has this level.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $level:ident, $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $name: Rule = Rule { id: $id, level: Level::$level, summary: $summary };
        )*
        /// Every rule, in the order of the README's table.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    OPERATION_ADDED = "operation-added", Info,
        "An operation was added: a new Rust method.";
    OPERATION_REMOVED = "operation-removed", Breaking,
        "An operation was removed: its Rust method goes away.";
    OPERATION_DEPRECATED = "operation-deprecated", Warning,
        "An operation became deprecated: its Rust method warns at every use.";
    OPERATION_UNDEPRECATED = "operation-undeprecated", Info,
        "An operation is no longer deprecated.";
    OPERATION_ID_CHANGED = "operation-id-changed", Info,
        "The operationId of a request whose method and path stayed changed: nothing changes on the wire. Its Rust method is renamed, which the Rust API section reports, as breaking.";
    OPERATION_PATH_CHANGED = "operation-path-changed", Warning,
        "An operation moved to another path, its operationId kept: the Rust method stays and sends to the new path, so a client built before the change calls a path that is gone.";
    PATH_PARAMETER_RENAMED = "path-parameter-renamed", Breaking,
        "A path parameter was renamed: its builder setter is renamed.";
    PARAMETER_ADDED_REQUIRED = "parameter-added-required", Breaking,
        "A required parameter was added: existing calls lack it and fail.";
    PARAMETER_ADDED_OPTIONAL = "parameter-added-optional", Info,
        "An optional parameter was added: a new builder setter.";
    PARAMETER_REMOVED = "parameter-removed", Breaking,
        "A parameter was removed: its builder setter goes away.";
    PARAMETER_BECAME_REQUIRED = "parameter-became-required", Breaking,
        "A parameter became required: calls that leave it out fail.";
    PARAMETER_BECAME_OPTIONAL = "parameter-became-optional", Info,
        "A parameter became optional.";
    PARAMETER_TYPE_CHANGED = "parameter-type-changed", Breaking,
        "A parameter's type or format changed: its Rust type changes.";
    PARAMETER_PATTERN_CHANGED = "parameter-pattern-changed", Warning,
        "A parameter's pattern was added, removed or changed: values accepted before may be refused.";
    PARAMETER_MINIMUM_INCREASED = "parameter-minimum-increased", Breaking,
        "A parameter's or request property's minimum was added or raised: values valid before are refused.";
    PARAMETER_MINIMUM_DECREASED = "parameter-minimum-decreased", Info,
        "A parameter's or request property's minimum was removed or lowered.";
    PARAMETER_MAXIMUM_DECREASED = "parameter-maximum-decreased", Breaking,
        "A parameter's or request property's maximum was added or lowered: values valid before are refused.";
    PARAMETER_MAXIMUM_INCREASED = "parameter-maximum-increased", Info,
        "A parameter's or request property's maximum was removed or raised.";
    REQUEST_EXCLUSIVE_BOUND_ADDED = "request-exclusive-bound-added", Breaking,
        "A minimum or maximum a caller sends became exclusive: the bound itself is refused.";
    REQUEST_EXCLUSIVE_BOUND_REMOVED = "request-exclusive-bound-removed", Info,
        "A minimum or maximum a caller sends is no longer exclusive.";
    REQUEST_LENGTH_NARROWED = "request-length-narrowed", Breaking,
        "A `minLength` was added or raised, or a `maxLength` added or lowered, on a value a caller sends: strings valid before are refused.";
    REQUEST_LENGTH_WIDENED = "request-length-widened", Info,
        "A `minLength` or `maxLength` on a value a caller sends was removed or relaxed.";
    REQUEST_ITEM_COUNT_NARROWED = "request-item-count-narrowed", Breaking,
        "A `minItems` was added or raised, or a `maxItems` added or lowered, on an array a caller sends: arrays valid before are refused.";
    REQUEST_ITEM_COUNT_WIDENED = "request-item-count-widened", Info,
        "A `minItems` or `maxItems` on an array a caller sends was removed or relaxed.";
    PARAMETER_DEFAULT_CHANGED = "parameter-default-changed", Warning,
        "A parameter's default changed: calls that leave it out get other results.";
    REQUEST_PROPERTY_ADDED_REQUIRED = "request-property-added-required", Breaking,
        "A required request body property was added: bodies built before lack it and are refused.";
    REQUEST_PROPERTY_ADDED_OPTIONAL = "request-property-added-optional", Info,
        "An optional request body property was added: a new builder setter.";
    REQUEST_PROPERTY_REMOVED = "request-property-removed", Breaking,
        "A request body property was removed: its Rust field and setter go away.";
    REQUEST_PROPERTY_BECAME_REQUIRED = "request-property-became-required", Breaking,
        "A request body property became required: bodies that leave it out are refused.";
    REQUEST_PROPERTY_BECAME_OPTIONAL = "request-property-became-optional", Info,
        "A request body property became optional.";
    REQUEST_PROPERTY_TYPE_CHANGED = "request-property-type-changed", Breaking,
        "A request body property's type or format changed: its Rust field's type changes.";
    REQUEST_ENUM_VALUE_ADDED = "request-enum-value-added", Info,
        "A value was added to an enum a caller sends.";
    REQUEST_ENUM_VALUE_REMOVED = "request-enum-value-removed", Breaking,
        "A value was removed from an enum a caller sends: its Rust variant goes away.";
    RESPONSE_ENUM_VALUE_ADDED = "response-enum-value-added", Warning,
        "A value was added to an enum Atlas returns: it decodes as the enum's `Unrecognized` fallback until the client is regenerated, then as a new variant.";
    RESPONSE_ENUM_VALUE_REMOVED = "response-enum-value-removed", Warning,
        "A value was removed from an enum Atlas returns: its Rust variant goes away.";
    REQUEST_BRANCH_ADDED = "request-branch-added", Info,
        "A branch was added to a `oneOf` or `anyOf` a caller sends: one more shape is accepted.";
    REQUEST_BRANCH_REMOVED = "request-branch-removed", Breaking,
        "A branch was removed from a `oneOf` or `anyOf` a caller sends: a value of that shape is refused, and its Rust variant goes away.";
    RESPONSE_BRANCH_ADDED = "response-branch-added", Breaking,
        "A branch was added to a `oneOf` or `anyOf` Atlas returns: a reader that handles every branch does not know the new one, and a client built before may fail to decode it.";
    RESPONSE_BRANCH_REMOVED = "response-branch-removed", Warning,
        "A branch was removed from a `oneOf` or `anyOf` Atlas returns: that shape no longer arrives, and its Rust variant goes away.";
    REQUEST_DISCRIMINATOR_MAPPING_ADDED = "request-discriminator-mapping-added", Info,
        "A discriminator value was added to a schema a caller sends: one more subtype is accepted.";
    REQUEST_DISCRIMINATOR_MAPPING_REMOVED = "request-discriminator-mapping-removed", Breaking,
        "A discriminator value was removed from a schema a caller sends: a value of that subtype is refused.";
    RESPONSE_DISCRIMINATOR_MAPPING_ADDED = "response-discriminator-mapping-added", Breaking,
        "A discriminator value was added to a schema Atlas returns: a client built before does not know the subtype it names and may fail to decode it.";
    RESPONSE_DISCRIMINATOR_MAPPING_REMOVED = "response-discriminator-mapping-removed", Warning,
        "A discriminator value was removed from a schema Atlas returns: that subtype no longer arrives.";
    REQUEST_PROPERTY_BECAME_READ_ONLY = "request-property-became-read-only", Breaking,
        "A request property became `readOnly`: a caller that sends it is refused or ignored.";
    RESPONSE_PROPERTY_BECAME_WRITE_ONLY = "response-property-became-write-only", Breaking,
        "A response property became `writeOnly`: Atlas no longer returns it, and code reading its Rust field gets nothing.";
    RESPONSE_STATUS_ADDED = "response-status-added", Info,
        "A response status was added.";
    RESPONSE_SUCCESS_STATUS_REMOVED = "response-success-status-removed", Breaking,
        "A success status was removed: its typed result goes away.";
    RESPONSE_ERROR_STATUS_REMOVED = "response-error-status-removed", Warning,
        "An error status was removed: it is no longer decoded as a typed error.";
    RESPONSE_PROPERTY_ADDED = "response-property-added", Info,
        "A response property was added: a new Rust field.";
    RESPONSE_PROPERTY_REMOVED = "response-property-removed", Breaking,
        "A response property was removed: its Rust field goes away.";
    RESPONSE_PROPERTY_TYPE_CHANGED = "response-property-type-changed", Breaking,
        "A response property's type or format changed: its Rust field's type changes.";
    RESPONSE_PROPERTY_BECAME_OPTIONAL = "response-property-became-optional", Breaking,
        "A response property is no longer required: its Rust field becomes an Option.";
    RESPONSE_PROPERTY_BECAME_REQUIRED = "response-property-became-required", Info,
        "A response property became required.";
    RESPONSE_PROPERTY_BECAME_NULLABLE = "response-property-became-nullable", Breaking,
        "A required response property became nullable: its Rust field becomes an Option, and a client built before fails to decode a `null`. (An optional property is an Option already, and decodes `null` as `None`.)";
    RESPONSE_BOUND_WIDENED = "response-bound-widened", Warning,
        "A bound on a value Atlas returns (minimum, maximum, their exclusiveness, length, item count) was removed or relaxed: values outside the old bound may arrive.";
    RESPONSE_BOUND_NARROWED = "response-bound-narrowed", Info,
        "A bound on a value Atlas returns was added or tightened: what arrives fits the old bound too.";
    RESPONSE_PROPERTY_PATTERN_CHANGED = "response-property-pattern-changed", Warning,
        "A response property's pattern changed: responses still decode as sent, but building the value from a string checks the new pattern.";
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", Info,
        "A response gained a media type.";
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Breaking,
        "A response lost a media type.";
    RESPONSE_MEDIA_TYPE_CHANGED = "response-media-type-changed", Breaking,
        "A response's one media type was replaced by another: the client sends another Accept header and decodes another body.";
    SCHEMA_ADDED = "schema-added", Info,
        "A component schema was added: a new Rust type.";
    SCHEMA_REMOVED = "schema-removed", Breaking,
        "A component schema was removed: its Rust type goes away.";
    SCHEMA_RENAMED = "schema-renamed", Breaking,
        "A component schema was renamed, its content unchanged: its Rust type is renamed.";
    SECURITY_SCHEME_ADDED = "security-scheme-added", Info,
        "A security scheme was added.";
    SECURITY_SCHEME_REMOVED = "security-scheme-removed", Breaking,
        "A security scheme was removed: callers using it are refused.";
    SECURITY_SCHEME_CHANGED = "security-scheme-changed", Breaking,
        "A security scheme's type, scheme, location or flows changed: callers must authenticate differently.";
    SECURITY_REQUIREMENT_REMOVED = "security-requirement-removed", Breaking,
        "An operation no longer accepts one of its security requirements: callers authenticating that way are refused.";
    SECURITY_REQUIREMENT_ADDED = "security-requirement-added", Info,
        "An operation accepts one more security requirement.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut ids: Vec<_> = ALL.iter().map(|r| r.id).collect();
        for id in &ids {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
    }
}
