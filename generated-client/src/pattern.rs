//! A schema's `pattern`, as the generated types check it.
//!
//! Every id a call takes is checked against its pattern before anything is
//! sent, so the check is on every call's path. regress, which reads patterns
//! as ECMA-262 does, spends about 1,900 instructions matching a 24-digit
//! hexadecimal id. Most of the spec's patterns are simpler than a regular
//! expression needs: anchored runs of ASCII classes, such as
//! `^([a-f0-9]{24})$`. Those are checked byte by byte here; every other
//! pattern is left to regress.

/// A compiled `pattern`.
#[doc(hidden)]
#[derive(Debug)]
pub struct Pattern(Matcher);

#[derive(Debug)]
enum Matcher {
    /// Runs that a string must fill exactly, in order.
    Runs(Vec<Run>),
    Regex(regress::Regex),
}

/// Between `min` and `max` bytes, each of them in `class`.
#[derive(Debug, PartialEq)]
struct Run {
    /// Whether each byte is in the class, none above ASCII: a table of
    /// every byte, as a lookup costs less than a shift of a 128-bit mask
    /// and needs no bounds check.
    class: [bool; 256],
    min: usize,
    max: Option<usize>,
}

impl Pattern {
    /// Compiles `pattern` with the regress `flags` (`"u"` or none).
    ///
    /// # Errors
    ///
    /// regress's reason, when it cannot compile the pattern.
    pub fn new(pattern: &str, flags: &str) -> Result<Self, regress::Error> {
        let regex = regress::Regex::with_flags(pattern, flags)?;
        // Case folding is regress's to apply; an ASCII run has no flags.
        let plain = flags.is_empty() || flags == "u";
        Ok(Self(match ascii_runs(pattern).filter(|_| plain) {
            Some(runs) => Matcher::Runs(runs),
            None => Matcher::Regex(regex),
        }))
    }

    /// Whether `text` matches somewhere, as JSON Schema's `pattern` asks.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.0 {
            Matcher::Runs(runs) => fills(runs, text.as_bytes()),
            Matcher::Regex(regex) => regex.find(text).is_some(),
        }
    }

    /// Whether the pattern is checked without regress.
    #[cfg(test)]
    fn is_ascii_runs(&self) -> bool {
        matches!(self.0, Matcher::Runs(_))
    }
}

/// Whether `text` is exactly `runs`. Every run but the last has a fixed
/// length, so there is one way to split `text`, and no backtracking.
fn fills(runs: &[Run], mut text: &[u8]) -> bool {
    let Some((last, fixed)) = runs.split_last() else {
        return text.is_empty();
    };
    for run in fixed {
        let Some((head, tail)) = text.split_at_checked(run.min) else {
            return false;
        };
        if !all_in(&run.class, head) {
            return false;
        }
        text = tail;
    }
    text.len() >= last.min
        && last.max.is_none_or(|max| text.len() <= max)
        && all_in(&last.class, text)
}

/// Without an early exit, which lets the compiler unroll the loop: ids
/// are short, and most of them match.
fn all_in(class: &[bool; 256], bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(true, |all, &b| all & class[usize::from(b)])
}

/// The runs of `pattern` when it is `^`, runs of ASCII classes or letters
/// (optionally in one group), then `$`, and every run but the last has a
/// fixed length. `None` for anything else, which regress then checks.
/// A non-ASCII character is in no class, so it fails both ways alike.
fn ascii_runs(pattern: &str) -> Option<Vec<Run>> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    if body.ends_with('\\') {
        return None;
    }
    let body = match body.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')')?,
        None => body,
    };
    let mut chars = body.chars().peekable();
    let mut runs = Vec::new();
    while let Some(c) = chars.next() {
        let class = match c {
            '[' => class(&mut chars)?,
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => 1 << c as u32,
            _ => return None,
        };
        let (min, max) = quantifier(&mut chars)?;
        let class = std::array::from_fn(|b| b < 128 && class & (1 << b) != 0);
        runs.push(Run { class, min, max });
    }
    let fixed = runs.split_last().map_or(&[][..], |(_, fixed)| fixed);
    fixed
        .iter()
        .all(|run| run.max == Some(run.min))
        .then_some(runs)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// The bits of a class after its `[`, through its `]`: ASCII letters,
/// digits and punctuation, ranges of them, and escaped `-`, `.` or `_`.
fn class(chars: &mut Chars) -> Option<u128> {
    let mut bits = 0u128;
    let mut first = true;
    loop {
        let start = match chars.next()? {
            ']' if !first => return Some(bits),
            '^' if first => return None,
            '\\' => escaped(chars.next()?)?,
            '[' | ']' => return None,
            c => ascii(c)?,
        };
        first = false;
        let is_range = chars.peek() == Some(&'-') && {
            let mut ahead = chars.clone();
            ahead.next();
            ahead.peek().is_some_and(|&c| c != ']')
        };
        if !is_range {
            bits |= 1 << start;
            continue;
        }
        chars.next();
        let end = match chars.next()? {
            '\\' => escaped(chars.next()?)?,
            '[' => return None,
            c => ascii(c)?,
        };
        for b in start..=end {
            bits |= 1 << b;
        }
    }
}

