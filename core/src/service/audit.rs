//! The audit log: read by admins, written by every service that changes a
//! record (see `store::audit_log` for how an entry joins its change's
//! transaction).

use chrono::Utc;
use serde::Serialize;

use super::{Actor, Guanxi};
use crate::domain::audit;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{
    AuditAction, AuditChange, AuditEntry, AuditFilter, AuditKind, AuditPage, Id, User,
};
use crate::store::AuditQuery;

/// The most entries a page (or a CSV export) holds.
pub const MAX_AUDIT_PAGE: usize = 200;
pub const MAX_AUDIT_EXPORT: usize = 50_000;

/// An entry made now by `by`.
pub(super) fn entry(
    by: Option<Id>,
    kind: AuditKind,
    action: AuditAction,
    record: Option<Id>,
    label: impl Into<String>,
    changes: Vec<AuditChange>,
) -> AuditEntry {
    AuditEntry {
        id: Id::generate(),
        at: Utc::now(),
        by,
        email: None,
        kind,
        record,
        label: label.into(),
        action,
        changes,
    }
}

/// `before` becoming `after` (`None`: created, or deleted), as an entry.
pub(super) fn changed<T: Serialize>(
    by: Option<Id>,
    kind: AuditKind,
    record: Option<Id>,
    label: impl Into<String>,
    before: Option<&T>,
    after: Option<&T>,
) -> AuditEntry {
    let action = match (before, after) {
        (None, _) => AuditAction::Create,
        (Some(_), None) => AuditAction::Delete,
        (Some(_), Some(_)) => AuditAction::Update,
    };
    entry(
        by,
        kind,
        action,
        record,
        label,
        audit::changes(before, after),
    )
}

/// The labels of the settings' entries (they are no record with a name).
pub const SETTINGS_COMPANY: &str = "company";
pub const SETTINGS_CUSTOMERS: &str = "customer_settings";
pub const SETTINGS_CLOSE_REASONS: &str = "close_reasons";
pub const SETTINGS_CUSTOMER_TYPES: &str = "customer_types";
pub const SETTINGS_SALES: &str = "sales_settings";
pub const SETTINGS_EXPENSE_CATEGORIES: &str = "expense_categories";
pub const SETTINGS_BACKUPS: &str = "backup_policy";

/// A change of the company's settings `label` names, as an entry.
pub(super) fn settings_entry<T: Serialize>(
    by: Option<Id>,
    label: &str,
    before: &T,
    after: &T,
) -> AuditEntry {
    changed(
        by,
        AuditKind::Settings,
        None,
        label,
        Some(before),
        Some(after),
    )
}

/// Who acted, for an entry: the console is no user.
pub(super) fn actor_id(actor: Actor) -> Option<Id> {
    match actor {
        Actor::User(u) => Some(u.id),
        Actor::Console => None,
    }
}

impl Guanxi {
    /// The audit log (admins): the entries `filter` asks for, newest first,
    /// `limit` of them from page `page` (from 0), and how many match.
    pub fn audit_log(
        &self,
        me: &User,
        filter: &AuditFilter,
        page: usize,
        limit: usize,
    ) -> Result<AuditPage> {
        Actor::User(me).require_admin()?;
        let query = self.audit_query(filter)?;
        let limit = limit.clamp(1, MAX_AUDIT_EXPORT);
        let (total, entries) = self
            .store
            .audit_log(&query, page.saturating_mul(limit), limit)?;
        Ok(AuditPage { total, entries })
    }

    /// A deal's entries, newest first (the latest `MAX_AUDIT_PAGE`), for
    /// whoever may see the deal: its history on its own page.
    pub fn deal_audit(&self, me: &User, id: Id) -> Result<Vec<AuditEntry>> {
        self.deal(me, id)?;
        let of_deal = AuditQuery {
            record: Some(id),
            ..Default::default()
        };
        Ok(self.store.audit_log(&of_deal, 0, MAX_AUDIT_PAGE)?.1)
    }

