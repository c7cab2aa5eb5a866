//! Reading contacts out of the vCard files phones export (Android, iPhone,
//! WeChat/QQ address books), so a salesperson can bring their address book along.
//!
//! Phones write 2.1, 3.0 and 4.0 and bend each of them, so the parser is lenient:
//! anything it does not understand is skipped, and only a card that cannot become a
//! contact at all is reported, by position, so the importer can say which one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The part of a vCard a CRM contact can use; everything else (photos, addresses,
/// custom X- fields) is left behind on purpose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub name: String,
    /// As written on the phone, without a `tel:` prefix; comparing numbers is
    /// `matching::phone_key`'s job.
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub note: Option<String>,
    /// `None` when the phone stored only day and month.
    pub birthday: Option<NaiveDate>,
}

/// A card that could not become a contact; `card_index` counts every
/// `BEGIN:VCARD` in the file from 0, so it matches the position in `parse`'s result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardProblem {
    pub card_index: usize,
    pub reason: CardProblemReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardProblemReason {
    /// Neither FN, N nor ORG: there is nothing to call the contact.
    NoName,
    /// `BEGIN:VCARD` without `END:VCARD` before the next card or the end of the
    /// file, which usually means a truncated file, so its fields are not trusted.
    Unterminated,
}

/// One result per `BEGIN:VCARD`, in file order. Text outside cards is ignored,
/// because exports are often concatenated or hand-edited.
pub fn parse(text: &str) -> Vec<Result<Card, CardProblem>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut results = Vec::new();
    let mut open: Option<Vec<&str>> = None;
    for line in text.lines() {
        let marker = line.trim();
        if marker.eq_ignore_ascii_case("BEGIN:VCARD") {
            if open.replace(Vec::new()).is_some() {
                results.push(Err(problem(results.len(), CardProblemReason::Unterminated)));
            }
        } else if marker.eq_ignore_ascii_case("END:VCARD") {
            if let Some(lines) = open.take() {
                let index = results.len();
                results.push(card(&lines).ok_or_else(|| problem(index, CardProblemReason::NoName)));
            }
        } else if let Some(lines) = open.as_mut() {
            lines.push(line);
        }
    }
    if open.is_some() {
        results.push(Err(problem(results.len(), CardProblemReason::Unterminated)));
    }
    results
}

fn problem(card_index: usize, reason: CardProblemReason) -> CardProblem {
    CardProblem { card_index, reason }
}

/// `None` when the card has nothing to name the contact by.
fn card(lines: &[&str]) -> Option<Card> {
    let logical = unfold(lines);
    let properties: Vec<Property> = logical.iter().filter_map(|l| Property::parse(l)).collect();
    let v21 = properties
        .iter()
        .any(|p| p.name == "VERSION" && p.value.trim() == "2.1");

    let mut formatted = None;
    let mut structured = None;
    let mut card = Card {
        name: String::new(),
        phones: Vec::new(),
        emails: Vec::new(),
        organization: None,
        title: None,
        note: None,
        birthday: None,
    };
    let mut notes = Vec::new();
    for property in &properties {
        match property.name.as_str() {
            "FN" => set_once(&mut formatted, property.text(v21)),
            "N" if structured.is_none() => {
                structured = name_from_parts(&property.components(v21));
            }
            "ORG" => {
                if let Some(first) = property.components(v21).into_iter().next() {
                    set_once(&mut card.organization, first);
                }
            }
            "TITLE" => set_once(&mut card.title, property.text(v21)),
            "NOTE" => {
                let note = property.text(v21).trim().to_string();
                if !note.is_empty() {
                    notes.push(note);
                }
            }
            "TEL" => {
                let value = property.text(v21);
                let value = value.trim();
                let number = value
                    .get(..4)
                    .filter(|scheme| scheme.eq_ignore_ascii_case("tel:"))
                    .map_or(value, |_| &value[4..]);
                push_new(&mut card.phones, number);
            }
            "EMAIL" => push_new(&mut card.emails, property.text(v21).trim()),
            "BDAY" if card.birthday.is_none() => {
                card.birthday = birthday(&property.text(v21), property.params.omitted_year);
            }
            _ => {}
        }
    }
    card.note = (!notes.is_empty()).then(|| notes.join("\n"));
    card.name = formatted
        .or(structured)
        .or_else(|| card.organization.clone())?;
    Some(card)
}

/// Keeps the first non-blank value, because exports repeat some fields and the
/// first is the one the phone shows.
fn set_once(slot: &mut Option<String>, value: String) {
    let value = value.trim();
    if slot.is_none() && !value.is_empty() {
        *slot = Some(value.to_string());
    }
}

