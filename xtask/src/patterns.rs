//! How the client compiles a schema's `pattern`, for the generator and the
//! lint alike.
//!
//! JSON Schema patterns are ECMA-262 regular expressions with Unicode
//! semantics, so `\p{L}` means "any letter". regress reads them that way
//! only with its `u` flag; without it, `\p{L}` silently means the letters
//! `p{L}`. Some patterns that Atlas publishes (`\:`) are valid only without
//! the flag, so each pattern gets Unicode mode when it compiles there.

/// The regress flags for `pattern`: `"u"` when it compiles in Unicode mode,
/// else none.
pub fn regress_flags(pattern: &str) -> &'static str {
    if regress::Regex::with_flags(pattern, "u").is_ok() {
        "u"
    } else {
        ""
    }
}

/// `pattern` compiled as the generated client compiles it.
///
/// # Errors
///
/// regress's reason when the pattern compiles in neither mode.
pub fn compile(pattern: &str) -> Result<regress::Regex, regress::Error> {
    regress::Regex::with_flags(pattern, regress_flags(pattern))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_classes_match_letters_of_any_script() {
        let name = compile(r"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$").unwrap();
        assert!(name.find("Cluster0").is_some());
        assert!(name.find("Sauvegarde-été_2026").is_some());
        assert!(name.find("集群1").is_some());
        assert!(name.find("has space").is_none());
        assert!(name.find("p{L}").is_none());
    }

    #[test]
    fn patterns_valid_only_in_legacy_mode_keep_it() {
        let host = r"^([0-9]{1,3}\.){3}[0-9]{1,3}|(([a-z0-9]+\.){1,10}[a-z]+)?(\:[0-9]{4,5})$";
        assert_eq!(regress_flags(host), "");
        assert!(
            compile(host)
                .unwrap()
                .find("db.example.com:27017")
                .is_some()
        );
        assert_eq!(regress_flags("^([a-f0-9]{24})$"), "u");
        assert!(compile("([unclosed").is_err());
    }
}
