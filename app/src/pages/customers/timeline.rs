//! The customer's timeline, newest first, a page at a time.

use guanxi_core::model::{
    DealTimelineEvent, DealTimelineKind, DecisionRole, DocumentKind, FieldChange, Id, Locale,
    MoneyEventKind, StageRef, TimelineEntry, TimelineKind,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::customers::{DeleteActivity, TimelineItem, customer_timeline};
use crate::components::dialog::Dialog;
use crate::components::forms::{FormAlert, last_error};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{I18n, Msg, activity_msg, customer_type_msg, decision_role_msg, fill, use_i18n};
use crate::pages::deals::stage_ref_name;

pub type Changed = Signal<(usize, usize, usize, usize)>;

/// The newest page of a customer's timeline and the kind filter it follows.
/// The customer page makes it, outside the `Suspend` that renders the sheet:
/// that block can run more than once on the server, and a resource made in
/// it each time would shift the ids the browser hydrates against.
#[derive(Clone, Copy)]
pub struct TimelineSource {
    first: Resource<Result<Vec<TimelineItem>, AppError>>,
    only: RwSignal<Option<TimelineKind>>,
    changed: Changed,
}

impl TimelineSource {
    /// `changed` ticks when something was added, to reload from the top.
    pub fn new(
        customer: impl Fn() -> Option<Id> + Send + Sync + 'static,
        changed: Changed,
    ) -> Self {
        let only = RwSignal::new(None::<TimelineKind>);
        let first = Resource::new(
            move || (customer(), changed.get(), only.get()),
            |(customer, _, only)| async move {
                match customer {
                    Some(customer) => customer_timeline(customer, None, None, only).await,
                    None => Ok(Vec::new()),
                }
            },
        );
        TimelineSource {
            first,
            only,
            changed,
        }
    }
}

#[component]
pub fn Timeline(customer: Id, source: TimelineSource) -> impl IntoView {
    let i18n = use_i18n();
    let TimelineSource {
        first,
        only,
        changed,
    } = source;
    let more = RwSignal::new(Vec::<TimelineItem>::new());
    let delete = ServerAction::<DeleteActivity>::new();
    let doomed = RwSignal::new(None::<Id>);
    let confirm = RwSignal::new(false);
    // Deleted here: hidden at once, gone from the next load.
    let deleted = RwSignal::new(Vec::<Id>::new());
    Effect::new(move || {
        if matches!(delete.value().get(), Some(Ok(())))
            && let Some(id) = doomed.get_untracked()
        {
            deleted.update(|d| d.push(id));
        }
    });
    let ask_delete = Callback::new(move |id: Id| {
        doomed.set(Some(id));
        confirm.set(true);
    });
    let exhausted = RwSignal::new(false);
    let loading = RwSignal::new(false);
    Effect::new(move || {
        changed.track();
        only.track();
        more.set(Vec::new());
        exhausted.set(false);
    });
    // Pages in as the reader scrolls near the end of the list.
    Effect::new(move || {
        let handle = window_event_listener(leptos::ev::scroll, move |_| {
            if loading.get_untracked() || exhausted.get_untracked() {
                return;
            }
            let near_end = document()
                .get_element_by_id("timeline-more")
                .map(|el| el.get_bounding_client_rect().top())
                .zip(window().inner_height().ok().and_then(|h| h.as_f64()))
                .is_some_and(|(top, height)| top < height + 200.0);
            if near_end
                && let Some(button) = document().get_element_by_id("timeline-more")
                && let Ok(button) =
                    leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(button)
            {
                button.click();
            }
        });
        on_cleanup(move || handle.remove());
    });
    let load_more = move |last: Option<(i64, Id)>| {
        let Some((at, id)) = last else { return };
        loading.set(true);
        spawn_local(async move {
            if let Ok(page) =
                customer_timeline(customer, Some(at), Some(id), only.get_untracked()).await
            {
                exhausted.set(page.is_empty());
                more.update(|m| m.extend(page));
            }
            loading.set(false);
        });
    };
    view! {
        <section class="card" id="timeline">
            <div class="card-head">
                <h2>{i18n.t(Msg::Timeline)}</h2>
                <div class="scope-tabs small" role="radiogroup" id="timeline-filter">
                    {[(None, Msg::ScopeAll), (Some(TimelineKind::Activity), Msg::TimelineActivities), (Some(TimelineKind::Task), Msg::TimelineTasks), (Some(TimelineKind::Deal), Msg::TimelineDeals), (Some(TimelineKind::Money), Msg::TimelineMoney), (Some(TimelineKind::File), Msg::FilesTitle), (Some(TimelineKind::Change), Msg::ChangeHistory)]
                        .into_iter()
                        .map(|(kind, label)| view! {
                            <button type="button" class="scope-tab" class:active=move || only.get() == kind on:click=move |_| only.set(kind)>
                                {i18n.t(label)}
                            </button>
                        })
                        .collect_view()}
                </div>
            </div>
            <FormAlert error=last_error(delete.value()) fields=&[] />
            <Loaded resource=first let:items>
                {if items.is_empty() {
                    view! { <p class="muted">{i18n.t(Msg::NoTimeline)}</p> }.into_any()
                } else {
                    let full_page = items.len() >= 20;
                    let first_last = items.last().map(|i| (i.at_micros, i.id));
                    view! {
                        <ol class="timeline">
                            {items.into_iter().map(|item| view! { <TimelineRow item=item ask_delete=ask_delete deleted=deleted /> }).collect_view()}
                            <For each=move || more.get() key=|item| (item.at_micros, item.id) let:item>
                                <TimelineRow item=item ask_delete=ask_delete deleted=deleted />
                            </For>
                        </ol>
                        <Show when=move || full_page && !exhausted.get()>
                            <button
                                type="button"
                                id="timeline-more"
                                class="btn btn-small"
                                disabled=move || loading.get()
                                on:click=move |_| {
                                    let last = more.with(|m| m.last().map(|i| (i.at_micros, i.id))).or(first_last);
                                    load_more(last);
                                }
                            >
                                {i18n.t(Msg::LoadMore)}
                            </button>
                        </Show>
                    }
                    .into_any()
                }}
            </Loaded>
            <Dialog title=Signal::derive(move || i18n.t(Msg::DeleteActivityConfirm)().to_string()) open=confirm>
                <div class="form-actions">
                    <button type="button" class="btn btn-danger" id="confirm-delete-activity" on:click=move |_| {
                        if let Some(id) = doomed.get_untracked() {
                            delete.dispatch(DeleteActivity { id });
                        }
                        confirm.set(false);
                    }>{i18n.t(Msg::Delete)}</button>
                    <button type="button" class="btn" on:click=move |_| confirm.set(false)>{i18n.t(Msg::Cancel)}</button>
                </div>
            </Dialog>
        </section>
    }
}

#[component]
fn TimelineRow(
    item: TimelineItem,
    ask_delete: Callback<Id>,
    deleted: RwSignal<Vec<Id>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.id;
    let delete_button = item.deletable.then(|| {
        view! {
            <button type="button" class="btn btn-small btn-danger-quiet delete-activity" on:click=move |_| ask_delete.run(id)>
                {i18n.t(Msg::Delete)}
            </button>
        }
    });
    let who = item
        .by_name
        .clone()
        .unwrap_or_else(|| Msg::SystemUser.text(i18n.now()).to_string());
    let when = item.when.clone();
    let deal_title = item.deal_title.clone();
    let (class, body) = match item.entry {
        TimelineEntry::Activity(a) => {
            let minutes = a.duration_minutes.map(|m| m.to_string());
            let about = a.deal_id.zip(deal_title).map(|(deal, title)| {
                view! {
                    <a class="entry-deal" href=format!("/deals/{deal}")>
                        {move || fill(i18n.t(Msg::ActivityAboutDeal)(), &[("title", &title)])}
                    </a>
                }
            });
            let body = view! {
                <span class="entry-kind">{i18n.t(activity_msg(a.kind))}</span>
                {minutes.map(|m| view! { <span class="muted">{move || fill(i18n.t(Msg::Minutes)(), &[("n", &m)])}</span> })}
                " " {about}
                <p class="entry-text">{a.text}</p>
            }
            .into_any();
            (format!("entry activity kind-{}", a.kind.code()), body)
        }
        TimelineEntry::Task(t) => {
            let label = if t.commitment {
                Msg::CommitmentLabel
            } else {
                Msg::TaskLabel
            };
            let due = item.due.clone().unwrap_or_default();
            let body = view! {
                <span class="entry-kind">{i18n.t(label)}</span>
                <span class="muted">{move || format!("{} {}", i18n.t(Msg::Due)(), due)}</span>
                <p class="entry-text" class:done=t.done_at.is_some()>{t.title}</p>
            }
            .into_any();
            (
                if t.commitment {
                    "entry commitment".to_string()
                } else {
                    "entry task".to_string()
                },
                body,
            )
        }
        TimelineEntry::File(f) => {
            let body = view! {
                <span class="entry-kind">{i18n.t(Msg::FileLabel)}</span>
                <p class="entry-text"><a href=format!("/api/v1/files/{}", f.id) target="_blank">{f.name}</a></p>
            }
            .into_any();
            ("entry file".to_string(), body)
        }
        TimelineEntry::Change(c) => {
            let body = view! {
                <p class="entry-text muted">{move || change_text(&c, i18n)}</p>
            }
            .into_any();
            ("entry change".to_string(), body)
        }
        TimelineEntry::Deal(d) => {
            let body = view! {
                <span class="entry-kind">{i18n.t(Msg::DealLabel)}</span>
                <a href=format!("/deals/{}", d.deal_id)>{d.title.clone()}</a>
                <p class="entry-text muted">{move || deal_event_text(&d, i18n)}</p>
            }
            .into_any();
            ("entry deal".to_string(), body)
        }
        TimelineEntry::Money(m) => {
            let link = m.document.as_ref().map(|d| {
                let href = match d.kind {
                    DocumentKind::Quote => format!("/quotes/{}", d.id),
                    DocumentKind::Contract => format!("/contracts/{}", d.id),
                };
                view! { <a class="mono" href=href>{d.number.clone()}</a> }
            });
            let amount = m
                .amount
                .map(|a| view! { <span class="entry-amount">{i18n.money(a)}</span> });
            let body = view! {
                <span class="entry-kind">{i18n.t(money_event_msg(m.kind))}</span>
                " " {link} " " {amount}
                {m.detail.map(|d| view! { <p class="entry-text muted">{d}</p> })}
            }
            .into_any();
            (
                format!("entry money kind-{}", money_event_code(m.kind)),
                body,
            )
        }
    };
    view! {
        <li class=class class:removed=move || deleted.with(|d| d.contains(&id))>
            <div class="entry-meta">
                <span class="strong">{who}</span>
                <span class="muted">{when}</span>
                {delete_button}
            </div>
            {body}
        </li>
    }
}

fn money_event_msg(kind: MoneyEventKind) -> Msg {
    match kind {
        MoneyEventKind::QuoteMade => Msg::MoneyQuoteMade,
        MoneyEventKind::QuoteSent => Msg::MoneyQuoteSent,
        MoneyEventKind::QuoteAccepted => Msg::MoneyQuoteAccepted,
        MoneyEventKind::QuoteRejected => Msg::MoneyQuoteRejected,
        MoneyEventKind::ContractMade => Msg::MoneyContractMade,
        MoneyEventKind::ContractChanged => Msg::MoneyContractChanged,
        MoneyEventKind::Delivery => Msg::MoneyDelivery,
        MoneyEventKind::Payment => Msg::MoneyPayment,
        MoneyEventKind::Expense => Msg::MoneyExpense,
    }
}

/// The event's class name, for styling and tests.
fn money_event_code(kind: MoneyEventKind) -> &'static str {
    match kind {
        MoneyEventKind::QuoteMade => "quote-made",
        MoneyEventKind::QuoteSent => "quote-sent",
        MoneyEventKind::QuoteAccepted => "quote-accepted",
        MoneyEventKind::QuoteRejected => "quote-rejected",
        MoneyEventKind::ContractMade => "contract-made",
        MoneyEventKind::ContractChanged => "contract-changed",
        MoneyEventKind::Delivery => "delivery",
        MoneyEventKind::Payment => "payment",
        MoneyEventKind::Expense => "expense",
    }
}

