//! Writing and editing a quote: its customer and deal, lines picked from
//! the products or typed freely, tax rate and validity. The totals follow
//! the lines as they are typed, by the rules the server saves them with
//! (`domain::money`); the server checks everything again.

use guanxi_core::Field;
use guanxi_core::model::{Id, Quote, QuoteInput};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::quotes::{QuoteFormChoices, quote_form_menus, save_quote};
use crate::components::customer_picker::CustomerPicker;
use crate::components::forms::FormAlert;
use crate::components::lines_editor::{Lines, LinesEditor};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::PageHeader;

/// Fields this form shows errors beside.
const FIELDS: &[Field] = &[
    Field::Customer,
    Field::Title,
    Field::TaxRate,
    Field::ValidUntil,
];

#[component]
pub fn NewQuotePage() -> impl IntoView {
    let query = use_query_map();
    let id = move |key: &str| query.with(|q| q.get(key).and_then(|v| v.parse::<Id>().ok()));
    let menus = Resource::new(
        move || (id("customer"), id("deal")),
        |(customer, deal)| quote_form_menus(customer, deal, None),
    );
    let deal = id("deal");
    view! {
        <PageHeader title=Msg::NewQuote />
        <Loaded resource=menus let:menus>
            <QuoteEditor menus=menus deal=deal />
        </Loaded>
    }
}

#[component]
pub fn EditQuotePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<Id>().ok()));
    let menus = Resource::new(id, |id| async move {
        match id {
            Some(id) => quote_form_menus(None, None, Some(id)).await,
            None => Err(AppError::Core(guanxi_core::Error::NotFound)),
        }
    });
    view! {
        <PageHeader title=Msg::EditQuote />
        <Loaded resource=menus let:menus>
            <QuoteEditor menus=menus deal=None />
        </Loaded>
    }
}

