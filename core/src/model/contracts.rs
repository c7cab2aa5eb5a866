//! Contracts (合同 / 订单), their versions, payment plans and payments
//! received (回款) (SPEC §4).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Approval, Cents, Id, OwnerShare, QuoteLine, QuoteLineInput, Rate, Totals};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    Draft,
    /// Above the company's approval amount: waits for the approval chain.
    PendingApproval,
    /// Signed and running: deliveries and payments happen now.
    Executing,
    Completed,
    Closed,
    Cancelled,
}

impl ContractStatus {
    pub const ALL: [ContractStatus; 6] = [
        ContractStatus::Draft,
        ContractStatus::PendingApproval,
        ContractStatus::Executing,
        ContractStatus::Completed,
        ContractStatus::Closed,
        ContractStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContractStatus::Draft => "draft",
            ContractStatus::PendingApproval => "pending_approval",
            ContractStatus::Executing => "executing",
            ContractStatus::Completed => "completed",
            ContractStatus::Closed => "closed",
            ContractStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<ContractStatus> {
        ContractStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Signed: counts as revenue and may be owed money.
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            ContractStatus::Executing | ContractStatus::Completed | ContractStatus::Closed
        )
    }
}

/// What a contract says: the part that versions keep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ContractTerms {
    pub title: String,
    pub lines: Vec<QuoteLine>,
    pub tax_rate: Rate,
    /// Worked out from the lines; `amount` is its gross.
    pub totals: Totals,
    pub sign_date: NaiveDate,
    pub owners: Vec<OwnerShare>,
    pub note: Option<String>,
}

impl ContractTerms {
    /// What the customer owes for the contract: its gross total.
    pub fn amount(&self) -> Cents {
        self.totals.gross
    }
}

/// One installment of a payment plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Installment {
    pub due: NaiveDate,
    pub amount: Cents,
    /// What payments have covered of it so far.
    pub paid: Cents,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Contract {
    pub id: Id,
    /// `C2026-00001`: unique, for people and search.
    pub number: String,
    pub customer_id: Id,
    pub deal_id: Option<Id>,
    /// The accepted quote it was made from.
    pub quote_id: Option<Id>,
    pub terms: ContractTerms,
    pub status: ContractStatus,
    pub approval: Option<Approval>,
    /// The terms' version: 1 when written, one more for each change of an
    /// executing contract. Older versions stay readable.
    pub terms_version: u32,
    /// Installments, in plan order; their amounts add up to the amount.
    pub plan: Vec<Installment>,
    pub created_by: Id,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped on every save; a save that names an older version is a conflict.
    pub version: u64,
}

impl Contract {
    pub fn lead_owner(&self) -> Option<Id> {
        self.terms.owners.first().map(|o| o.user)
    }

    pub fn paid(&self) -> Cents {
        Cents(self.plan.iter().map(|i| i.paid.0).sum())
    }
}

/// A contract's terms as they stood in one version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ContractVersion {
    pub contract_id: Id,
    pub terms_version: u32,
    pub terms: ContractTerms,
    pub saved_by: Id,
    pub saved_at: DateTime<Utc>,
}

/// How a payment arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    BankTransfer,
    Cash,
    Cheque,
    Alipay,
    Wechat,
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 6] = [
        PaymentMethod::BankTransfer,
        PaymentMethod::Cash,
        PaymentMethod::Cheque,
        PaymentMethod::Alipay,
        PaymentMethod::Wechat,
        PaymentMethod::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Alipay => "alipay",
            PaymentMethod::Wechat => "wechat",
            PaymentMethod::Other => "other",
        }
    }
}

/// Money received against a contract, split over its installments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: Id,
    pub contract_id: Id,
    pub customer_id: Id,
    pub received_on: NaiveDate,
    pub amount: Cents,
    pub method: PaymentMethod,
    pub note: Option<String>,
    /// (installment index in the plan, amount).
    pub allocations: Vec<(u32, Cents)>,
    pub recorded_by: Id,
    pub recorded_at: DateTime<Utc>,
}

/// What a contract can be asked to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContractAction {
    /// Sign it: executing, or (above the approval amount) to approval.
    Sign,
    Complete,
    Close,
    Cancel,
}

