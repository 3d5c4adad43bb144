//! `-o table`: the few columns people look for in a snapshot or a restore
//! job, read from the JSON of any operation's answer, so that one table
//! fits them all.

use std::io::{self, Write};

use serde_json::Value;

/// Column widths: an id is 24 characters, a date-time 20.
const WIDTHS: [usize; 3] = [24, 10, 25];

/// Where an item keeps its creation time, in order of preference.
const CREATED: [&str; 5] = [
    "/createdAt",
    "/created/date",
    "/startTime",
    "/scheduledTime",
    "/restoreScheduledDate",
];

/// A table written row by row, its header before the first row.
#[derive(Default)]
pub(super) struct Table {
    header_written: bool,
}

impl Table {
    /// Writes the rows of `value`: the items of a page, or one item.
    pub(super) fn write(&mut self, out: &mut impl Write, value: &Value) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            row(out, ["ID", "STATUS", "CREATED", "SIZE"].map(String::from))?;
        }
        match value.get("results").and_then(Value::as_array) {
            Some(items) => items.iter().try_for_each(|item| row(out, cells(item))),
            None => row(out, cells(value)),
        }
    }
}

fn row(out: &mut impl Write, cells: [String; 4]) -> io::Result<()> {
    let [id, status, created, size] = cells;
    let [w0, w1, w2] = WIDTHS;
    writeln!(out, "{id:<w0$}  {status:<w1$}  {created:<w2$}  {size}")
}

/// The id, status, creation time and size of one item; `-` where the item
/// has none.
fn cells(item: &Value) -> [String; 4] {
    let text = |pointer: &str| item.pointer(pointer).and_then(scalar);
    let created = CREATED.iter().find_map(|p| text(p));
    [
        text("/id"),
        text("/status"),
        created,
        size(item).map(|bytes| bytes.to_string()),
    ]
    .map(|cell| cell.unwrap_or_else(|| "-".to_string()))
}

/// `storageSizeBytes`, or its sum over the `parts` of a legacy snapshot.
fn size(item: &Value) -> Option<u64> {
    if let Some(bytes) = item.get("storageSizeBytes").and_then(Value::as_u64) {
        return Some(bytes);
    }
    let parts = item.get("parts")?.as_array()?;
    let sizes: Vec<u64> = parts
        .iter()
        .filter_map(|p| p.get("storageSizeBytes").and_then(Value::as_u64))
        .collect();
    (!sizes.is_empty()).then(|| sizes.iter().sum())
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(value: Value) -> String {
        let mut out = Vec::new();
        Table::default().write(&mut out, &value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_page_is_a_row_per_item_under_one_header() {
        let text = table(json!({ "results": [
            { "id": "a", "status": "COMPLETED", "startTime": "2026-01-01T00:00:00Z" },
            { "id": "b", "createdAt": "2025-12-31T00:00:00Z", "storageSizeBytes": 42 },
        ]}));
        let lines: Vec<_> = text
            .lines()
            .map(str::split_whitespace)
            .map(Iterator::collect::<Vec<_>>)
            .collect();
        assert_eq!(lines[0], ["ID", "STATUS", "CREATED", "SIZE"]);
        assert_eq!(lines[1], ["a", "COMPLETED", "2026-01-01T00:00:00Z", "-"]);
        assert_eq!(lines[2], ["b", "-", "2025-12-31T00:00:00Z", "42"]);
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn a_legacy_snapshot_sums_its_parts_and_dates_from_its_timestamp() {
        let text = table(json!({
            "id": "c",
            "created": { "date": "2020-03-01T00:00:00Z", "increment": 1 },
            "parts": [{ "storageSizeBytes": 10 }, { "storageSizeBytes": 5 }],
        }));
        let row: Vec<_> = text.lines().nth(1).unwrap().split_whitespace().collect();
        assert_eq!(row, ["c", "-", "2020-03-01T00:00:00Z", "15"]);
    }
}
