//! Import from, and export to, the CSV files people move between Guanxi and Excel:
//! decoding, parsing and writing sheets for every kind of import, and the customer
//! columns (the product columns are in `domain::products`). Pure functions over
//! bytes and strings: the service reads the upload, shows the suggested mapping
//! and the dry run, and stores what passes.

use serde::{Deserialize, Serialize};

use crate::domain::validate::{self, MAX_CUSTOMER_NAME, MAX_LONG, MAX_NAME, MAX_NOTES, MAX_SHORT};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    BUILT_IN_CUSTOMER_TYPES, ContactInput, CustomerInput, CustomerKind, DecisionRole, ImportKind,
    Target,
};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceEncoding {
    Utf8Bom,
    Utf8,
    Gb18030,
    /// Excel's "Unicode Text" save: UTF-16 with a byte-order mark, tab-separated.
    Utf16,
}

/// The text of an upload and how it was encoded, so the dry run can tell the user
/// which encoding was assumed when the characters look wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decoded {
    pub text: String,
    pub encoding: SourceEncoding,
}

/// Excel in China saves "CSV" in the ANSI code page, GBK, unless the user picks
/// "CSV UTF-8"; so bytes that are not UTF-8 are read as GB18030, the superset of GBK.
/// Every byte sequence decodes to something, so this cannot fail.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return Decoded {
            text: text.into_owned(),
            encoding: SourceEncoding::Utf16,
        };
    }
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return Decoded {
            text: String::from_utf8_lossy(rest).into_owned(),
            encoding: SourceEncoding::Utf8Bom,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            encoding: SourceEncoding::Utf8,
        };
    }
    let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: SourceEncoding::Gb18030,
    }
}

/// A sheet as cells; every row has as many cells as there are headers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The first non-empty row is the header. Cells are trimmed and blank rows skipped,
/// because sheets edited by hand are full of both. Cells beyond the last header that
/// hold data get an unnamed column rather than being dropped unseen.
pub fn parse_table(text: &str) -> Result<Table> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (delimiter, body) = separator_hint(text).unwrap_or_else(|| (detect_delimiter(text), text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| Error::invalid(Field::File, Problem::Malformed))?;
        if record.iter().any(|cell| !cell.is_empty()) {
            records.push(record.iter().map(str::to_string).collect::<Vec<_>>());
        }
    }
    let mut records = records.into_iter();
    let Some(mut headers) = records.next() else {
        return Err(Error::invalid(Field::File, Problem::Required));
    };
    let mut rows: Vec<Vec<String>> = records.collect();
    if rows.is_empty() {
        return Err(Error::invalid(Field::File, Problem::Required));
    }
    let used = |cells: &[String]| {
        cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1)
    };
    let width = rows
        .iter()
        .map(|r| used(r))
        .fold(used(&headers), usize::max);
    headers.resize(width, String::new());
    for row in &mut rows {
        row.resize(width, String::new());
    }
    Ok(Table { headers, rows })
}

/// Excel honours a first line `sep=;` and some tools write one; it is not a header.
fn separator_hint(text: &str) -> Option<(u8, &str)> {
    let (line, rest) = text.split_once('\n').unwrap_or((text, ""));
    match line.trim_end_matches('\r').strip_prefix("sep=")?.as_bytes() {
        [d @ (b',' | b';' | b'\t' | b'|')] => Some((*d, rest)),
        _ => None,
    }
}

/// Excel writes `;` where the decimal separator is a comma, and sheets copied out of
/// it are tab-separated; the header line shows which one a file uses. Ties go to the
/// comma.
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut in_quotes = false;
    for c in text.trim_start_matches(['\r', '\n']).chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\r' | '\n' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| char::from(*d) == c) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = counts[0];
    for candidate in counts {
        if candidate.1 > best.1 {
            best = candidate;
        }
    }
    best.0
}

