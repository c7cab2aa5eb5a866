//! Anomaly flags (SPEC §5): a weekly figure far off its own recent trend.
//! "Far" is more than three robust standard deviations from the median of
//! the trailing weeks, the deviation estimated from the median absolute
//! deviation (MAD × 1.4826, the standard deviation of normal data), so one
//! odd week in the past does not widen the band as it would a plain
//! standard deviation.

/// Weeks a figure is compared with.
pub const TRAILING_WEEKS: usize = 12;
/// Fewer weeks than this say too little to call anything unusual.
pub const MIN_WEEKS: usize = 4;
const MAD_TO_SD: f64 = 1.4826;
const DEVIATIONS: f64 = 3.0;
/// Counts move in whole steps: a band narrower than this around the median
/// would flag a week of 41 calls after twelve weeks of exactly 40.
const MIN_SD: f64 = 1.0;

pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// The usual band of a figure from its trailing weeks (oldest first; the
/// last `TRAILING_WEEKS` count): (low, high), `None` with too few weeks.
pub fn usual_band(history: &[f64]) -> Option<(f64, f64)> {
    let recent = &history[history.len().saturating_sub(TRAILING_WEEKS)..];
    if recent.len() < MIN_WEEKS {
        return None;
    }
    let m = median(recent)?;
    let deviations: Vec<f64> = recent.iter().map(|v| (v - m).abs()).collect();
    let sd = (median(&deviations)? * MAD_TO_SD).max(MIN_SD);
    Some(((m - DEVIATIONS * sd).max(0.0), m + DEVIATIONS * sd))
}

/// `Some(band)` when `value` falls outside the usual band of `history`.
pub fn flag(value: f64, history: &[f64]) -> Option<(f64, f64)> {
    let (low, high) = usual_band(history)?;
    (value < low || value > high).then_some((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_far_below_its_usual_band_is_flagged() {
        // Twelve weeks of 40–55 calls: median 47.5; deviations from it
        // 0.5 0.5 1.5 1.5 2.5 2.5 | 3.5 4.5 5.5 6.5 7.5 7.5, MAD 3.0 →
        // sd 4.448, band 47.5 ± 13.34 = 34.16–60.84.
        let history = [
            40.0, 42.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 52.0, 54.0, 55.0,
        ];
        let (low, high) = usual_band(&history).unwrap();
        assert!(
            (low - 34.16).abs() < 0.01 && (high - 60.84).abs() < 0.01,
            "{low} {high}"
        );
        assert_eq!(flag(12.0, &history), Some((low, high)));
        assert_eq!(flag(35.0, &history), None);
        assert!(flag(70.0, &history).is_some(), "far above is flagged too");
    }

    #[test]
    fn one_odd_past_week_does_not_widen_the_band() {
        let history = [40.0, 41.0, 40.0, 39.0, 40.0, 400.0, 41.0, 40.0];
        let (_, high) = usual_band(&history).unwrap();
        assert!(high < 50.0, "{high}");
    }

    #[test]
    fn steady_or_short_histories() {
        assert_eq!(flag(41.0, &[40.0; 12]), None, "a step of one is no anomaly");
        assert_eq!(flag(44.0, &[40.0; 12]), Some((37.0, 43.0)));
        assert_eq!(
            flag(0.0, &[40.0, 40.0, 40.0]),
            None,
            "three weeks say too little"
        );
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }
}
