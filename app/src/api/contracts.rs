//! Server functions of contracts: the list, the contract page with its
//! plan, payments, versions and approval, and the receivables page.

use guanxi_core::model::{
    Contract, ContractAction, ContractInput, ContractVersion, Id, InstallmentInput, Payment,
    PaymentInput, Product, Receivables, TermsChange,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A contract in a list, with names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractRow {
    pub contract: Contract,
    pub customer_name: String,
    pub owner_name: String,
}

/// Customers the receivables page lists, most overdue first.
pub const RECEIVABLE_CUSTOMERS: usize = 100;

/// Contracts a list page shows.
pub const CONTRACT_PAGE: usize = 50;

/// A page of the contract list, newest first, and how many there are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractPage {
    pub rows: Vec<ContractRow>,
    pub page: usize,
    pub total: usize,
}

/// Which contracts the list shows: all, or those signed on some days (of
/// one owner), as a revenue figure links to them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContractListFilter {
    pub signed_from: Option<chrono::NaiveDate>,
    pub signed_to: Option<chrono::NaiveDate>,
    pub owner: Option<Id>,
}

impl ContractListFilter {
    pub fn is_empty(&self) -> bool {
        *self == ContractListFilter::default()
    }
}

#[server(endpoint = "get_contracts")]
pub async fn get_contracts(
    page: usize,
    // An empty filter is no field at all in the form encoding.
    #[server(default)] filter: ContractListFilter,
) -> Result<ContractPage, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let names = gx.user_names()?;
        let offset = page.saturating_mul(CONTRACT_PAGE);
        let (total, contracts) = match (filter.signed_from, filter.signed_to) {
            (None, None) if filter.owner.is_none() => {
                gx.contracts_page(&me, offset, CONTRACT_PAGE)?
            }
            (from, to) => {
                let signed = guanxi_core::model::DateSpan {
                    from: from.unwrap_or(chrono::NaiveDate::MIN),
                    to: to.unwrap_or(chrono::NaiveDate::MAX),
                };
                if signed.from > signed.to {
                    return Err(guanxi_core::Error::invalid(
                        guanxi_core::Field::Period,
                        guanxi_core::Problem::Malformed,
                    ));
                }
                gx.contracts_signed(&me, signed, filter.owner, offset, CONTRACT_PAGE)?
            }
        };
        let rows = contracts
            .into_iter()
            .map(|c| ContractRow {
                customer_name: gx.customer_name(c.customer_id).unwrap_or_default(),
                owner_name: c
                    .lead_owner()
                    .and_then(|o| names.get(o))
                    .unwrap_or_default()
                    .to_string(),
                contract: c,
            })
            .collect();
        Ok(ContractPage { rows, page, total })
    })
    .await
}

/// Everything the contract page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractView {
    pub row: ContractRow,
    pub can_edit: bool,
    /// What the caller may do next, in order.
    pub actions: Vec<ContractAction>,
    pub may_decide: bool,
    pub payments: Vec<(Payment, String)>,
    pub versions: Vec<ContractVersion>,
    pub today: chrono::NaiveDate,
    pub deal_title: Option<String>,
    pub quote_number: Option<String>,
    pub submitted_at: Option<String>,
    /// When each approval step was decided, in the company's zone.
    pub step_times: Vec<Option<String>>,
    /// When each terms version was saved, in the company's zone.
    pub version_times: Vec<String>,
    /// Deliveries, each line's margin and the completion.
    pub stock: guanxi_core::model::ContractStock,
}

#[server(endpoint = "get_contract")]
pub async fn get_contract(id: Id) -> Result<ContractView, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    let me = current_user()?;
    call(move |gx| {
        let c = gx.contract(&me, id)?;
        let names = gx.user_names()?;
        let zone = gx.company_zone();
        let name = |id: Id| names.get(id).unwrap_or_default().to_string();
        let versions = gx.contract_versions(&me, id)?;
        let can_edit = gx.contract_editable_by(&me, &c)?;
        let actions = if can_edit {
            [
                ContractAction::Sign,
                ContractAction::Complete,
                ContractAction::Close,
                ContractAction::Cancel,
            ]
            .into_iter()
            .filter(|a| guanxi_core::domain::contracts::next_status(c.status, *a, false).is_ok())
            .collect()
        } else {
            Vec::new()
        };
        Ok(ContractView {
            stock: gx.contract_stock(&me, id)?,
            can_edit,
            actions,
            may_decide: gx.contract_inbox(&me)?.iter().any(|p| p.id == id),
            payments: gx
                .payments(&me, id)?
                .into_iter()
                .map(|p| {
                    let by = name(p.recorded_by);
                    (p, by)
                })
                .collect(),
            version_times: versions
                .iter()
                .map(|v| format!("{} · {}", local_time(zone, v.saved_at), name(v.saved_by)))
                .collect(),
            versions,
            today: gx.company_today(),
            deal_title: c
                .deal_id
                .and_then(|d| gx.deal(&me, d).ok())
                .map(|d| d.title),
            quote_number: c
                .quote_id
                .and_then(|q| gx.quote(&me, q).ok())
                .map(|q| q.number),
            submitted_at: c
                .approval
                .as_ref()
                .map(|a| local_time(zone, a.submitted_at)),
            step_times: c
                .approval
                .as_ref()
                .map(|a| {
                    a.steps
                        .iter()
                        .map(|s| s.decided_at.map(|t| local_time(zone, t)))
                        .collect()
                })
                .unwrap_or_default(),
            row: ContractRow {
                customer_name: gx.customer_name(c.customer_id).unwrap_or_default(),
                owner_name: c.lead_owner().map(name).unwrap_or_default(),
                contract: c,
            },
        })
    })
    .await
}

