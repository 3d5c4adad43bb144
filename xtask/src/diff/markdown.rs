//! Values written as Markdown code spans, as the findings' messages and
//! the reports show them.

/// `text` as a Markdown code span, fenced with more backticks than it
/// holds in a row.
pub fn code(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        for (text, span) in [("a*b", "`a*b`"), ("a`b", "``a`b``"), ("`x`", "`` `x` ``")] {
            assert_eq!(code(text), span);
        }
    }
}