/// An audit line as a sentence: the field's label, and the values as people
/// read them.
fn deal_event_text(d: &DealTimelineEvent, i18n: I18n) -> String {
    let locale = i18n.locale.get();
    let name = |stage: &StageRef| stage_ref_name(stage, locale);
    let to = name(&d.to);
    let from = d.from.as_ref().map(name).unwrap_or_default();
    let msg = match d.kind {
        DealTimelineKind::Created => Msg::HistoryCreated,
        DealTimelineKind::Moved => Msg::HistoryMoved,
        DealTimelineKind::Won => Msg::DealEventWon,
        DealTimelineKind::Lost => Msg::DealEventLost,
        DealTimelineKind::Reopened => Msg::DealEventReopened,
    };
    fill(msg.text(locale), &[("from", &from), ("to", &to)])
}

fn change_text(c: &FieldChange, i18n: I18n) -> String {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale).to_string();
    if c.field == "deleted" {
        return t(if c.new.is_empty() {
            Msg::Restore
        } else {
            Msg::MoveToBin
        });
    }
    if c.field == "limit_override" {
        return fill(
            Msg::HistoryLimitOverride.text(locale),
            &[("reason", &c.new)],
        );
    }
    if let Some(rest) = c.field.strip_prefix("contact:")
        && let Some((name, field)) = rest.rsplit_once(':')
    {
        return contact_change_text(c, name, field, locale);
    }
    let field = match c.field.as_str() {
        "name" => t(Msg::Name),
        "kind" => t(Msg::Kind),
        "type" => t(Msg::CustomerType),
        "source" => t(Msg::Source),
        "industry" => t(Msg::Industry),
        "region" => t(Msg::Region),
        "grade" => t(Msg::Grade),
        "tags" => t(Msg::Tags),
        "phone" => t(Msg::Phone),
        "email" => t(Msg::Email),
        "address" => t(Msg::Address),
        "website" => t(Msg::Website),
        "notes" => t(Msg::Notes),
        "owner" => t(Msg::Owner),
        "hot" => t(Msg::HotCustomer),
        other => other.strip_prefix("custom:").unwrap_or(other).to_string(),
    };
    let value = |v: &str| match (c.field.as_str(), v) {
        ("owner", "") => t(Msg::InPool),
        (_, "") => t(Msg::Empty),
        ("type", code) => customer_type_msg(code).map_or(code.to_string(), t),
        ("kind", "Company") => t(Msg::KindCompany),
        ("kind", "Person") => t(Msg::KindPerson),
        (_, v) => v.to_string(),
    };
    fill(
        Msg::ChangedField.text(locale),
        &[
            ("field", &field),
            ("old", &value(&c.old)),
            ("new", &value(&c.new)),
        ],
    )
}