/// A first guess for the mapping step; the user confirms or corrects it. Contact
/// columns other than phone and email are only guessed when the sheet names a
/// contact, since without one their values cannot be imported; a contact's phone or
/// email then fills the customer's instead. Each target is guessed once, first
/// column first, so a second phone column next to a contact becomes the contact's.
pub fn suggest_mapping(headers: &[String], custom_fields: &[(String, String)]) -> Vec<Target> {
    let keys: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let has_contact = keys.iter().any(|k| builtin(k) == Some(Target::ContactName));
    let mut taken: Vec<Target> = Vec::new();
    keys.iter()
        .map(|key| {
            let candidates: Vec<Target> = match builtin(key) {
                Some(Target::Phone) if has_contact => vec![Target::Phone, Target::ContactPhone],
                Some(Target::Email) if has_contact => vec![Target::Email, Target::ContactEmail],
                Some(Target::ContactPhone) if !has_contact => vec![Target::Phone],
                Some(Target::ContactEmail) if !has_contact => vec![Target::Email],
                Some(Target::ContactTitle | Target::ContactWechat | Target::ContactRole)
                    if !has_contact =>
                {
                    vec![]
                }
                Some(target) => vec![target],
                None => custom_fields
                    .iter()
                    .find(|(k, label)| {
                        !key.is_empty() && (normalize(k) == *key || normalize(label) == *key)
                    })
                    .map(|(k, _)| Target::Custom(k.clone()))
                    .into_iter()
                    .collect(),
            };
            match candidates.into_iter().find(|t| !taken.contains(t)) {
                Some(target) => {
                    taken.push(target.clone());
                    target
                }
                None => Target::Ignore,
            }
        })
        .collect()
}

/// Lower-cased letters and digits only, so `E-mail`, `客户名称*` and `Customer Name`
/// match; a bracketed remark such as `客户名称（必填）` is dropped.
pub(crate) fn normalize(header: &str) -> String {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let before_bracket = header
        .find(['(', '（', '[', '【'])
        .map(|i| squash(&header[..i]))
        .unwrap_or_default();
    if before_bracket.is_empty() {
        squash(header)
    } else {
        before_bracket
    }
}

fn builtin(key: &str) -> Option<Target> {
    use Target::*;
    Some(match key {
        "客户名称" | "公司名称" | "企业名称" | "单位名称" | "客户名" | "客户" | "公司" | "名称"
        | "name" | "customer" | "customername" | "company" | "companyname" => CustomerName,
        "客户类型" | "类型" | "客户类别" | "类别" | "type" | "customertype" => {
            CustomerType
        }
        "客户性质" | "性质" | "kind" => Kind,
        "电话" | "手机" | "座机" | "固话" | "联系电话" | "电话号码" | "手机号" | "手机号码"
        | "公司电话" | "phone" | "mobile" | "tel" | "telephone" => Phone,
        "邮箱" | "电子邮件" | "电子邮箱" | "邮件" | "email" | "mail" => Email,
        "地区" | "区域" | "省份" | "城市" | "省市" | "所在地区" | "region" | "city"
        | "province" | "area" => Region,
        "行业" | "所属行业" | "industry" => Industry,
        "来源" | "客户来源" | "source" => Source,
        "等级" | "级别" | "客户等级" | "客户级别" | "grade" | "level" => Grade,
        "标签" | "tags" | "tag" => Tags,
        "地址" | "公司地址" | "详细地址" | "联系地址" | "address" => Address,
        "网址" | "网站" | "官网" | "公司网址" | "website" | "url" => Website,
        "备注" | "说明" | "notes" | "note" | "remarks" | "remark" => Notes,
        "联系人" | "联系人姓名" | "contact" | "contactname" | "contactperson" => {
            ContactName
        }
        "职务" | "职位" | "联系人职务" | "联系人职位" | "title" | "jobtitle" | "position" => {
            ContactTitle
        }
        "联系人电话" | "联系人手机" | "联系人手机号" | "contactphone" | "contactmobile" => {
            ContactPhone
        }
        "联系人邮箱" | "联系人电子邮件" | "contactemail" => ContactEmail,
        "微信" | "微信号" | "联系人微信" | "wechat" | "weixin" => ContactWechat,
        "角色" | "联系人角色" | "决策角色" | "role" | "decisionrole" => ContactRole,
        _ => return None,
    })
}

