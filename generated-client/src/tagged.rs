//! Decoding the enums of discriminated schemas: the `Deserialize` that
//! xtask writes for each reads the object, looks at the property that
//! says which kind it is, and decodes the variant that value names.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// A JSON object, as the `Unrecognized` variant keeps it.
pub(crate) type Object = Map<String, Value>;

/// An object, with the value of its `property` if that is a string.
pub(crate) fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
    property: &str,
) -> Result<(Option<String>, Object), D::Error> {
    let object = Object::deserialize(deserializer)?;
    let tag = object
        .get(property)
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok((tag, object))
}

/// `object` decoded as the variant that `tag`, its value of `property`,
/// names. The error names the value: an object of a known kind that does
/// not decode is an error, not an unknown kind.
pub(crate) fn variant<T: DeserializeOwned, E: Error>(
    object: Object,
    property: &str,
    tag: &str,
) -> Result<T, E> {
    T::deserialize(Value::Object(object))
        .map_err(|e| E::custom(format_args!("{property} `{tag}`: {e}")))
}
