//! Files on a customer: who may attach and read them, and how big they may be.

use chrono::Utc;

use super::Guanxi;
use crate::domain::validate;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{FileMeta, Id, User};

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
        self.editable_customer(me, customer)?;
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
        let meta = FileMeta {
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
        };
        self.store.insert_file(&meta, bytes)?;
        Ok(meta)
    }

    /// A file with its bytes, if `me` may see its customer.
    pub fn file(&self, me: &User, id: Id) -> Result<(FileMeta, Vec<u8>)> {
        let meta = self.store.file(id)?.ok_or(Error::NotFound)?;
        self.customer(me, meta.customer_id)?;
        let bytes = self.store.file_bytes(id)?;
        Ok((meta, bytes))
    }

    pub fn files(&self, me: &User, customer: Id) -> Result<Vec<FileMeta>> {
        self.customer(me, customer)?;
        self.store.files_of(customer)
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
}
