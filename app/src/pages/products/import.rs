//! The upload page of the product import; the mapping, dry run and run are
//! the customer import's pages, which follow the job's kind.

use guanxi_core::model::ImportKind;
use leptos::prelude::*;

use crate::i18n::Msg;
use crate::pages::PageHeader;
use crate::pages::customers::import::CsvUpload;

#[component]
pub fn ProductImportPage() -> impl IntoView {
    view! {
        <PageHeader title=Msg::ImportProductsTitle intro=Msg::ImportProductsIntro />
        <div class="grid-2">
            <CsvUpload kind=ImportKind::Products />
        </div>
    }
}
