//! Input validation. Each function returns the cleaned value or the error that
//! names the field, so forms can show the message beside it.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Field, Problem, Result};
use crate::model::{CustomField, CustomFieldKind, CustomerSettings, LookupLink};

pub const MAX_NAME: u32 = 100;
pub const MAX_EMAIL: u32 = 254;
pub const MIN_PASSWORD: u32 = 10;
pub const MAX_PASSWORD: u32 = 256;
pub const MIN_SESSION_IDLE_MINUTES: u32 = 5;
pub const MAX_SESSION_IDLE_MINUTES: u32 = 30 * 24 * 60;

fn fail<T>(field: Field, problem: Problem) -> Result<T> {
    Err(Error::invalid(field, problem))
}

/// Trims, requires a value, and bounds its length in characters (not bytes: a
/// Chinese name of 100 characters is fine).
pub fn text(field: Field, value: &str, max: u32) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return fail(field, Problem::Required);
    }
    if value.chars().count() > max as usize {
        return fail(field, Problem::TooLong { max });
    }
    if value.chars().any(|c| c.is_control()) {
        return fail(field, Problem::Malformed);
    }
    Ok(value.to_string())
}

pub fn optional_text(field: Field, value: Option<&str>, max: u32) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

/// A pragmatic email check: one `@`, a non-empty local part, a dotted domain, no
/// spaces. Lower-cased, because people type their address in any case.
pub fn email(value: &str) -> Result<String> {
    let value = value.trim().to_lowercase();
    if value.is_empty() {
        return fail(Field::Email, Problem::Required);
    }
    if value.len() > MAX_EMAIL as usize {
        return fail(Field::Email, Problem::TooLong { max: MAX_EMAIL });
    }
    let well_formed = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !well_formed {
        return fail(Field::Email, Problem::Malformed);
    }
    Ok(value)
}

/// Length is what makes a password strong (NIST 800-63B): at least 10 characters,
/// no composition rules. Not trimmed: spaces may be part of a passphrase.
pub fn password(field: Field, value: &str) -> Result<()> {
    let len = value.chars().count();
    if len == 0 {
        return fail(field, Problem::Required);
    }
    if len < MIN_PASSWORD as usize {
        return fail(field, Problem::TooShort { min: MIN_PASSWORD });
    }
    if len > MAX_PASSWORD as usize {
        return fail(field, Problem::TooLong { max: MAX_PASSWORD });
    }
    Ok(())
}

pub fn currency(value: &str) -> Result<String> {
    let value = value.trim().to_ascii_uppercase();
    if value.is_empty() {
        return fail(Field::Currency, Problem::Required);
    }
    if value.len() != 3 || !value.chars().all(|c| c.is_ascii_uppercase()) {
        return fail(Field::Currency, Problem::Malformed);
    }
    Ok(value)
}

pub fn time_zone(value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return fail(Field::TimeZone, Problem::Required);
    }
    match value.parse::<chrono_tz::Tz>() {
        Ok(tz) => Ok(tz.name().to_string()),
        Err(_) => fail(Field::TimeZone, Problem::Unknown),
    }
}