/// A contact's audit line (`contact:<name>:<field>` on its customer).
fn contact_change_text(c: &FieldChange, name: &str, field: &str, locale: Locale) -> String {
    let t = |m: Msg| m.text(locale).to_string();
    if field == "deleted" {
        return fill(Msg::ContactDeleted.text(locale), &[("name", name)]);
    }
    if field == "restored" {
        return fill(Msg::ContactRestored.text(locale), &[("name", name)]);
    }
    let label = match field {
        "name" => t(Msg::Name),
        "title" => t(Msg::JobTitle),
        "phones" => t(Msg::Phone),
        "email" => t(Msg::Email),
        "wechat" => t(Msg::Wechat),
        "birthday" => t(Msg::Birthday),
        "notes" => t(Msg::Notes),
        "role" => t(Msg::DecisionRole),
        other => other.to_string(),
    };
    let value = |v: &str| match (field, v) {
        (_, "") => t(Msg::Empty),
        ("role", code) => match DecisionRole::from_code(code) {
            Some(role) => t(decision_role_msg(Some(role))),
            None => code.to_string(),
        },
        (_, v) => v.to_string(),
    };
    fill(
        Msg::ContactChangedField.text(locale),
        &[
            ("name", name),
            ("field", &label),
            ("old", &value(&c.old)),
            ("new", &value(&c.new)),
        ],
    )
}