/// A mapping the import can use: one customer-name column, and no target fed by two
/// columns (one would silently overwrite the other).
pub fn header_problems(mapping: &[Target]) -> Option<Error> {
    if !mapping.contains(&Target::CustomerName) {
        return Some(Error::invalid(Field::Name, Problem::Required));
    }
    mapping_problems(mapping, ImportKind::Customers)
}

/// A target of another kind of import, or a target fed by two columns.
pub(crate) fn mapping_problems(mapping: &[Target], kind: ImportKind) -> Option<Error> {
    if let Some(other) = mapping.iter().find(|t| t.kind().is_some_and(|k| k != kind)) {
        return Some(Error::invalid(other.field(), Problem::Unknown));
    }
    mapping
        .iter()
        .enumerate()
        .find(|(i, t)| **t != Target::Ignore && mapping[..*i].contains(t))
        .map(|(_, t)| Error::invalid(t.field(), Problem::Taken))
}

impl Target {
    /// The form field whose label the UI shows for a problem with this target.
    pub fn field(&self) -> Field {
        match self {
            Target::CustomerName | Target::ContactName => Field::Name,
            Target::CustomerType | Target::Kind => Field::CustomerType,
            Target::Phone | Target::ContactPhone => Field::Phone,
            Target::Email | Target::ContactEmail => Field::Email,
            Target::Region => Field::Region,
            Target::Industry => Field::Industry,
            Target::Source => Field::Source,
            Target::Grade => Field::Grade,
            Target::Tags => Field::Tags,
            Target::Address => Field::Address,
            Target::Website => Field::Website,
            Target::Notes => Field::Notes,
            Target::ContactTitle => Field::Title,
            Target::ContactWechat => Field::Wechat,
            Target::ContactRole => Field::Role,
            Target::Custom(_) => Field::Custom,
            Target::ProductCode => Field::Code,
            Target::ProductName => Field::Name,
            Target::Unit => Field::Unit,
            Target::Category => Field::Category,
            Target::ListPrice => Field::ListPrice,
            Target::StandardCost => Field::StandardCost,
            Target::Active => Field::Active,
            Target::LowStockThreshold => Field::LowStockThreshold,
            Target::OrderNumber => Field::OrderNumber,
            Target::OrderCustomer => Field::Customer,
            Target::SignDate => Field::SignDate,
            Target::LineProduct => Field::Product,
            Target::LineDescription => Field::Description,
            Target::LineUnit => Field::Unit,
            Target::Quantity => Field::Quantity,
            Target::UnitPrice => Field::UnitPrice,
            Target::Discount => Field::Discount,
            Target::TaxRate => Field::TaxRate,
            Target::OrderOwner => Field::Owner,
            Target::AmountReceived => Field::Amount,
            Target::ReceivedOn => Field::ReceivedOn,
            Target::Ignore => Field::Text,
        }
    }
}

/// One sheet row, cleaned exactly as the customer and contact forms clean input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    pub customer: CustomerInput,
    pub contact: Option<ContactInput>,
}

/// A problem with one cell; `column` indexes the mapping (and the table's headers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellProblem {
    pub column: usize,
    pub error: Error,
}

