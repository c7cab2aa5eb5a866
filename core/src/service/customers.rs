//! Customers and contacts: visibility, validation, duplicate warnings, the
//! audit trail, the public pool and the recycle bin.

use chrono::Utc;

use super::pool::override_line;
use super::{Actor, Guanxi, audit};
use crate::domain::{matching, quotes, validate, visibility};
use crate::error::{Error, Field, Problem, Result};
use crate::store::CustomerQuery;

/// The most customers one bulk action takes: a few list pages' worth.
pub const MAX_BULK: usize = 1000;

#[derive(Clone, Debug, PartialEq)]
pub enum BulkAction {
    AddTag(String),
    Release,
    /// To a user, or `None` for the pool.
    Assign(Option<Id>),
}

use crate::model::{
    AuditAction, AuditEntry, AuditKind, BinnedKind, BinnedRecord, BulkOutcome, Contact,
    ContactInput, Customer, CustomerInput, CustomerSettings, CustomerTypes, DocumentKind,
    DocumentRef, DuplicateField, DuplicateHint, Facets, FieldChange, Hit, HotFlag, Id, User,
};

/// A customer as the form or the importer sent it, cleaned. Its type must
/// be offered (built-in or not retired), or be `current_type`: a retired
/// type stays on the customers that have it.
pub(super) fn clean_customer(
    input: &CustomerInput,
    settings: &CustomerSettings,
    types: &CustomerTypes,
    current_type: Option<&str>,
) -> Result<CustomerInput> {
    let opt =
        |field, value: &Option<String>, max| validate::optional_text(field, value.as_deref(), max);
    // An API client may leave the type out: new customers are prospects.
    let customer_type = match input.customer_type.trim() {
        "" => "potential".to_string(),
        code => code.to_string(),
    };
    if !types.is_offered(&customer_type) && current_type != Some(customer_type.as_str()) {
        return Err(Error::invalid(Field::CustomerType, Problem::Unknown));
    }
    Ok(CustomerInput {
        name: validate::text(Field::Name, &input.name, validate::MAX_CUSTOMER_NAME)?,
        kind: input.kind,
        customer_type,
        source: opt(Field::Source, &input.source, validate::MAX_SHORT)?,
        industry: opt(Field::Industry, &input.industry, validate::MAX_SHORT)?,
        region: opt(Field::Region, &input.region, validate::MAX_SHORT)?,
        grade: opt(Field::Grade, &input.grade, validate::MAX_SHORT)?,
        tags: validate::tags(&input.tags)?,
        phone: validate::phone(Field::Phone, input.phone.as_deref())?,
        email: validate::optional_email(input.email.as_deref())?,
        address: opt(Field::Address, &input.address, validate::MAX_LONG)?,
        website: validate::website(input.website.as_deref())?,
        notes: opt(Field::Notes, &input.notes, validate::MAX_NOTES)?,
        custom: validate::custom_values(&settings.custom_fields, &input.custom)?,
    })
}

pub(super) fn clean_contact(input: &ContactInput) -> Result<ContactInput> {
    let opt =
        |field, value: &Option<String>, max| validate::optional_text(field, value.as_deref(), max);
    let mut phones = Vec::new();
    for phone in &input.phones {
        phones.extend(validate::phone(Field::Phone, Some(phone))?);
    }
    Ok(ContactInput {
        name: validate::text(Field::Name, &input.name, validate::MAX_NAME)?,
        title: opt(Field::Title, &input.title, validate::MAX_SHORT)?,
        phones,
        email: validate::optional_email(input.email.as_deref())?,
        wechat: opt(Field::Wechat, &input.wechat, validate::MAX_SHORT)?,
        birthday: validate::birthday(input.birthday, latest_today())?,
        notes: opt(Field::Notes, &input.notes, validate::MAX_NOTES)?,
        role: input.role,
    })
}

/// Today where the day is furthest along (UTC+14): a birthday typed as
/// today anywhere on earth is never refused as in the future.
fn latest_today() -> chrono::NaiveDate {
    (Utc::now() + chrono::Duration::hours(14)).date_naive()
}

/// The fields an edit changed, as audit lines.
pub(super) fn diff(before: &Customer, after: &Customer, by: Id) -> Vec<FieldChange> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let fields: [(&str, String, String); 14] = [
        ("name", before.name.clone(), after.name.clone()),
        (
            "kind",
            format!("{:?}", before.kind),
            format!("{:?}", after.kind),
        ),
        (
            "type",
            before.customer_type.clone(),
            after.customer_type.clone(),
        ),
        ("source", text(&before.source), text(&after.source)),
        ("industry", text(&before.industry), text(&after.industry)),
        ("region", text(&before.region), text(&after.region)),
        ("grade", text(&before.grade), text(&after.grade)),
        ("tags", before.tags.join(", "), after.tags.join(", ")),
        ("phone", text(&before.phone), text(&after.phone)),
        ("email", text(&before.email), text(&after.email)),
        ("address", text(&before.address), text(&after.address)),
        ("website", text(&before.website), text(&after.website)),
        ("notes", text(&before.notes), text(&after.notes)),
        (
            "owner",
            before.owner.map(|o| o.to_string()).unwrap_or_default(),
            after.owner.map(|o| o.to_string()).unwrap_or_default(),
        ),
    ];
    let hot = |c: &Customer| c.hot.as_ref().map(|h| h.hint.clone()).unwrap_or_default();
    let mut fields: Vec<(String, String, String)> = fields
        .into_iter()
        .map(|(f, old, new)| (f.to_string(), old, new))
        .collect();
    fields.push(("hot".into(), hot(before), hot(after)));
    let keys: std::collections::BTreeSet<&String> =
        before.custom.keys().chain(after.custom.keys()).collect();
    for key in keys {
        let value = |c: &Customer| c.custom.get(key).cloned().unwrap_or_default();
        fields.push((format!("custom.{key}"), value(before), value(after)));
    }
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| FieldChange {
            record: after.id,
            by,
            at: after.updated_at,
            field,
            old,
            new,
        })
        .collect()
}

