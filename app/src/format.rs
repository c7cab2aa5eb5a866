//! Numbers as people read them. Money with the company currency's symbol, thousands
//! grouped, two decimals; in Chinese, large totals may be shown in 万 (ten
//! thousands) or 亿 (hundred millions) with the exact amount beside them.

use guanxi_core::model::{Cents, Locale};

/// How much room an amount gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyStyle {
    /// Every cent: `¥1,285,000.00`. Cards, forms, the deal page.
    Exact,
    /// Totals in columns and sums: in zh-CN, from ¥100,000 on, `¥128.5万`
    /// (up to two decimals, trailing zeros dropped; 亿 from ¥100,000,000);
    /// below that, and in English, as `Exact`.
    Compact,
}

/// From 10万 on a total reads better in 万; below, the exact amount is short enough.
const WAN_FROM_YUAN: u64 = 100_000;
const WAN: u64 = 10_000;
const YI: u64 = 100_000_000;

/// The symbol written before an amount in `currency` (an ISO 4217 code);
/// a code without a well-known symbol is written out, `CHF 12.00`.
pub fn currency_symbol(currency: &str) -> String {
    match currency {
        "CNY" | "" => "¥".into(),
        "JPY" => "JP¥".into(),
        "USD" => "$".into(),
        "HKD" => "HK$".into(),
        "TWD" => "NT$".into(),
        "SGD" => "S$".into(),
        "AUD" => "A$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "KRW" => "₩".into(),
        other => format!("{other} "),
    }
}

/// `amount` in `currency` as a reader of `locale` expects it, e.g.
/// `-¥1,234.50`, or in zh-CN with `Compact` `¥128.5万`.
pub fn format_money(amount: Cents, currency: &str, locale: Locale, style: MoneyStyle) -> String {
    let sign = if amount.0 < 0 { "-" } else { "" };
    let cents = amount.0.unsigned_abs();
    let symbol = currency_symbol(currency);
    let yuan = cents / 100;
    if style == MoneyStyle::Compact && locale == Locale::ZhCn && yuan >= WAN_FROM_YUAN {
        let (unit, word) = if yuan >= YI {
            (YI, "亿")
        } else {
            (WAN, "万")
        };
        return format!("{sign}{symbol}{}{word}", scaled(cents, unit * 100));
    }
    format!("{sign}{symbol}{}.{:02}", grouped(yuan), cents % 100)
}

/// A money axis tick, `value` in whole currency units: short and round,
/// `¥50万` and `¥1.2亿` in zh-CN, `¥500K` and `¥1.2M` in English.
pub fn axis_money(value: f64, currency: &str, locale: Locale) -> String {
    let symbol = currency_symbol(currency);
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    let short = |x: f64| {
        let rounded = (x * 10.0).round() / 10.0;
        if rounded.fract() == 0.0 {
            format!("{rounded:.0}")
        } else {
            format!("{rounded:.1}")
        }
    };
    let body = match locale {
        Locale::ZhCn if v >= YI as f64 => format!("{}亿", short(v / YI as f64)),
        Locale::ZhCn if v >= WAN as f64 => format!("{}万", short(v / WAN as f64)),
        Locale::En if v >= 1e9 => format!("{}B", short(v / 1e9)),
        Locale::En if v >= 1e6 => format!("{}M", short(v / 1e6)),
        Locale::En if v >= 1e3 => format!("{}K", short(v / 1e3)),
        _ => grouped(v.round() as u64),
    };
    format!("{sign}{symbol}{body}")
}

/// A share as a whole percentage, `42%`; one decimal under 10 %.
pub fn percent(share: f64) -> String {
    // Rounded half away from zero after clearing binary noise: 0.425 is
    // 42.4999… as a float and must still show as 43 %.
    let p = (share * 100.0 * 1e6).round() / 1e6;
    if p != 0.0 && p.abs() < 10.0 {
        format!("{}%", guanxi_core::chart::Tenths(p))
    } else {
        format!("{}%", p.round() as i64)
    }
}

/// An amount without a currency symbol, grouped with two decimals:
/// `-1,000.00`. For messages that may not know the currency.
pub fn format_amount(amount: Cents) -> String {
    let sign = if amount.0 < 0 { "-" } else { "" };
    let cents = amount.0.unsigned_abs();
    format!("{sign}{}.{:02}", grouped(cents / 100), cents % 100)
}

