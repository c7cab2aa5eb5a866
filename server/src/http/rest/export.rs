//! `GET /api/v1/customers.csv`: the customer list as the filters in the query
//! describe it (or the ticked `ids`), as a CSV file Excel opens directly.
//! Headers are the ones the importer recognises, so an export imports back.

use app::i18n::{Msg, customer_type_msg};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use guanxi_core::Error;
use guanxi_core::domain::spreadsheet;
use guanxi_core::domain::time::local_time;
use guanxi_core::model::{CustomerKind, Id, ListParams};
use serde::Deserialize;

use super::{ApiError, Caller, QueryOf};
use crate::http::AppState;

/// The list's filters, plus `ids`: comma-separated ids to export exactly
/// (the bulk bar's selection).
#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    ids: String,
}

pub async fn export_customers(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(params): QueryOf<ListParams>,
    QueryOf(query): QueryOf<ExportQuery>,
) -> Result<Response, ApiError> {
    let locale = caller.locale;
    let ids = match query.ids.trim() {
        "" => Vec::new(),
        ids => ids
            .split(',')
            .map(|id| id.trim().parse::<Id>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| caller.refuse(Error::NotFound))?,
    };
    let bytes = caller
        .call(&state, move |gx, me| {
            let lines = gx.export_customers(me, &params, &ids)?;
            let settings = gx.customer_settings()?;
            let types = gx.customer_types()?;
            let zone = gx.company_zone();
            let t = |m: Msg| m.text(locale).to_string();
            let mut headers = vec![
                t(Msg::ExportCustomerName),
                t(Msg::CustomerType),
                t(Msg::ExportKind),
                t(Msg::Owner),
                t(Msg::Phone),
                t(Msg::Email),
                t(Msg::Region),
                t(Msg::Industry),
                t(Msg::Source),
                t(Msg::Grade),
                t(Msg::Tags),
                t(Msg::Address),
                t(Msg::Website),
                t(Msg::Notes),
                t(Msg::HotCustomer),
                t(Msg::LastContact),
                t(Msg::CreatedOn),
            ];
            headers.extend(settings.custom_fields.iter().map(|f| f.label.clone()));
            let rows: Vec<Vec<String>> = lines
                .into_iter()
                .map(|line| {
                    let c = line.customer;
                    let text = |v: &Option<String>| v.clone().unwrap_or_default();
                    let mut row = vec![
                        c.name.clone(),
                        // As the importer reads it back: a company type by its label.
                        customer_type_msg(&c.customer_type).map_or_else(
                            || {
                                types
                                    .label_of(&c.customer_type)
                                    .unwrap_or(&c.customer_type)
                                    .to_string()
                            },
                            |m| m.text(locale).to_string(),
                        ),
                        match c.kind {
                            CustomerKind::Company => t(Msg::KindCompany),
                            CustomerKind::Person => t(Msg::KindPerson),
                        },
                        line.owner_name.unwrap_or_default(),
                        text(&c.phone),
                        text(&c.email),
                        text(&c.region),
                        text(&c.industry),
                        text(&c.source),
                        text(&c.grade),
                        c.tags.join(", "),
                        text(&c.address),
                        text(&c.website),
                        text(&c.notes),
                        c.hot.as_ref().map(|h| h.hint.clone()).unwrap_or_default(),
                        line.last_activity
                            .map(|at| local_time(zone, at))
                            .unwrap_or_default(),
                        local_time(zone, c.created_at),
                    ];
                    row.extend(
                        settings
                            .custom_fields
                            .iter()
                            .map(|f| c.custom.get(&f.key).cloned().unwrap_or_default()),
                    );
                    row
                })
                .collect();
            Ok(spreadsheet::write_csv(&headers, rows))
        })
        .await?;
    let filename = format!("customers-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
