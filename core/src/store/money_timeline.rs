//! A customer's money on their timeline: quotes made, sent and answered,
//! contracts made and changed, deliveries, payments and expenses.
//!
//! Read from the records themselves through the per-customer and
//! per-contract indexes when a timeline page is read, not written as
//! timeline rows: nothing to migrate or keep in step, and a customer has
//! few such records (O(the customer's quotes, contracts, their versions,
//! payments and deliveries, and expenses) per page).

use redb::ReadTransaction;

use super::tables::*;
use super::{Store, decode};
use crate::error::Result;
use crate::model::{
    Contract, ContractVersion, DocumentKind, DocumentRef, Expense, Id, MoneyEvent, MoneyEventKind,
    Payment, Quantity, Quote, QuoteStatus, StockMove,
};

/// The ids under `key` in an index of (key, id) pairs.
fn ids_under(
    tx: &ReadTransaction,
    index: redb::TableDefinition<(u128, u128), ()>,
    key: u128,
) -> Result<Vec<u128>> {
    tx.open_table(index)?
        .range((key, 0)..=(key, u128::MAX))?
        .map(|row| Ok(row?.0.value().1))
        .collect()
}

fn quote_events(quote: &Quote, out: &mut Vec<MoneyEvent>) {
    let document = DocumentRef {
        kind: DocumentKind::Quote,
        id: quote.id,
        number: quote.number.clone(),
    };
    let event = |kind, at| MoneyEvent {
        id: quote.id,
        at,
        by: quote.owner,
        kind,
        document: Some(document.clone()),
        amount: Some(quote.totals.gross),
        detail: Some(quote.title.clone()).filter(|t| !t.is_empty()),
    };
    out.push(event(MoneyEventKind::QuoteMade, quote.created_at));
    if let Some(at) = quote.sent_at {
        out.push(event(MoneyEventKind::QuoteSent, at));
    }
    if let Some(at) = quote.answered_at {
        match quote.status {
            QuoteStatus::Accepted => out.push(event(MoneyEventKind::QuoteAccepted, at)),
            QuoteStatus::Rejected => out.push(event(MoneyEventKind::QuoteRejected, at)),
            _ => {}
        }
    }
}

impl Store {
    /// Every money event of `customer`, in no particular order.
    pub(super) fn money_events_of(&self, customer: Id) -> Result<Vec<MoneyEvent>> {
        let tx = self.read()?;
        let mut out = Vec::new();
        let quotes = tx.open_table(QUOTES)?;
        for id in ids_under(&tx, QUOTES_BY_CUSTOMER, customer.0)? {
            if let Some(v) = quotes.get(id)? {
                quote_events(&decode::<Quote>(v.value())?, &mut out);
            }
        }
        let contracts = tx.open_table(CONTRACTS)?;
        let versions = tx.open_table(CONTRACT_VERSIONS)?;
        let payments = tx.open_table(PAYMENTS)?;
        let moves = tx.open_table(STOCK_MOVES)?;
        for id in ids_under(&tx, CONTRACTS_BY_CUSTOMER, customer.0)? {
            let Some(v) = contracts.get(id)? else {
                continue;
            };
            let contract: Contract = decode(v.value())?;
            let document = Some(DocumentRef {
                kind: DocumentKind::Contract,
                id: contract.id,
                number: contract.number.clone(),
            });
            out.push(MoneyEvent {
                id: contract.id,
                at: contract.created_at,
                by: contract.created_by,
                kind: MoneyEventKind::ContractMade,
                document: document.clone(),
                amount: Some(contract.terms.amount()),
                detail: Some(contract.terms.title.clone()).filter(|t| !t.is_empty()),
            });
            // Version 1 is the contract as made; each later one a change.
            for row in versions.range((id, 2)..=(id, u32::MAX))? {
                let version: ContractVersion = decode(row?.1.value())?;
                out.push(MoneyEvent {
                    id: contract.id,
                    at: version.saved_at,
                    by: version.saved_by,
                    kind: MoneyEventKind::ContractChanged,
                    document: document.clone(),
                    amount: Some(version.terms.amount()),
                    detail: Some(format!("v{}", version.terms_version)),
                });
            }
            for payment_id in ids_under(&tx, PAYMENTS_BY_CONTRACT, id)? {
                if let Some(v) = payments.get(payment_id)? {
                    let payment: Payment = decode(v.value())?;
                    out.push(MoneyEvent {
                        id: payment.id,
                        at: payment.recorded_at,
                        by: payment.recorded_by,
                        kind: MoneyEventKind::Payment,
                        document: document.clone(),
                        amount: Some(payment.amount),
                        detail: Some(payment.received_on.to_string()),
                    });
                }
            }
            for move_id in ids_under(&tx, DELIVERIES_BY_CONTRACT, id)? {
                if let Some(v) = moves.get(move_id)? {
                    let delivery: StockMove = decode(v.value())?;
                    let line = delivery
                        .line
                        .and_then(|n| contract.terms.lines.get(n as usize));
                    out.push(MoneyEvent {
                        id: delivery.id,
                        at: delivery.recorded_at,
                        by: delivery.recorded_by,
                        kind: MoneyEventKind::Delivery,
                        document: document.clone(),
                        amount: None,
                        detail: Some(match line {
                            Some(line) => format!(
                                "{} × {} {}",
                                line.description,
                                Quantity(delivery.quantity.0.abs()),
                                line.unit
                            ),
                            None => Quantity(delivery.quantity.0.abs()).to_string(),
                        }),
                    });
                }
            }
        }
        let expenses = tx.open_table(EXPENSES)?;
        for id in ids_under(&tx, EXPENSES_BY_CUSTOMER, customer.0)? {
            if let Some(v) = expenses.get(id)? {
                let expense: Expense = decode(v.value())?;
                out.push(MoneyEvent {
                    id: expense.id,
                    at: expense.created_at,
                    by: expense.spent_by,
                    kind: MoneyEventKind::Expense,
                    document: None,
                    amount: Some(expense.amount),
                    detail: Some(expense.category.clone()),
                });
            }
        }
        Ok(out)
    }
}
