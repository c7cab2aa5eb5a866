//! Server functions of quotes: the list, the form, the quote page with its
//! actions and approval, and the printable quote.

use guanxi_core::model::{
    Id, Product, Quote, QuoteAction, QuoteInput, QuoteRow, Rate, SalesSettings,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[server(endpoint = "get_quotes")]
pub async fn get_quotes(#[server(default)] status: String) -> Result<Vec<QuoteRow>, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::QuoteStatus;
    use guanxi_core::service::QuoteFilter;
    let me = current_user()?;
    call(move |gx| {
        let filter = QuoteFilter {
            status: QuoteStatus::parse(status.trim()),
            ..Default::default()
        };
        gx.quotes(&me, &filter)
    })
    .await
}

/// The quotes of a customer or of a deal, for their pages.
#[server(endpoint = "quotes_of")]
pub async fn quotes_of(
    #[server(default)] customer: Option<Id>,
    #[server(default)] deal: Option<Id>,
) -> Result<Vec<QuoteRow>, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::QuoteFilter;
    let me = current_user()?;
    call(move |gx| {
        gx.quotes(
            &me,
            &QuoteFilter {
                customer,
                deal,
                status: None,
            },
        )
    })
    .await
}

/// What the quote form offers: the products (active ones, and those
/// already on the quote), the customer and its deals, the company's
/// defaults, and the quote being edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteFormChoices {
    pub products: Vec<Product>,
    pub customer: Option<(Id, String)>,
    pub deals: Vec<(Id, String)>,
    pub settings: SalesSettings,
    pub quote: Option<Quote>,
    /// Today in the company's time zone: a new quote is valid from it.
    pub today: chrono::NaiveDate,
}

#[server(endpoint = "quote_form_menus")]
pub async fn quote_form_menus(
    #[server(default)] customer: Option<Id>,
    #[server(default)] deal: Option<Id>,
    #[server(default)] quote: Option<Id>,
) -> Result<QuoteFormChoices, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::{BoardFilter, DealStatus};
    let me = current_user()?;
    call(move |gx| {
        let quote = quote.map(|id| gx.quote(&me, id)).transpose()?;
        let deal = match deal {
            Some(id) => Some(gx.deal(&me, id)?),
            None => None,
        };
        let customer = quote
            .as_ref()
            .map(|q| q.customer_id)
            .or(deal.as_ref().map(|d| d.customer_id))
            .or(customer);
        let customer = match customer {
            Some(id) => {
                let c = gx.customer(&me, id)?;
                Some((c.id, c.name))
            }
            None => None,
        };
        let deals = match &customer {
            Some((id, _)) => gx
                .list_deals(&me, None, Some(*id), &BoardFilter::default())?
                .into_iter()
                .filter(|d| d.status != DealStatus::Lost)
                .map(|d| (d.id, d.title))
                .collect(),
            None => Vec::new(),
        };
        let on_quote: Vec<Id> = quote
            .iter()
            .flat_map(|q| q.lines.iter().filter_map(|l| l.product_id))
            .collect();
        let products = gx
            .products(&me, true)?
            .into_iter()
            .filter(|p| p.active || on_quote.contains(&p.id))
            .collect();
        Ok(QuoteFormChoices {
            products,
            customer,
            deals,
            settings: gx.sales_settings()?,
            quote,
            today: gx.company_today(),
        })
    })
    .await
}

/// Creates a quote (`id` empty) or saves an edit from `version`; answers
/// its id.
#[server(endpoint = "save_quote", input = leptos::server_fn::codec::Json)]
pub async fn save_quote(id: Option<Id>, version: u64, quote: QuoteInput) -> Result<Id, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| match id {
        None => gx.create_quote(&me, quote).map(|q| q.id),
        Some(id) => gx.update_quote(&me, id, version, quote).map(|q| q.id),
    })
    .await
}

/// Everything the quote page and its printout show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteView {
    pub row: QuoteRow,
    pub can_edit: bool,
    /// What the caller may do next, in order.
    pub actions: Vec<QuoteAction>,
    /// Whether sending submits the quote for approval first.
    pub needs_approval: bool,
    pub discount_limit: Rate,
    /// Whether the caller may decide the waiting approval step.
    pub may_decide: bool,
    pub deal_title: Option<String>,
    pub company_name: String,
    pub customer_address: Option<String>,
    pub customer_phone: Option<String>,
    pub owner_email: String,
    /// The day it was written, in the company's zone.
    pub written_on: String,
    /// When each approval step was decided, in the company's zone.
    pub step_times: Vec<Option<String>>,
    pub submitted_at: Option<String>,
    /// The contract this quote became, if it did.
    pub contract_id: Option<Id>,
}

#[server(endpoint = "get_quote")]
pub async fn get_quote(id: Id) -> Result<QuoteView, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    let me = current_user()?;
    call(move |gx| {
        let row = gx.quote_row(&me, id)?;
        let q = &row.quote;
        let zone = gx.company_zone();
        let settings = gx.sales_settings()?;
        let can_edit = gx.quote_editable_by(&me, q)?;
        let may_decide = gx.quote_inbox(&me)?.iter().any(|r| r.quote.id == q.id);
        let customer = gx.customer(&me, q.customer_id).ok();
        let owner = gx.user(q.owner)?;
        let deal_title = q
            .deal_id
            .and_then(|d| gx.deal(&me, d).ok())
            .map(|d| d.title);
        let approval = q.approval.as_ref();
        let contract_id = gx.contract_of_quote(&me, q.id)?;
        Ok(QuoteView {
            contract_id,
            can_edit,
            actions: if can_edit {
                guanxi_core::domain::quotes::actions(row.status)
            } else {
                Vec::new()
            },
            needs_approval: guanxi_core::domain::quotes::needs_approval(
                &q.lines,
                settings.discount_limit,
            ) && !guanxi_core::domain::quotes::approval_levels(&me).is_empty(),
            discount_limit: settings.discount_limit,
            may_decide,
            deal_title,
            company_name: gx.company()?.name,
            customer_address: customer.as_ref().and_then(|c| c.address.clone()),
            customer_phone: customer.as_ref().and_then(|c| c.phone.clone()),
            owner_email: owner.map(|u| u.email).unwrap_or_default(),
            written_on: q
                .created_at
                .with_timezone(&zone)
                .format("%Y-%m-%d")
                .to_string(),
            step_times: approval
                .map(|a| {
                    a.steps
                        .iter()
                        .map(|s| s.decided_at.map(|t| local_time(zone, t)))
                        .collect()
                })
                .unwrap_or_default(),
            submitted_at: approval.map(|a| local_time(zone, a.submitted_at)),
            row,
        })
    })
    .await
}

#[server(endpoint = "move_quote")]
pub async fn move_quote(id: Id, version: u64, action: QuoteAction) -> Result<Quote, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.quote_action(&me, id, Some(version), action)).await
}

#[server(endpoint = "decide_quote")]
pub async fn decide_quote(
    id: Id,
    approve: bool,
    #[server(default)] comment: String,
) -> Result<Quote, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.decide_quote(&me, id, approve, &comment)).await
}

#[server(endpoint = "delete_quote")]
pub async fn delete_quote(id: Id, version: u64) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.delete_quote(&me, id, Some(version))).await
}

/// The quotes waiting for the caller's approval, for the approvals page.
#[server(endpoint = "quote_inbox")]
pub async fn quote_inbox() -> Result<Vec<QuoteRow>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.quote_inbox(&me)).await
}