/// Every problem of the row is reported, not only the first, so the dry run lists
/// all a user must fix in one pass. Expects a mapping `header_problems` accepts;
/// without a name column the missing name is reported against column 0.
pub fn convert_row(row: &[String], mapping: &[Target]) -> Result<ImportRow, Vec<CellProblem>> {
    let mut r = RowReader {
        row,
        mapping,
        problems: Vec::new(),
    };
    let opt = |field, max| move |v: &str| validate::optional_text(field, Some(v), max);
    // Custom values go as written: their kinds live with the field definitions,
    // which `validate::custom_values` applies when the customer is saved.
    let custom = mapping
        .iter()
        .zip(row)
        .filter_map(|(target, cell)| match target {
            Target::Custom(key) if !cell.trim().is_empty() => {
                Some((key.clone(), cell.trim().to_string()))
            }
            _ => None,
        })
        .collect();
    let customer = CustomerInput {
        name: r.check(&Target::CustomerName, |v| {
            validate::text(Field::Name, v, MAX_CUSTOMER_NAME)
        }),
        kind: r.check(&Target::Kind, customer_kind),
        customer_type: r.check(&Target::CustomerType, customer_type),
        source: r.check(&Target::Source, opt(Field::Source, MAX_SHORT)),
        industry: r.check(&Target::Industry, opt(Field::Industry, MAX_SHORT)),
        region: r.check(&Target::Region, opt(Field::Region, MAX_SHORT)),
        grade: r.check(&Target::Grade, opt(Field::Grade, MAX_SHORT)),
        tags: r.check(&Target::Tags, |v| {
            let tags: Vec<String> = v
                .split([',', '，', ';', '；', '、'])
                .map(str::to_string)
                .collect();
            validate::tags(&tags)
        }),
        phone: r.check(&Target::Phone, |v| validate::phone(Field::Phone, Some(v))),
        email: r.check(&Target::Email, |v| validate::optional_email(Some(v))),
        address: r.check(&Target::Address, opt(Field::Address, MAX_LONG)),
        website: r.check(&Target::Website, |v| validate::website(Some(v))),
        notes: r.check(&Target::Notes, opt(Field::Notes, MAX_NOTES)),
        custom,
    };
    let contact = if r.cell(&Target::ContactName).is_empty() {
        let orphans = [
            Target::ContactTitle,
            Target::ContactPhone,
            Target::ContactEmail,
            Target::ContactWechat,
            Target::ContactRole,
        ];
        for target in &orphans {
            r.check(target, |v| match v {
                "" => Ok(()),
                _ => Err(Error::invalid(Field::Name, Problem::Required)),
            });
        }
        None
    } else {
        Some(ContactInput {
            name: r.check(&Target::ContactName, |v| {
                validate::text(Field::Name, v, MAX_NAME)
            }),
            title: r.check(&Target::ContactTitle, opt(Field::Title, MAX_SHORT)),
            phones: r.check(&Target::ContactPhone, |v| {
                validate::phone(Field::Phone, Some(v)).map(|p| p.into_iter().collect())
            }),
            email: r.check(&Target::ContactEmail, |v| validate::optional_email(Some(v))),
            wechat: r.check(&Target::ContactWechat, opt(Field::Wechat, MAX_SHORT)),
            role: r.check(&Target::ContactRole, decision_role),
            ..ContactInput::default()
        })
    };
    if r.problems.is_empty() {
        Ok(ImportRow { customer, contact })
    } else {
        r.problems.sort_by_key(|p| p.column);
        Err(r.problems)
    }
}

/// Reads a row's cells by target, collecting every problem.
pub(crate) struct RowReader<'a> {
    row: &'a [String],
    mapping: &'a [Target],
    problems: Vec<CellProblem>,
}

impl<'a> RowReader<'a> {
    pub(crate) fn new(row: &'a [String], mapping: &'a [Target]) -> Self {
        RowReader {
            row,
            mapping,
            problems: Vec::new(),
        }
    }

    /// The problems found, by column; none when the row is good.
    pub(crate) fn finish(mut self) -> Vec<CellProblem> {
        self.problems.sort_by_key(|p| p.column);
        self.problems
    }

    pub(crate) fn column(&self, target: &Target) -> Option<usize> {
        self.mapping.iter().position(|t| t == target)
    }

    /// An unmapped target reads as an empty cell, which each validator already handles.
    pub(crate) fn cell(&self, target: &Target) -> &str {
        self.column(target)
            .and_then(|i| self.row.get(i))
            .map_or("", |c| c.trim())
    }