#[component]
fn QuoteEditor(menus: QuoteFormChoices, deal: Option<Id>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let quote: Option<Quote> = menus.quote.clone();
    let input = quote.as_ref().map(QuoteInput::from).unwrap_or_default();
    let (quote_id, version) = (
        quote.as_ref().map(|q| q.id),
        quote.as_ref().map_or(0, |q| q.version),
    );
    let products = StoredValue::new(menus.products.clone());
    let settings = menus.settings.clone();

    let customer = RwSignal::new(menus.customer.clone());
    let first_customer = menus.customer.as_ref().map(|c| c.0);
    let deal_choice = RwSignal::new(
        input
            .deal_id
            .or(deal)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let first_deals = menus.deals.clone();
    let deals = Resource::new(
        move || customer.get().map(|c| c.0),
        move |c| {
            let first = first_deals.clone();
            async move {
                match c {
                    None => Ok(Vec::new()),
                    Some(c) if Some(c) == first_customer => Ok(first),
                    Some(c) => quote_form_menus(Some(c), None, None).await.map(|m| m.deals),
                }
            }
        },
    );
    let title = RwSignal::new(input.title.clone());
    let tax = RwSignal::new(if quote.is_some() {
        input.tax_rate.clone()
    } else {
        settings.default_tax_rate.to_string()
    });
    let valid = RwSignal::new(
        input
            .valid_until
            .unwrap_or(menus.today + chrono::Duration::days(i64::from(settings.quote_valid_days)))
            .format("%Y-%m-%d")
            .to_string(),
    );
    let note = RwSignal::new(input.note.clone().unwrap_or_default());
    let lines = Lines::new(input.lines.clone());
    let limit = settings.discount_limit;
    let totals = lines.totals(products, tax);
    let over_limit = Memo::new(move |_| lines.any_discount_over(limit));

    let error = RwSignal::new(None::<AppError>);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = QuoteInput {
            customer_id: customer.get_untracked().map(|c| c.0),
            deal_id: deal_choice.get_untracked().parse().ok(),
            title: title.get_untracked(),
            lines: lines.inputs(),
            tax_rate: tax.get_untracked(),
            valid_until: chrono::NaiveDate::parse_from_str(&valid.get_untracked(), "%Y-%m-%d").ok(),
            note: Some(note.get_untracked()),
        };
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match save_quote(quote_id, version, input).await {
                Ok(id) => navigate(&format!("/quotes/{id}"), Default::default()),
                Err(e) => {
                    error.set(Some(e));
                    pending.set(false);
                }
            }
        });
    };
    let error_signal: Signal<Option<AppError>> = error.into();
    let field_error = move |field: Field| {
        error
            .get()
            .filter(|e| e.field() == Some(field))
            .map(|e| view! { <p class="field-error" role="alert">{e.text(i18n.locale.get())}</p> })
    };
    let form = NodeRef::<leptos::html::Form>::new();
    crate::components::forms::mark_hydrated(form);

    view! {
        <form class="form card wide quote-form" id="quote-form" node_ref=form on:submit=submit>
            {match quote_id {
                Some(_) => view! {
                    <div class="field"><label>{i18n.t(Msg::Customer)}</label><strong id="quote-customer-name">{move || customer.get().map(|c| c.1)}</strong></div>
                }.into_any(),
                None => view! { <CustomerPicker chosen=customer prefix="quote" error=error_signal /> }.into_any(),
            }}
            <div class="field-row">
                <div class="field">
                    <label for="f-quote-title">{i18n.t(Msg::QuoteTitle)}</label>
                    <input id="f-quote-title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                    {move || field_error(Field::Title)}
                </div>
                <div class="field">
                    <label for="f-quote-deal">{i18n.t(Msg::QuoteDeal)}</label>
                    <select id="f-quote-deal" on:change=move |ev| deal_choice.set(event_target_value(&ev))>
                        <option value="">{i18n.t(Msg::QuoteNoDeal)}</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                deals.await.unwrap_or_default().into_iter().map(|(id, name)| {
                                    let value = id.to_string();
                                    let selected = deal_choice.get_untracked() == value;
                                    view! { <option value=value selected=selected>{name}</option> }
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                    {move || field_error(Field::Deal)}
                </div>
            </div>

            <LinesEditor lines=lines products=products error=error />

            <div class="quote-bottom">
                <div class="quote-terms">
                    <div class="field-row">
                        <div class="field">
                            <label for="f-quote-tax">{i18n.t(Msg::TaxRate)}</label>
                            <input id="f-quote-tax" inputmode="decimal" prop:value=move || tax.get() on:input=move |ev| tax.set(event_target_value(&ev)) />
                            {move || field_error(Field::TaxRate)}
                        </div>
                        <div class="field">
                            <label for="f-quote-valid">{i18n.t(Msg::ValidUntil)}</label>
                            <input id="f-quote-valid" type="date" prop:value=move || valid.get() on:input=move |ev| valid.set(event_target_value(&ev)) />
                            {move || field_error(Field::ValidUntil)}
                        </div>
                    </div>
                    <div class="field">
                        <label for="f-quote-note">{i18n.t(Msg::Notes)}</label>
                        <textarea id="f-quote-note" rows="3" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </div>
                </div>
                <dl class="totals" id="quote-totals">
                    <dt>{i18n.t(Msg::NetTotal)}</dt><dd id="total-net">{move || i18n.money(totals.get().net)()}</dd>
                    <dt>{i18n.t(Msg::TaxTotal)}</dt><dd id="total-tax">{move || i18n.money(totals.get().tax)()}</dd>
                    <dt class="gross">{i18n.t(Msg::GrossTotal)}</dt><dd class="gross" id="total-gross">{move || i18n.money(totals.get().gross)()}</dd>
                </dl>
            </div>
            {move || over_limit.get().then(|| view! {
                <p class="alert alert-warn" id="needs-approval">{fill(Msg::QuoteNeedsApproval.text(i18n.locale.get()), &[("limit", &limit.to_string())])}</p>
            })}
            <FormAlert error=error_signal fields=FIELDS />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="save-quote" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t(Msg::Saving)() } else { i18n.t(Msg::Save)() }}
                </button>
            </div>
        </form>
    }
}