impl Guanxi {
    fn owner_of(&self, customer: &Customer) -> Result<Option<User>> {
        customer
            .owner
            .map(|id| self.store.user(id))
            .transpose()
            .map(Option::flatten)
    }

    /// A customer the actor may see; others read as not found, so ids do not
    /// reveal what exists.
    pub fn customer(&self, me: &User, id: Id) -> Result<Customer> {
        let customer = self
            .store
            .customer(id)?
            .filter(|c| c.deleted_at.is_none())
            .ok_or(Error::NotFound)?;
        if !visibility::can_see(me, self.owner_of(&customer)?.as_ref()) {
            return Err(Error::NotFound);
        }
        Ok(customer)
    }

    pub(super) fn editable_customer(&self, me: &User, id: Id) -> Result<Customer> {
        let customer = self.customer(me, id)?;
        if !visibility::can_edit(me, self.owner_of(&customer)?.as_ref()) {
            return Err(Error::Forbidden);
        }
        Ok(customer)
    }

    /// Existing customers that share the name, a phone or the email.
    pub fn possible_duplicates(
        &self,
        input: &CustomerInput,
        contacts: &[ContactInput],
    ) -> Result<Vec<DuplicateHint>> {
        let mut keys = vec![(DuplicateField::Name, matching::name_key(&input.name))];
        let phones = input
            .phone
            .iter()
            .chain(contacts.iter().flat_map(|c| &c.phones));
        keys.extend(
            phones.filter_map(|p| matching::phone_key(p).map(|k| (DuplicateField::Phone, k))),
        );
        let emails = input
            .email
            .iter()
            .chain(contacts.iter().filter_map(|c| c.email.as_ref()));
        keys.extend(emails.map(|e| (DuplicateField::Email, matching::email_key(e))));
        let mut matches = self.store.customers_matching(&keys)?;
        {
            let directory = self.store.directory();
            for contact in contacts {
                for found in directory.contact_matches(
                    &contact.name,
                    &contact.phones,
                    contact.email.as_deref(),
                ) {
                    if !matches.iter().any(|(id, _)| *id == found.0) {
                        matches.push(found);
                    }
                }
            }
        }
        let mut hints = Vec::new();
        for (id, matched_on) in matches {
            if let Some(c) = self.store.customer(id)? {
                hints.push(DuplicateHint {
                    customer_id: id,
                    customer_name: c.name,
                    matched_on,
                });
            }
        }
        Ok(hints)
    }

    fn contact_duplicates(&self, contact: &ContactInput) -> Result<Vec<DuplicateHint>> {
        let matches = self.store.directory().contact_matches(
            &contact.name,
            &contact.phones,
            contact.email.as_deref(),
        );
        let mut hints = Vec::new();
        for (id, matched_on) in matches {
            if let Some(c) = self.store.customer(id)? {
                hints.push(DuplicateHint {
                    customer_id: id,
                    customer_name: c.name,
                    matched_on,
                });
            }
        }
        Ok(hints)
    }

    /// Creates a customer owned by `me`, with its first contacts. Unless
    /// `confirmed`, a likely duplicate is refused with the matches so the user
    /// can look before saving again.
    pub fn create_customer(
        &self,
        me: &User,
        input: CustomerInput,
        contacts: Vec<ContactInput>,
        confirmed: bool,
    ) -> Result<Customer> {
        self.create_customer_with(me, input, contacts, confirmed, None)
    }

    /// `create_customer`, within `me`'s holding limit unless an admin gives
    /// `override_reason` (kept in the customer's audit trail).
    pub fn create_customer_with(
        &self,
        me: &User,
        input: CustomerInput,
        contacts: Vec<ContactInput>,
        confirmed: bool,
        override_reason: Option<&str>,
    ) -> Result<Customer> {
        let input = clean_customer(
            &input,
            &self.store.customer_settings()?,
            &self.store.customer_types()?,
            None,
        )?;
        let contacts = contacts
            .iter()
            .map(clean_contact)
            .collect::<Result<Vec<_>>>()?;
        if !confirmed {
            let hints = self.possible_duplicates(&input, &contacts)?;
            if !hints.is_empty() {
                return Err(Error::PossibleDuplicates(hints));
            }
        }
        let over_limit = self.check_holding_limit(me, me, 1, override_reason)?;
        let customer = Customer::new(input, Some(me.id), me.id, Utc::now());
        let contacts: Vec<Contact> = contacts
            .into_iter()
            .map(|c| new_contact(customer.id, c))
            .collect();
        let audit: Vec<FieldChange> = over_limit
            .map(|reason| override_line(&customer, me.id, reason))
            .into_iter()
            .collect();
        self.store.audited(|lines| {
            lines.push(customer_created(me.id, &customer));
            for contact in &contacts {
                lines.push(contact_changed(me.id, None, Some(contact)));
            }
            self.store
                .insert_customer_audited(&customer, &contacts, &audit)
        })?;
        Ok(customer)
    }

    pub fn update_customer(
        &self,
        me: &User,
        id: Id,
        input: CustomerInput,
        version: u64,
    ) -> Result<Customer> {
        let current = self.editable_customer(me, id)?;
        let input = clean_customer(
            &input,
            &self.store.customer_settings()?,
            &self.store.customer_types()?,
            Some(&current.customer_type),
        )?;
        let edited = Customer {
            name: input.name,
            kind: input.kind,
            customer_type: input.customer_type,
            source: input.source,
            industry: input.industry,
            region: input.region,
            grade: input.grade,
            tags: input.tags,
            phone: input.phone,
            email: input.email,
            address: input.address,
            website: input.website,
            notes: input.notes,
            custom: input.custom,
            updated_at: Utc::now(),
            version,
            ..current.clone()
        };
        self.store
            .update_customer(&edited, &diff(&current, &edited, me.id))
    }

    /// Owners whose customers `me` may see (besides the pool); `None` for all.
    fn visible_owners(&self, me: &User) -> Result<Option<Vec<Id>>> {
        if me.role.is_admin() {
            return Ok(None);
        }
        Ok(Some(
            self.store
                .users()?
                .iter()
                .filter(|u| visibility::can_see(me, Some(u)))
                .map(|u| u.id)
                .collect(),
        ))
    }

