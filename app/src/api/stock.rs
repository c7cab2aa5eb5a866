//! Server functions of stock: the stock page, purchases, adjustments and
//! deliveries against contract lines. Who may do what is the service's
//! (`guanxi_core::service::stock`).

use guanxi_core::model::{StockLevels, StockMove, StockMoveRow};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the stock page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockView {
    pub levels: StockLevels,
    /// Every move, newest first; empty for a rep (costs are not theirs).
    pub moves: Vec<StockMoveRow>,
    /// Whether the caller records purchases and adjustments (admins and
    /// managers).
    pub can_edit: bool,
    pub today: chrono::NaiveDate,
}

#[server(endpoint = "get_stock")]
pub async fn get_stock() -> Result<StockView, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let can_edit = me.role != guanxi_core::model::Role::Rep;
        Ok(StockView {
            levels: gx.stock_levels(&me)?,
            moves: if can_edit {
                gx.stock_moves(&me, None)?
            } else {
                Vec::new()
            },
            can_edit,
            today: gx.company_today(),
        })
    })
    .await
}

/// A date as a form posts it; an empty or broken one is the date field's
/// error, as the server tells it.
#[cfg(feature = "ssr")]
fn form_date(text: &str) -> Result<chrono::NaiveDate, guanxi_core::Error> {
    use guanxi_core::{Error, Field, Problem};
    match text.trim() {
        "" => Err(Error::invalid(Field::At, Problem::Required)),
        t => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| Error::invalid(Field::At, Problem::Malformed)),
    }
}

#[cfg(feature = "ssr")]
fn form_product(text: &str) -> Result<guanxi_core::model::Id, guanxi_core::Error> {
    use guanxi_core::{Error, Field, Problem};
    match text.trim() {
        "" => Err(Error::invalid(Field::Product, Problem::Required)),
        t => t
            .parse()
            .map_err(|_| Error::invalid(Field::Product, Problem::Unknown)),
    }
}

/// The purchase form as the browser posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StockInForm {
    pub product_id: String,
    pub quantity: String,
    pub unit_cost: String,
    pub date: String,
    pub supplier: String,
}

#[server(endpoint = "stock_in")]
pub async fn stock_in(purchase: StockInForm) -> Result<StockMove, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let input = guanxi_core::model::StockInInput {
            product_id: form_product(&purchase.product_id)?,
            quantity: purchase.quantity,
            unit_cost: purchase.unit_cost,
            date: form_date(&purchase.date)?,
            supplier: Some(purchase.supplier),
        };
        gx.stock_in(&me, input)
    })
    .await
}

/// The adjustment form as the browser posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdjustmentForm {
    pub product_id: String,
    pub quantity: String,
    pub reason: String,
    pub date: String,
}

#[server(endpoint = "adjust_stock")]
pub async fn adjust_stock(adjustment: AdjustmentForm) -> Result<StockMove, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let input = guanxi_core::model::AdjustmentInput {
            product_id: form_product(&adjustment.product_id)?,
            quantity: adjustment.quantity,
            reason: adjustment.reason,
            date: form_date(&adjustment.date)?,
        };
        gx.adjust_stock(&me, input)
    })
    .await
}

/// The delivery form as the browser posts it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryForm {
    pub contract: String,
    pub line: String,
    pub quantity: String,
    pub date: String,
}

#[server(endpoint = "deliver")]
pub async fn deliver(delivery: DeliveryForm) -> Result<StockMove, AppError> {
    use crate::ssr::*;
    use guanxi_core::{Error, Field, Problem};
    let me = current_user()?;
    call(move |gx| {
        let contract = delivery
            .contract
            .trim()
            .parse()
            .map_err(|_| Error::NotFound)?;
        let line = delivery
            .line
            .trim()
            .parse()
            .map_err(|_| Error::invalid(Field::Line, Problem::Unknown))?;
        let input = guanxi_core::model::DeliveryInput {
            line,
            quantity: delivery.quantity,
            date: form_date(&delivery.date)?,
        };
        gx.deliver(&me, contract, input)
    })
    .await
}
