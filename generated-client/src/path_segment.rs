//! A path parameter as the URL holds it.

use std::fmt::{self, Display, Write};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// The bytes progenitor's `encode_path` escapes; non-ASCII bytes always are.
const PATH_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// Formats a path parameter percent-encoded, as progenitor's
/// `encode_path(&value.to_string())` does, but straight into the URL being
/// formatted: no string for the value, and none for its encoding.
#[doc(hidden)]
pub struct PathSegment<'a, T: ?Sized>(&'a T);

/// `value.path_segment()` for any value a path can hold. A method, so that
/// an id type finds it through its `Deref` to `String`.
#[doc(hidden)]
pub trait PathValue: Display {
    /// The value, to be formatted into a URL.
    fn path_segment(&self) -> PathSegment<'_, Self> {
        PathSegment(self)
    }
}

impl<T: Display + ?Sized> PathValue for T {}

impl<T: Display + ?Sized> Display for PathSegment<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Encodes each piece of the value as it is written.
        struct Encoding<'a, 'b>(&'a mut fmt::Formatter<'b>);

        impl Write for Encoding<'_, '_> {
            fn write_str(&mut self, piece: &str) -> fmt::Result {
                // Ids need no escape; checking that first costs less than
                // the encoder's search for bytes to escape.
                if piece
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return self.0.write_str(piece);
                }
                utf8_percent_encode(piece, PATH_SET).fmt(self.0)
            }
        }

        write!(Encoding(f), "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_progenitor_does() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for value in [
            "32b6e34b3d91647abb20e7b8",
            "",
            "a/b?c#d%e f",
            "../..",
            "Sauvegarde-été_2026",
            "集群",
            &every_ascii,
        ] {
            assert_eq!(
                value.path_segment().to_string(),
                progenitor_client::encode_path(value),
                "{value:?}"
            );
        }
    }

    #[test]
    fn a_value_written_in_pieces_is_encoded_whole() {
        struct Pieces;
        impl Display for Pieces {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a b")?;
                f.write_str("/é")?;
                write!(f, "{}", 7)
            }
        }
        assert_eq!(Pieces.path_segment().to_string(), "a%20b%2F%C3%A97");
    }

    #[test]
    fn a_type_that_derefs_to_a_string_is_written_as_its_string() {
        struct Id(String);
        impl std::ops::Deref for Id {
            type Target = String;
            fn deref(&self) -> &String {
                &self.0
            }
        }
        assert_eq!(Id("a/b".into()).path_segment().to_string(), "a%2Fb");
    }
}
