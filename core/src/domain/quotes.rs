//! Quotes: lines priced from their inputs, the status flow with automatic
//! expiry, and the approval chain (SPEC §9) every approvable record uses.

use chrono::NaiveDate;

use crate::domain::{deals::parse_amount, money, validate};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    Approval, ApprovalLevel, Id, Product, Quote, QuoteAction, QuoteLine, QuoteLineInput,
    QuoteStatus, Rate, Role, User,
};

/// The most lines a quote has.
pub const MAX_LINES: usize = 200;
/// The highest tax rate a quote may carry, in percent.
pub const MAX_TAX_PERCENT: u32 = 100;
/// How far ahead a validity date may lie, in days.
pub const MAX_VALID_DAYS: u32 = 3650;

/// Prices the lines as typed. A line names a product (which must be one
/// `product` knows; a new line needs it active) or has its own
/// description; blank lines are dropped. `product` answers with the
/// product and whether the line may use it.
pub fn price_lines(
    inputs: &[QuoteLineInput],
    product: impl Fn(Id) -> Option<(Product, bool)>,
) -> Result<Vec<QuoteLine>> {
    let lines: Vec<&QuoteLineInput> = inputs
        .iter()
        .filter(|l| {
            l.product_id.is_some()
                || !l.description.trim().is_empty()
                || !l.quantity.trim().is_empty()
                || !l.unit_price.trim().is_empty()
        })
        .collect();
    if lines.is_empty() {
        return Err(Error::invalid(Field::Lines, Problem::Required));
    }
    if lines.len() > MAX_LINES {
        return Err(Error::invalid(
            Field::Lines,
            Problem::TooLong {
                max: MAX_LINES as u32,
            },
        ));
    }
    lines
        .into_iter()
        .map(|input| {
            let product = match input.product_id {
                None => None,
                Some(id) => match product(id) {
                    Some((p, true)) => Some(p),
                    _ => return Err(Error::invalid(Field::Product, Problem::Unknown)),
                },
            };
            let description = match (&product, input.description.trim()) {
                (Some(p), "") => p.name.clone(),
                (_, text) => validate::text(Field::Description, text, validate::MAX_LONG)?,
            };
            let unit = match (&product, input.unit.trim()) {
                (Some(p), "") => p.unit.clone(),
                (_, "") => String::new(),
                (_, text) => validate::text(Field::Unit, text, super::products::MAX_UNIT)?,
            };
            let quantity = money::parse_quantity(Field::Quantity, &input.quantity)?;
            let unit_price = match (&product, input.unit_price.trim()) {
                (Some(p), "") => p.list_price,
                (_, text) => parse_amount(Field::UnitPrice, text)?,
            };
            let discount = money::parse_rate(Field::Discount, &input.discount, 100)?;
            Ok(QuoteLine {
                product_id: product.as_ref().map(|p| p.id),
                code: product.map(|p| p.code),
                description,
                unit,
                quantity,
                unit_price,
                discount,
                net: money::line_net(quantity, unit_price, discount),
            })
        })
        .collect()
}

/// The quote's status as of `today` in the company's zone: a sent quote
/// whose validity has passed is expired, without anyone saving it so.
pub fn status_on(quote: &Quote, today: NaiveDate) -> QuoteStatus {
    match quote.status {
        QuoteStatus::Sent if today > quote.valid_until => QuoteStatus::Expired,
        status => status,
    }
}

/// Whether any line's discount is above the company's limit.
pub fn needs_approval(lines: &[QuoteLine], limit: Rate) -> bool {
    lines.iter().any(|l| l.discount > limit)
}

/// The status a quote moves to by `action` from `status` (as of today);
/// `Err(WrongStatus)` when the action does not apply. `Send` answers
/// `PendingApproval` when the discount needs approval and it was not
/// approved yet.
pub fn next_status(
    status: QuoteStatus,
    action: QuoteAction,
    needs_approval: bool,
) -> Result<QuoteStatus> {
    use QuoteAction as A;
    use QuoteStatus as S;
    let next = match (status, action) {
        (S::Draft, A::Send) if needs_approval => S::PendingApproval,
        (S::Draft | S::Approved, A::Send) => S::Sent,
        (S::Sent, A::Accept) => S::Accepted,
        (S::Sent, A::Reject) => S::Rejected,
        (S::Approved | S::Sent | S::Rejected | S::Expired, A::Revise) => S::Draft,
        _ => {
            return Err(Error::WrongStatus {
                status: status.code().into(),
            });
        }
    };
    Ok(next)
}

