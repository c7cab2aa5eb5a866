//! The public pool's two rules (SPEC §1): a limit on how many customers one
//! rep may hold, and the return to the pool of customers nobody worked on
//! for the set number of days.

use chrono::{DateTime, Utc};

use super::{Actor, Guanxi};
use crate::domain::validate;
use crate::error::{Error, Field, Result};
use crate::model::{Customer, DealStatus, FieldChange, Id, User};

/// The audit field of a customer given to someone over the holding limit;
/// its new value is the admin's reason.
pub const LIMIT_OVERRIDE_FIELD: &str = "limit_override";

impl Guanxi {
    /// Whether `owner` may take `adding` more customers. Over the limit an
    /// admin `me` may go on with a reason, which comes back cleaned for the
    /// audit trail; anyone else gets `HoldingLimit`, naming the owner and
    /// the limit.
    pub(super) fn check_holding_limit(
        &self,
        me: &User,
        owner: &User,
        adding: usize,
        override_reason: Option<&str>,
    ) -> Result<Option<String>> {
        let limit = self.store.customer_settings()?.holding_limit as usize;
        if limit == 0 || adding == 0 {
            return Ok(None);
        }
        let held = self.store.customer_ids_of(Some(owner.id))?.len();
        if held + adding <= limit {
            return Ok(None);
        }
        match override_reason.filter(|r| !r.trim().is_empty()) {
            Some(reason) => {
                Actor::User(me).require_admin()?;
                Ok(Some(validate::text(
                    Field::Reason,
                    reason,
                    validate::MAX_LONG,
                )?))
            }
            None => Err(Error::HoldingLimit {
                user: owner.name.clone(),
                held: held as u32,
                limit: limit as u32,
            }),
        }
    }

    /// The owner a customer is about to get, checked against the limit;
    /// `None` (the pool) always may.
    pub(super) fn check_new_owner(
        &self,
        me: &User,
        owner: Option<Id>,
        override_reason: Option<&str>,
    ) -> Result<Option<String>> {
        let Some(owner) = owner else {
            return Ok(None);
        };
        let owner = self
            .store
            .user(owner)?
            .ok_or(Error::invalid(Field::Owner, crate::error::Problem::Unknown))?;
        self.check_holding_limit(me, &owner, 1, override_reason)
    }

    /// When the customer's clock for the return to the pool last started:
    /// its latest activity, a won deal, or its owner taking it (an owner who
    /// just got a customer has the full time). Edits do not count: a tag
    /// added in bulk or the hot flag is no work with the customer.
    pub fn last_worked_on(&self, customer: &Customer) -> Result<DateTime<Utc>> {
        let mut last = customer.created_at;
        if let Some(at) = self.store.last_activity(customer.id)? {
            last = last.max(at);
        }
        for deal in self.store.deals_of_customer(customer.id)? {
            if deal.status == DealStatus::Won {
                last = last.max(deal.stage_entered_at);
            }
        }
        for change in self.store.changes_of(customer.id)? {
            if change.field == "owner" {
                last = last.max(change.at);
            }
        }
        Ok(last)
    }

    /// When a held customer goes back to the pool if nobody works on it;
    /// `None` when the rule is off or the customer is in the pool.
    pub fn pool_return_at(&self, customer: &Customer) -> Result<Option<DateTime<Utc>>> {
        let days = self.store.customer_settings()?.pool_return_days;
        if days == 0 || customer.owner.is_none() {
            return Ok(None);
        }
        Ok(Some(
            self.last_worked_on(customer)? + chrono::Duration::days(days.into()),
        ))
    }
}

/// The audit line of an owner change over the holding limit.
pub(super) fn override_line(customer: &Customer, by: Id, reason: String) -> FieldChange {
    FieldChange {
        record: customer.id,
        by,
        at: customer.updated_at,
        field: LIMIT_OVERRIDE_FIELD.into(),
        old: String::new(),
        new: reason,
    }
}
