use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHeader;
use crate::api::customers::{SetTaskDone, my_tasks};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};

#[component]
pub fn TasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = ServerAction::<SetTaskDone>::new();
    let tasks = Resource::new(move || toggle.version().get(), |_| my_tasks());
    view! {
        <PageHeader title=Msg::TasksTitle intro=Msg::TasksIntro />
        <Loaded resource=tasks let:rows>
            {if rows.is_empty() {
                view! { <div class="card empty-state"><p>{i18n.t(Msg::NoTasks)}</p></div> }.into_any()
            } else {
                view! {
                        <ul class="task-list card" id="task-list">
                            {rows
                                .into_iter()
                                .map(|row| {
                                    let t = row.task;
                                    let done = t.done_at.is_some();
                                    let (id, version) = (t.id, t.version);
                                    view! {
                                        <li class="task" class:overdue=row.overdue class:done=done>
                                            <button
                                                type="button"
                                                class="btn btn-small task-toggle"
                                                on:click=move |_| { toggle.dispatch(SetTaskDone { id, version, done: !done }); }
                                            >
                                                {i18n.t(if done { Msg::Reopen } else { Msg::Done })}
                                            </button>
                                            <div class="task-body">
                                                <span class="task-title">{t.title.clone()}</span>
                                                {t.commitment.then(|| view! { <span class="badge commitment">{i18n.t(Msg::CommitmentLabel)}</span> })}
                                                <div class="muted">
                                                    <span class="task-due">{row.due.clone()}</span>
                                                    {row.overdue.then(|| view! { <span class="overdue-label">" · " {i18n.t(Msg::Overdue)}</span> })}
                                                    {t.customer_id.zip(row.customer_name.clone()).map(|(cid, name)| view! {
                                                        " · "
                                                        <A href=format!("/customers/{cid}")>{name}</A>
                                                    })}
                                                </div>
                                            </div>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                }
                .into_any()
            }}
        </Loaded>
    }
}