/// `value / unit` rounded half up to two decimals, trailing zeros dropped.
fn scaled(value: u64, unit: u64) -> String {
    let hundredths = (u128::from(value) * 100 + u128::from(unit) / 2) / u128::from(unit);
    let whole = hundredths / 100;
    let fraction = hundredths % 100;
    let whole = grouped(whole as u64);
    match (fraction / 10, fraction % 10) {
        (0, 0) => whole,
        (tenths, 0) => format!("{whole}.{tenths}"),
        _ => format!("{whole}.{fraction:02}"),
    }
}

/// `1234567` → `1,234,567`.
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(cents: i64) -> String {
        format_money(Cents(cents), "CNY", Locale::ZhCn, MoneyStyle::Exact)
    }

    fn wan(cents: i64) -> String {
        format_money(Cents(cents), "CNY", Locale::ZhCn, MoneyStyle::Compact)
    }

    #[test]
    fn exact_amounts_have_the_symbol_grouping_and_two_decimals() {
        assert_eq!(exact(0), "¥0.00");
        assert_eq!(exact(5), "¥0.05");
        assert_eq!(exact(99_999), "¥999.99");
        assert_eq!(exact(12_000_000), "¥120,000.00");
        assert_eq!(exact(123_456_789), "¥1,234,567.89");
        assert_eq!(exact(i64::MIN), "-¥92,233,720,368,547,758.08");
    }

    #[test]
    fn negative_amounts_put_the_sign_before_the_symbol() {
        assert_eq!(exact(-100_000), "-¥1,000.00");
        assert_eq!(exact(-1), "-¥0.01");
        assert_eq!(wan(-128_500_000), "-¥128.5万");
    }

    #[test]
    fn compact_uses_wan_from_one_hundred_thousand_yuan_in_chinese_only() {
        assert_eq!(wan(9_999_999), "¥99,999.99");
        assert_eq!(wan(10_000_000), "¥10万");
        assert_eq!(wan(128_500_000), "¥128.5万");
        assert_eq!(wan(123_456_789), "¥123.46万");
        assert_eq!(wan(0), "¥0.00");
        assert_eq!(
            format_money(Cents(128_500_000), "CNY", Locale::En, MoneyStyle::Compact),
            "¥1,285,000.00"
        );
    }

    #[test]
    fn compact_rounds_half_up_and_switches_to_yi() {
        assert_eq!(wan(12_345_000), "¥12.35万");
        assert_eq!(wan(12_344_999), "¥12.34万");
        assert_eq!(wan(10_000_000_000), "¥1亿");
        assert_eq!(wan(25_000_000_000), "¥2.5亿");
        assert_eq!(wan(12_345_678_900_000), "¥1,234.57亿");
    }

    #[test]
    fn money_axes_are_short_with_wan_in_chinese() {
        let zh = |v| axis_money(v, "CNY", Locale::ZhCn);
        let en = |v| axis_money(v, "CNY", Locale::En);
        assert_eq!(zh(0.0), "¥0");
        assert_eq!(zh(5_000.0), "¥5,000");
        assert_eq!(zh(500_000.0), "¥50万");
        assert_eq!(zh(1_250_000.0), "¥125万");
        assert_eq!(zh(150_000_000.0), "¥1.5亿");
        assert_eq!(en(500_000.0), "¥500K");
        assert_eq!(en(1_250_000.0), "¥1.3M");
        assert_eq!(en(-2_000.0), "-¥2K");
        assert_eq!(percent(0.425), "43%");
        assert_eq!(percent(0.05), "5.0%");
        assert_eq!(percent(0.0), "0%");
    }

    #[test]
    fn other_currencies_use_their_symbol_or_code() {
        let en = |currency| format_money(Cents(150), currency, Locale::En, MoneyStyle::Exact);
        assert_eq!(en("USD"), "$1.50");
        assert_eq!(en("EUR"), "€1.50");
        assert_eq!(en("HKD"), "HK$1.50");
        assert_eq!(en("CHF"), "CHF 1.50");
    }
}
