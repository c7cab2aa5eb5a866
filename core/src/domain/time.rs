//! The company's clock: its time zone, and times and days as its staff read
//! and type them. Read the zone once per request or export and pass it on;
//! each read of the company record is a store transaction.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone a company's `time_zone` names; Shanghai for one that does not
/// parse (setup validates it, so only a hand-edited file gets here).
pub fn zone(time_zone: &str) -> Tz {
    time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
}

/// A time as the company's staff read it, e.g. `2026-03-10 14:30`.
pub fn local_time(zone: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// A time as a `datetime-local` input shows it in the company's zone, e.g.
/// `2026-03-10T14:30`.
pub fn input_time(zone: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()
}

/// The first instant of `date` in `zone`; on a day that starts inside a
/// daylight-saving gap, the earliest instant that exists.
pub fn start_of_day(zone: Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_reads_in_the_company_zone() {
        let at = Utc.with_ymd_and_hms(2026, 3, 10, 6, 30, 0).unwrap();
        assert_eq!(local_time(zone("Asia/Shanghai"), at), "2026-03-10 14:30");
        assert_eq!(local_time(zone("Europe/Berlin"), at), "2026-03-10 07:30");
    }

    #[test]
    fn an_unknown_zone_falls_back_to_shanghai() {
        assert_eq!(zone("Mars/Olympus"), chrono_tz::Asia::Shanghai);
    }

    #[test]
    fn a_day_starts_at_local_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        assert_eq!(
            start_of_day(zone("Asia/Shanghai"), day),
            Some(Utc.with_ymd_and_hms(2026, 3, 9, 16, 0, 0).unwrap())
        );
    }
}