/// The actions the quote page offers in `status`.
pub fn actions(status: QuoteStatus) -> Vec<QuoteAction> {
    [
        QuoteAction::Send,
        QuoteAction::Accept,
        QuoteAction::Reject,
        QuoteAction::Revise,
    ]
    .into_iter()
    .filter(|a| next_status(status, *a, false).is_ok())
    .collect()
}

/// The steps an approval asked for by `submitter` goes through (SPEC §9):
/// a rep's manager (a rep in a team), then an admin. A manager's request
/// goes to an admin; an admin's needs none.
pub fn approval_levels(submitter: &User) -> Vec<ApprovalLevel> {
    match submitter.role {
        Role::Rep if submitter.team.is_some() => vec![ApprovalLevel::Manager, ApprovalLevel::Admin],
        Role::Rep | Role::Manager => vec![ApprovalLevel::Admin],
        Role::Admin => Vec::new(),
    }
}

/// Whether `decider` may decide a step at `level` of what `submitter`
/// asked: a manager of the submitter's team (or an admin, above them) the
/// manager step, an admin the admin step; nobody their own request.
pub fn may_decide(level: ApprovalLevel, decider: &User, submitter: &User) -> bool {
    if !decider.active || decider.id == submitter.id {
        return false;
    }
    match level {
        ApprovalLevel::Manager => {
            decider.role == Role::Admin
                || (decider.role == Role::Manager
                    && submitter.team.is_some()
                    && decider.team == submitter.team)
        }
        ApprovalLevel::Admin => decider.role == Role::Admin,
    }
}

/// Records `decider`'s decision on the waiting step of `approval`, which
/// must be at `level` (else someone decided it meanwhile: `Conflict`).
pub fn record_decision(
    approval: &mut Approval,
    level: ApprovalLevel,
    approve: bool,
    decider: Id,
    decider_name: String,
    comment: Option<String>,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    if approval.rejected() {
        return Err(Error::Conflict);
    }
    let step = approval
        .steps
        .iter_mut()
        .find(|s| s.approved.is_none())
        .filter(|s| s.level == level)
        .ok_or(Error::Conflict)?;
    step.approved = Some(approve);
    step.decided_by = Some(decider);
    step.decider_name = Some(decider_name);
    step.comment = comment;
    step.decided_at = Some(at);
    Ok(())
}

/// A quote's number: `Q` and the year, then the year's sequence number.
pub fn quote_number(year: i32, sequence: u64) -> String {
    format!("Q{year}-{sequence:05}")
}

/// What a search text can mean as a quote or contract number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberSearch {
    /// The start of a number, its letter included: `C2026-0004`.
    Prefix(String),
    /// A year's sequence number, in any year: `42` names `C2026-00042`.
    Sequence(u64),
}

/// Reads `text` as (the start of) a quote or contract number: `C2026-00042`
/// or `c2026-0004` (that letter's), `2026-00042` (either letter's), or a
/// bare sequence number such as `42` (every year's); anything else names
/// no number.
pub fn number_searches(text: &str) -> Vec<NumberSearch> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let is_year_and_sequence = |rest: &str| {
        let (year, sequence) = rest.split_once('-').unwrap_or((rest, ""));
        !year.is_empty()
            && year.len() <= 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && (sequence.is_empty() || year.len() == 4)
            && sequence.len() <= 5
            && sequence.bytes().all(|b| b.is_ascii_digit())
    };
    if let Some(rest) = text.strip_prefix(['Q', 'C'])
        && is_year_and_sequence(rest)
    {
        return vec![NumberSearch::Prefix(text)];
    }
    if text.len() > 5 && is_year_and_sequence(&text) && text.contains('-') {
        return vec![
            NumberSearch::Prefix(format!("Q{text}")),
            NumberSearch::Prefix(format!("C{text}")),
        ];
    }
    if (1..=5).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u64>() {
            Ok(0) | Err(_) => Vec::new(),
            Ok(n) => vec![NumberSearch::Sequence(n)],
        };
    }
    Vec::new()
}

