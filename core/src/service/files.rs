//! Files on a customer or a deal: who may attach, read and delete them, and
//! how big they may be.

use chrono::Utc;

use super::{Guanxi, audit};
use crate::domain::validate;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{AuditAction, AuditChange, AuditEntry, AuditKind, FileMeta, Id, User};

/// A file attached (`added`) or deleted, as a change of the customer or
/// deal it is on.
fn file_entry(me: &User, on: (AuditKind, Id, String), file: &FileMeta, added: bool) -> AuditEntry {
    let (kind, record, label) = on;
    let (old, new) = if added {
        (String::new(), file.name.clone())
    } else {
        (file.name.clone(), String::new())
    };
    audit::entry(
        Some(me.id),
        kind,
        AuditAction::Update,
        Some(record),
        label,
        vec![AuditChange {
            field: "file".into(),
            old,
            new,
        }],
    )
}

impl Guanxi {
    /// Attaches a file to a customer `me` may edit, within the size limit of
    /// the settings. The type is read from the name, not from what the
    /// browser claimed.
    pub fn attach_file(
        &self,
        me: &User,
        customer: Id,
        name: &str,
        bytes: &[u8],
    ) -> Result<FileMeta> {
        let on = self.editable_customer(me, customer)?;
        let meta = self.new_file(me, customer, name, bytes)?;
        self.store.audited(|lines| {
            lines.push(file_entry(
                me,
                (AuditKind::Customer, on.id, on.name),
                &meta,
                true,
            ));
            self.store.insert_file(&meta, bytes)
        })?;
        Ok(meta)
    }

    /// Attaches a file to a deal `me` may edit, with the customer files'
    /// size limit; the file is its customer's too, so the customer page
    /// lists it.
    pub fn attach_deal_file(
        &self,
        me: &User,
        deal: Id,
        name: &str,
        bytes: &[u8],
    ) -> Result<FileMeta> {
        let deal = self.editable_deal(me, deal)?;
        let meta = self.new_file(me, deal.customer_id, name, bytes)?;
        self.store.audited(|lines| {
            lines.push(file_entry(
                me,
                (AuditKind::Deal, deal.id, deal.title),
                &meta,
                true,
            ));
            self.store.insert_file_on(&meta, Some(deal.id), bytes)
        })?;
        Ok(meta)
    }

    fn new_file(&self, me: &User, customer: Id, name: &str, bytes: &[u8]) -> Result<FileMeta> {
        let limit_mb = self.store.customer_settings()?.max_file_mb;
        if bytes.len() as u64 > u64::from(limit_mb) * 1024 * 1024 {
            return Err(Error::invalid(
                Field::File,
                Problem::TooLong { max: limit_mb },
            ));
        }
        if bytes.is_empty() {
            return Err(Error::invalid(Field::File, Problem::Required));
        }
        // Only the last path part: browsers on Windows may send `C:\…\name`.
        let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
        let name = validate::text(Field::File, base, validate::MAX_SHORT * 4)?;
        Ok(FileMeta {
            id: Id::generate(),
            customer_id: customer,
            content_type: mime_guess::from_path(&name)
                .first_or_octet_stream()
                .essence_str()
                .to_string(),
            name,
            size: bytes.len() as u64,
            uploaded_by: me.id,
            at: Utc::now(),
        })
    }

    /// A file's record, if `me` may see its customer or its deal.
    fn visible_file(&self, me: &User, id: Id) -> Result<FileMeta> {
        let meta = self.store.file(id)?.ok_or(Error::NotFound)?;
        if self.customer(me, meta.customer_id).is_err() {
            let deal = self.store.file_deal(id)?.ok_or(Error::NotFound)?;
            self.deal(me, deal)?;
        }
        Ok(meta)
    }

    /// A file with its bytes, if `me` may see its customer or its deal.
    pub fn file(&self, me: &User, id: Id) -> Result<(FileMeta, Vec<u8>)> {
        let meta = self.visible_file(me, id)?;
        let bytes = self.store.file_bytes(id)?;
        Ok((meta, bytes))
    }

    /// A customer's files, its deals' included, newest first.
    pub fn files(&self, me: &User, customer: Id) -> Result<Vec<FileMeta>> {
        self.customer(me, customer)?;
        self.store.files_of(customer)
    }

    /// A deal's files, newest first.
    pub fn deal_files(&self, me: &User, deal: Id) -> Result<Vec<FileMeta>> {
        self.deal(me, deal)?;
        self.store.files_of_deal(deal)
    }

    /// Whether `me` may attach files to the deal and delete its files.
    pub fn may_change_deal_files(&self, me: &User, deal: Id) -> bool {
        self.editable_deal(me, deal).is_ok()
    }