    /// The cleaned value, or the default after recording the problem: the row is
    /// rejected anyway, but checking goes on to find the other problems.
    pub(crate) fn check<T: Default>(
        &mut self,
        target: &Target,
        clean: impl FnOnce(&str) -> Result<T>,
    ) -> T {
        match clean(self.cell(target)) {
            Ok(value) => value,
            Err(error) => {
                let column = self.column(target).unwrap_or(0);
                self.problems.push(CellProblem { column, error });
                T::default()
            }
        }
    }
}

/// A type cell: a built-in type by its Chinese or English name becomes its
/// code; anything else is kept as written, for the importer to look up among
/// the company's own types (or the user's mapping of unknown ones).
fn customer_type(value: &str) -> Result<String> {
    let value = value.trim();
    Ok(built_in_customer_type(value).map_or_else(|| value.to_string(), str::to_string))
}

/// The built-in type a cell or a label names, if any (an empty cell is a
/// prospect).
pub fn built_in_customer_type(value: &str) -> Option<&'static str> {
    let value = value.trim().to_lowercase();
    Some(match value.as_str() {
        "" | "潜在客户" | "潜在" => "potential",
        "签约客户" | "已签约" | "签约" => "signed",
        "代理商" | "代理" => "agent",
        "无效客户" | "无效" | "失效客户" | "失效" => "invalid",
        other => BUILT_IN_CUSTOMER_TYPES
            .into_iter()
            .find(|code| *code == other)?,
    })
}

fn customer_kind(value: &str) -> Result<CustomerKind> {
    match value.to_lowercase().as_str() {
        "" | "公司" | "企业" | "company" => Ok(CustomerKind::Company),
        "个人" | "person" => Ok(CustomerKind::Person),
        _ => Err(Error::invalid(Field::CustomerType, Problem::Unknown)),
    }
}

fn decision_role(value: &str) -> Result<Option<DecisionRole>> {
    let key: String = value.chars().filter(|c| c.is_alphanumeric()).collect();
    Ok(Some(match key.to_lowercase().as_str() {
        "" => return Ok(None),
        "决策者" | "决策人" | "decisionmaker" => DecisionRole::DecisionMaker,
        "影响者" | "influencer" => DecisionRole::Influencer,
        "使用者" | "用户" | "user" => DecisionRole::User,
        "把关者" | "守门人" | "gatekeeper" => DecisionRole::Gatekeeper,
        _ => return Err(Error::invalid(Field::Role, Problem::Unknown)),
    }))
}

/// UTF-8 with a BOM because Excel reads BOM-less UTF-8 as GBK and garbles Chinese;
/// CRLF because that is what Excel writes. A cell starting with `=`, `+`, `-`, `@`,
/// tab or CR gets a leading `'` so a spreadsheet shows it as text instead of running
/// it as a formula (OWASP, CSV injection); negative numbers are quoted too, to keep
/// the rule simple enough to trust.
pub fn write_csv(headers: &[String], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = UTF8_BOM.to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let records = std::iter::once(headers.to_vec()).chain(rows);
        // Flexible records written to memory: neither a length nor an I/O error
        // can occur.
        for record in records {
            for cell in &record {
                writer
                    .write_field(neutralise(cell).as_bytes())
                    .expect("writing CSV to memory cannot fail");
            }
            writer
                .write_record(None::<&[u8]>)
                .expect("writing CSV to memory cannot fail");
        }
        writer.flush().expect("writing CSV to memory cannot fail");
    }
    out
}

fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as it was before `write_csv` neutralised it: `'-A1` reads `-A1`, so
/// an export imports back unchanged. A quote before anything else is kept.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn gb18030_from_excel_decodes() {
        let text = "客户名称,电话\r\n北京星辰科技有限公司,010-88886666\r\n";
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, SourceEncoding::Gb18030);
        assert_eq!(decoded.text, text);
    }

    #[test]
    fn excel_unicode_text_is_read_as_utf16_with_tabs() {
        let text = "名称\t电话\r\n星辰科技\t010-1\r\n";
        for big_endian in [false, true] {
            let mut bytes = if big_endian {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for unit in text.encode_utf16() {
                bytes.extend(if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            let decoded = decode(&bytes);
            assert_eq!(decoded.encoding, SourceEncoding::Utf16);
            assert_eq!(decoded.text, text);
            let table = parse_table(&decoded.text).unwrap();
            assert_eq!(table.headers, strings(&["名称", "电话"]));
            assert_eq!(table.rows, vec![strings(&["星辰科技", "010-1"])]);
        }
    }

    #[test]
    fn bom_is_stripped_and_plain_utf8_kept() {
        let decoded = decode("\u{feff}名称\n星辰\n".as_bytes());
        assert_eq!(decoded.encoding, SourceEncoding::Utf8Bom);
        assert_eq!(decoded.text, "名称\n星辰\n");
        assert_eq!(decode("名称".as_bytes()).encoding, SourceEncoding::Utf8);
    }

    #[test]
    fn semicolon_delimiter_is_detected() {
        let table = parse_table("名称;电话;备注\n星辰, 北京;010-1;\n\n;;\n月亮\n").unwrap();
        assert_eq!(table.headers, strings(&["名称", "电话", "备注"]));
        assert_eq!(
            table.rows,
            vec![
                strings(&["星辰, 北京", "010-1", ""]),
                strings(&["月亮", "", ""])
            ]
        );
    }

    #[test]
    fn tabs_and_excel_separator_hint_are_understood() {
        let tabbed = parse_table("名称\t电话\n星辰\t010-1\n").unwrap();
        assert_eq!(tabbed.rows, vec![strings(&["星辰", "010-1"])]);
        let hinted = parse_table("sep=;\r\n名称;电话\r\n星辰;010-1\r\n").unwrap();
        assert_eq!(hinted.headers, strings(&["名称", "电话"]));
    }

    #[test]
    fn a_file_without_data_rows_is_refused() {
        assert!(parse_table("").is_err());
        assert!(parse_table("名称,电话\n,\n").is_err());
    }

    #[test]
    fn chinese_headers_map_to_targets() {
        let headers = strings(&[
            "客户名称（必填）",
            "客户类型",
            "联系电话",
            "E-mail",
            "省份",
            "城市",
            "联系人",
            "联系人手机",
            "微信",
            "决策角色",
            "信用代码",
            "不认识",
        ]);
        let custom = vec![("credit_code".to_string(), "信用代码".to_string())];
        assert_eq!(
            suggest_mapping(&headers, &custom),
            vec![
                Target::CustomerName,
                Target::CustomerType,
                Target::Phone,
                Target::Email,
                Target::Region,
                Target::Ignore,
                Target::ContactName,
                Target::ContactPhone,
                Target::ContactWechat,
                Target::ContactRole,
                Target::Custom("credit_code".into()),
                Target::Ignore,
            ]
        );
    }

    #[test]
    fn contact_phone_fills_customer_phone_when_no_contact_column() {
        let headers = strings(&["Customer Name", "联系人电话", "职务"]);
        assert_eq!(
            suggest_mapping(&headers, &[]),
            vec![Target::CustomerName, Target::Phone, Target::Ignore]
        );
    }

    #[test]
    fn mapping_needs_one_name_column_and_no_repeats() {
        assert_eq!(
            header_problems(&[Target::Phone]),
            Some(Error::invalid(Field::Name, Problem::Required))
        );
        assert_eq!(
            header_problems(&[Target::CustomerName, Target::Email, Target::Email]),
            Some(Error::invalid(Field::Email, Problem::Taken))
        );
        assert_eq!(
            header_problems(&[Target::Ignore, Target::CustomerName, Target::Ignore]),
            None
        );
    }

    #[test]
    fn all_problems_of_a_row_are_reported_with_columns() {
        let mapping = [Target::Notes, Target::CustomerName, Target::Email];
        let row = strings(&["", &"星".repeat(201), "wang@"]);
        assert_eq!(
            convert_row(&row, &mapping),
            Err(vec![
                CellProblem {
                    column: 1,
                    error: Error::invalid(Field::Name, Problem::TooLong { max: 200 }),
                },
                CellProblem {
                    column: 2,
                    error: Error::invalid(Field::Email, Problem::Malformed),
                },
            ])
        );
    }

    #[test]
    fn a_full_row_converts_like_the_form() {
        let mapping = [
            Target::CustomerName,
            Target::CustomerType,
            Target::Kind,
            Target::Tags,
            Target::Website,
            Target::ContactName,
            Target::ContactPhone,
            Target::ContactRole,
            Target::Custom("credit_code".into()),
        ];
        let row = strings(&[
            "星辰科技",
            "签约客户",
            "企业",
            "重点，VIP、重点",
            "xingchen.cn",
            "王丽",
            "138 0000 0000",
            "决策者",
            "91110000",
        ]);
        let imported = convert_row(&row, &mapping).unwrap();
        assert_eq!(imported.customer.customer_type, "signed");
        assert_eq!(imported.customer.kind, CustomerKind::Company);
        assert_eq!(imported.customer.tags, strings(&["重点", "VIP"]));
        assert_eq!(
            imported.customer.website.as_deref(),
            Some("https://xingchen.cn")
        );
        let contact = imported.contact.unwrap();
        assert_eq!(contact.name, "王丽");
        assert_eq!(contact.phones, strings(&["138 0000 0000"]));
        assert_eq!(contact.role, Some(DecisionRole::DecisionMaker));
        assert_eq!(
            imported.customer.custom,
            [("credit_code".to_string(), "91110000".to_string())].into()
        );
    }

    #[test]
    fn empty_type_is_potential_and_other_types_are_kept_as_written() {
        let mapping = [Target::CustomerName, Target::CustomerType];
        let ok = convert_row(&strings(&["星辰", ""]), &mapping).unwrap();
        assert_eq!(ok.customer.customer_type, "potential");
        let agent = convert_row(&strings(&["星辰", "代理商"]), &mapping).unwrap();
        assert_eq!(agent.customer.customer_type, "agent");
        // The importer looks it up among the company's own types.
        let vip = convert_row(&strings(&["星辰", " VIP客户 "]), &mapping).unwrap();
        assert_eq!(vip.customer.customer_type, "VIP客户");
    }

    #[test]
    fn contact_phone_without_contact_name_is_a_problem() {
        let mapping = [
            Target::CustomerName,
            Target::ContactName,
            Target::ContactPhone,
        ];
        assert_eq!(
            convert_row(&strings(&["星辰", "", "13800000000"]), &mapping),
            Err(vec![CellProblem {
                column: 2,
                error: Error::invalid(Field::Name, Problem::Required),
            }])
        );
        let no_contact = convert_row(&strings(&["星辰", "", ""]), &mapping).unwrap();
        assert_eq!(no_contact.contact, None);
    }

    #[test]
    fn export_has_bom_crlf_and_neutralised_formulas() {
        let bytes = write_csv(
            &strings(&["名称", "备注"]),
            [strings(&["=SUM(A1)", "@cmd"]), strings(&["-5", "a,b"])],
        );
        assert!(bytes.starts_with(UTF8_BOM));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(text, "名称,备注\r\n'=SUM(A1),'@cmd\r\n'-5,\"a,b\"\r\n");
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("'-5"), "-5");
        assert_eq!(
            unneutralise("'quoted"),
            "'quoted",
            "only what the export quoted"
        );
    }

    #[test]
    fn export_round_trips_through_import() {
        let headers = strings(&["客户名称", "备注", "电话"]);
        let rows = vec![
            strings(&["星辰科技", "说 \"重点\"，第二行\n继续", "010-88886666"]),
            strings(&["月亮, 有限公司", "", "138"]),
        ];
        let decoded = decode(&write_csv(&headers, rows.clone()));
        assert_eq!(decoded.encoding, SourceEncoding::Utf8Bom);
        let table = parse_table(&decoded.text).unwrap();
        assert_eq!(table, Table { headers, rows });
    }
}
