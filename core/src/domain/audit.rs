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
use crate::model::AuditChange;

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
