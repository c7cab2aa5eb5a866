//! Server functions of expenses and their categories. Who sees which
//! expense is the service's (`guanxi_core::service::expenses`).

use guanxi_core::model::{Expense, ExpenseCategories, ExpenseFilter, ExpenseRow, Id};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the expenses page (or a customer's expenses card) shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpensesView {
    pub rows: Vec<ExpenseRow>,
    pub categories: Vec<String>,
    /// Whose expenses the caller may see and record: (id, name).
    pub people: Vec<(Id, String)>,
    pub me: Id,
    pub today: chrono::NaiveDate,
    /// On a customer's card: the customer's deals and contracts an
    /// expense may be linked to, (id, title or number). Empty otherwise.
    pub deals: Vec<(Id, String)>,
    pub contracts: Vec<(Id, String)>,
}

#[server(endpoint = "get_expenses", input = leptos::server_fn::codec::Json)]
pub async fn get_expenses(filter: ExpenseFilter) -> Result<ExpensesView, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let (deals, contracts) = match filter.customer_id {
            Some(customer) => (
                gx.list_deals(&me, None, Some(customer), &Default::default())?
                    .into_iter()
                    .rev()
                    .map(|d| (d.id, d.title))
                    .collect(),
                gx.contracts(&me, Some(customer))?
                    .into_iter()
                    .map(|c| {
                        let label = match c.terms.title.as_str() {
                            "" => c.number.clone(),
                            title => format!("{} · {title}", c.number),
                        };
                        (c.id, label)
                    })
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        Ok(ExpensesView {
            deals,
            contracts,
            rows: gx.expenses(&me, &filter)?,
            categories: gx.expense_categories(&me)?.categories,
            people: gx
                .visible_active_users(&me)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect(),
            me: me.id,
            today: gx.company_today(),
        })
    })
    .await
}

/// The expense form as the browser posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpenseForm {
    pub amount: String,
    pub category: String,
    pub date: String,
    pub spent_by: String,
    pub note: String,
    pub customer_id: String,
    /// Sent by a customer's card only; absent keeps an edit's link.
    pub deal_id: Option<String>,
    pub contract_id: Option<String>,
}

/// Records an expense (`id` empty) or saves an edit from `version`.
#[server(endpoint = "save_expense")]
pub async fn save_expense(
    #[server(default)] id: String,
    #[server(default)] version: u64,
    expense: ExpenseForm,
) -> Result<Expense, AppError> {
    use crate::ssr::*;
    use guanxi_core::{Error, Field, Problem};
    let me = current_user()?;
    call(move |gx| {
        let date = match expense.date.trim() {
            "" => return Err(Error::invalid(Field::At, Problem::Required)),
            t => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map_err(|_| Error::invalid(Field::At, Problem::Malformed))?,
        };
        let id_of = |text: &str, field: Field| -> Result<Option<Id>, Error> {
            match text.trim() {
                "" => Ok(None),
                t => t
                    .parse()
                    .map(Some)
                    .map_err(|_| Error::invalid(field, Problem::Unknown)),
            }
        };
        let input = guanxi_core::model::ExpenseInput {
            amount: expense.amount,
            category: expense.category,
            date,
            spent_by: id_of(&expense.spent_by, Field::Owner)?,
            note: Some(expense.note),
            customer_id: id_of(&expense.customer_id, Field::Customer)?,
            deal_id: id_of(expense.deal_id.as_deref().unwrap_or_default(), Field::Deal)?,
            contract_id: id_of(
                expense.contract_id.as_deref().unwrap_or_default(),
                Field::Contract,
            )?,
        };
        match id_of(&id, Field::Text)? {
            None => gx.create_expense(&me, input),
            Some(id) => {
                // The expenses page has no deal or contract fields: an
                // edit there keeps the links it had.
                let before = gx.expense(&me, id)?;
                let input = guanxi_core::model::ExpenseInput {
                    deal_id: expense
                        .deal_id
                        .as_ref()
                        .map_or(before.deal_id, |_| input.deal_id),
                    contract_id: expense
                        .contract_id
                        .as_ref()
                        .map_or(before.contract_id, |_| input.contract_id),
                    ..input
                };
                gx.update_expense(&me, id, version, input)
            }
        }
    })
    .await
}

#[server(endpoint = "delete_expense")]
pub async fn delete_expense(id: Id, version: u64) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.delete_expense(&me, id, Some(version))).await
}

#[server(endpoint = "get_expense_categories")]
pub async fn get_expense_categories() -> Result<ExpenseCategories, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.expense_categories(&me)).await
}

/// Saves the categories, one a line as the admin typed them.
#[server(endpoint = "save_expense_categories")]
pub async fn save_expense_categories(
    version: u64,
    categories: String,
) -> Result<ExpenseCategories, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        let input = guanxi_core::model::ExpenseCategoriesInput {
            categories: categories
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
        };
        gx.save_expense_categories(Actor::User(&me), input, version)
    })
    .await
}
