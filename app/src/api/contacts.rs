//! Server functions of a customer's contacts once they exist: edit and
//! delete. Adding one is with the customer's (`customers::add_contact`).

use guanxi_core::model::{Contact, Id};
use leptos::prelude::*;

use crate::api::customers::ContactForm;
use crate::error::AppError;

/// Saves an edit of a contact made from `version`.
#[server(endpoint = "update_contact")]
pub async fn update_contact(
    id: Id,
    version: u64,
    contact: ContactForm,
) -> Result<Contact, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    let input = contact.checked_input().map_err(fail)?;
    call(move |gx| gx.update_contact(&me, id, input, version)).await
}

/// Deletes a contact; its customer's history keeps that it was there.
#[server(endpoint = "delete_contact")]
pub async fn delete_contact(id: Id) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.delete_contact(&me, id)).await
}
