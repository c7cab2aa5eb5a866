//! The audit log (审计日志), for admins: filters kept in the URL (who, kind
//! of record, action, days), a page of entries newest first, and the same
//! filters as a CSV file.

use guanxi_core::model::{AuditAction, AuditFilter, AuditKind};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{AdminOnly, PageHeader};
use crate::api::audit::{AUDIT_PER_PAGE, AuditRow, AuditView, audit_people, get_audit_log};
use crate::components::loaded::Loaded;
use crate::i18n::{
    Msg, audit_action_msg, audit_changes_text, audit_kind_msg, audit_subject, fill, use_i18n,
};

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let text = |k: &str| q.get(k).unwrap_or_default();
            AuditFilter {
                user: text("user"),
                kind: text("kind"),
                action: text("action"),
                record: text("record"),
                from: text("from"),
                to: text("to"),
            }
        })
    });
    let page = Memo::new(move |_| {
        query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0usize))
    });
    let log = Resource::new(
        move || (filter.get(), page.get()),
        |(f, page)| get_audit_log(f, page),
    );
    let people = Resource::new(|| (), |_| audit_people());
    let export_href = move || {
        let mut q = query.get();
        q.remove("page");
        format!("/api/v1/audit.csv{}", q.to_query_string())
    };
    view! {
        <AdminOnly>
            <PageHeader title=Msg::AuditTitle intro=Msg::AuditIntro>
                // A file download: a plain link, signed in by the session cookie.
                <a class="btn" href=export_href id="audit-csv" download="">{i18n.t(Msg::ExportCsv)}</a>
            </PageHeader>
            <Loaded resource=people let:people>
                {
                    let f = filter.get_untracked();
                    view! {
                        <form class="filters" method="get" action="/admin/audit" id="audit-filters">
                            <select name="user" aria-label=i18n.t(Msg::AuditWho)>
                                <option value="">{i18n.t(Msg::AuditAnyone)}</option>
                                {people.into_iter().map(|(id, name)| {
                                    let id = id.to_string();
                                    let selected = f.user == id;
                                    view! { <option value=id selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                            <select name="kind" aria-label=i18n.t(Msg::AuditKindLabel)>
                                <option value="">{i18n.t(Msg::AuditAnyKind)}</option>
                                {AuditKind::ALL.into_iter().map(|k| view! {
                                    <option value=k.code() selected=f.kind == k.code()>{i18n.t(audit_kind_msg(k))}</option>
                                }).collect_view()}
                            </select>
                            <select name="action" aria-label=i18n.t(Msg::AuditActionLabel)>
                                <option value="">{i18n.t(Msg::AuditAnyAction)}</option>
                                {AuditAction::ALL.into_iter().map(|a| view! {
                                    <option value=a.code() selected=f.action == a.code()>{i18n.t(audit_action_msg(a))}</option>
                                }).collect_view()}
                            </select>
                            <label class="inline">{i18n.t(Msg::PeriodFrom)} " " <input type="date" name="from" value=f.from.clone() /></label>
                            <label class="inline">{i18n.t(Msg::PeriodTo)} " " <input type="date" name="to" value=f.to.clone() /></label>
                            {(!f.record.is_empty()).then(|| view! { <input type="hidden" name="record" value=f.record.clone() /> })}
                            <button type="submit" class="btn btn-small">{i18n.t(Msg::Apply)}</button>
                        </form>
                    }
                }
            </Loaded>
            <Loaded resource=log let:v>
                <AuditTable v=v page=page.get_untracked() />
            </Loaded>
        </AdminOnly>
    }
}

#[component]
fn AuditTable(v: AuditView, page: usize) -> impl IntoView {
    let i18n = use_i18n();
    if v.rows.is_empty() {
        return view! { <p class="muted" id="audit-empty">{i18n.t(Msg::AuditNone)}</p> }.into_any();
    }
    let shown = v.rows.len();
    view! {
        <section class="card">
            <div class="table-wrap">
                <table class="table" id="audit-table">
                    <thead><tr>
                        <th>{i18n.t(Msg::AuditWhen)}</th>
                        <th>{i18n.t(Msg::AuditWho)}</th>
                        <th>{i18n.t(Msg::AuditActionLabel)}</th>
                        <th>{i18n.t(Msg::AuditKindLabel)}</th>
                        <th>{i18n.t(Msg::AuditRecord)}</th>
                        <th>{i18n.t(Msg::AuditChanges)}</th>
                    </tr></thead>
                    <tbody>
                        {v.rows.into_iter().map(|row| view! { <AuditLine row=row /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <AuditPager page=page total=v.total shown=shown />
        </section>
    }
    .into_any()
}

#[component]
fn AuditLine(row: AuditRow) -> impl IntoView {
    let i18n = use_i18n();
    let e = row.entry;
    let who = match (row.who, &e.email) {
        (Some(name), _) => name,
        // A failed sign-in names no user: the address tried.
        (None, Some(email)) => email.clone(),
        (None, None) => Msg::AuditSystem.text(i18n.now()).to_string(),
    };
    let subject = {
        let e = e.clone();
        move || audit_subject(&e, i18n.locale.get())
    };
    let changes = {
        let e = e.clone();
        move || audit_changes_text(&e, i18n.locale.get())
    };
    let link = e.record.and_then(|id| match e.kind {
        AuditKind::Customer => Some(format!("/customers/{id}")),
        AuditKind::Deal if e.action != AuditAction::Delete => Some(format!("/deals/{id}")),
        _ => None,
    });
    view! {
        <tr data-kind=e.kind.code() data-action=e.action.code()>
            <td class="nowrap">{row.when}</td>
            <td>{who}</td>
            <td>{i18n.t(audit_action_msg(e.action))}</td>
            <td>{i18n.t(audit_kind_msg(e.kind))}</td>
            <td>{match link {
                Some(href) => view! { <A href=href>{subject}</A> }.into_any(),
                None => view! { <span>{subject}</span> }.into_any(),
            }}</td>
            <td class="audit-changes">{changes}</td>
        </tr>
    }
}

/// One record's entries, newest first, on the record's own page.
#[component]
pub fn ChangesCard(rows: Vec<AuditRow>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::AuditTrailTitle)}</h2>
            <ol class="history audit-trail" id=id>
                {rows.into_iter().map(|row| {
                    let e = row.entry;
                    let action = audit_action_msg(e.action);
                    let who = row.who.unwrap_or_else(|| Msg::AuditSystem.text(i18n.now()).to_string());
                    let changes = move || audit_changes_text(&e, i18n.locale.get());
                    view! {
                        <li>
                            <span>{i18n.t(action)} ": " {changes}</span>
                            <span class="muted">{format!(" · {} · {who}", row.when)}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn AuditPager(page: usize, total: usize, shown: usize) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let from = page * AUDIT_PER_PAGE + 1;
    let to = from + shown - 1;
    let link_to = move |n: usize| {
        let mut q = query.get_untracked();
        q.replace("page", n.to_string());
        format!("/admin/audit{}", q.to_query_string())
    };
    let (prev, next) = (link_to(page.saturating_sub(1)), link_to(page + 1));
    let (has_prev, has_next) = (page > 0, to < total);
    let counts = (total.to_string(), from.to_string(), to.to_string());
    view! {
        <div class="pager">
            <span class="muted" id="audit-count">
                {move || fill(i18n.t(Msg::ShowingCount)(), &[("total", &counts.0), ("from", &counts.1), ("to", &counts.2)])}
            </span>
            <span class="spacer"></span>
            <Show when=move || has_prev>
                <A href=prev.clone() attr:class="btn btn-small">{i18n.t(Msg::Previous)}</A>
            </Show>
            <Show when=move || has_next>
                <A href=next.clone() attr:class="btn btn-small">{i18n.t(Msg::Next)}</A>
            </Show>
        </div>
    }
}
