//! The customer's timeline, newest first, a page at a time.

use guanxi_core::model::{Id, TimelineEntry};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::customers::{TimelineItem, customer_timeline};
use crate::i18n::{Msg, activity_msg, fill, use_i18n};

/// `changed` ticks when something was added, to reload from the top.
#[component]
pub fn Timeline(customer: Id, changed: Signal<(usize, usize, usize, usize)>) -> impl IntoView {
    let i18n = use_i18n();
    let first = Resource::new(
        move || changed.get(),
        move |_| customer_timeline(customer, None, None),
    );
    let more = RwSignal::new(Vec::<TimelineItem>::new());
    let exhausted = RwSignal::new(false);
    let loading = RwSignal::new(false);
    Effect::new(move || {
        changed.track();
        more.set(Vec::new());
        exhausted.set(false);
    });
    let load_more = move |last: Option<(i64, Id)>| {
        let Some((at, id)) = last else { return };
        loading.set(true);
        spawn_local(async move {
            if let Ok(page) = customer_timeline(customer, Some(at), Some(id)).await {
                exhausted.set(page.is_empty());
                more.update(|m| m.extend(page));
            }
            loading.set(false);
        });
    };
    view! {
        <section class="card" id="timeline">
            <h2>{i18n.t(Msg::Timeline)}</h2>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(items) if items.is_empty() => view! { <p class="muted">{i18n.t(Msg::NoTimeline)}</p> }.into_any(),
                        Ok(items) => {
                            let full_page = items.len() >= 20;
                            let first_last = items.last().map(|i| (i.at_micros, i.id));
                            view! {
                                <ol class="timeline">
                                    {items.into_iter().map(|item| view! { <TimelineRow item=item /> }).collect_view()}
                                    <For each=move || more.get() key=|item| item.id let:item>
                                        <TimelineRow item=item />
                                    </For>
                                </ol>
                                <Show when=move || full_page && !exhausted.get()>
                                    <button
                                        type="button"
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
                        }
                        Err(e) => view! { <p class="alert alert-error">{e.text(i18n.now())}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TimelineRow(item: TimelineItem) -> impl IntoView {
    let i18n = use_i18n();
    let who = item.by_name.clone().unwrap_or_default();
    let when = item.when.clone();
    let (class, body) = match item.entry {
        TimelineEntry::Activity(a) => {
            let minutes = a.duration_minutes.map(|m| m.to_string());
            let body = view! {
                <span class="entry-kind">{i18n.t(activity_msg(a.kind))}</span>
                {minutes.map(|m| view! { <span class="muted">{move || fill(i18n.t(Msg::Minutes)(), &[("n", &m)])}</span> })}
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
        TimelineEntry::Change(c) => {
            let body = view! {
                <p class="entry-text muted">
                    {move || fill(i18n.t(Msg::ChangedField)(), &[("field", &c.field), ("old", &c.old), ("new", &c.new)])}
                </p>
            }
            .into_any();
            ("entry change".to_string(), body)
        }
    };
    view! {
        <li class=class>
            <div class="entry-meta">
                <span class="strong">{who}</span>
                <span class="muted">{when}</span>
            </div>
            {body}
        </li>
    }
}