    /// A filter as typed, checked: days in the company's zone.
    fn audit_query(&self, f: &AuditFilter) -> Result<AuditQuery> {
        let id = |text: &str, field| match text.trim() {
            "" => Ok(None),
            t => t
                .parse::<Id>()
                .map(Some)
                .map_err(|_| Error::invalid(field, Problem::Malformed)),
        };
        let unknown = |field| Error::invalid(field, Problem::Unknown);
        let kind = match f.kind.trim() {
            "" => None,
            t => Some(AuditKind::from_code(t).ok_or_else(|| unknown(Field::RecordKind))?),
        };
        let action = match f.action.trim() {
            "" => None,
            t => Some(AuditAction::from_code(t).ok_or_else(|| unknown(Field::Action))?),
        };
        let (from, to) = audit::day_range(self.company_zone(), &f.from, &f.to)?;
        Ok(AuditQuery {
            from,
            to,
            user: id(&f.user, Field::User)?,
            kind,
            action,
            record: id(&f.record, Field::Record)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ADMIN_PASSWORD, person, set_up_company};
    use super::*;
    use crate::model::{CustomerInput, Role, UserInput};

    fn all() -> AuditFilter {
        AuditFilter::default()
    }

    fn customer(gx: &Guanxi, me: &User, name: &str) -> crate::model::Customer {
        let input = CustomerInput {
            name: name.into(),
            ..Default::default()
        };
        gx.create_customer(me, input, Vec::new(), true).unwrap()
    }

    #[test]
    fn a_contact_deleted_restored_and_purged_from_the_bin_is_logged_each_time() {
        let (_dir, gx, admin) = set_up_company();
        let customer = customer(&gx, &admin, "北京星辰");
        let contact = gx
            .add_contact(
                &admin,
                customer.id,
                crate::model::ContactInput {
                    name: "张伟".into(),
                    ..Default::default()
                },
                true,
            )
            .unwrap();
        gx.delete_contact(&admin, contact.id).unwrap();
        gx.restore_binned(Actor::User(&admin), admin.id, contact.id)
            .unwrap();
        gx.delete_contact(&admin, contact.id).unwrap();
        gx.purge_binned(Actor::User(&admin), contact.id).unwrap();
        let of_contact = AuditFilter {
            record: contact.id.to_string(),
            ..all()
        };
        let page = gx.audit_log(&admin, &of_contact, 0, 50).unwrap();
        let got: Vec<_> = page
            .entries
            .iter()
            .map(|e| (e.action, e.kind, e.by))
            .collect();
        let line = |action| (action, AuditKind::Contact, Some(admin.id));
        assert_eq!(
            got,
            [
                line(AuditAction::Purge),
                line(AuditAction::Delete),
                line(AuditAction::Restore),
                line(AuditAction::Delete),
                line(AuditAction::Create),
            ]
        );
    }

    /// The entries of one kind, oldest first, as (action, label, changes).
    fn of_kind(
        gx: &Guanxi,
        admin: &User,
        kind: AuditKind,
    ) -> Vec<(AuditAction, String, Vec<AuditChange>)> {
        let filter = AuditFilter {
            kind: kind.code().into(),
            ..all()
        };
        let mut page = gx.audit_log(admin, &filter, 0, 200).unwrap().entries;
        page.reverse();
        page.into_iter()
            .map(|e| (e.action, e.label, e.changes))
            .collect()
    }

    fn field<'a>(changes: &'a [AuditChange], name: &str) -> Option<(&'a str, &'a str)> {
        changes
            .iter()
            .find(|c| c.field == name)
            .map(|c| (c.old.as_str(), c.new.as_str()))
    }

    #[test]
    fn sales_settings_expense_categories_and_the_backup_policy_are_logged() {
        let (_dir, gx, admin) = set_up_company();
        let sales = gx.sales_settings().unwrap();
        let input = crate::model::SalesSettingsInput {
            discount_limit: "15".into(),
            ..(&sales).into()
        };
        gx.update_sales_settings(Actor::User(&admin), input, sales.version)
            .unwrap();
        let categories = gx.expense_categories(&admin).unwrap();
        let input = crate::model::ExpenseCategoriesInput {
            categories: vec!["差旅".into(), "招待".into()],
        };
        gx.save_expense_categories(Actor::User(&admin), input, categories.version)
            .unwrap();
        let policy = gx.store.backup_policy().unwrap();
        gx.update_backup_policy(
            Actor::User(&admin),
            crate::model::BackupPolicy {
                daily: 14,
                ..policy
            },
        )
        .unwrap();
        let got = of_kind(&gx, &admin, AuditKind::Settings);
        let labels: Vec<&str> = got.iter().map(|(_, l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                SETTINGS_SALES,
                SETTINGS_EXPENSE_CATEGORIES,
                SETTINGS_BACKUPS
            ]
        );
        assert!(got.iter().all(|(a, _, _)| *a == AuditAction::Update));
        let old_limit = sales.discount_limit.0.to_string();
        assert_eq!(
            field(&got[0].2, "discount_limit"),
            Some((old_limit.as_str(), "1500"))
        );
        assert_eq!(
            field(&got[1].2, "categories").map(|c| c.1),
            Some("差旅, 招待")
        );
        let old_daily = policy.daily.to_string();
        assert_eq!(field(&got[2].2, "daily"), Some((old_daily.as_str(), "14")));
    }

    #[test]
    fn api_tokens_made_and_revoked_and_sign_outs_are_logged() {
        let (_dir, gx, admin) = set_up_company();
        let token = gx.create_token(&admin, "夜间导出").unwrap();
        gx.revoke_token(&admin, token.token.id).unwrap();
        let got = of_kind(&gx, &admin, AuditKind::ApiToken);
        let actions: Vec<_> = got.iter().map(|(a, l, _)| (*a, l.as_str())).collect();
        assert_eq!(
            actions,
            [
                (AuditAction::Create, "夜间导出"),
                (AuditAction::Delete, "夜间导出")
            ]
        );
        // Someone else's token is not found, and nothing is logged.
        let rep = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        let theirs = gx.create_token(&rep, "script").unwrap();
        assert_eq!(
            gx.revoke_token(&admin, theirs.token.id),
            Err(Error::NotFound)
        );
        assert_eq!(of_kind(&gx, &admin, AuditKind::ApiToken).len(), 3);

        let (_, secret) = gx.login("boss@example.cn", ADMIN_PASSWORD, "1").unwrap();
        gx.logout(&secret).unwrap();
        // An unknown or ended session signs nobody out.
        gx.logout(&secret).unwrap();
        let sessions = of_kind(&gx, &admin, AuditKind::Session);
        let actions: Vec<_> = sessions.iter().map(|(a, _, _)| *a).collect();
        assert_eq!(actions, [AuditAction::SignIn, AuditAction::SignOut]);
    }

    #[test]
    fn an_approved_reopening_and_files_are_logged_as_changes_of_the_deal() {
        use crate::model::{DealInput, Outcome};
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        let customer = customer(&gx, &rep, "北京星辰");
        let deal = gx
            .create_deal(
                &rep,
                DealInput {
                    customer_id: Some(customer.id),
                    title: "ERP".into(),
                    amount: "1000".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        gx.close_deal(&rep, deal.id, Outcome::Lost, "price", None)
            .unwrap();
        let request = gx.request_reopen(&rep, deal.id, "预算批了").unwrap();
        gx.decide_reopen(&admin, request.id, true, "").unwrap();
        let file = gx
            .attach_deal_file(&rep, deal.id, "报价单.pdf", b"%PDF-1.4")
            .unwrap();
        gx.delete_file(&rep, file.id).unwrap();
        let on_customer = gx
            .attach_file(&rep, customer.id, "名片.png", b"png")
            .unwrap();

        let got = of_kind(&gx, &admin, AuditKind::Deal);
        let reopened = &got[2];
        assert_eq!(reopened.0, AuditAction::Update);
        assert_eq!(field(&reopened.2, "status"), Some(("lost", "open")));
        assert_eq!(field(&got[3].2, "file"), Some(("", "报价单.pdf")));
        assert_eq!(field(&got[4].2, "file"), Some(("报价单.pdf", "")));
        assert_eq!(got.len(), 5);
        let customers = of_kind(&gx, &admin, AuditKind::Customer);
        let last = customers.last().unwrap();
        assert_eq!(
            (last.0, last.1.as_str(), field(&last.2, "file")),
            (
                AuditAction::Update,
                "北京星辰",
                Some(("", on_customer.name.as_str()))
            )
        );
    }

    #[test]
    fn customers_and_contacts_an_import_creates_are_logged() {
        let (_dir, gx, admin) = set_up_company();
        let cards = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nTEL:13800000001\r\nEND:VCARD\r\n\
                     BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice Chen\r\nEMAIL:alice@example.com\r\nEND:VCARD\r\n";
        let report = gx.import_vcards(&admin, cards.as_bytes(), None).unwrap();
        assert_eq!(report.added, 2);
        let customers = of_kind(&gx, &admin, AuditKind::Customer);
        let created: Vec<_> = customers.iter().map(|(a, l, _)| (*a, l.as_str())).collect();
        assert_eq!(
            created,
            [
                (AuditAction::Create, "王芳"),
                (AuditAction::Create, "Alice Chen")
            ]
        );
        let contacts = of_kind(&gx, &admin, AuditKind::Contact);
        assert_eq!(contacts.len(), 2);
        assert!(contacts.iter().all(|(a, _, _)| *a == AuditAction::Create));
    }

    #[test]
    fn only_admins_read_the_audit_log() {
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        assert_eq!(gx.audit_log(&rep, &all(), 0, 50), Err(Error::Forbidden));
        assert!(gx.audit_log(&admin, &all(), 0, 50).is_ok());
    }

    #[test]
    fn sign_ins_and_failed_ones_are_logged_the_failed_with_the_address_tried() {
        let (_dir, gx, admin) = set_up_company();
        gx.login("boss@example.cn", ADMIN_PASSWORD, "1").unwrap();
        assert!(gx.login("Boss@Example.cn", "wrong password", "1").is_err());
        assert!(
            gx.login("nobody@example.cn", "whatever it is", "1")
                .is_err()
        );
        let sessions = AuditFilter {
            kind: "session".into(),
            ..all()
        };
        let page = gx.audit_log(&admin, &sessions, 0, 50).unwrap();
        let got: Vec<_> = page
            .entries
            .iter()
            .map(|e| (e.action, e.by, e.email.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (AuditAction::SignInFailed, None, Some("nobody@example.cn")),
                (AuditAction::SignInFailed, None, Some("boss@example.cn")),
                (AuditAction::SignIn, Some(admin.id), Some("boss@example.cn")),
            ]
        );
    }

    #[test]
    fn a_customer_edit_and_a_role_change_are_logged_from_old_to_new() {
        let (_dir, gx, admin) = set_up_company();
        let customer = customer(&gx, &admin, "北京星辰");
        let input = CustomerInput {
            name: "北京星辰科技".into(),
            ..Default::default()
        };
        gx.update_customer(&admin, customer.id, input, customer.version)
            .unwrap();
        let rep = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        gx.update_user(
            Actor::User(&admin),
            rep.id,
            UserInput {
                email: rep.email.clone(),
                name: rep.name.clone(),
                role: Role::Manager,
                team: None,
            },
            rep.version,
        )
        .unwrap();

        let of_customer = AuditFilter {
            record: customer.id.to_string(),
            ..all()
        };
        let page = gx.audit_log(&admin, &of_customer, 0, 50).unwrap();
        let actions: Vec<_> = page.entries.iter().map(|e| e.action).collect();
        assert_eq!(actions, [AuditAction::Update, AuditAction::Create]);
        let rename = page.entries[0]
            .changes
            .iter()
            .find(|c| c.field == "name")
            .unwrap();
        assert_eq!(
            (rename.old.as_str(), rename.new.as_str()),
            ("北京星辰", "北京星辰科技")
        );

        let users = AuditFilter {
            kind: "user".into(),
            action: "update".into(),
            user: admin.id.to_string(),
            ..all()
        };
        let page = gx.audit_log(&admin, &users, 0, 50).unwrap();
        assert_eq!(page.total, 1);
        let role = &page.entries[0].changes[0];
        assert_eq!(
            (role.field.as_str(), role.old.as_str(), role.new.as_str()),
            ("role", "rep", "manager")
        );
    }

    #[test]
    fn a_deal_page_shows_its_changes_to_whoever_sees_the_deal() {
        use crate::model::DealInput;
        let (_dir, gx, admin) = set_up_company();
        let rep = person(&gx, &admin, "li@x.cn", Role::Rep, None);
        let other = person(&gx, &admin, "wu@x.cn", Role::Rep, None);
        let customer = customer(&gx, &rep, "北京星辰");
        let input = DealInput {
            customer_id: Some(customer.id),
            title: "ERP 升级".into(),
            amount: "1000".into(),
            ..Default::default()
        };
        let deal = gx.create_deal(&rep, input.clone()).unwrap();
        let renamed = DealInput {
            title: "ERP 二期".into(),
            ..input
        };
        gx.update_deal(&rep, deal.id, deal.version, renamed)
            .unwrap();
        let entries = gx.deal_audit(&admin, deal.id).unwrap();
        let actions: Vec<_> = entries.iter().map(|e| e.action).collect();
        assert_eq!(actions, [AuditAction::Update, AuditAction::Create]);
        let title = entries[0]
            .changes
            .iter()
            .find(|c| c.field == "title")
            .unwrap();
        assert_eq!(
            (title.old.as_str(), title.new.as_str()),
            ("ERP 升级", "ERP 二期")
        );
        assert_eq!(entries[0].label, "ERP 二期");
        assert_eq!(gx.deal_audit(&other, deal.id), Err(Error::NotFound));
    }

    #[test]
    fn settings_changes_are_logged_under_the_settings_they_change() {
        let (_dir, gx, admin) = set_up_company();
        let company = gx.company().unwrap();
        gx.update_company(
            Actor::User(&admin),
            crate::model::CompanyInput {
                name: company.name.clone(),
                currency: "USD".into(),
                time_zone: company.time_zone.clone(),
                default_locale: company.default_locale,
                session_idle_minutes: company.session_idle_minutes,
            },
            company.version,
        )
        .unwrap();
        gx.add_customer_type(Actor::User(&admin), "经销商", 0)
            .unwrap();
        let settings = AuditFilter {
            kind: "settings".into(),
            ..all()
        };
        let page = gx.audit_log(&admin, &settings, 0, 50).unwrap();
        let got: Vec<_> = page
            .entries
            .iter()
            .map(|e| (e.label.as_str(), e.by, e.changes[0].field.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (SETTINGS_CUSTOMER_TYPES, Some(admin.id), "custom"),
                (SETTINGS_COMPANY, Some(admin.id), "currency"),
            ]
        );
        assert_eq!(
            (
                page.entries[1].changes[0].old.as_str(),
                page.entries[1].changes[0].new.as_str()
            ),
            ("CNY", "USD")
        );
    }

    #[test]
    fn bad_filters_are_refused_naming_the_field() {
        let (_dir, gx, admin) = set_up_company();
        let refused = |f: AuditFilter| gx.audit_log(&admin, &f, 0, 50).unwrap_err();
        assert_eq!(
            refused(AuditFilter {
                from: "2026-02-30".into(),
                ..all()
            }),
            Error::invalid(Field::Period, Problem::Malformed)
        );
        assert_eq!(
            refused(AuditFilter {
                kind: "planet".into(),
                ..all()
            }),
            Error::invalid(Field::RecordKind, Problem::Unknown)
        );
        assert_eq!(
            refused(AuditFilter {
                user: "me".into(),
                ..all()
            }),
            Error::invalid(Field::User, Problem::Malformed)
        );
    }
}
