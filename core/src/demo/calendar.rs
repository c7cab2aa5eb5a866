//! The working year of a Chinese sales team: busy weeks before the Spring
//! Festival and at quarter ends, the holiday itself nearly silent, quiet
//! weekends and Golden Weeks, office hours in Beijing time. Demo events are
//! drawn from this calendar, so charts of the demo data show the seasons.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use rand::Rng as _;

use super::generate::Rng;

/// The company's time zone, Asia/Shanghai: UTC+8 all year.
const OFFSET_HOURS: i64 = 8;

/// Lunar New Year's days: the Spring Festival moves with the moon.
const SPRING_FESTIVALS: &[(i32, u32, u32)] = &[
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 3),
    (2031, 1, 23),
    (2032, 2, 11),
    (2033, 1, 31),
    (2034, 2, 19),
    (2035, 2, 8),
    (2036, 1, 28),
    (2037, 2, 15),
    (2038, 2, 4),
];

/// What season a day is in, for what reps write about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Season {
    Ordinary,
    /// The rush of the four weeks before the Spring Festival.
    BeforeFestival,
    /// The last two weeks of a quarter.
    QuarterEnd,
}

/// Office hours and how much happens in each, Beijing time.
const HOURS: &[(u32, u32)] = &[
    (8, 2),
    (9, 8),
    (10, 10),
    (11, 9),
    (12, 3),
    (13, 6),
    (14, 10),
    (15, 10),
    (16, 9),
    (17, 7),
    (18, 3),
    (19, 2),
    (20, 2),
    (21, 1),
];

pub struct Calendar {
    first: NaiveDate,
    /// `cumulative[i]`: the weight of the days before day `i`.
    cumulative: Vec<f64>,
    seasons: Vec<Season>,
}

