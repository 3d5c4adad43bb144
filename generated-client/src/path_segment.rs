//! A path parameter as the URL holds it.

use std::fmt::{self, Display, Write};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// The printable ASCII bytes progenitor's `encode_path` escapes, beside
/// the controls; non-ASCII bytes always are.
const ESCAPED: &[u8] = b" \"#<>?`{}/%";

const PATH_SET: &AsciiSet = &{
    let mut set = CONTROLS.add(ESCAPED[0]);
    let mut i = 1;
    while i < ESCAPED.len() {
        set = set.add(ESCAPED[i]);
        i += 1;
    }
    set
};

/// Whether each byte is written as it is: a table, as ids are checked on
/// every call and a lookup costs less than a range test.
const UNCHANGED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x20;
    while b < 0x7f {
        table[b] = true;
        b += 1;
    }
    let mut i = 0;
    while i < ESCAPED.len() {
        table[ESCAPED[i] as usize] = false;
        i += 1;
    }
    table
};

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
                // No early exit, so that the loop unrolls.
                if piece
                    .bytes()
                    .fold(true, |all, b| all & UNCHANGED[usize::from(b)])
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
    fn each_byte_the_table_keeps_is_one_progenitor_keeps() {
        for b in 0u8..=255 {
            let encoded = progenitor_client::encode_path(&char::from(b).to_string());
            assert_eq!(
                UNCHANGED[usize::from(b)],
                encoded.len() == 1,
                "{b:#04x} becomes {encoded:?}"
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
