//! The audit log's rules: what changed between two versions of a record,
//! and the days a filter asks for.
//!
//! Records are compared field by field as their JSON (the API's shape), so
//! one rule serves customers, deals, users, settings and pipelines alike, and
//! a field added to a record is audited without anyone remembering to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Field, Problem, Result};
use crate::model::{AuditChange, AuditEntry, Cents, Id, Rate};

/// Bookkeeping every save moves, and what the entry says already (the
/// record and when): not a change anyone made.
const SKIPPED: &[&str] = &[
    "id",
    "version",
    "created_at",
    "updated_at",
    "stage_entered_at",
];

/// The fields that differ between `before` and `after` (`None`: the record
/// did not exist, or no longer does), in the record's field order, each
/// value as text.
pub fn changes<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Vec<AuditChange> {
    let fields = |v: Option<&T>| match v.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => map,
        _ => serde_json::Map::new(),
    };
    let (old, new) = (fields(before), fields(after));
    let mut names: Vec<&String> = new.keys().collect();
    names.extend(old.keys().filter(|k| !new.contains_key(*k)));
    names
        .into_iter()
        .filter(|name| !SKIPPED.contains(&name.as_str()))
        .filter_map(|name| {
            let (o, n) = (text(old.get(name)), text(new.get(name)));
            (o != n).then(|| AuditChange {
                field: name.clone(),
                old: o,
                new: n,
            })
        })
        .collect()
}