/// An escape that stands for its own character, in any mode.
fn escaped(c: char) -> Option<u8> {
    matches!(c, '-' | '.' | '_').then_some(c as u8)
}

/// A printable ASCII character, which a class holds as itself.
fn ascii(c: char) -> Option<u8> {
    (c.is_ascii_graphic() || c == ' ').then_some(c as u8)
}

/// The bounds of the quantifier after a run, `(1, Some(1))` without one.
/// A lazy or possessive quantifier is left to regress.
fn quantifier(chars: &mut Chars) -> Option<(usize, Option<usize>)> {
    let bounds = match chars.peek() {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            chars.next();
            let mut inside = String::new();
            loop {
                // Without its `}`, a brace is a letter in legacy mode.
                match chars.next()? {
                    '}' => break,
                    c => inside.push(c),
                }
            }
            let bounds = match inside.split_once(',') {
                None => {
                    let n = number(&inside)?;
                    (n, Some(n))
                }
                Some((min, "")) => (number(min)?, None),
                Some((min, max)) => (number(min)?, Some(number(max)?)),
            };
            if bounds.1.is_some_and(|max| max < bounds.0) {
                return None;
            }
            return (!matches!(chars.peek(), Some('?' | '+' | '*' | '{'))).then_some(bounds);
        }
        _ => return Some((1, Some(1))),
    };
    chars.next();
    (!matches!(chars.peek(), Some('?' | '+' | '*' | '{'))).then_some(bounds)
}

fn number(digits: &str) -> Option<usize> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to `len` characters of `alphabet`.
    fn strings(alphabet: &[char], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// Asserts that the pattern takes the ASCII path, or not, and agrees
    /// with regress on every string of `alphabet` up to `len` long and on
    /// `more`.
    fn agrees(pattern: &str, ascii_path: bool, alphabet: &[char], len: usize, more: &[&str]) {
        let ours = Pattern::new(pattern, "u").unwrap();
        assert_eq!(ours.is_ascii_runs(), ascii_path, "{pattern}");
        let regex = regress::Regex::with_flags(pattern, "u").unwrap();
        let mut texts = strings(alphabet, len);
        texts.extend(more.iter().map(|s| s.to_string()));
        for text in texts {
            let expected = regex.find(&text).is_some();
            assert_eq!(ours.is_match(&text), expected, "{pattern} on {text:?}");
        }
    }

    #[test]
    fn ids_of_the_spec_agree_with_regress() {
        let hex = "32b6e34b3d91647abb20e7b8";
        agrees(
            "^([a-f0-9]{24})$",
            true,
            &['a', 'f', 'g', '0', 'A'],
            3,
            &[
                hex,
                &hex[1..],
                &format!("{hex}0"),
                &hex.to_uppercase(),
                &hex.replace('3', "é"),
            ],
        );
        agrees(
            "^[a-zA-Z0-9][a-zA-Z0-9-]*$",
            true,
            &['a', 'Z', '0', '-', '_', ' ', 'é'],
            4,
            &["Cluster0", "serverless-0", "-cluster", "cluster\n"],
        );
    }

    #[test]
    fn runs_and_quantifiers_agree_with_regress() {
        let alphabet = ['a', 'b', 'z', '0', '9', '-', '.', '_', 'é', '\n'];
        for pattern in [
            "^$",
            "^a$",
            "^ab?$",
            "^a{2}b{1,3}$",
            "^[a-b]{2,}$",
            "^[ab0-9]+$",
            "^[-a]*$",
            "^[a-]*$",
            r"^[a\-z]*$",
            r"^[\.0]*$",
            "^[.]{0,2}$",
            "^0[0-9]{2}z*$",
        ] {
            agrees(pattern, true, &alphabet, 4, &[]);
        }
    }

    #[test]
    fn other_patterns_are_left_to_regress_and_still_checked() {
        let alphabet = ['a', 'b', '0', '-', 'é'];
        for pattern in [
            "[a-b]+",
            "^[a-b]*[0-9]$",
            "^[^a]$",
            "^(a|b)$",
            "^a+?$",
            "^a$|^b$",
            r"^\d{2}$",
            r"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$",
            "^(a)(b)$",
        ] {
            agrees(pattern, false, &alphabet, 3, &[]);
        }
    }

    #[test]
    fn flags_other_than_unicode_are_left_to_regress() {
        let insensitive = Pattern::new("^[a-f]{2}$", "i").unwrap();
        assert!(!insensitive.is_ascii_runs());
        assert!(insensitive.is_match("AB"));
    }

    #[test]
    fn a_pattern_regress_refuses_is_an_error() {
        assert!(Pattern::new("^([a-f$", "u").is_err());
    }
}
