//! Which scheduled snapshots to keep: the newest of each of the last
//! `daily` days, `weekly` ISO weeks and `monthly` months, counted in the
//! company's time zone back from today (the grandfather-father-son scheme
//! restic and borg call `--keep-daily`/`--keep-weekly`/`--keep-monthly`,
//! but over calendar periods rather than over periods that have a
//! snapshot: a server that was off for a month does not keep older files
//! longer than the admin asked for).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Field, Problem, Result};
use crate::model::BackupPolicy;

/// The most of each period an admin may keep: ten years of months, a year
/// of days or weeks is beyond any office's disk budget for a CRM.
pub const MAX_DAILY: u32 = 366;
pub const MAX_WEEKLY: u32 = 260;
pub const MAX_MONTHLY: u32 = 120;

/// Checks an admin's policy; keeping nothing at all would make the
/// schedule delete each snapshot as it takes it.
pub fn validate(policy: &BackupPolicy) -> Result<BackupPolicy> {
    let check = |field, value: u32, max| {
        if value > max {
            Err(Error::invalid(field, Problem::OutOfRange { min: 0, max }))
        } else {
            Ok(value)
        }
    };
    let checked = BackupPolicy {
        daily: check(Field::KeepDaily, policy.daily, MAX_DAILY)?,
        weekly: check(Field::KeepWeekly, policy.weekly, MAX_WEEKLY)?,
        monthly: check(Field::KeepMonthly, policy.monthly, MAX_MONTHLY)?,
        version: policy.version,
    };
    if checked.daily + checked.weekly + checked.monthly == 0 {
        return Err(Error::invalid(
            Field::KeepDaily,
            Problem::OutOfRange {
                min: 1,
                max: MAX_DAILY,
            },
        ));
    }
    Ok(checked)
}

/// The indexes of `taken` (snapshot times) to keep under `policy` at `now`.
pub fn to_keep(
    taken: &[DateTime<Utc>],
    policy: &BackupPolicy,
    zone: Tz,
    now: DateTime<Utc>,
) -> BTreeSet<usize> {
    let today = now.with_timezone(&zone).date_naive();
    let day_of = |at: &DateTime<Utc>| at.with_timezone(&zone).date_naive();
    let monday = |d: NaiveDate| d - Duration::days(d.weekday().num_days_from_monday().into());
    let month = |d: NaiveDate| d.year() * 12 + d.month0() as i32;

    let mut keep = BTreeSet::new();
    let mut newest_in = |period: &dyn Fn(NaiveDate) -> Option<i64>| {
        let mut newest: BTreeMap<i64, usize> = BTreeMap::new();
        for (i, at) in taken.iter().enumerate() {
            if let Some(key) = period(day_of(at)) {
                let entry = newest.entry(key).or_insert(i);
                if taken[*entry] < *at {
                    *entry = i;
                }
            }
        }
        keep.extend(newest.into_values());
    };
    // Each period answers its key when the day falls within the window.
    newest_in(&|d| {
        let ago = (today - d).num_days();
        (ago >= 0 && ago < policy.daily.into()).then_some(d.num_days_from_ce().into())
    });
    newest_in(&|d| {
        let weeks_ago = (monday(today) - monday(d)).num_days() / 7;
        (weeks_ago >= 0 && weeks_ago < policy.weekly.into())
            .then_some(monday(d).num_days_from_ce().into())
    });
    newest_in(&|d| {
        let months_ago = month(today) - month(d);
        (months_ago >= 0 && months_ago < policy.monthly as i32).then_some(month(d).into())
    });
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_year_of_daily_snapshots_keeps_seven_days_four_weeks_and_twelve_months() {
        let now = at(2025, 6, 30, 12);
        // One snapshot at 03:00 every day for a year and a half.
        let taken: Vec<_> = (0..550)
            .map(|n| at(2025, 6, 30, 3) - Duration::days(n))
            .collect();
        let keep = to_keep(
            &taken,
            &BackupPolicy::default(),
            chrono_tz::Asia::Shanghai,
            now,
        );
        let kept: BTreeSet<NaiveDate> = keep
            .iter()
            .map(|&i| {
                taken[i]
                    .with_timezone(&chrono_tz::Asia::Shanghai)
                    .date_naive()
            })
            .collect();
        let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        // The last seven days…
        for d in 24..=30 {
            assert!(kept.contains(&day(6, d)), "6-{d}");
        }
        // …the Sundays ending each of the three earlier weeks (today's week
        // is the 30th's, a Monday)…
        for d in [29, 22, 15] {
            assert!(kept.contains(&day(6, d)), "week of 6-{d}");
        }
        // …and the last day of each earlier month back to July 2024.
        assert!(kept.contains(&day(5, 31)));
        assert!(kept.contains(&NaiveDate::from_ymd_opt(2024, 7, 31).unwrap()));
        assert!(
            !kept
                .iter()
                .any(|d| *d < NaiveDate::from_ymd_opt(2024, 7, 1).unwrap())
        );
        assert!(
            !kept.contains(&day(6, 23)),
            "neither in the week nor the days"
        );
        // The 29th is a day and a week's newest; the 30th a day, a week's
        // and a month's: 7 days, 2 more weeks, 11 more months.
        assert_eq!(kept.len(), 7 + 2 + 11);
    }

    #[test]
    fn of_several_snapshots_in_one_day_the_newest_is_kept() {
        let now = at(2025, 6, 30, 23);
        let taken = [at(2025, 6, 30, 1), at(2025, 6, 30, 13), at(2025, 6, 30, 7)];
        let policy = BackupPolicy {
            daily: 1,
            weekly: 0,
            monthly: 0,
            version: 0,
        };
        let keep = to_keep(&taken, &policy, chrono_tz::Asia::Shanghai, now);
        assert_eq!(keep.into_iter().collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_policy_keeping_nothing_or_too_much_is_refused() {
        let none = BackupPolicy {
            daily: 0,
            weekly: 0,
            monthly: 0,
            version: 0,
        };
        assert!(validate(&none).is_err());
        let too_many = BackupPolicy {
            monthly: MAX_MONTHLY + 1,
            ..BackupPolicy::default()
        };
        assert_eq!(
            validate(&too_many),
            Err(Error::invalid(
                Field::KeepMonthly,
                Problem::OutOfRange {
                    min: 0,
                    max: MAX_MONTHLY
                }
            ))
        );
        assert!(validate(&BackupPolicy::default()).is_ok());
    }
}
