//! Keys that make "the same customer" comparable despite spacing, case,
//! full-width characters and phone-number punctuation.

/// `n:` + the name lower-cased, full-width ASCII folded, without spaces or
/// punctuation, so "北京 星辰科技（有限公司）" and "北京星辰科技有限公司" match.
pub fn name_key(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(fold_full_width)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    format!("n:{folded}")
}

/// `p:` + the digits, without a leading +86/0086 country code; `None` when too
/// few digits remain to mean a number.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone
        .chars()
        .map(fold_full_width)
        .filter(char::is_ascii_digit)
        .collect();
    let digits = digits
        .strip_prefix("0086")
        .or_else(|| {
            phone
                .trim_start()
                .starts_with('+')
                .then(|| digits.strip_prefix("86"))
                .flatten()
        })
        .unwrap_or(&digits);
    (digits.len() >= 5).then(|| format!("p:{digits}"))
}

/// Text as the search box compares it: trimmed, lower-cased, full-width ASCII
/// folded (people type ＡＢＣ on Chinese keyboards).
pub fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(fold_full_width)
        .flat_map(char::to_lowercase)
        .collect()
}

pub fn email_key(email: &str) -> String {
    format!("e:{}", email.trim().to_lowercase())
}

fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_spacing_brackets_and_width() {
        assert_eq!(
            name_key("北京 星辰科技（有限公司）"),
            name_key("北京星辰科技有限公司")
        );
        assert_eq!(name_key("ＡＢＣ Trading Co."), name_key("abc trading co"));
    }

    #[test]
    fn phones_match_across_punctuation_and_country_code() {
        assert_eq!(phone_key("+86 138-1234-5678"), phone_key("13812345678"));
        assert_eq!(phone_key("0086 13812345678"), phone_key("138 1234 5678"));
        assert_eq!(
            phone_key("１３８１２３４５６７８"),
            phone_key("13812345678")
        );
        assert_eq!(phone_key("12"), None);
    }
}
