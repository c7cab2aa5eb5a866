//! Quotes and contracts found by number or by customer, for the header
//! search.

use redb::TableDefinition;

use super::Store;
use super::tables::*;
use crate::domain::quotes::NumberSearch;
use crate::error::Result;
use crate::model::DocumentKind;

fn numbers_table(kind: DocumentKind) -> TableDefinition<'static, &'static str, u128> {
    match kind {
        DocumentKind::Quote => QUOTE_NUMBERS,
        DocumentKind::Contract => CONTRACT_NUMBERS,
    }
}

fn by_customer_table(kind: DocumentKind) -> TableDefinition<'static, (u128, u128), ()> {
    match kind {
        DocumentKind::Quote => QUOTES_BY_CUSTOMER,
        DocumentKind::Contract => CONTRACTS_BY_CUSTOMER,
    }
}

/// The year of a number such as `C2026-00042`.
fn year_of(number: &str) -> Option<i32> {
    number.get(1..5)?.parse().ok()
}

impl Store {
    /// Which of `numbers` contracts have (exactly as written), in one read.
    pub fn contract_numbers_taken<'n>(
        &self,
        numbers: impl IntoIterator<Item = &'n str>,
    ) -> Result<std::collections::HashSet<String>> {
        let tx = self.read()?;
        let table = tx.open_table(CONTRACT_NUMBERS)?;
        let mut taken = std::collections::HashSet::new();
        for number in numbers {
            if table.get(number)?.is_some() {
                taken.insert(number.to_string());
            }
        }
        Ok(taken)
    }

    /// The ids of the quotes or contracts whose numbers `searches` name, in
    /// number order, at most `limit`. A prefix is one range read of the
    /// number index, O(log n + limit); a sequence number one lookup per
    /// year between the first and the last number on file.
    pub fn documents_numbered(
        &self,
        kind: DocumentKind,
        searches: &[NumberSearch],
        limit: usize,
    ) -> Result<Vec<u128>> {
        let tx = self.read()?;
        let numbers = tx.open_table(numbers_table(kind))?;
        let mut found = Vec::new();
        for search in searches {
            match search {
                NumberSearch::Prefix(prefix) if prefix.starts_with(kind.letter()) => {
                    for row in numbers.range(prefix.as_str()..)? {
                        let (number, id) = row?;
                        if found.len() >= limit || !number.value().starts_with(prefix.as_str()) {
                            break;
                        }
                        found.push(id.value());
                    }
                }
                NumberSearch::Prefix(_) => {}
                NumberSearch::Sequence(sequence) => {
                    // Within the app's own numbers: imported orders keep
                    // numbers of their own, which may sort before or after.
                    let letter = kind.letter();
                    let own = |n: &str| n.starts_with(letter).then(|| year_of(n)).flatten();
                    let from = letter.to_string();
                    let first = numbers
                        .range(from.as_str()..)?
                        .next()
                        .transpose()?
                        .and_then(|(n, _)| own(n.value()));
                    let after = char::from(letter as u8 + 1).to_string();
                    let last = numbers
                        .range(..after.as_str())?
                        .next_back()
                        .transpose()?
                        .and_then(|(n, _)| own(n.value()));
                    let (Some(first), Some(last)) = (first, last) else {
                        continue;
                    };
                    // Newest year first: this year's 42 before last year's.
                    for year in (first..=last).rev() {
                        if found.len() >= limit {
                            break;
                        }
                        let number = format!("{}{year}-{sequence:05}", kind.letter());
                        if let Some(id) = numbers.get(number.as_str())? {
                            found.push(id.value());
                        }
                    }
                }
            }
        }
        Ok(found)
    }

    /// The ids of `customers`' quotes or contracts, each customer's by id,
    /// highest (newest) first, at most `limit`: one range read per customer.
    pub fn documents_of_customers(
        &self,
        kind: DocumentKind,
        customers: &[u128],
        limit: usize,
    ) -> Result<Vec<u128>> {
        let tx = self.read()?;
        let index = tx.open_table(by_customer_table(kind))?;
        let mut found = Vec::new();
        for &customer in customers {
            for row in index.range((customer, 0)..=(customer, u128::MAX))?.rev() {
                if found.len() >= limit {
                    return Ok(found);
                }
                found.push(row?.0.value().1);
            }
        }
        Ok(found)
    }
}
