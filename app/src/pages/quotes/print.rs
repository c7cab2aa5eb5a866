//! The quote as the customer receives it: a sheet that prints cleanly to
//! paper or PDF from the browser (the print stylesheet hides the app
//! around it), in the reader's language.

use guanxi_core::model::Id;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::detail::QuoteLinesTable;
use crate::api::quotes::{QuoteView, get_quote};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};

#[component]
pub fn QuotePrintPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<Id>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_quote(id).await,
            None => Err(AppError::Core(guanxi_core::Error::NotFound)),
        }
    });
    view! {
        <Loaded resource=data let:v>
            <PrintedQuote v=v />
        </Loaded>
    }
}

#[component]
fn PrintedQuote(v: QuoteView) -> impl IntoView {
    let i18n = use_i18n();
    let q = v.row.quote.clone();
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <div class="print-toolbar no-print">
            <A href=format!("/quotes/{}", q.id) attr:class="btn">{i18n.t(Msg::PrintBack)}</A>
            <button type="button" class="btn btn-primary" id="print-now" on:click=print>{i18n.t(Msg::QuotePrint)}</button>
        </div>
        <article class="print-sheet" id="print-sheet">
            <header class="print-head">
                <div>
                    <p class="print-company">{v.company_name.clone()}</p>
                    <h1 class="print-title">{i18n.t(Msg::PrintQuoteTitle)}</h1>
                </div>
                <dl class="print-meta">
                    <dt>{i18n.t(Msg::QuoteNumber)}</dt><dd class="mono">{q.number.clone()}</dd>
                    <dt>{i18n.t(Msg::PrintDate)}</dt><dd>{v.written_on.clone()}</dd>
                    <dt>{i18n.t(Msg::ValidUntil)}</dt><dd>{q.valid_until.format("%Y-%m-%d").to_string()}</dd>
                </dl>
            </header>
            <section class="print-parties">
                <div>
                    <p class="print-label">{i18n.t(Msg::PrintTo)}</p>
                    <p class="strong">{v.row.customer_name.clone()}</p>
                    {v.customer_address.clone().map(|a| view! { <p>{a}</p> })}
                    {v.customer_phone.clone().map(|p| view! { <p>{p}</p> })}
                </div>
                <div>
                    <p class="print-label">{i18n.t(Msg::PrintPreparedBy)}</p>
                    <p class="strong">{v.row.owner_name.clone()}</p>
                    <p>{v.owner_email.clone()}</p>
                </div>
            </section>
            {(!q.title.is_empty()).then(|| view! { <h2 class="print-subject">{q.title.clone()}</h2> })}
            <QuoteLinesTable quote=q.clone() />
            <p class="print-validity">{fill(Msg::PrintValidNote.text(i18n.now()), &[("date", &q.valid_until.format("%Y-%m-%d").to_string())])}</p>
            {q.note.clone().filter(|n| !n.is_empty()).map(|n| view! { <p class="print-note pre">{n}</p> })}
        </article>
    }
}