/// Makes the contract of an accepted quote; answers its id.
#[server(endpoint = "contract_from_quote")]
pub async fn contract_from_quote(quote: Id) -> Result<Id, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.contract_from_quote(&me, quote).map(|c| c.id)).await
}

/// The contracts of a deal, newest first, for its page.
#[server(endpoint = "contracts_of_deal")]
pub async fn contracts_of_deal(deal: Id) -> Result<Vec<Contract>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.contracts_of_deal(&me, deal)).await
}

/// Makes the contract of a won deal; answers its id.
#[server(endpoint = "contract_from_deal")]
pub async fn contract_from_deal(deal: Id) -> Result<Id, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.contract_from_deal(&me, deal).map(|c| c.id)).await
}

#[server(endpoint = "move_contract")]
pub async fn move_contract(
    id: Id,
    version: u64,
    action: ContractAction,
) -> Result<Contract, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.contract_action(&me, id, Some(version), action)).await
}

#[server(endpoint = "decide_contract")]
pub async fn decide_contract(
    id: Id,
    approve: bool,
    #[server(default)] comment: String,
) -> Result<Contract, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.decide_contract(&me, id, approve, &comment)).await
}

#[server(endpoint = "save_plan", input = leptos::server_fn::codec::Json)]
pub async fn save_plan(
    id: Id,
    version: u64,
    installments: Vec<InstallmentInput>,
    confirm_past: bool,
) -> Result<Contract, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.set_payment_plan(&me, id, version, &installments, confirm_past)).await
}

/// What the terms form of a contract offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermsFormOptions {
    /// The products its lines may name: the active ones and any retired
    /// one already on it.
    pub products: Vec<Product>,
    /// (id, name) of who may own it: the active users and its owners.
    pub owners: Vec<(Id, String)>,
}

#[server(endpoint = "contract_form_options")]
pub async fn contract_form_options(id: Id) -> Result<TermsFormOptions, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let contract = gx.contract(&me, id)?;
        let on_it: Vec<Id> = contract
            .terms
            .lines
            .iter()
            .filter_map(|l| l.product_id)
            .collect();
        let products = gx
            .products(&me, true)?
            .into_iter()
            .filter(|p| p.active || on_it.contains(&p.id))
            .collect();
        let mut owners = gx.active_users()?;
        let names = gx.user_names()?;
        for share in &contract.terms.owners {
            if !owners.iter().any(|(id, _)| *id == share.user) {
                let name = names.get(share.user).unwrap_or_default().to_string();
                owners.push((share.user, name));
            }
        }
        Ok(TermsFormOptions { products, owners })
    })
    .await
}

#[server(endpoint = "save_contract", input = leptos::server_fn::codec::Json)]
pub async fn save_contract(
    id: Id,
    version: u64,
    contract: ContractInput,
) -> Result<Contract, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.update_contract(&me, id, version, contract)).await
}

#[server(endpoint = "record_payment", input = leptos::server_fn::codec::Json)]
pub async fn record_payment(contract: Id, payment: PaymentInput) -> Result<Payment, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.record_payment(&me, contract, payment)).await
}

#[server(endpoint = "contract_diff")]
pub async fn contract_diff(id: Id, from: u32, to: u32) -> Result<Vec<TermsChange>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.contract_diff(&me, id, from, to)).await
}

#[server(endpoint = "get_receivables")]
pub async fn get_receivables() -> Result<Receivables, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.receivables_top(&me, gx.company_today(), RECEIVABLE_CUSTOMERS)).await
}

/// The contracts waiting for the caller's approval.
#[server(endpoint = "contract_inbox")]
pub async fn contract_inbox() -> Result<Vec<ContractRow>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let names = gx.user_names()?;
        Ok(gx
            .contract_inbox(&me)?
            .into_iter()
            .map(|c| ContractRow {
                customer_name: gx.customer_name(c.customer_id).unwrap_or_default(),
                owner_name: c
                    .lead_owner()
                    .and_then(|o| names.get(o))
                    .unwrap_or_default()
                    .to_string(),
                contract: c,
            })
            .collect())
    })
    .await
}

/// The contract made from a quote, if one was.
#[server(endpoint = "contract_of_quote")]
pub async fn contract_of_quote(quote: Id) -> Result<Option<Id>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.contract_of_quote(&me, quote)).await
}