pub fn session_idle_minutes(value: u32) -> Result<u32> {
    if !(MIN_SESSION_IDLE_MINUTES..=MAX_SESSION_IDLE_MINUTES).contains(&value) {
        return fail(
            Field::SessionIdleMinutes,
            Problem::OutOfRange {
                min: MIN_SESSION_IDLE_MINUTES,
                max: MAX_SESSION_IDLE_MINUTES,
            },
        );
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lowercased() {
        assert_eq!(
            email("  Wang.Li@Example.COM ").unwrap(),
            "wang.li@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "wang", "wang@", "@x.cn", "a@b", "a b@x.cn", "a@x..cn", "a@@x.cn",
        ] {
            assert_eq!(
                email(bad),
                Err(Error::invalid(Field::Email, Problem::Malformed)),
                "{bad}"
            );
        }
        assert_eq!(
            email(" "),
            Err(Error::invalid(Field::Email, Problem::Required))
        );
    }

    #[test]
    fn chinese_names_count_characters_not_bytes() {
        let name = "北".repeat(100);
        assert!(text(Field::Name, &name, MAX_NAME).is_ok());
        assert_eq!(
            text(Field::Name, &format!("{name}京"), MAX_NAME),
            Err(Error::invalid(
                Field::Name,
                Problem::TooLong { max: MAX_NAME }
            ))
        );
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            password(Field::Password, "123456789"),
            Err(Error::invalid(
                Field::Password,
                Problem::TooShort { min: 10 }
            ))
        );
        assert!(password(Field::Password, "correct horse").is_ok());
    }

    #[test]
    fn time_zones_come_from_the_iana_table() {
        assert_eq!(time_zone("Asia/Shanghai").unwrap(), "Asia/Shanghai");
        assert_eq!(
            time_zone("Mars/Olympus"),
            Err(Error::invalid(Field::TimeZone, Problem::Unknown))
        );
    }

    #[test]
    fn birthdays_lie_between_1900_and_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(birthday(None, today), Ok(None));
        assert_eq!(birthday(date(1985, 5, 1), today), Ok(date(1985, 5, 1)));
        assert_eq!(birthday(Some(today), today), Ok(Some(today)));
        let out = Err(Error::invalid(
            Field::Birthday,
            Problem::OutOfRange {
                min: 1900,
                max: 2026,
            },
        ));
        assert_eq!(birthday(date(2026, 3, 11), today), out);
        assert_eq!(birthday(date(1899, 12, 31), today), out);
    }

    #[test]
    fn currency_is_three_letters() {
        assert_eq!(currency("cny").unwrap(), "CNY");
        assert!(currency("RMB¥").is_err());
    }
}

/// The earliest birthday taken: older dates are typing slips.
pub const FIRST_BIRTHDAY_YEAR: i32 = 1900;

/// A birthday lies between 1900 and `today`: a date in the future is a typo.
pub fn birthday(value: Option<NaiveDate>, today: NaiveDate) -> Result<Option<NaiveDate>> {
    match value {
        Some(date) if date > today || date.year() < FIRST_BIRTHDAY_YEAR => fail(
            Field::Birthday,
            Problem::OutOfRange {
                min: FIRST_BIRTHDAY_YEAR as u32,
                max: today.year().max(FIRST_BIRTHDAY_YEAR) as u32,
            },
        ),
        other => Ok(other),
    }
}

pub const MAX_CUSTOMER_NAME: u32 = 200;
pub const MAX_SHORT: u32 = 50;
pub const MAX_LONG: u32 = 500;
pub const MAX_NOTES: u32 = 5000;
pub const MAX_TAGS: u32 = 20;

/// Digits with the punctuation people write numbers with: `+86 (010) 1234-5678 ext 9`.
pub fn phone(field: Field, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = optional_text(field, value, MAX_SHORT)? else {
        return Ok(None);
    };
    let allowed = |c: char| {
        c.is_ascii_digit() || " +-()#.,/".contains(c) || "ext".contains(c.to_ascii_lowercase())
    };
    if !value.chars().all(allowed) || !value.chars().any(|c| c.is_ascii_digit()) {
        return fail(field, Problem::Malformed);
    }
    Ok(Some(value))
}

pub fn optional_email(value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => email(v).map(Some),
    }
}

/// A web address; a bare domain gets `https://` in front.
pub fn website(value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = optional_text(Field::Website, value, MAX_LONG)? else {
        return Ok(None);
    };
    if value.contains(char::is_whitespace) || !value.contains('.') {
        return fail(Field::Website, Problem::Malformed);
    }
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(Some(value))
    } else if lower.contains("://") {
        fail(Field::Website, Problem::Malformed)
    } else {
        Ok(Some(format!("https://{value}")))
    }
}

