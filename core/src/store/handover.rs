//! Handing over what one user holds: customers, the deals they lead and
//! their tasks move together, in one transaction, each through its own
//! aggregate's save path.

use redb::ReadableTable;

use super::activities::put_task;
use super::customers::{load_customer, replace_customer};
use super::deals::DealTables;
use super::tables::*;
use super::{Store, decode};
use crate::error::{Error, Result};
use crate::model::{Customer, Deal, FieldChange, Id, Task};

/// What a handover changed, in the order it found them.
#[derive(Debug, Default)]
pub struct HandedOver {
    pub customers: Vec<Customer>,
    pub deals: Vec<Deal>,
    pub tasks: Vec<Task>,
}

impl Store {
    /// Hands over what one user holds, in one transaction: each customer
    /// `from` owns goes through `customer` (the changed copy and its audit
    /// lines, or `None` to leave it), each deal `from` leads through `deal`
    /// and each task assigned to `from` through `task` (both answer whether
    /// they changed it). Records are read inside the transaction, so no
    /// edit made meanwhile is overwritten; each changed one gets its next
    /// version.
    pub fn hand_over(
        &self,
        from: Id,
        mut customer: impl FnMut(&Customer) -> Option<(Customer, Vec<FieldChange>)>,
        mut deal: impl FnMut(&mut Deal) -> bool,
        mut task: impl FnMut(&mut Task) -> bool,
    ) -> Result<HandedOver> {
        let tx = self.write()?;
        let mut out = HandedOver::default();
        let customer_ids: Vec<u128> = tx
            .open_table(CUSTOMERS_BY_OWNER)?
            .range((from.0, 0)..=(from.0, u128::MAX))?
            .map(|row| row.map(|(k, _)| k.value().1))
            .collect::<Result<_, _>>()?;
        for id in customer_ids {
            let current = load_customer(&tx, Id(id))?;
            let Some((changed, changes)) = customer(&current) else {
                continue;
            };
            out.customers
                .push(replace_customer(&tx, &current, changed, &changes)?);
        }
        let mut led: Vec<Deal> = Vec::new();
        for row in tx.open_table(DEALS)?.iter()? {
            let d: Deal = decode(row?.1.value())?;
            if d.lead_owner() == Some(from) {
                led.push(d);
            }
        }
        {
            let mut deals = DealTables::open(&tx)?;
            for before in led {
                let mut d = before.clone();
                if deal(&mut d) {
                    d.version += 1;
                    deals.put(Some(&before), &d)?;
                    out.deals.push(d);
                }
            }
        }
        let task_ids: Vec<u128> = tx
            .open_table(TASKS_BY_ASSIGNEE)?
            .range((from.0, i64::MIN, 0)..=(from.0, i64::MAX, u128::MAX))?
            .map(|row| row.map(|(k, _)| k.value().2))
            .collect::<Result<_, _>>()?;
        let mut tasks_before = Vec::new();
        for id in task_ids {
            let current: Task = tx
                .open_table(TASKS)?
                .get(id)?
                .map(|v| decode(v.value()))
                .transpose()?
                .ok_or(Error::NotFound)?;
            let mut changed = current.clone();
            if task(&mut changed) {
                changed.version = current.version + 1;
                put_task(&tx, &changed, Some(&current))?;
                out.tasks.push(changed);
                tasks_before.push(current);
            }
        }
        let mut boards = self.deal_boards_mut();
        let mut counts = self.activity_counts_mut();
        let mut directory = self.directory_mut();
        let pending = self.commit_visible(tx)?;
        if let Some(counts) = counts.as_mut() {
            for (before, after) in tasks_before.iter().zip(&out.tasks) {
                counts.put_task(Some(before), Some(after));
            }
        }
        drop(counts);
        for c in &out.customers {
            directory.put_customer(c);
        }
        if let Some(boards) = boards.as_mut() {
            for d in &out.deals {
                boards.put(d);
            }
        }
        drop(directory);
        drop(boards);
        pending.wait()?;
        Ok(out)
    }
}