fn spring_festival(year: i32) -> Option<NaiveDate> {
    SPRING_FESTIVALS
        .iter()
        .find(|(y, _, _)| *y == year)
        .and_then(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// How busy a day is, relative to an ordinary weekday, and its season.
fn weight(day: NaiveDate) -> (f64, Season) {
    let mut w = match day.weekday() {
        Weekday::Sat => 0.3,
        Weekday::Sun => 0.12,
        _ => 1.0,
    };
    let mut season = Season::Ordinary;
    // The festival of this lunar year or of the next (January days belong
    // to the rush before a February festival).
    for festival in [day.year(), day.year() + 1]
        .into_iter()
        .filter_map(spring_festival)
    {
        let offset = (day - festival).num_days();
        match offset {
            -28..=-3 => {
                w *= 1.6;
                season = Season::BeforeFestival;
            }
            // Eve to the end of the holiday week: nearly nothing.
            -2..=6 => w *= 0.06,
            // Slow restart until the Lantern Festival.
            7..=14 => w *= 0.55,
            _ => {}
        }
    }
    let quarter_end = matches!(day.month(), 3 | 6 | 9 | 12) && day.day() >= 16;
    if quarter_end {
        w *= 1.45;
        if season == Season::Ordinary {
            season = Season::QuarterEnd;
        }
    }
    match (day.month(), day.day()) {
        // National Day and Labour Day holidays.
        (10, 1..=7) => w *= 0.12,
        (5, 1..=5) => w *= 0.25,
        _ => {}
    }
    (w, season)
}

impl Calendar {
    /// `years` of working days up to the day before `today`.
    pub fn new(today: NaiveDate, years: i32) -> Calendar {
        let first = today
            .with_year(today.year() - years)
            .unwrap_or(today - Duration::days(365 * i64::from(years)));
        let days = (today - first).num_days().max(1) as usize;
        let mut cumulative = Vec::with_capacity(days + 1);
        let mut seasons = Vec::with_capacity(days);
        let mut sum = 0.0;
        cumulative.push(sum);
        for i in 0..days {
            let (w, season) = weight(first + Duration::days(i as i64));
            // The company grows: the last year is busier than the first.
            let growth = 0.75 + 0.5 * i as f64 / days as f64;
            sum += w * growth;
            cumulative.push(sum);
            seasons.push(season);
        }
        Calendar {
            first,
            cumulative,
            seasons,
        }
    }

    pub fn days(&self) -> usize {
        self.seasons.len()
    }

    /// Midnight at the start of day `i`, Beijing time.
    pub fn day_start(&self, i: usize) -> DateTime<Utc> {
        let date = self.first + Duration::days(i as i64);
        Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)) - Duration::hours(OFFSET_HOURS)
    }

    /// The first instant of the calendar.
    pub fn start(&self) -> DateTime<Utc> {
        self.day_start(0)
    }

    /// Where history ends: the start of today, Beijing time.
    pub fn end(&self) -> DateTime<Utc> {
        self.day_start(self.days())
    }

    /// The day `at` falls on, clamped to the calendar.
    pub fn day_of(&self, at: DateTime<Utc>) -> usize {
        let days = (at - self.start()).num_days();
        (days.max(0) as usize).min(self.days().saturating_sub(1))
    }

    pub fn season(&self, at: DateTime<Utc>) -> Season {
        self.seasons[self.day_of(at)]
    }

    /// A day in `from..to`, busy days more likely.
    fn pick_day(&self, rng: &mut Rng, from: usize, to: usize) -> usize {
        let (low, high) = (self.cumulative[from], self.cumulative[to]);
        if high <= low {
            return from;
        }
        let target = rng.random_range(low..high);
        // The last day whose cumulative weight is at most the target.
        let i = self.cumulative.partition_point(|&c| c <= target);
        (i.saturating_sub(1)).clamp(from, to - 1)
    }

    /// A moment in office hours on day `day`.
    fn office_time(&self, rng: &mut Rng, day: usize) -> DateTime<Utc> {
        let total: u32 = HOURS.iter().map(|(_, w)| w).sum();
        let mut pick = rng.random_range(0..total);
        let mut hour = 9;
        for &(h, w) in HOURS {
            if pick < w {
                hour = h;
                break;
            }
            pick -= w;
        }
        let seconds = i64::from(hour) * 3600 + rng.random_range(0..3600);
        self.day_start(day) + Duration::seconds(seconds)
    }

    /// A moment in `from..to` (clamped to the calendar) in office hours,
    /// on a day drawn by how busy it is. A span too short for that gets a
    /// moment anywhere in it.
    pub fn moment(&self, rng: &mut Rng, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
        let from = from.max(self.start());
        let to = to.min(self.end());
        if to <= from {
            return from;
        }
        let (first, last) = (self.day_of(from), self.day_of(to - Duration::seconds(1)));
        for _ in 0..6 {
            let day = self.pick_day(rng, first, last + 1);
            let at = self.office_time(rng, day);
            if at >= from && at < to {
                return at;
            }
        }
        let span = (to - from).num_seconds().max(1);
        from + Duration::seconds(rng.random_range(0..span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use rand::SeedableRng;

    #[test]
    fn the_spring_festival_is_quiet_and_the_weeks_before_it_busy() {
        let festival = spring_festival(2026).unwrap();
        let (before, season) = weight(festival - Duration::days(12));
        let (during, _) = weight(festival + Duration::days(2));
        assert_eq!(season, Season::BeforeFestival);
        assert!(before > 10.0 * during, "{before} vs {during}");
    }

    #[test]
    fn moments_fall_in_their_span_and_in_office_hours_mostly() {
        let calendar = Calendar::new(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), 3);
        let mut rng = Rng::seed_from_u64(7);
        let (from, to) = (calendar.start(), calendar.end());
        let mut in_hours = 0;
        for _ in 0..1000 {
            let at = calendar.moment(&mut rng, from, to);
            assert!(at >= from && at < to);
            let hour = (at + Duration::hours(OFFSET_HOURS)).hour();
            if (8..22).contains(&hour) {
                in_hours += 1;
            }
        }
        assert_eq!(in_hours, 1000);
        let short = calendar.moment(&mut rng, to - Duration::minutes(5), to);
        assert!(short >= to - Duration::minutes(5) && short < to);
    }
}