/// Trimmed, without empties or repeats, each short, not too many.
pub fn tags(values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for tag in values {
        let tag = tag.trim();
        if tag.is_empty() || out.iter().any(|t| t == tag) {
            continue;
        }
        out.push(text(Field::Tags, tag, MAX_SHORT)?);
    }
    if out.len() > MAX_TAGS as usize {
        return fail(Field::Tags, Problem::TooLong { max: MAX_TAGS });
    }
    Ok(out)
}

#[cfg(test)]
mod customer_field_tests {
    use super::*;

    #[test]
    fn phones_allow_usual_punctuation_only() {
        assert_eq!(
            phone(Field::Phone, Some(" +86 (010) 8888-6666 ext 12 "))
                .unwrap()
                .as_deref(),
            Some("+86 (010) 8888-6666 ext 12")
        );
        assert_eq!(phone(Field::Phone, Some("")).unwrap(), None);
        assert_eq!(
            phone(Field::Phone, Some("call me")),
            Err(Error::invalid(Field::Phone, Problem::Malformed))
        );
    }

    #[test]
    fn websites_get_a_scheme() {
        assert_eq!(
            website(Some("xingchen.cn")).unwrap().as_deref(),
            Some("https://xingchen.cn")
        );
        assert!(website(Some("javascript://x.y")).is_err());
        assert!(website(Some("not a site")).is_err());
    }

    #[test]
    fn tags_are_cleaned() {
        let raw = vec![" 重点 ".to_string(), "重点".into(), "".into(), "VIP".into()];
        assert_eq!(tags(&raw).unwrap(), vec!["重点".to_string(), "VIP".into()]);
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert!(tags(&many).is_err());
    }
}

/// A custom field's value, normalised for its kind (numbers without spaces,
/// dates as `YYYY-MM-DD`); empty means unset.
pub fn custom_value(field: &CustomField, value: &str) -> Result<Option<String>> {
    let invalid = |problem| {
        Err(Error::InvalidCustomField {
            key: field.key.clone(),
            problem,
        })
    };
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > MAX_LONG as usize {
        return invalid(Problem::TooLong { max: MAX_LONG });
    }
    if value.chars().any(char::is_control) {
        return invalid(Problem::Malformed);
    }
    match field.kind {
        CustomFieldKind::Text => Ok(Some(value.to_string())),
        CustomFieldKind::Number => {
            let compact: String = value.chars().filter(|c| *c != ',' && *c != ' ').collect();
            match compact.parse::<f64>() {
                Ok(n) if n.is_finite() => Ok(Some(compact)),
                _ => invalid(Problem::Malformed),
            }
        }
        CustomFieldKind::Date => {
            let formats = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"];
            match formats
                .iter()
                .find_map(|f| chrono::NaiveDate::parse_from_str(value, f).ok())
            {
                Some(date) => Ok(Some(date.format("%Y-%m-%d").to_string())),
                None => invalid(Problem::Malformed),
            }
        }
        CustomFieldKind::Choice => match field.options.iter().find(|o| o.as_str() == value) {
            Some(option) => Ok(Some(option.clone())),
            None => invalid(Problem::Unknown),
        },
    }
}

/// Values for the defined fields only; unknown keys are dropped, so a field
/// the admin removed does not linger in new saves.
pub fn custom_values(
    fields: &[CustomField],
    values: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for field in fields {
        if let Some(value) = values.get(&field.key)
            && let Some(clean) = custom_value(field, value)?
        {
            out.insert(field.key.clone(), clean);
        }
    }
    Ok(out)
}

pub const MAX_CUSTOM_FIELDS: usize = 30;
/// Uploads are held in memory while they are checked and stored.
pub const MAX_FILE_MB: u32 = 200;
pub const MAX_LOOKUP_LINKS: usize = 10;