/// Android repeats a number or address once per merged account; one copy is enough.
fn push_new(list: &mut Vec<String>, value: &str) {
    if !value.is_empty() && !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// Chinese, Japanese and Korean names are written family-then-given without a
/// space; other names given-then-family with spaces.
fn name_from_parts(parts: &[String]) -> Option<String> {
    let part = |i: usize| parts.get(i).map_or("", |p| p.trim());
    let (family, given, additional) = (part(0), part(1), part(2));
    let name = if format!("{family}{given}").chars().any(is_cjk) {
        format!("{family}{given}")
    } else {
        [given, additional, family]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    (!name.is_empty()).then_some(name)
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'     // Hangul Jamo
        | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}'   // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK Unified Ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul Syllables
        | '\u{F900}'..='\u{FAFF}'   // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{3FFFF}' // planes 2 and 3: CJK ideographs only
    )
}

/// Accepts `19850315`, `1985-03-15` and a trailing time; `--0315` (4.0's "no
/// year") and iPhone's placeholder year (`X-APPLE-OMIT-YEAR=1604`) give `None`,
/// because a made-up year would show a wrong age.
fn birthday(value: &str, omitted_year: Option<i32>) -> Option<NaiveDate> {
    let date = value.trim().split(['T', ' ']).next()?;
    let digits: String = date.chars().filter(|&c| c != '-').collect();
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = digits[..4].parse().ok()?;
    let month: u32 = digits[4..6].parse().ok()?;
    let day: u32 = digits[6..].parse().ok()?;
    if Some(year) == omitted_year {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Joins physical lines into properties. Two mechanisms exist: RFC folding (a
/// line starting with a space or tab continues the previous one, minus that
/// character) and, in 2.1 quoted-printable values as Android writes them, a
/// trailing `=` that continues on the next line as it is.
fn unfold(lines: &[&str]) -> Vec<String> {
    let mut logical: Vec<String> = Vec::new();
    let mut soft_break = false;
    for &line in lines {
        match logical.last_mut() {
            Some(last) if soft_break => {
                last.pop();
                last.push_str(line);
            }
            Some(last) if line.starts_with([' ', '\t']) => last.push_str(&line[1..]),
            _ => logical.push(line.to_string()),
        }
        soft_break = logical.last().is_some_and(|l| {
            l.ends_with('=')
                && split_header(l).is_some_and(|(h, _)| Params::parse(h).quoted_printable)
        });
    }
    logical
}

/// Splits at the first colon outside double quotes: 4.0 allows quoted parameter
/// values, which may contain colons (`TYPE="work,voice"`, URLs).
fn split_header(line: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Some((&line[..i], &line[i + 1..])),
            _ => {}
        }
    }
    None
}

/// The parameters after the property name; a quoted 4.0 value may contain `;`.
fn split_params(header: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in header.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    parts.split_off(1)
}

struct Property<'a> {
    /// Upper-cased and without its group (`item1.TEL` → `TEL`), because iPhone
    /// groups properties only to attach labels we do not import.
    name: String,
    params: Params,
    value: &'a str,
}

impl<'a> Property<'a> {
    fn parse(line: &'a str) -> Option<Self> {
        let (header, value) = split_header(line)?;
        let name = header.split(';').next().unwrap_or_default();
        let name = name.rsplit('.').next().unwrap_or_default().trim();
        Some(Property {
            name: name.to_ascii_uppercase(),
            params: Params::parse(header),
            value,
        })
    }

    fn text(&self, v21: bool) -> String {
        unescape(&self.decode(self.value), v21)
    }

