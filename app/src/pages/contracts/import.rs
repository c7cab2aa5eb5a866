//! The upload page of the order import (past contracts and their payments);
//! the mapping, dry run and run are the customer import's pages, which
//! follow the job's kind.

use guanxi_core::model::{ImportKind, Role};
use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use crate::pages::PageHeader;
use crate::pages::customers::import::CsvUpload;

#[component]
pub fn OrderImportPage() -> impl IntoView {
    let i18n = use_i18n();
    // The server refuses a rep's upload; say so before a file is chosen.
    let may_import = crate::layout::use_current_user().role != Role::Rep;
    view! {
        <PageHeader title=Msg::ImportOrdersTitle intro=Msg::ImportOrdersIntro />
        {if may_import {
            view! { <div class="grid-2"><CsvUpload kind=ImportKind::Orders /></div> }.into_any()
        } else {
            view! { <p class="alert alert-error" id="import-refused">{i18n.t(Msg::ErrForbidden)}</p> }.into_any()
        }}
    }
}