/// The admin's customer settings: sane numbers, unique field keys, choices
/// with options, links that are web addresses.
pub fn customer_settings(input: &CustomerSettings) -> Result<CustomerSettings> {
    if input.pool_return_days > 3650 {
        return fail(
            Field::PoolReturnDays,
            Problem::OutOfRange { min: 0, max: 3650 },
        );
    }
    if input.holding_limit > 100_000 {
        return fail(
            Field::HoldingLimit,
            Problem::OutOfRange {
                min: 0,
                max: 100_000,
            },
        );
    }
    if !(1..=MAX_FILE_MB).contains(&input.max_file_mb) {
        return fail(
            Field::MaxFileMb,
            Problem::OutOfRange {
                min: 1,
                max: MAX_FILE_MB,
            },
        );
    }
    if input.custom_fields.len() > MAX_CUSTOM_FIELDS {
        return fail(
            Field::CustomFields,
            Problem::TooLong {
                max: MAX_CUSTOM_FIELDS as u32,
            },
        );
    }
    let mut fields: Vec<CustomField> = Vec::new();
    for field in &input.custom_fields {
        let label = text(Field::CustomFields, &field.label, MAX_SHORT)?;
        let key = match field.key.trim() {
            "" => field_key(&label, &fields),
            key => key.to_string(),
        };
        if fields.iter().any(|f| f.key == key || f.label == label) {
            return fail(Field::CustomFields, Problem::Taken);
        }
        let options: Vec<String> = field
            .options
            .iter()
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect();
        if field.kind == CustomFieldKind::Choice && options.is_empty() {
            return fail(Field::CustomFields, Problem::Required);
        }
        fields.push(CustomField {
            key,
            label,
            kind: field.kind,
            options,
        });
    }
    if input.lookup_links.len() > MAX_LOOKUP_LINKS {
        return fail(
            Field::LookupLinks,
            Problem::TooLong {
                max: MAX_LOOKUP_LINKS as u32,
            },
        );
    }
    let mut links = Vec::new();
    for link in &input.lookup_links {
        let label = text(Field::LookupLinks, &link.label, MAX_SHORT)?;
        let url = text(Field::LookupLinks, &link.url_template, MAX_LONG)?;
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            return fail(Field::LookupLinks, Problem::Malformed);
        }
        links.push(LookupLink {
            label,
            url_template: url,
        });
    }
    Ok(CustomerSettings {
        custom_fields: fields,
        lookup_links: links,
        ..input.clone()
    })
}

/// A key for a new field: `f1`, `f2`, … — labels may be Chinese and may be
/// renamed later, so the key does not come from them.
fn field_key(_label: &str, taken: &[CustomField]) -> String {
    (1..)
        .map(|n| format!("f{n}"))
        .find(|k| taken.iter().all(|f| &f.key != k))
        .unwrap_or_default()
}

#[cfg(test)]
mod custom_field_tests {
    use super::*;

    fn field(kind: CustomFieldKind) -> CustomField {
        CustomField {
            key: "f1".into(),
            label: "Budget".into(),
            kind,
            options: vec!["A".into(), "B".into()],
        }
    }

    #[test]
    fn values_are_checked_against_their_kind() {
        use CustomFieldKind::*;
        assert_eq!(
            custom_value(&field(Number), "1,200.5").unwrap().as_deref(),
            Some("1200.5")
        );
        assert!(custom_value(&field(Number), "lots").is_err());
        assert_eq!(
            custom_value(&field(Date), "2026年3月5日")
                .unwrap()
                .as_deref(),
            Some("2026-03-05")
        );
        assert!(custom_value(&field(Date), "next week").is_err());
        assert!(custom_value(&field(Choice), "C").is_err());
        assert_eq!(custom_value(&field(Text), "  ").unwrap(), None);
    }

    #[test]
    fn settings_give_new_fields_unique_keys_and_refuse_bad_links() {
        let mut input = CustomerSettings {
            custom_fields: vec![
                CustomField {
                    label: "预算".into(),
                    ..Default::default()
                },
                CustomField {
                    label: "规模".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let clean = customer_settings(&input).unwrap();
        let keys: Vec<&str> = clean.custom_fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["f1", "f2"]);
        input.lookup_links.push(LookupLink {
            label: "企查查".into(),
            url_template: "javascript:alert(1)".into(),
        });
        assert!(customer_settings(&input).is_err());
        input.custom_fields[1].label = "预算".into();
        assert!(customer_settings(&input).is_err());
    }
}