    /// Deletes a file: whoever may edit its deal (a deal's file) or its
    /// customer (a customer's file).
    pub fn delete_file(&self, me: &User, id: Id) -> Result<FileMeta> {
        let meta = self.visible_file(me, id)?;
        let on = match self.store.file_deal(id)? {
            Some(deal) => {
                let deal = self.editable_deal(me, deal)?;
                (AuditKind::Deal, deal.id, deal.title)
            }
            None => {
                let customer = self.editable_customer(me, meta.customer_id)?;
                (AuditKind::Customer, customer.id, customer.name)
            }
        };
        self.store.audited(|lines| {
            lines.push(file_entry(me, on, &meta, false));
            self.store.remove_file(id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{CustomerInput, CustomerSettings, Role, UserInput};
    use crate::service::Actor;

    #[test]
    fn files_follow_the_customers_visibility_and_the_size_limit() {
        let (_dir, gx, admin) = set_up_company();
        let c = gx
            .create_customer(
                &admin,
                CustomerInput {
                    name: "星辰".into(),
                    ..Default::default()
                },
                vec![],
                false,
            )
            .unwrap();
        let meta = gx
            .attach_file(&admin, c.id, "C:\\Users\\王\\名片.PNG", b"\x89PNG")
            .unwrap();
        assert_eq!(
            (meta.name.as_str(), meta.content_type.as_str()),
            ("名片.PNG", "image/png")
        );
        assert!(meta.is_previewable_image());
        assert_eq!(gx.file(&admin, meta.id).unwrap().1, b"\x89PNG");

        let rep = gx
            .create_user(
                Actor::User(&admin),
                UserInput {
                    email: "rep@x.cn".into(),
                    name: "Rep".into(),
                    role: Role::Rep,
                    team: None,
                },
                "rep password 1",
            )
            .unwrap();
        assert_eq!(gx.file(&rep, meta.id).unwrap_err(), Error::NotFound);

        gx.update_customer_settings(
            Actor::User(&admin),
            CustomerSettings {
                max_file_mb: 1,
                ..Default::default()
            },
        )
        .unwrap();
        let big = vec![0u8; 1024 * 1024 + 1];
        assert!(matches!(
            gx.attach_file(&admin, c.id, "big.bin", &big),
            Err(Error::Invalid {
                field: Field::File,
                ..
            })
        ));
        assert_eq!(gx.files(&admin, c.id).unwrap().len(), 1);
    }

    #[test]
    fn deal_files_show_on_the_deal_and_its_customer_and_follow_the_deals_rights() {
        let (_dir, gx, admin) = set_up_company();
        let person = |email: &str, role| {
            gx.create_user(
                Actor::User(&admin),
                UserInput {
                    email: email.into(),
                    name: email.into(),
                    role,
                    team: None,
                },
                "rep password 1",
            )
            .unwrap()
        };
        let li = person("li@x.cn", Role::Rep);
        let wang = person("wang@x.cn", Role::Rep);
        let c = gx
            .create_customer(
                &li,
                CustomerInput {
                    name: "星辰".into(),
                    ..Default::default()
                },
                vec![],
                false,
            )
            .unwrap();
        let deal = gx
            .create_deal(
                &li,
                crate::model::DealInput {
                    customer_id: Some(c.id),
                    title: "ERP".into(),
                    amount: "1000".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(
            gx.attach_deal_file(&wang, deal.id, "报价.pdf", b"%PDF"),
            Err(Error::NotFound)
        );
        let quote = gx
            .attach_deal_file(&li, deal.id, "报价.pdf", b"%PDF")
            .unwrap();
        assert_eq!(quote.customer_id, c.id);
        let card = gx.attach_file(&li, c.id, "名片.png", b"\x89PNG").unwrap();
        assert_eq!(gx.deal_files(&li, deal.id).unwrap(), vec![quote.clone()]);
        let on_customer: Vec<Id> = gx.files(&li, c.id).unwrap().iter().map(|f| f.id).collect();
        assert_eq!(on_customer, vec![card.id, quote.id], "newest first");
        assert_eq!(gx.file(&li, quote.id).unwrap().1, b"%PDF");
        assert_eq!(gx.file(&wang, quote.id).unwrap_err(), Error::NotFound);
        assert_eq!(gx.delete_file(&wang, quote.id), Err(Error::NotFound));
        assert!(matches!(
            gx.attach_deal_file(&li, deal.id, "empty.txt", b""),
            Err(Error::Invalid {
                field: Field::File,
                ..
            })
        ));

        gx.delete_file(&li, quote.id).unwrap();
        assert!(gx.deal_files(&li, deal.id).unwrap().is_empty());
        assert_eq!(gx.files(&li, c.id).unwrap(), vec![card.clone()]);
        assert_eq!(gx.file(&li, quote.id).unwrap_err(), Error::NotFound);

        // A deleted deal's files stay its customer's.
        let plan = gx
            .attach_deal_file(&li, deal.id, "方案.docx", b"PK")
            .unwrap();
        gx.delete_deal(&li, deal.id, None).unwrap();
        assert_eq!(gx.file(&li, plan.id).unwrap().0, plan);
        assert_eq!(gx.files(&li, c.id).unwrap().len(), 2);
    }
}