/// A validity date for a new or edited quote: from today on, not too far.
pub fn valid_until(
    value: Option<NaiveDate>,
    today: NaiveDate,
    default_days: u32,
) -> Result<NaiveDate> {
    let date = value.unwrap_or(today + chrono::Duration::days(i64::from(default_days)));
    if date < today || (date - today).num_days() > i64::from(MAX_VALID_DAYS) {
        return Err(Error::invalid(
            Field::ValidUntil,
            Problem::OutOfRange {
                min: 0,
                max: MAX_VALID_DAYS,
            },
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cents, Quantity, Totals};
    use chrono::Utc;

    fn product(active: bool) -> Product {
        Product {
            id: Id(7),
            code: "SRV-01".into(),
            name: "服务器".into(),
            unit: "台".into(),
            category: None,
            list_price: Cents(1_280_000),
            standard_cost: Cents(900_000),
            active,
            low_stock_threshold: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    fn line(
        product_id: Option<Id>,
        description: &str,
        quantity: &str,
        price: &str,
        discount: &str,
    ) -> QuoteLineInput {
        QuoteLineInput {
            product_id,
            description: description.into(),
            unit: String::new(),
            quantity: quantity.into(),
            unit_price: price.into(),
            discount: discount.into(),
        }
    }

    #[test]
    fn product_lines_take_the_products_name_unit_and_list_price() {
        let lines = price_lines(
            &[
                line(Some(Id(7)), "", "2", "", "15"),
                line(None, "安装调试", "1", "3,000", ""),
                line(None, "", "", "", ""),
            ],
            |id| (id == Id(7)).then(|| (product(true), true)),
        )
        .unwrap();
        assert_eq!(lines.len(), 2, "the blank line is dropped");
        assert_eq!(lines[0].description, "服务器");
        assert_eq!(lines[0].unit, "台");
        assert_eq!(lines[0].code.as_deref(), Some("SRV-01"));
        // 2 × ¥12,800.00 × 85 % = ¥21,760.00.
        assert_eq!(lines[0].net, Cents(2_176_000));
        assert_eq!(lines[1].net, Cents(300_000));
        assert!(needs_approval(&lines, Rate::percent(10)));
        assert!(!needs_approval(&lines, Rate::percent(15)));
    }

    #[test]
    fn bad_lines_are_refused_naming_the_field() {
        let known = |_| Some((product(false), false));
        assert_eq!(
            price_lines(&[line(Some(Id(7)), "", "1", "", "")], known),
            Err(Error::invalid(Field::Product, Problem::Unknown))
        );
        let none = |_| None;
        assert_eq!(
            price_lines(&[], none),
            Err(Error::invalid(Field::Lines, Problem::Required))
        );
        assert_eq!(
            price_lines(&[line(None, "x", "1", "10", "120")], none),
            Err(Error::invalid(
                Field::Discount,
                Problem::OutOfRange { min: 0, max: 100 }
            ))
        );
        assert_eq!(
            price_lines(&[line(None, "", "1", "10", "")], none),
            Err(Error::invalid(Field::Description, Problem::Required))
        );
        assert_eq!(
            price_lines(&[line(None, "x", "0", "10", "")], none),
            Err(Error::invalid(Field::Quantity, Problem::Malformed))
        );
    }

    #[test]
    fn a_sent_quote_expires_the_day_after_its_validity() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let mut quote = Quote {
            id: Id(1),
            number: quote_number(2026, 1),
            customer_id: Id(2),
            deal_id: None,
            owner: Id(3),
            title: String::new(),
            lines: vec![],
            tax_rate: Rate::percent(13),
            totals: Totals::default(),
            valid_until: day(10),
            status: QuoteStatus::Sent,
            approval: None,
            note: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            sent_at: None,
            answered_at: None,
            version: 1,
        };
        assert_eq!(quote.number, "Q2026-00001");
        assert_eq!(status_on(&quote, day(10)), QuoteStatus::Sent);
        assert_eq!(status_on(&quote, day(11)), QuoteStatus::Expired);
        quote.status = QuoteStatus::Accepted;
        assert_eq!(status_on(&quote, day(11)), QuoteStatus::Accepted);
        let _ = Quantity::ONE;
    }

    #[test]
    fn the_status_flow_goes_through_approval_when_the_discount_needs_it() {
        use QuoteAction::*;
        use QuoteStatus::*;
        assert_eq!(next_status(Draft, Send, false), Ok(Sent));
        assert_eq!(next_status(Draft, Send, true), Ok(PendingApproval));
        assert_eq!(next_status(Approved, Send, true), Ok(Sent));
        assert_eq!(next_status(Sent, Accept, false), Ok(Accepted));
        assert_eq!(next_status(Expired, Revise, false), Ok(Draft));
        assert_eq!(
            next_status(Draft, Accept, false),
            Err(Error::WrongStatus {
                status: "draft".into()
            })
        );
        assert!(next_status(PendingApproval, Send, false).is_err());
        assert!(next_status(Accepted, Revise, false).is_err());
        assert_eq!(actions(Sent), vec![Accept, Reject, Revise]);
        assert_eq!(actions(PendingApproval), vec![]);
    }

    fn user(role: Role, team: Option<&str>) -> User {
        User {
            id: Id::generate(),
            email: "x@example.cn".into(),
            name: "X".into(),
            role,
            team: team.map(Into::into),
            active: true,
            locale: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn approvals_go_to_the_team_manager_then_an_admin() {
        let rep = user(Role::Rep, Some("华东"));
        let manager = user(Role::Manager, Some("华东"));
        let other_manager = user(Role::Manager, Some("华北"));
        let admin = user(Role::Admin, None);
        assert_eq!(
            approval_levels(&rep),
            vec![ApprovalLevel::Manager, ApprovalLevel::Admin]
        );
        assert_eq!(
            approval_levels(&user(Role::Rep, None)),
            vec![ApprovalLevel::Admin]
        );
        assert_eq!(approval_levels(&manager), vec![ApprovalLevel::Admin]);
        assert!(approval_levels(&admin).is_empty());
        assert!(may_decide(ApprovalLevel::Manager, &manager, &rep));
        assert!(!may_decide(ApprovalLevel::Manager, &other_manager, &rep));
        assert!(may_decide(ApprovalLevel::Manager, &admin, &rep));
        assert!(!may_decide(ApprovalLevel::Admin, &manager, &rep));
        assert!(may_decide(ApprovalLevel::Admin, &admin, &rep));
        assert!(!may_decide(ApprovalLevel::Admin, &admin, &admin));
    }

    #[test]
    fn validity_lies_between_today_and_ten_years_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(
            valid_until(None, today, 30),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap())
        );
        assert!(valid_until(Some(today - chrono::Duration::days(1)), today, 30).is_err());
    }

    #[test]
    fn search_texts_are_read_as_numbers_where_they_can_be() {
        use NumberSearch::*;
        assert_eq!(number_searches("c2026-0004"), [Prefix("C2026-0004".into())]);
        assert_eq!(number_searches(" Q2026 "), [Prefix("Q2026".into())]);
        assert_eq!(
            number_searches("C2026-00042"),
            [Prefix("C2026-00042".into())]
        );
        assert_eq!(
            number_searches("2026-00042"),
            [Prefix("Q2026-00042".into()), Prefix("C2026-00042".into())]
        );
        assert_eq!(number_searches("42"), [Sequence(42)]);
        assert_eq!(number_searches("00042"), [Sequence(42)]);
        for not_a_number in [
            "",
            "0",
            "138001",
            "C",
            "科技",
            "C20-1",
            "Q2026-000421",
            "2026-",
            "acme",
        ] {
            assert!(number_searches(not_a_number).is_empty(), "{not_a_number}");
        }
    }
}