    /// The query with its team read as the team's members.
    fn team_query<'q>(
        &self,
        query: &'q CustomerQuery,
    ) -> Result<std::borrow::Cow<'q, CustomerQuery>> {
        if query.team.is_empty() {
            return Ok(std::borrow::Cow::Borrowed(query));
        }
        let members = self
            .store
            .users()?
            .into_iter()
            .filter(|u| u.team.as_deref() == Some(query.team.as_str()))
            .map(|u| u.id)
            .collect();
        Ok(std::borrow::Cow::Owned(CustomerQuery {
            owners: Some(members),
            ..query.clone()
        }))
    }

    /// As `list_customers`, the ids only: the page's customers unread.
    pub(super) fn list_customer_ids(
        &self,
        me: &User,
        query: &CustomerQuery,
    ) -> Result<(usize, Vec<Id>)> {
        let owners = self.visible_owners(me)?;
        let query = self.team_query(query)?;
        Ok(self.store.directory().query(&query, owners.as_deref()))
    }

    /// The ids of one page of the customers `me` may see that match
    /// `query`, uncounted (`Directory::page_uncounted`).
    pub(super) fn first_customer_ids(&self, me: &User, query: &CustomerQuery) -> Result<Vec<Id>> {
        let owners = self.visible_owners(me)?;
        let query = self.team_query(query)?;
        Ok(self
            .store
            .directory()
            .page_uncounted(&query, owners.as_deref()))
    }

    /// One page of the customers `me` may see that match `query`, and how
    /// many match in all.
    pub fn list_customers(
        &self,
        me: &User,
        query: &CustomerQuery,
    ) -> Result<(usize, Vec<Customer>)> {
        let owners = self.visible_owners(me)?;
        let query = self.team_query(query)?;
        let (total, ids) = self.store.directory().query(&query, owners.as_deref());
        Ok((total, self.store.customers(&ids)?))
    }

    /// The header search: customers, contacts and deals `me` may see, at
    /// most `limit` of each. Deals are found by title or by their
    /// customer's name and seen by any of their owners.
    pub fn search(&self, me: &User, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let owners = self.visible_owners(me)?;
        // One scan of the directory's text for both; the directory is let
        // go before the deals are read (deal boards lock first).
        let (mut hits, named) =
            self.store
                .directory()
                .search_with_customers(text, owners.as_deref(), limit);
        let mut named_customers = None;
        if let Some((folded, customers)) = named {
            hits.extend(self.store.search_deals(
                &folded,
                customers.as_deref(),
                owners.as_deref(),
                limit,
            )?);
            named_customers = customers;
        }
        for kind in [DocumentKind::Contract, DocumentKind::Quote] {
            hits.extend(self.document_hits(me, kind, text, named_customers.as_deref(), limit)?);
        }
        Ok(hits)
    }

    /// The search box's quotes or contracts: those whose number the text
    /// names (`quotes::number_searches`), then those of the customers it
    /// named when they are few, at most `limit` that `me` may see.
    fn document_hits(
        &self,
        me: &User,
        kind: DocumentKind,
        text: &str,
        customers: Option<&[u128]>,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        // Past this many, a name is too vague to list documents by (the
        // customers are in the hits already).
        const FEW_CUSTOMERS: usize = 20;
        // Read a few more than shown, for those `me` may not see.
        let candidates = limit * 4;
        let searches = quotes::number_searches(text);
        let mut ids = self.store.documents_numbered(kind, &searches, candidates)?;
        if let Some(customers) = customers.filter(|c| c.len() <= FEW_CUSTOMERS) {
            ids.extend(
                self.store
                    .documents_of_customers(kind, customers, candidates)?,
            );
        }
        let mut seen = std::collections::HashSet::new();
        let mut hits = Vec::new();
        for id in ids.into_iter().filter(|id| seen.insert(*id)) {
            if hits.len() >= limit {
                break;
            }
            let found = match kind {
                DocumentKind::Quote => match self.store.quote(Id(id))? {
                    Some(q) if self.may_see_quote(me, &q)? => Some((q.customer_id, q.number)),
                    _ => None,
                },
                DocumentKind::Contract => match self.store.contract(Id(id))? {
                    Some(c) if self.may_see_contract(me, &c)? => Some((c.customer_id, c.number)),
                    _ => None,
                },
            };
            let Some((customer, number)) = found else {
                continue;
            };
            hits.push(Hit {
                customer,
                customer_name: self
                    .store
                    .directory()
                    .customer_name(customer)
                    .unwrap_or_default(),
                contact_name: None,
                deal_id: None,
                deal_title: None,
                document: Some(DocumentRef {
                    kind,
                    id: Id(id),
                    number,
                }),
            });
        }
        Ok(hits)
    }

    /// The tags, regions and industries in use among what `me` may see.
    pub fn customer_facets(&self, me: &User) -> Result<Facets> {
        let owners = self.visible_owners(me)?;
        Ok(self.store.directory().facets(owners.as_deref()))
    }

    /// Every customer `me` may see, newest change first (small lists and tests).
    pub fn visible_customers(&self, me: &User) -> Result<Vec<Customer>> {
        let query = CustomerQuery {
            descending: true,
            limit: usize::MAX,
            ..Default::default()
        };
        Ok(self.list_customers(me, &query)?.1)
    }

    /// Adds a contact to a customer; unless `confirmed`, one that looks like
    /// an existing contact (name, phone or email) is refused with the matches.
    pub fn add_contact(
        &self,
        me: &User,
        customer: Id,
        input: ContactInput,
        confirmed: bool,
    ) -> Result<Contact> {
        self.editable_customer(me, customer)?;
        let input = clean_contact(&input)?;
        if !confirmed {
            let hints = self.contact_duplicates(&input)?;
            if !hints.is_empty() {
                return Err(Error::PossibleDuplicates(hints));
            }
        }
        let contact = new_contact(customer, input);
        self.store.audited(|lines| {
            lines.push(contact_changed(me.id, None, Some(&contact)));
            self.store.insert_contact(&contact)
        })?;
        Ok(contact)
    }

    pub fn contacts(&self, me: &User, customer: Id) -> Result<Vec<Contact>> {
        self.customer(me, customer)?;
        self.store.contacts_of(customer)
    }

    pub fn customer_changes(&self, me: &User, customer: Id) -> Result<Vec<FieldChange>> {
        self.customer(me, customer)?;
        self.store.changes_of(customer)
    }

    /// Takes a pool customer, within the per-rep holding limit of the settings.
    pub fn claim_customer(&self, me: &User, id: Id, version: u64) -> Result<Customer> {
        let current = self.customer(me, id)?;
        if current.owner.is_some() {
            return Err(Error::Conflict);
        }
        self.check_holding_limit(me, me, 1, None)?;
        self.set_owner(me, current, Some(me.id), version, None)
    }

    /// Gives a customer back to the public pool.
    pub fn release_customer(&self, me: &User, id: Id, version: u64) -> Result<Customer> {
        let current = self.editable_customer(me, id)?;
        self.set_owner(me, current, None, version, None)
    }

    /// A manager or admin hands a customer to someone (or the pool).
    pub fn assign_customer(
        &self,
        me: &User,
        id: Id,
        to: Option<Id>,
        version: u64,
    ) -> Result<Customer> {
        self.assign_customer_with(me, id, to, version, None)
    }

    /// `assign_customer`, within the receiver's holding limit unless an
    /// admin gives `override_reason` (kept in the customer's audit trail).
    pub fn assign_customer_with(
        &self,
        me: &User,
        id: Id,
        to: Option<Id>,
        version: u64,
        override_reason: Option<&str>,
    ) -> Result<Customer> {
        if me.role == crate::model::Role::Rep {
            return Err(Error::Forbidden);
        }
        let current = self.editable_customer(me, id)?;
        if let Some(to) = to {
            let target = self
                .store
                .user(to)?
                .filter(|u| u.active)
                .ok_or(Error::invalid(Field::Owner, Problem::Unknown))?;
            if !visibility::can_see(me, Some(&target)) {
                return Err(Error::Forbidden);
            }
        }
        let over_limit = if to == current.owner {
            None
        } else {
            self.check_new_owner(me, to, override_reason)?
        };
        self.set_owner(me, current, to, version, over_limit)
    }

    fn set_owner(
        &self,
        me: &User,
        current: Customer,
        owner: Option<Id>,
        version: u64,
        over_limit: Option<String>,
    ) -> Result<Customer> {
        let moved = Customer {
            owner,
            updated_at: Utc::now(),
            version,
            ..current.clone()
        };
        let mut changes = diff(&current, &moved, me.id);
        changes.extend(over_limit.map(|reason| override_line(&moved, me.id, reason)));
        self.store.update_customer(&moved, &changes)
    }

    /// Flags a customer hot with a one-line hint, or clears the flag (`None`).
    pub fn set_hot(
        &self,
        me: &User,
        id: Id,
        hint: Option<String>,
        version: u64,
    ) -> Result<Customer> {
        let current = self.editable_customer(me, id)?;
        let hot = match hint {
            None => None,
            Some(hint) => Some(HotFlag {
                hint: validate::optional_text(Field::Notes, Some(&hint), validate::MAX_LONG)?
                    .unwrap_or_default(),
            }),
        };
        let edited = Customer {
            hot,
            updated_at: Utc::now(),
            version,
            ..current.clone()
        };
        self.store
            .update_customer(&edited, &diff(&current, &edited, me.id))
    }

    /// Returns held customers nobody has worked on (see `last_worked_on`)
    /// for the settings' number of days to the public pool; the audit trail
    /// names no user (id 0).
    /// Returns how many went back.
    pub fn return_idle_customers(&self, now: chrono::DateTime<Utc>) -> Result<usize> {
        let days = self.store.customer_settings()?.pool_return_days;
        if days == 0 {
            return Ok(0);
        }
        let cutoff = now - chrono::Duration::days(days.into());
        let mut returned = 0;
        for user in self.store.users()? {
            for id in self.store.customer_ids_of(Some(user.id))? {
                let Some(customer) = self.store.customer(id)? else {
                    continue;
                };
                // The cheap reads first: most held customers were worked on.
                let recent = customer.created_at >= cutoff
                    || self.store.last_activity(id)?.is_some_and(|at| at >= cutoff);
                if recent || self.last_worked_on(&customer)? >= cutoff {
                    continue;
                }
                let moved = Customer {
                    owner: None,
                    updated_at: now,
                    ..customer.clone()
                };
                match self
                    .store
                    .update_customer(&moved, &diff(&customer, &moved, Id(0)))
                {
                    Ok(_) => returned += 1,
                    // Someone saved it in between: they are working on it.
                    Err(Error::Conflict) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(returned)
    }

    /// Applies one action to many customers, each in its own transaction:
    /// one that fails (gone, not allowed, over the limit) is counted and the
    /// rest go ahead, so a long list is never left half-done by one bad row.
    pub fn bulk_customers(
        &self,
        me: &User,
        ids: &[Id],
        action: &BulkAction,
    ) -> Result<BulkOutcome> {
        self.bulk_customers_with(me, ids, action, None)
    }

    /// `bulk_customers`, assigning over the holding limit with an admin's
    /// reason (audited on each customer it took over the limit).
    pub fn bulk_customers_with(
        &self,
        me: &User,
        ids: &[Id],
        action: &BulkAction,
        override_reason: Option<&str>,
    ) -> Result<BulkOutcome> {
        if ids.len() > MAX_BULK {
            return Err(Error::invalid(
                Field::Customer,
                Problem::TooLong {
                    max: MAX_BULK as u32,
                },
            ));
        }
        if let BulkAction::AddTag(tag) = action {
            validate::tags(std::slice::from_ref(tag))?;
            if tag.trim().is_empty() {
                return Err(Error::invalid(Field::Tags, Problem::Required));
            }
        }
        let mut outcome = BulkOutcome::default();
        for &id in ids {
            let result = (|| {
                let current = self.customer(me, id)?;
                match action {
                    BulkAction::AddTag(tag) => {
                        let current = self.editable_customer(me, id)?;
                        let tag = tag.trim().to_string();
                        if current.tags.contains(&tag) {
                            return Ok(());
                        }
                        let mut tags = current.tags.clone();
                        tags.push(tag);
                        let edited = Customer {
                            tags: validate::tags(&tags)?,
                            updated_at: Utc::now(),
                            ..current.clone()
                        };
                        self.store
                            .update_customer(&edited, &diff(&current, &edited, me.id))
                            .map(|_| ())
                    }
                    BulkAction::Release => {
                        self.release_customer(me, id, current.version).map(|_| ())
                    }
                    BulkAction::Assign(to) => self
                        .assign_customer_with(me, id, *to, current.version, override_reason)
                        .map(|_| ()),
                }
            })();
            match result {
                Ok(()) => outcome.done += 1,
                Err(e @ (Error::Internal(_) | Error::StorageFull | Error::StorageUnavailable)) => {
                    return Err(e);
                }
                Err(e) => {
                    outcome.skipped += 1;
                    outcome.first_problem.get_or_insert(e);
                }
            }
        }
        Ok(outcome)
    }

    /// Moves a customer to the recycle bin (owner, manager or admin).
    pub fn recycle_customer(&self, me: &User, id: Id) -> Result<()> {
        self.editable_customer(me, id)?;
        self.store.recycle_customer(id, Utc::now(), me.id)
    }

    pub fn restore_customer(&self, actor: Actor, by: Id, id: Id) -> Result<Customer> {
        actor.require_admin()?;
        self.store.restore_customer(id, Utc::now(), by)
    }

    /// What is in the recycle bin (admins).
    pub fn recycled_customers(&self, actor: Actor) -> Result<Vec<Customer>> {
        actor.require_admin()?;
        let mut out = Vec::new();
        for id in self.store.recycled_customer_ids()? {
            out.extend(self.store.customer(id)?);
        }
        Ok(out)
    }

    /// Deletes a binned customer for good; the audit log keeps its entries
    /// and says who purged it.
    pub fn purge_customer(&self, actor: Actor, id: Id) -> Result<()> {
        actor.require_admin()?;
        let customer = self.store.customer(id)?.ok_or(Error::NotFound)?;
        let purged = audit::entry(
            audit::actor_id(actor),
            AuditKind::Customer,
            AuditAction::Purge,
            Some(id),
            customer.name,
            Vec::new(),
        );
        let deals = self.store.audited(|lines| {
            lines.push(purged);
            self.store.purge_customer(id)
        })?;
        for deal in deals {
            self.deal_changed(&deal);
        }
        Ok(())
    }

    /// The deals, contacts and activities in the recycle bin, most recently
    /// deleted first (admins).
    pub fn binned_records(&self, actor: Actor) -> Result<Vec<BinnedRecord>> {
        actor.require_admin()?;
        self.store.binned_records()
    }

    /// Puts a binned deal, contact or activity back (admins); its customer
    /// must not be in the bin.
    pub fn restore_binned(&self, actor: Actor, by: Id, id: Id) -> Result<BinnedRecord> {
        actor.require_admin()?;
        let line = self.binned_audit_line(actor, id, AuditAction::Restore)?;
        let (restored, deal) = self.store.audited(|lines| {
            lines.push(line);
            self.store.restore_binned(id, by)
        })?;
        if let Some(deal) = deal {
            self.deal_changed(&deal);
        }
        Ok(restored)
    }

    /// Deletes a binned deal, contact or activity for good (admins).
    pub fn purge_binned(&self, actor: Actor, id: Id) -> Result<()> {
        actor.require_admin()?;
        let line = self.binned_audit_line(actor, id, AuditAction::Purge)?;
        self.store
            .audited(|lines| {
                lines.push(line);
                self.store.purge_binned(id)
            })
            .map(|_| ())
    }

    /// The audit log's line for restoring or purging a binned record.
    fn binned_audit_line(&self, actor: Actor, id: Id, action: AuditAction) -> Result<AuditEntry> {
        let record = self
            .store
            .binned_records()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(Error::NotFound)?;
        let kind = match record.kind {
            BinnedKind::Deal => AuditKind::Deal,
            BinnedKind::Contact => AuditKind::Contact,
            BinnedKind::Activity => AuditKind::Activity,
        };
        Ok(audit::entry(
            audit::actor_id(actor),
            kind,
            action,
            Some(id),
            record.label,
            Vec::new(),
        ))
    }
}

/// A new customer as an audit entry. Its later changes reach the log
/// through its audit trail (`store::customers::record_changes`).
pub(super) fn customer_created(by: Id, customer: &Customer) -> AuditEntry {
    audit::changed(
        Some(by),
        AuditKind::Customer,
        Some(customer.id),
        customer.name.clone(),
        None,
        Some(customer),
    )
}

/// A contact created, edited (both given) or deleted, as an audit entry.
pub(super) fn contact_changed(
    by: Id,
    before: Option<&Contact>,
    after: Option<&Contact>,
) -> AuditEntry {
    let contact = after.or(before);
    audit::changed(
        Some(by),
        AuditKind::Contact,
        contact.map(|c| c.id),
        contact.map(|c| c.name.clone()).unwrap_or_default(),
        before,
        after,
    )
}

pub(super) fn new_contact(customer: Id, c: ContactInput) -> Contact {
    let now = Utc::now();
    Contact {
        id: Id::generate(),
        customer_id: customer,
        name: c.name,
        title: c.title,
        phones: c.phones,
        email: c.email,
        wechat: c.wechat,
        birthday: c.birthday,
        notes: c.notes,
        role: c.role,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{person, set_up_company};
    use super::*;
    use crate::model::{DecisionRole, Role};

    fn input(name: &str) -> CustomerInput {
        CustomerInput {
            name: name.into(),
            customer_type: "potential".into(),
            phone: Some("010-8888 6666".into()),
            tags: vec!["重点".into()],
            ..Default::default()
        }
    }

    #[test]
    fn create_with_two_contacts_and_read_back() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let contacts = vec![
            ContactInput {
                name: "张伟".into(),
                role: Some(DecisionRole::DecisionMaker),
                phones: vec!["139 0000 1111".into()],
                ..Default::default()
            },
            ContactInput {
                name: "刘洋".into(),
                role: Some(DecisionRole::Influencer),
                ..Default::default()
            },
        ];
        let c = gx
            .create_customer(&li, input("北京星辰科技有限公司"), contacts, false)
            .unwrap();
        assert_eq!(c.owner, Some(li.id));
        let names: Vec<String> = gx
            .contacts(&li, c.id)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, vec!["张伟", "刘洋"]);
    }

    #[test]
    fn bad_input_names_the_field_and_saves_nothing() {
        let (_dir, gx, admin) = set_up_company();
        let mut bad = input("星辰");
        bad.email = Some("not an email".into());
        assert!(matches!(
            gx.create_customer(&admin, bad, vec![], false),
            Err(Error::Invalid {
                field: Field::Email,
                ..
            })
        ));
        let mut bad_type = input("星辰");
        bad_type.customer_type = "vip".into();
        assert_eq!(
            gx.create_customer(&admin, bad_type, vec![], false),
            Err(Error::invalid(Field::CustomerType, Problem::Unknown))
        );
        assert!(gx.visible_customers(&admin).unwrap().is_empty());
    }

    #[test]
    fn duplicate_warning_until_confirmed() {
        let (_dir, gx, admin) = set_up_company();
        gx.create_customer(&admin, input("北京星辰科技有限公司"), vec![], false)
            .unwrap();
        let mut other = input("星辰科技(北京)");
        other.phone = Some("+86 010 8888-6666".into());
        let Err(Error::PossibleDuplicates(hints)) =
            gx.create_customer(&admin, other.clone(), vec![], false)
        else {
            panic!("expected a duplicate warning");
        };
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].matched_on, DuplicateField::Phone);
        assert!(gx.create_customer(&admin, other, vec![], true).is_ok());
    }

    #[test]
    fn rep_cannot_read_other_reps_customer() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let wang = person(&gx, &admin, "wang@x.cn", Role::Rep, Some("华东"));
        let manager = person(&gx, &admin, "m@x.cn", Role::Manager, Some("华东"));
        let north = person(&gx, &admin, "n@x.cn", Role::Manager, Some("华北"));
        let c = gx
            .create_customer(&li, input("星辰"), vec![], false)
            .unwrap();
        assert_eq!(gx.customer(&wang, c.id), Err(Error::NotFound));
        assert_eq!(gx.contacts(&wang, c.id), Err(Error::NotFound));
        assert!(gx.customer(&manager, c.id).is_ok());
        assert_eq!(gx.customer(&north, c.id), Err(Error::NotFound));
        assert_eq!(gx.visible_customers(&wang).unwrap(), vec![]);
        assert_eq!(gx.visible_customers(&manager).unwrap().len(), 1);
    }

    #[test]
    fn edits_are_audited_and_stale_saves_conflict() {
        let (_dir, gx, admin) = set_up_company();
        let c = gx
            .create_customer(&admin, input("星辰"), vec![], false)
            .unwrap();
        let mut renamed = input("星辰科技");
        renamed.region = Some("上海".into());
        let saved = gx
            .update_customer(&admin, c.id, renamed.clone(), c.version)
            .unwrap();
        let changes = gx.customer_changes(&admin, c.id).unwrap();
        let fields: Vec<(&str, &str, &str)> = changes
            .iter()
            .map(|ch| (ch.field.as_str(), ch.old.as_str(), ch.new.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![("name", "星辰", "星辰科技"), ("region", "", "上海")]
        );
        assert_eq!(
            gx.update_customer(&admin, c.id, input("别的名字"), c.version),
            Err(Error::Conflict)
        );
        assert_eq!(gx.customer(&admin, c.id).unwrap(), saved);
    }

    #[test]
    fn pool_claim_release_assign_with_holding_limit() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let a = gx
            .create_customer(&li, input("甲公司"), vec![], false)
            .unwrap();
        let released = gx.release_customer(&li, a.id, a.version).unwrap();
        assert_eq!(released.owner, None);
        assert_eq!(
            gx.update_customer(&li, a.id, input("甲"), released.version),
            Err(Error::Forbidden),
            "a pool customer is claimed before it is edited"
        );
        let claimed = gx.claim_customer(&li, a.id, released.version).unwrap();
        assert_eq!(claimed.owner, Some(li.id));

        let b = gx
            .create_customer(&admin, input("乙公司"), vec![], true)
            .unwrap();
        let b = gx.assign_customer(&admin, b.id, None, b.version).unwrap();
        gx.update_customer_settings(
            Actor::User(&admin),
            CustomerSettings {
                holding_limit: 1,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            gx.claim_customer(&li, b.id, b.version),
            Err(Error::HoldingLimit {
                user: "li@x.cn".into(),
                held: 1,
                limit: 1
            })
        );
        assert_eq!(
            gx.assign_customer(&li, b.id, Some(li.id), b.version),
            Err(Error::Forbidden)
        );
        let given = gx
            .assign_customer_with(
                &admin,
                b.id,
                Some(li.id),
                b.version,
                Some("大客户，李经理熟悉"),
            )
            .unwrap();
        assert_eq!(given.owner, Some(li.id));
    }

    fn limit_of(gx: &Guanxi, admin: &User, holding_limit: u32) {
        let version = gx.customer_settings().unwrap().version;
        gx.update_customer_settings(
            Actor::User(admin),
            CustomerSettings {
                holding_limit,
                version,
                ..Default::default()
            },
        )
        .unwrap();
    }

    #[test]
    fn creating_a_customer_respects_the_holding_limit() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        limit_of(&gx, &admin, 1);
        gx.create_customer(&li, input("甲公司"), vec![], false)
            .unwrap();
        let over = gx.create_customer(&li, input("乙公司"), vec![], true);
        assert_eq!(
            over,
            Err(Error::HoldingLimit {
                user: "li@x.cn".into(),
                held: 1,
                limit: 1
            })
        );
        assert_eq!(
            gx.create_customer_with(&li, input("乙公司"), vec![], true, Some("我自己批准")),
            Err(Error::Forbidden),
            "only an admin may go over the limit"
        );
        assert_eq!(gx.visible_customers(&li).unwrap().len(), 1);
        // An admin over their own limit, with a reason that is kept.
        gx.create_customer(&admin, input("丙公司"), vec![], true)
            .unwrap();
        let c = gx
            .create_customer_with(&admin, input("丁公司"), vec![], true, Some("展会名单"))
            .unwrap();
        let audit = gx.customer_changes(&admin, c.id).unwrap();
        assert_eq!(
            audit
                .iter()
                .map(|a| (a.field.as_str(), a.new.as_str(), a.by))
                .collect::<Vec<_>>(),
            vec![("limit_override", "展会名单", admin.id)]
        );
    }

    #[test]
    fn assigning_over_the_limit_needs_an_admins_reason_which_is_audited() {
        let (_dir, gx, admin) = set_up_company();
        let boss = person(&gx, &admin, "boss@x.cn", Role::Manager, Some("华东"));
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let held = gx
            .create_customer(&li, input("甲公司"), vec![], false)
            .unwrap();
        let b = gx
            .create_customer(&boss, input("乙公司"), vec![], true)
            .unwrap();
        let c = gx
            .create_customer(&boss, input("丙公司"), vec![], true)
            .unwrap();
        limit_of(&gx, &admin, 1);
        let refused = Err(Error::HoldingLimit {
            user: "li@x.cn".into(),
            held: 1,
            limit: 1,
        });
        assert_eq!(
            gx.assign_customer(&boss, b.id, Some(li.id), b.version),
            refused
        );
        assert_eq!(
            gx.assign_customer_with(&boss, b.id, Some(li.id), b.version, Some("急")),
            Err(Error::Forbidden),
            "a manager may not override"
        );
        // Re-saving the owner a customer has is no new holding.
        gx.assign_customer(&admin, held.id, Some(li.id), held.version)
            .unwrap();
        let outcome = gx
            .bulk_customers(&boss, &[b.id, c.id], &BulkAction::Assign(Some(li.id)))
            .unwrap();
        assert_eq!((outcome.done, outcome.skipped), (0, 2));
        assert_eq!(outcome.first_problem, refused.clone().err());
        let by_admin = gx
            .bulk_customers_with(
                &admin,
                &[c.id],
                &BulkAction::Assign(Some(li.id)),
                Some("试用"),
            )
            .unwrap();
        assert_eq!((by_admin.done, by_admin.skipped), (1, 0));
        let c = gx.customer(&admin, c.id).unwrap();
        assert!(
            gx.customer_changes(&admin, c.id)
                .unwrap()
                .iter()
                .any(|a| a.field == "limit_override" && a.new == "试用")
        );
        let given = gx
            .assign_customer_with(
                &admin,
                b.id,
                Some(li.id),
                b.version,
                Some("王总批准：老客户介绍"),
            )
            .unwrap();
        assert_eq!(given.owner, Some(li.id));
        let audit = gx.customer_changes(&admin, b.id).unwrap();
        let line = audit.iter().find(|a| a.field == "limit_override").unwrap();
        assert_eq!(
            (line.new.as_str(), line.by),
            ("王总批准：老客户介绍", admin.id)
        );
        // The pool is never over a limit.
        gx.assign_customer(&boss, c.id, None, c.version).unwrap();
    }

    #[test]
    fn only_activities_and_won_deals_restart_the_pool_clock() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        let now = Utc::now();
        let long_ago = now - chrono::Duration::days(40);
        let clean = |name| {
            clean_customer(&input(name), &Default::default(), &Default::default(), None).unwrap()
        };
        let idle = Customer::new(clean("甲公司"), Some(li.id), li.id, long_ago);
        let worked = Customer::new(clean("乙公司"), Some(li.id), li.id, long_ago);
        gx.store.insert_customer(&idle, &[]).unwrap();
        gx.store.insert_customer(&worked, &[]).unwrap();
        gx.update_customer_settings(
            Actor::User(&admin),
            CustomerSettings {
                pool_return_days: 30,
                ..Default::default()
            },
        )
        .unwrap();
        // Edits today: a tag in bulk, the hot flag.
        gx.bulk_customers(&li, &[idle.id], &BulkAction::AddTag("跟进中".into()))
            .unwrap();
        let tagged = gx.customer(&li, idle.id).unwrap();
        let hot = gx
            .set_hot(&li, idle.id, Some("三月签".into()), tagged.version)
            .unwrap();
        assert_eq!(
            gx.pool_return_at(&hot).unwrap(),
            Some(long_ago + chrono::Duration::days(30)),
            "edits do not move the date"
        );
        // A call today.
        gx.log_activity(
            &li,
            crate::model::ActivityInput {
                kind: crate::model::ActivityKind::Call,
                customer_id: worked.id,
                contact_id: None,
                at: None,
                duration_minutes: Some(5),
                text: "约了下周拜访".into(),
                deal_id: None,
            },
        )
        .unwrap();
        let due = gx
            .pool_return_at(&gx.customer(&li, worked.id).unwrap())
            .unwrap()
            .unwrap();
        assert!(due > now + chrono::Duration::days(29));

        assert_eq!(gx.return_idle_customers(Utc::now()).unwrap(), 1);
        assert_eq!(gx.customer(&admin, idle.id).unwrap().owner, None);
        assert_eq!(gx.customer(&admin, worked.id).unwrap().owner, Some(li.id));
        // Claimed again: the new owner gets the full time.
        let back = gx.customer(&li, idle.id).unwrap();
        assert_eq!(
            gx.pool_return_at(&back).unwrap(),
            None,
            "the pool does not return"
        );
        let claimed = gx.claim_customer(&li, idle.id, back.version).unwrap();
        let due = gx.pool_return_at(&claimed).unwrap().unwrap();
        assert!(due > now + chrono::Duration::days(29));
    }

    #[test]
    fn a_won_deal_restarts_the_pool_clock() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        let c = gx
            .create_customer(&li, input("甲公司"), vec![], false)
            .unwrap();
        gx.update_customer_settings(
            Actor::User(&admin),
            CustomerSettings {
                pool_return_days: 30,
                ..Default::default()
            },
        )
        .unwrap();
        let open = gx
            .create_deal(
                &li,
                crate::model::DealInput {
                    customer_id: Some(c.id),
                    title: "年度框架".into(),
                    amount: "1000".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let before = gx.last_worked_on(&gx.customer(&li, c.id).unwrap()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        gx.close_deal(&li, open.id, crate::model::Outcome::Won, "price", None)
            .unwrap();
        let after = gx.last_worked_on(&gx.customer(&li, c.id).unwrap()).unwrap();
        assert!(after > before, "{after} > {before}");
    }

    #[test]
    fn recycle_bin_hides_and_admin_restores() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        let c = gx
            .create_customer(&li, input("星辰"), vec![], false)
            .unwrap();
        gx.recycle_customer(&li, c.id).unwrap();
        assert_eq!(gx.customer(&li, c.id), Err(Error::NotFound));
        assert_eq!(
            gx.restore_customer(Actor::User(&li), li.id, c.id),
            Err(Error::Forbidden)
        );
        gx.restore_customer(Actor::User(&admin), admin.id, c.id)
            .unwrap();
        assert!(gx.customer(&li, c.id).is_ok());
    }

    #[test]
    fn idle_customers_return_to_the_pool_after_the_set_days() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let idle = gx
            .create_customer(&li, input("甲公司"), vec![], false)
            .unwrap();
        let now = Utc::now();
        assert_eq!(
            gx.return_idle_customers(now + chrono::Duration::days(90))
                .unwrap(),
            0
        );
        gx.update_customer_settings(
            Actor::User(&admin),
            CustomerSettings {
                pool_return_days: 30,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            gx.return_idle_customers(now + chrono::Duration::days(10))
                .unwrap(),
            0
        );
        assert_eq!(
            gx.return_idle_customers(now + chrono::Duration::days(31))
                .unwrap(),
            1
        );
        let back = gx.customer(&li, idle.id).unwrap();
        assert_eq!(back.owner, None);
        let change = gx.customer_changes(&admin, idle.id).unwrap().pop().unwrap();
        assert_eq!((change.field.as_str(), change.by), ("owner", Id(0)));
    }

    #[test]
    fn hot_flag_and_custom_fields_are_saved_and_audited() {
        let (_dir, gx, admin) = set_up_company();
        gx.update_customer_settings(
            Actor::User(&admin),
            CustomerSettings {
                custom_fields: vec![crate::model::CustomField {
                    label: "年采购额".into(),
                    kind: crate::model::CustomFieldKind::Number,
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .unwrap();
        let mut with_budget = input("星辰");
        with_budget.custom.insert("f1".into(), "abc".into());
        assert!(matches!(
            gx.create_customer(&admin, with_budget.clone(), vec![], false),
            Err(Error::InvalidCustomField { .. })
        ));
        with_budget.custom.insert("f1".into(), "120,000".into());
        with_budget.custom.insert("gone".into(), "x".into());
        let c = gx
            .create_customer(&admin, with_budget, vec![], false)
            .unwrap();
        assert_eq!(c.custom.get("f1").map(String::as_str), Some("120000"));
        assert!(!c.custom.contains_key("gone"));
        let hot = gx
            .set_hot(&admin, c.id, Some("下周三签约".into()), c.version)
            .unwrap();
        assert_eq!(hot.hot.unwrap().hint, "下周三签约");
        let last = gx.customer_changes(&admin, c.id).unwrap().pop().unwrap();
        assert_eq!(
            (last.field.as_str(), last.new.as_str()),
            ("hot", "下周三签约")
        );
    }

    #[test]
    fn bulk_actions_skip_what_the_user_may_not_touch() {
        let (_dir, gx, admin) = set_up_company();
        let li = person(&gx, &admin, "li@x.cn", Role::Rep, Some("华东"));
        let mine = gx.create_customer(&li, input("甲"), vec![], true).unwrap();
        let theirs = gx
            .create_customer(&admin, input("乙"), vec![], true)
            .unwrap();
        let outcome = gx
            .bulk_customers(
                &li,
                &[mine.id, theirs.id],
                &BulkAction::AddTag("展会".into()),
            )
            .unwrap();
        assert_eq!((outcome.done, outcome.skipped), (1, 1));
        assert_eq!(outcome.first_problem, Some(Error::NotFound));
        assert!(
            gx.customer(&li, mine.id)
                .unwrap()
                .tags
                .contains(&"展会".to_string())
        );
        let released = gx
            .bulk_customers(&li, &[mine.id], &BulkAction::Release)
            .unwrap();
        assert_eq!(released.done, 1);
        assert_eq!(gx.customer(&li, mine.id).unwrap().owner, None);
        let assigned = gx
            .bulk_customers(
                &admin,
                &[mine.id, theirs.id],
                &BulkAction::Assign(Some(li.id)),
            )
            .unwrap();
        assert_eq!(assigned.done, 2);
        assert_eq!(gx.visible_customers(&li).unwrap().len(), 2);
    }

    #[test]
    fn a_new_contact_like_an_existing_one_is_warned_about() {
        let (_dir, gx, admin) = set_up_company();
        let star = gx
            .create_customer(
                &admin,
                input("星辰"),
                vec![ContactInput {
                    name: "张伟".into(),
                    phones: vec!["138 0013 8000".into()],
                    ..Default::default()
                }],
                false,
            )
            .unwrap();
        let other = gx
            .create_customer(&admin, input("明月"), vec![], true)
            .unwrap();
        let same_phone = ContactInput {
            name: "张先生".into(),
            phones: vec!["+86 13800138000".into()],
            ..Default::default()
        };
        let Err(Error::PossibleDuplicates(hints)) =
            gx.add_contact(&admin, other.id, same_phone.clone(), false)
        else {
            panic!("expected a duplicate warning");
        };
        assert_eq!(hints[0].customer_id, star.id);
        assert_eq!(hints[0].matched_on, DuplicateField::Phone);
        assert!(gx.add_contact(&admin, other.id, same_phone, true).is_ok());
    }
}