    /// Splits before decoding, because only an unescaped raw `;` separates
    /// components (`ORG:星辰科技;销售部`, `N:张;伟;;;`).
    fn components(&self, v21: bool) -> Vec<String> {
        let mut parts = Vec::new();
        let mut start = 0;
        let mut escaped = false;
        for (i, c) in self.value.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                ';' => {
                    parts.push(&self.value[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&self.value[start..]);
        parts
            .into_iter()
            .map(|part| unescape(&self.decode(part), v21))
            .collect()
    }

    fn decode(&self, raw: &str) -> String {
        if self.params.quoted_printable {
            // 2.1 encodes line breaks as =0D=0A; the rest of Guanxi keeps `\n`.
            decode_charset(quoted_printable(raw), self.params.charset.as_deref())
                .replace("\r\n", "\n")
        } else {
            raw.to_string()
        }
    }
}

/// Only the parameters that change how a value reads; TYPE, PREF, VALUE and
/// the like are accepted and ignored, since a contact keeps plain lists.
#[derive(Default)]
struct Params {
    quoted_printable: bool,
    charset: Option<String>,
    omitted_year: Option<i32>,
}

impl Params {
    fn parse(header: &str) -> Self {
        let mut params = Params::default();
        for param in split_params(header) {
            let (key, value) = param.split_once('=').unwrap_or(("", param));
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_uppercase().as_str() {
                // 2.1 allows the bare value: `N;QUOTED-PRINTABLE:…`.
                "ENCODING" | "" => {
                    params.quoted_printable |= value.eq_ignore_ascii_case("QUOTED-PRINTABLE")
                        || value.eq_ignore_ascii_case("QP");
                }
                "CHARSET" => params.charset = Some(value.to_string()),
                "X-APPLE-OMIT-YEAR" => params.omitted_year = value.parse().ok(),
                _ => {}
            }
        }
        params
    }
}

/// `=XX` becomes the byte; a stray `=` stays, because a damaged export should
/// lose one character, not the whole field.
fn quoted_printable(raw: &str) -> Vec<u8> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let pair = match bytes[i..] {
            [b'=', hi, lo, ..] => char::from(hi).to_digit(16).zip(char::from(lo).to_digit(16)),
            _ => None,
        };
        match pair {
            Some((hi, lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

/// UTF-8 first, whatever CHARSET says, because Android labels UTF-8 correctly and
/// Chinese exporters sometimes claim GBK for UTF-8 bytes; only bytes that are not
/// UTF-8 are read in the declared charset.
fn decode_charset(bytes: Vec<u8>, charset: Option<&str>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| {
        let bytes = e.into_bytes();
        match charset.and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes())) {
            Some(encoding) => encoding.decode_without_bom_handling(&bytes).0.into_owned(),
            None => String::from_utf8_lossy(&bytes).into_owned(),
        }
    })
}

/// 3.0 and 4.0 escape `\\ \, \; \n`; 2.1 escapes only `\;`, so other backslashes
/// there (Windows paths in notes) are kept.
fn unescape(value: &str, v21: bool) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.clone().next() {
            Some(';') => out.push(';'),
            Some(',') if !v21 => out.push(','),
            Some('\\') if !v21 => out.push('\\'),
            Some('n' | 'N') if !v21 => out.push('\n'),
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(text: &str) -> Card {
        let mut results = parse(text);
        assert_eq!(results.len(), 1, "{results:?}");
        results.remove(0).expect("a card")
    }

    #[test]
    fn v30_card_with_chinese_name_and_two_phones() {
        let card = only(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nN:张;伟;;;\r\n\
             TEL;TYPE=CELL:138 0013 8000\r\n\
             item1.TEL;type=WORK,VOICE:010-8888 6666\r\nitem1.X-ABLabel:公司\r\n\
             email;type=INTERNET:zhang.wei@example.cn\r\n\
             ORG:星辰科技;销售部\r\nTITLE:销售经理\r\nBDAY:1985-03-15\r\nEND:VCARD\r\n",
        );
        assert_eq!(
            card,
            Card {
                name: "张伟".into(),
                phones: vec!["138 0013 8000".into(), "010-8888 6666".into()],
                emails: vec!["zhang.wei@example.cn".into()],
                organization: Some("星辰科技".into()),
                title: Some("销售经理".into()),
                note: None,
                birthday: NaiveDate::from_ymd_opt(1985, 3, 15),
            }
        );
    }

    #[test]
    fn v21_android_quoted_printable_with_soft_line_break() {
        let card = only(
            "BEGIN:VCARD\nVERSION:2.1\n\
             N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=BC=9F;;;\n\
             TEL;CELL:13800138000\nTEL;CELL:13800138000\nTEL;HOME;VOICE:021-5555-0000\n\
             NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E8=80=81=E5=AE=A2=E6=88=B7=\n\
             =EF=BC=8C=E5=96=9C=E6=AC=A2=E8=8C=B6=0D=0A=E5=91=A8=E4=BA=94=E6=8B=9C=E8=AE=BF\n\
             ORG;QUOTED-PRINTABLE;CHARSET=UTF-8:=E6=98=9F=E8=BE=B0=\n=E7=A7=91=E6=8A=80\n\
             BDAY:19850315\nEND:VCARD\n",
        );
        assert_eq!(card.name, "张伟");
        assert_eq!(card.phones, ["13800138000", "021-5555-0000"]);
        assert_eq!(card.note.as_deref(), Some("老客户，喜欢茶\n周五拜访"));
        assert_eq!(card.organization.as_deref(), Some("星辰科技"));
        assert_eq!(card.birthday, NaiveDate::from_ymd_opt(1985, 3, 15));
    }

    #[test]
    fn quoted_printable_in_gbk_is_read_in_the_declared_charset() {
        // "王芳" in GBK.
        let card =
            only("BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=GBK;ENCODING=QP:=CD=F5=B7=BC\nEND:VCARD\n");
        assert_eq!(card.name, "王芳");
    }

    #[test]
    fn v40_tel_uri_and_yearless_birthday() {
        let card = only(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Li Na\r\n\
             TEL;VALUE=uri;TYPE=cell:tel:+86-138-0013-8000\r\n\
             TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:TEL:+86-10-6666-8888\r\n\
             BDAY:--0315\r\nEND:VCARD\r\n",
        );
        assert_eq!(card.phones, ["+86-138-0013-8000", "+86-10-6666-8888"]);
        assert_eq!(card.birthday, None);
    }

    #[test]
    fn iphone_placeholder_year_is_no_year() {
        let card = only(
            "BEGIN:VCARD\nVERSION:3.0\nFN:A\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15\nEND:VCARD\n",
        );
        assert_eq!(card.birthday, None);
    }

    #[test]
    fn folding_between_chinese_characters() {
        let card = only(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:欧阳\r\n 娜娜\r\n\
             NOTE:第一行\r\n\t第二行\\n第三行\r\nEND:VCARD\r\n",
        );
        assert_eq!(card.name, "欧阳娜娜");
        assert_eq!(card.note.as_deref(), Some("第一行第二行\n第三行"));
    }

    #[test]
    fn several_cards_with_garbage_between() {
        let results = parse(
            "\u{FEFF}exported by QQ 通讯录\r\n\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:一\r\nEND:VCARD\r\n\
             some junk line\r\n: another\r\n\
             begin:vcard\nversion:3.0\nfn:二\nend:vcard\n\n\n\
             BEGIN:VCARD\nVERSION:3.0\nN:Smith;John;Q;;\nEND:VCARD\ntrailing junk",
        );
        let names: Vec<_> = results
            .into_iter()
            .map(|r| r.expect("a card").name)
            .collect();
        assert_eq!(names, ["一", "二", "John Q Smith"]);
    }

    #[test]
    fn escapes_in_values() {
        let card = only(
            "BEGIN:VCARD\nVERSION:3.0\nFN:Wang\\, Fang\nNOTE:Prefers tea\\, not coffee\\; call after 10\\\\\n\
             ORG:Acme\\; Co;Sales\nEND:VCARD\n",
        );
        assert_eq!(card.name, "Wang, Fang");
        assert_eq!(
            card.note.as_deref(),
            Some("Prefers tea, not coffee; call after 10\\")
        );
        assert_eq!(card.organization.as_deref(), Some("Acme; Co"));
    }

    #[test]
    fn a_trailing_equals_sign_joins_lines_only_in_quoted_printable() {
        let card = only("BEGIN:VCARD\nVERSION:3.0\nFN:A\nNOTE:x=\nTEL:1 2\nEND:VCARD\n");
        assert_eq!(card.note.as_deref(), Some("x="));
        assert_eq!(card.phones, ["1 2"]);
    }

    #[test]
    fn organization_names_a_card_without_a_person() {
        let card = only("BEGIN:VCARD\nVERSION:3.0\nFN:\nORG:星辰科技;销售部\nEND:VCARD\n");
        assert_eq!(card.name, "星辰科技");
    }

    #[test]
    fn card_without_a_name_is_reported_with_its_index() {
        let results = parse(
            "BEGIN:VCARD\nVERSION:3.0\nFN:甲\nEND:VCARD\n\
             BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nTEL:13800138000\nEND:VCARD\n",
        );
        assert!(results[0].is_ok());
        assert_eq!(
            results[1],
            Err(CardProblem {
                card_index: 1,
                reason: CardProblemReason::NoName
            })
        );
    }

    #[test]
    fn unterminated_cards_are_reported() {
        let results = parse(
            "BEGIN:VCARD\nVERSION:3.0\nFN:甲\n\
             BEGIN:VCARD\nVERSION:3.0\nFN:乙\nEND:VCARD\n\
             BEGIN:VCARD\nVERSION:3.0\nFN:丙\n",
        );
        let unterminated = |card_index| {
            Err(CardProblem {
                card_index,
                reason: CardProblemReason::Unterminated,
            })
        };
        assert_eq!(results.len(), 3);
        assert_eq!(results[0], unterminated(0));
        assert_eq!(results[1].as_ref().map(|c| c.name.as_str()), Ok("乙"));
        assert_eq!(results[2], unterminated(2));
    }
}