/// One difference between two versions of a contract's terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TermsChange {
    Title {
        old: String,
        new: String,
    },
    SignDate {
        old: NaiveDate,
        new: NaiveDate,
    },
    TaxRate {
        old: u32,
        new: u32,
    },
    Amount {
        old: Cents,
        new: Cents,
    },
    LineAdded {
        description: String,
        quantity: String,
        net: Cents,
    },
    LineRemoved {
        description: String,
        quantity: String,
        net: Cents,
    },
    /// Other owners or another credit split, each side as
    /// `name percent%` joined by commas, the lead first.
    Owners {
        old: String,
        new: String,
    },
    /// A line of the same product (or text) with another quantity, price
    /// or discount.
    LineChanged {
        description: String,
        old_quantity: String,
        new_quantity: String,
        old_net: Cents,
        new_net: Cents,
    },
}

/// An installment as typed: a due date and an amount.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct InstallmentInput {
    #[cfg_attr(feature = "server", schema(required = true))]
    pub due: Option<NaiveDate>,
    /// As typed: `60,000`.
    #[cfg_attr(
        feature = "server",
        schema(required = true, pattern = r"^ *[1-9][0-9]{0,10}(\.[0-9]{1,2})? *$")
    )]
    pub amount: String,
}

/// A contract's terms as typed (lines like a quote's), for an edit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ContractInput {
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub title: String,
    pub lines: Vec<QuoteLineInput>,
    /// Percent; empty for the company's default rate.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *((100|[0-9]{1,2}(\.[0-9]{1,2})?) *%?)? *$")
    )]
    pub tax_rate: String,
    pub sign_date: Option<NaiveDate>,
    #[cfg_attr(
        feature = "server",
        schema(max_length = 5000, pattern = r"^[^\p{Cc}]*$")
    )]
    pub note: Option<String>,
    /// A new plan; required when the amount changes (the old one no longer
    /// adds up).
    pub plan: Option<Vec<InstallmentInput>>,
    /// Installments due before today are meant.
    pub confirm_past: bool,
    /// The owners and their credit split (the lead first, percents adding
    /// up to 100), as on deals; empty keeps the contract's.
    #[cfg_attr(feature = "server", schema(max_items = 3))]
    pub owners: Vec<OwnerShare>,
}

/// A payment as typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PaymentInput {
    pub received_on: NaiveDate,
    /// As typed: `60,000`.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^ *[1-9][0-9]{0,10}(\.[0-9]{1,2})? *$")
    )]
    pub amount: String,
    pub method: PaymentMethod,
    #[serde(default)]
    #[cfg_attr(
        feature = "server",
        schema(max_length = 500, pattern = r"^[^\p{Cc}]*$")
    )]
    pub note: Option<String>,
    /// The installment (its index in the plan) to pay first; the others
    /// oldest first.
    #[serde(default)]
    pub installment: Option<u32>,
}

/// What is owed, by how late, for the company, each customer and each rep.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Receivables {
    pub as_of: Option<NaiveDate>,
    pub company: crate::domain::money::Aging,
    /// (customer id, name, aging), most overdue first; the first
    /// `limit` asked for.
    pub customers: Vec<(Id, String, crate::domain::money::Aging)>,
    /// How many customers owe something, listed or not.
    #[serde(default)]
    pub customers_total: usize,
    /// (rep id, name, aging) by the contract's lead owner, most overdue first.
    pub reps: Vec<(Id, String, crate::domain::money::Aging)>,
}

/// The key figures of one customer's signed contracts on a given day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomerMoney {
    /// Lifetime revenue: the gross amounts of every signed contract.
    pub revenue: Cents,
    pub received: Cents,
    /// Signed and not yet received, due or not.
    pub receivable: Cents,
    /// The part of `receivable` whose installments were due before today.
    pub overdue: Cents,
    /// The last day the customer signed a contract (a purchase, SPEC §7).
    pub last_purchase: Option<NaiveDate>,
    /// Whole days from `last_purchase` to today.
    pub days_since_last_purchase: Option<i64>,
}