/// A value as one line of text: strings as they are, nothing as empty,
/// lists of plain values joined, anything else as compact JSON.
fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.is_empty() => String::new(),
        Some(Value::Array(items)) if items.iter().all(|i| i.is_string() || i.is_number()) => items
            .iter()
            .map(|i| text(Some(i)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Object(map)) if map.is_empty() => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Fields whose values are amounts in cents (a deal's amount, the
/// approval threshold of the sales settings, a product's prices).
const AMOUNTS_IN_CENTS: &[&str] = &[
    "amount",
    "contract_approval_amount",
    "list_price",
    "standard_cost",
];

/// Fields whose values are rates in basis points (the sales settings').
const RATES_IN_BASIS_POINTS: &[&str] = &["default_tax_rate", "discount_limit"];

/// An entry's values as a person reads them: every user id in them (an
/// owner, an assignee, the users of a credit split) as that user's name,
/// amounts in cents as money (`1234567` → `12345.67`) and rates in basis
/// points as percent (`1300` → `13%`). The log keeps the values as they
/// were saved; this is for the page and the CSV.
pub fn readable(entry: &mut AuditEntry, name_of: impl Fn(Id) -> Option<String>) {
    for change in &mut entry.changes {
        let money = AMOUNTS_IN_CENTS.contains(&change.field.as_str());
        let rate = RATES_IN_BASIS_POINTS.contains(&change.field.as_str());
        for value in [&mut change.old, &mut change.new] {
            if money && let Ok(cents) = value.parse::<i64>() {
                *value = Cents(cents).to_string();
                continue;
            }
            if rate && let Ok(points) = value.parse::<u32>() {
                *value = format!("{}%", Rate(points));
                continue;
            }
            *value = with_names(value, &name_of);
        }
    }
}

/// `text` with each 26-character run that is a user's id replaced by
/// the user's name.
fn with_names(text: &str, name_of: &impl Fn(Id) -> Option<String>) -> String {
    const ID_LEN: usize = 26;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let run = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(run);
        match (word.len() == ID_LEN)
            .then(|| word.parse::<Id>().ok())
            .flatten()
            .and_then(name_of)
        {
            Some(name) => out.push_str(&name),
            None => out.push_str(word),
        }
        let skip = after.chars().next().map_or(0, char::len_utf8);
        out.push_str(&after[..skip]);
        rest = &after[skip..];
    }
    out
}

/// The instants `[from, to)` a filter covers; `None` leaves that end open.
pub type Instants = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The instants `[from, to)` of the days a filter names, `from` to `to`
/// included, in `zone`; an empty text leaves that end open. A day that
/// does not parse, or a range that ends before it starts, is `Period`,
/// `Malformed`.
pub fn day_range(zone: chrono_tz::Tz, from: &str, to: &str) -> Result<Instants> {
    let bad = || Error::invalid(Field::Period, Problem::Malformed);
    let day = |text: &str| -> Result<Option<NaiveDate>> {
        match text.trim() {
            "" => Ok(None),
            t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| bad()),
        }
    };
    let (first, last) = (day(from)?, day(to)?);
    if let (Some(f), Some(l)) = (first, last)
        && l < f
    {
        return Err(bad());
    }
    let start = |d: NaiveDate| super::time::start_of_day(zone, d).ok_or_else(bad);
    let from = first.map(start).transpose()?;
    let to = match last {
        Some(l) => Some(start(l.succ_opt().ok_or_else(bad)?)?),
        None => None,
    };
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, User};

    fn user() -> User {
        let at = Utc::now();
        User {
            id: crate::model::Id(7),
            email: "li@example.cn".into(),
            name: "李娜".into(),
            role: Role::Rep,
            team: None,
            active: true,
            locale: None,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    #[test]
    fn readable_values_name_users_and_show_amounts_as_money() {
        let li = Id::generate();
        let wang = Id::generate();
        let stranger = Id::generate();
        let names = |id: Id| {
            [(li, "李娜"), (wang, "王强")]
                .into_iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.to_string())
        };
        let change = |field: &str, old: String, new: String| AuditChange {
            field: field.into(),
            old,
            new,
        };
        let mut entry = AuditEntry {
            id: Id::generate(),
            at: Utc::now(),
            by: Some(li),
            email: None,
            kind: crate::model::AuditKind::Deal,
            record: None,
            label: "ERP".into(),
            action: crate::model::AuditAction::Update,
            changes: vec![
                change("owner", li.to_string(), wang.to_string()),
                change(
                    "owners",
                    format!(r#"[{{"user":"{li}","share":70}}]"#),
                    format!(
                        r#"[{{"user":"{wang}","share":30}},{{"user":"{stranger}","share":70}}]"#
                    ),
                ),
                change("amount", "1234567".into(), "5".into()),
                change("discount_limit", "1000".into(), "1250".into()),
                change("title", "旧标题 1234567".into(), "ERP 二期".into()),
            ],
        };
        readable(&mut entry, names);
        let values: Vec<(&str, &str)> = entry
            .changes
            .iter()
            .map(|c| (c.old.as_str(), c.new.as_str()))
            .collect();
        assert_eq!(values[0], ("李娜", "王强"));
        assert_eq!(values[1].0, r#"[{"user":"李娜","share":70}]"#);
        assert_eq!(
            values[1].1,
            format!(r#"[{{"user":"王强","share":30}},{{"user":"{stranger}","share":70}}]"#)
        );
        assert_eq!(values[2], ("12345.67", "0.05"));
        assert_eq!(values[3], ("10%", "12.5%"));
        assert_eq!(values[4], ("旧标题 1234567", "ERP 二期"));
    }

    #[test]
    fn a_role_change_is_one_field_from_old_to_new() {
        let before = user();
        let after = User {
            role: Role::Manager,
            team: Some("华东".into()),
            updated_at: Utc::now() + chrono::Duration::seconds(5),
            version: 2,
            ..before.clone()
        };
        let changes = changes(Some(&before), Some(&after));
        let got: Vec<_> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.old.as_str(), c.new.as_str()))
            .collect();
        assert_eq!(got, [("role", "rep", "manager"), ("team", "", "华东")]);
    }

    #[test]
    fn a_new_record_lists_its_fields_with_values() {
        let changes = changes(None, Some(&user()));
        assert!(changes.iter().all(|c| c.old.is_empty()));
        assert!(changes.iter().any(|c| c.field == "name" && c.new == "李娜"));
        assert!(
            !changes
                .iter()
                .any(|c| ["team", "version", "id", "created_at"].contains(&c.field.as_str()))
        );
    }

    #[test]
    fn a_day_range_covers_whole_days_in_the_company_zone() {
        let zone = chrono_tz::Asia::Shanghai;
        let (from, to) = day_range(zone, "2026-03-01", "2026-03-01").unwrap();
        assert_eq!(from.unwrap().to_rfc3339(), "2026-02-28T16:00:00+00:00");
        assert_eq!(to.unwrap().to_rfc3339(), "2026-03-01T16:00:00+00:00");
        assert_eq!(day_range(zone, "", " ").unwrap(), (None, None));
    }

    #[test]
    fn a_bad_day_or_a_backwards_range_is_malformed() {
        let zone = chrono_tz::Asia::Shanghai;
        let bad = Err(Error::invalid(Field::Period, Problem::Malformed));
        assert_eq!(day_range(zone, "2026-13-01", ""), bad);
        assert_eq!(day_range(zone, "", "yesterday"), bad);
        assert_eq!(day_range(zone, "2026-03-02", "2026-03-01"), bad);
    }
}
