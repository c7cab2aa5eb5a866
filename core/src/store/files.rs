//! Files attached to customers and deals (a deal's files are its
//! customer's too): metadata in redb, bytes in `files/` beside
//! the database, so copying the data folder backs up both.
//!
//! The bytes are written and synced under a temporary name, then renamed,
//! before the metadata commits; a crash in between leaves an orphan file
//! (harmless, never listed), never a listed file without its bytes.

use std::io::Write;
use std::path::PathBuf;

use redb::{ReadableTable, WriteTransaction};

use super::tables::*;
use super::{Store, decode, encode};
use crate::error::{Error, Result};
use crate::model::{Customer, Deal, FileMeta, Id};

pub const FILES_DIR: &str = "files";

impl Store {
    fn files_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map_or_else(|| PathBuf::from(FILES_DIR), |p| p.join(FILES_DIR))
    }

    pub(super) fn file_path(&self, id: Id) -> PathBuf {
        self.files_dir().join(id.to_string())
    }

    pub fn insert_file(&self, meta: &FileMeta, bytes: &[u8]) -> Result<()> {
        self.insert_file_on(meta, None, bytes)
    }

    /// Stores a file of `meta.customer_id`, and of `deal` when given (a deal
    /// of that customer).
    pub fn insert_file_on(&self, meta: &FileMeta, deal: Option<Id>, bytes: &[u8]) -> Result<()> {
        let io = |e: std::io::Error| Error::Internal(format!("storing file: {e}"));
        super::private::create_dir(&self.files_dir()).map_err(io)?;
        let final_path = self.file_path(meta.id);
        let temp = final_path.with_extension("part");
        {
            let mut file = super::private::create_file(&temp).map_err(io)?;
            file.write_all(bytes).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        std::fs::rename(&temp, &final_path).map_err(io)?;
        let written = (|| {
            let tx = self.write()?;
            let customer: Customer = tx
                .open_table(CUSTOMERS)?
                .get(meta.customer_id.0)?
                .map(|v| decode(v.value()))
                .transpose()?
                .ok_or(Error::NotFound)?;
            if customer.deleted_at.is_some() {
                return Err(Error::NotFound);
            }
            if let Some(deal) = deal {
                let deal: Deal = tx
                    .open_table(DEALS)?
                    .get(deal.0)?
                    .map(|v| decode(v.value()))
                    .transpose()?
                    .ok_or(Error::NotFound)?;
                if deal.customer_id != meta.customer_id {
                    return Err(Error::NotFound);
                }
                tx.open_table(DEAL_FILES)?
                    .insert((deal.id.0, meta.id.0), ())?;
                tx.open_table(FILE_DEALS)?.insert(meta.id.0, deal.id.0)?;
            }
            tx.open_table(FILES)?
                .insert(meta.id.0, encode(meta).as_slice())?;
            tx.open_table(TIMELINE)?.insert(
                (meta.customer_id.0, meta.at.timestamp_micros(), meta.id.0),
                TIMELINE_FILE,
            )?;
            self.commit(tx)?;
            Ok(())
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&final_path);
        }
        written
    }

    pub fn file(&self, id: Id) -> Result<Option<FileMeta>> {
        let tx = self.read()?;
        let files = tx.open_table(FILES)?;
        files.get(id.0)?.map(|v| decode(v.value())).transpose()
    }

    /// The deal a file is attached to, if any.
    pub fn file_deal(&self, id: Id) -> Result<Option<Id>> {
        let tx = self.read()?;
        let table = tx.open_table(FILE_DEALS)?;
        Ok(table.get(id.0)?.map(|v| Id(v.value())))
    }

    /// A deal's files, newest first.
    pub fn files_of_deal(&self, deal: Id) -> Result<Vec<FileMeta>> {
        let tx = self.read()?;
        let index = tx.open_table(DEAL_FILES)?;
        let files = tx.open_table(FILES)?;
        let mut out: Vec<FileMeta> = Vec::new();
        for row in index.range((deal.0, 0)..=(deal.0, u128::MAX))? {
            if let Some(v) = files.get(row?.0.value().1)? {
                out.push(decode(v.value())?);
            }
        }
        out.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
        Ok(out)
    }

    /// Deletes a file: its record, its place on the timeline and its deal
    /// link in one transaction, then its bytes.
    pub fn remove_file(&self, id: Id) -> Result<FileMeta> {
        let tx = self.write()?;
        let meta: FileMeta = tx
            .open_table(FILES)?
            .remove(id.0)?
            .map(|v| decode(v.value()))
            .transpose()?
            .ok_or(Error::NotFound)?;
        tx.open_table(TIMELINE)?.remove((
            meta.customer_id.0,
            meta.at.timestamp_micros(),
            meta.id.0,
        ))?;
        if let Some(deal) = tx.open_table(FILE_DEALS)?.remove(id.0)?.map(|v| v.value()) {
            tx.open_table(DEAL_FILES)?.remove((deal, id.0))?;
        }
        self.commit(tx)?;
        self.remove_file_bytes(&[id.0]);
        Ok(meta)
    }

    pub fn file_bytes(&self, id: Id) -> Result<Vec<u8>> {
        std::fs::read(self.file_path(id))
            .map_err(|e| Error::Internal(format!("reading file {id}: {e}")))
    }

    /// A customer's files, newest first.
    pub fn files_of(&self, customer: Id) -> Result<Vec<FileMeta>> {
        let tx = self.read()?;
        let timeline = tx.open_table(TIMELINE)?;
        let files = tx.open_table(FILES)?;
        let mut out = Vec::new();
        for row in timeline
            .range((customer.0, i64::MIN, 0)..=(customer.0, i64::MAX, u128::MAX))?
            .rev()
        {
            let (key, kind) = row?;
            if kind.value() == TIMELINE_FILE
                && let Some(v) = files.get(key.value().2)?
            {
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }

    /// Removes the files of a purged customer: their rows went with its
    /// timeline in the purge transaction; this deletes the bytes.
    pub(super) fn remove_file_bytes(&self, ids: &[u128]) {
        for id in ids {
            let _ = std::fs::remove_file(self.file_path(Id(*id)));
        }
    }
}

/// Detaches a deleted deal's files: they stay its customer's.
pub(super) fn unlink_deal_files(tx: &WriteTransaction, deal: Id) -> Result<()> {
    let mut index = tx.open_table(DEAL_FILES)?;
    let files: Vec<u128> = index
        .range((deal.0, 0)..=(deal.0, u128::MAX))?
        .map(|row| Ok(row?.0.value().1))
        .collect::<Result<_>>()?;
    let mut file_deals = tx.open_table(FILE_DEALS)?;
    for file in files {
        index.remove((deal.0, file))?;
        file_deals.remove(file)?;
    }
    Ok(())
}

/// Links `files` to `deal` again (a deal restored from the recycle bin),
/// those still on the deal's customer and about no deal.
pub(super) fn relink_deal_files(
    tx: &WriteTransaction,
    deal: &crate::model::Deal,
    files: &[u128],
) -> Result<()> {
    let metas = tx.open_table(FILES)?;
    let mut index = tx.open_table(DEAL_FILES)?;
    let mut file_deals = tx.open_table(FILE_DEALS)?;
    for &file in files {
        let meta: Option<FileMeta> = metas.get(file)?.map(|v| decode(v.value())).transpose()?;
        let free = file_deals.get(file)?.is_none();
        if free && meta.is_some_and(|m| m.customer_id == deal.customer_id) {
            index.insert((deal.id.0, file), ())?;
            file_deals.insert(file, deal.id.0)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::customers::tests::customer;
    use super::super::test_support::temp_store;
    use super::*;
    use chrono::Utc;

    #[test]
    fn files_are_stored_beside_the_database_and_listed_on_the_timeline() {
        let (dir, store) = temp_store();
        let c = customer("星辰", None);
        store.insert_customer(&c, &[]).unwrap();
        let meta = FileMeta {
            id: Id::generate(),
            customer_id: c.id,
            name: "报价单.pdf".into(),
            content_type: "application/pdf".into(),
            size: 4,
            uploaded_by: Id::generate(),
            at: Utc::now(),
        };
        store.insert_file(&meta, b"%PDF").unwrap();
        assert!(
            dir.path()
                .join(FILES_DIR)
                .join(meta.id.to_string())
                .exists()
        );
        assert_eq!(store.files_of(c.id).unwrap(), vec![meta.clone()]);
        assert_eq!(store.file_bytes(meta.id).unwrap(), b"%PDF");
        let orphan = FileMeta {
            id: Id::generate(),
            customer_id: Id::generate(),
            ..meta
        };
        assert_eq!(store.insert_file(&orphan, b"x"), Err(Error::NotFound));
        assert!(
            !dir.path()
                .join(FILES_DIR)
                .join(orphan.id.to_string())
                .exists()
        );
    }
}
