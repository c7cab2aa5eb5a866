use leptos::prelude::*;

use guanxi_core::model::{Cents, Workbench};

use crate::api::reports::get_workbench;
use crate::api::settings::get_company;
use crate::api::users::list_users;
use crate::components::charts::KpiTile;
use crate::components::loaded::Loaded;
use crate::format::MoneyStyle;
use crate::i18n::{I18n, Msg, fill, role_msg, use_i18n};
use crate::layout::use_current_user;
use crate::pages::deals::stage_name;
use crate::pages::reports::month_label;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let is_admin = user.role.is_admin();
    let company = Resource::new(|| (), |_| get_company());
    let workbench = Resource::new(|| (), |_| get_workbench());
    let name = user.name.clone();
    view! {
        <section class="home">
            <div class="page-header">
                <div>
                    <h1>{move || fill(i18n.t(Msg::HomeGreeting)(), &[("name", &name)])}</h1>
                    <Suspense>
                        {move || Suspend::new(async move {
                            company.await.ok().map(|c| view! {
                                <p class="page-intro">
                                    {move || fill(
                                        i18n.t(Msg::HomeIntro)(),
                                        &[("company", &c.name), ("role", i18n.t(role_msg(user.role))())],
                                    )}
                                </p>
                            })
                        })}
                    </Suspense>
                </div>
            </div>
            <Loaded resource=workbench let:bench>
                {workbench_view(i18n, &bench)}
            </Loaded>
            <Show when=move || is_admin>
                <h2 class="section-title">{i18n.t(Msg::HomeGettingStarted)}</h2>
                <div class="cards">
                    <TeamCard />
                    <SettingsCard company=company />
                    <article class="card step">
                        <h3>{i18n.t(Msg::HomeStepToken)}</h3>
                        <p>{i18n.t(Msg::HomeStepTokenDetail)}</p>
                        <a class="btn" href="/account">{i18n.t(Msg::HomeOpen)}</a>
                    </article>
                </div>
            </Show>
        </section>
    }
}

/// The change from `before` to `now` as a share, when there was something before.
fn change(now: i64, before: i64) -> Option<f64> {
    (before > 0).then(|| (now - before) as f64 / before as f64)
}

fn workbench_view(i18n: I18n, bench: &Workbench) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let exact = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let compact = |c: Cents| i18n.money_in(c, MoneyStyle::Compact);
    let vs = t(Msg::VsLastMonth).to_string();
    let trend = |now: i64, before: i64| change(now, before).map(|c| (c, vs.clone()));
    let (n, last) = (&bench.numbers, &bench.last_month);
    let month = month_label(&bench.month, locale);
    let tiles = view! {
        <h2 class="section-title">{fill(t(Msg::WorkbenchMonth), &[("month", &month)])}</h2>
        <div class="kpis" id="my-numbers">
            {match trend(n.new_customers.into(), last.new_customers.into()) {
                Some(c) => view! { <KpiTile label=t(Msg::KpiNewCustomers).to_string() value=n.new_customers.to_string() change=c href="/customers?scope=mine&sort=-created".to_string() id="kpi-new-customers" /> }.into_any(),
                None => view! { <KpiTile label=t(Msg::KpiNewCustomers).to_string() value=n.new_customers.to_string() href="/customers?scope=mine&sort=-created".to_string() id="kpi-new-customers" /> }.into_any(),
            }}
            {match trend(n.activities.into(), last.activities.into()) {
                Some(c) => view! { <KpiTile label=t(Msg::KpiActivities).to_string() value=n.activities.to_string() change=c id="kpi-activities" /> }.into_any(),
                None => view! { <KpiTile label=t(Msg::KpiActivities).to_string() value=n.activities.to_string() id="kpi-activities" /> }.into_any(),
            }}
            {match trend(n.won.0, last.won.0) {
                Some(c) => view! { <KpiTile label=t(Msg::KpiWon).to_string() value=compact(n.won) title=exact(n.won) change=c href="/reports/pipeline".to_string() id="kpi-won" /> }.into_any(),
                None => view! { <KpiTile label=t(Msg::KpiWon).to_string() value=compact(n.won) title=exact(n.won) href="/reports/pipeline".to_string() id="kpi-won" /> }.into_any(),
            }}
            <KpiTile label=t(Msg::KpiOpenPipeline).to_string() value=compact(n.open) title=exact(n.open) href="/pipeline".to_string() id="kpi-open" />
        </div>
    };

    let tasks = if bench.tasks.is_empty() {
        view! { <p class="muted">{t(Msg::TasksDueNone)}</p> }.into_any()
    } else {
        let items = bench.tasks.iter().map(|task| {
            let class = if task.overdue { "bench-item overdue" } else { "bench-item" };
            let customer = task.customer_id.zip(task.customer_name.clone()).map(|(id, name)| {
                view! { <a class="muted" href=format!("/customers/{id}")>{name}</a> }
            });
            let flag = task.overdue.then(|| view! { <span class="badge badge-danger">{t(Msg::Overdue)}</span> });
            view! {
                <li class=class>
                    <span class="bench-main"><a href="/tasks">{task.title.clone()}</a> {flag}</span>
                    <span class="bench-meta">{task.due.clone()} " " {customer}</span>
                </li>
            }
        }).collect_view();
        view! { <ul class="bench-list">{items}</ul> }.into_any()
    };

    let hot = if bench.hot.is_empty() {
        view! { <p class="muted">{t(Msg::HotNone)}</p> }.into_any()
    } else {
        let items = bench.hot.iter().map(|c| view! {
            <li class="bench-item">
                <span class="bench-main"><a href=format!("/customers/{}", c.id) title=c.hint.clone()><span class="bench-hot" aria-hidden="true"></span>{c.name.clone()}</a></span>
                <span class="bench-meta">{c.hint.clone()}</span>
            </li>
        }).collect_view();
        view! { <ul class="bench-list">{items}</ul> }.into_any()
    };

    let stalled = if bench.stalled.is_empty() {
        view! { <p class="muted">{t(Msg::StalledNone)}</p> }.into_any()
    } else {
        let items = bench.stalled.iter().map(|d| {
            let days = fill(t(Msg::StalledDays), &[("stage", &stage_name(&d.stage, locale)), ("days", &d.days_in_stage.to_string())]);
            view! {
                <li class="bench-item">
                    <span class="bench-main"><a href=format!("/deals/{}", d.id)>{d.title.clone()}</a> <span class="muted">{d.customer_name.clone()}</span></span>
                    <span class="bench-meta"><span class="overdue-text">{days}</span> " · " {compact(d.amount)} " · " {d.owner_name.clone()}</span>
                </li>
            }
        }).collect_view();
        view! { <ul class="bench-list">{items}</ul> }.into_any()
    };

    let returning = if bench.pool_return_days == 0 {
        view! { <p class="muted">{t(Msg::ReturningOff)}</p> }.into_any()
    } else if bench.returning.is_empty() {
        view! { <p class="muted">{t(Msg::ReturningNone)}</p> }.into_any()
    } else {
        let items = bench.returning.iter().map(|r| {
            let when = fill(t(Msg::PoolReturnsOn), &[("date", &r.returns_on.format("%Y-%m-%d").to_string()), ("days", &r.days_left.to_string())]);
            view! {
                <li class="bench-item">
                    <span class="bench-main"><a href=format!("/customers/{}", r.id)>{r.name.clone()}</a></span>
                    <span class="bench-meta">{when} " · " {r.owner_name.clone()}</span>
                </li>
            }
        }).collect_view();
        view! { <ul class="bench-list">{items}</ul> }.into_any()
    };
    let returning_caption = (bench.pool_return_days > 0).then(|| {
        fill(
            t(Msg::ReturningCaption),
            &[("days", &bench.pool_return_days.to_string())],
        )
    });

    let team = (!bench.team.is_empty()).then(|| {
        let rows = bench.team.iter().map(|r| {
            let link = format!("/reports/pipeline?rep={}", r.user);
            view! {
                <tr>
                    <th scope="row"><a href=link>{r.name.clone()}</a></th>
                    <td class="num">{r.numbers.new_customers}</td>
                    <td class="num">{r.numbers.activities}</td>
                    <td class="num" title=exact(r.numbers.won)>{compact(r.numbers.won)}</td>
                    <td class="num" title=exact(r.numbers.open)>{compact(r.numbers.open)}</td>
                    <td class="num" class:overdue-text=r.overdue_tasks.gt(&0)>{r.overdue_tasks}</td>
                    <td class="num" class:overdue-text=r.stalled_deals.gt(&0)>{r.stalled_deals}</td>
                </tr>
            }
        }).collect_view();
        view! {
            <section class="card bench-card" id="team-numbers">
                <div class="chart-head"><h2>{t(Msg::TeamTitle)}</h2></div>
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t(Msg::ReportRep)}</th>
                            <th scope="col" class="num">{t(Msg::KpiNewCustomers)}</th>
                            <th scope="col" class="num">{t(Msg::KpiActivities)}</th>
                            <th scope="col" class="num">{t(Msg::KpiWon)}</th>
                            <th scope="col" class="num">{t(Msg::KpiOpenPipeline)}</th>
                            <th scope="col" class="num">{t(Msg::OverdueTasks)}</th>
                            <th scope="col" class="num">{t(Msg::StalledDeals)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        }
    });

    let target = match &bench.target {
        Some(p) => {
            let whose = match p.target.target.scope {
                guanxi_core::model::TargetScope::Rep => Msg::WorkbenchTargetMine,
                guanxi_core::model::TargetScope::Team => Msg::WorkbenchTargetTeam,
                _ => Msg::WorkbenchTargetCompany,
            };
            let measure = crate::pages::targets::measure_msg(p.target.target.measure);
            view! {
                <p class="chart-caption muted">{t(whose)} " · " {t(measure)}</p>
                {crate::pages::targets::progress::period_body(i18n, &p.month)}
            }
            .into_any()
        }
        None => view! { <p class="muted">{t(Msg::WorkbenchNoTarget)}</p> }.into_any(),
    };
    let target_link = bench.target.as_ref().map_or("/targets".to_string(), |p| {
        format!("/targets/{}", p.target.target.id)
    });

    view! {
        {tiles}
        <div class="bench-grid">
            <section class="card bench-card" id="bench-target">
                <div class="chart-head"><h2>{t(Msg::WorkbenchTarget)}</h2><a class="btn btn-small btn-quiet" href=target_link>{t(Msg::ViewAll)}</a></div>
                {target}
            </section>
            <section class="card bench-card" id="bench-tasks">
                <div class="chart-head"><h2>{t(Msg::TasksDueTitle)}</h2><a class="btn btn-small btn-quiet" href="/tasks">{t(Msg::ViewAll)}</a></div>
                {tasks}
            </section>
            <section class="card bench-card" id="bench-hot">
                <div class="chart-head"><h2>{t(Msg::HotCustomersTitle)}</h2><a class="btn btn-small btn-quiet" href="/customers?hot=yes">{t(Msg::ViewAll)}</a></div>
                {hot}
            </section>
            <section class="card bench-card" id="bench-stalled">
                <div class="chart-head"><h2>{t(Msg::StalledTitle)}</h2><a class="btn btn-small btn-quiet" href="/pipeline">{t(Msg::ViewAll)}</a></div>
                {stalled}
            </section>
            <section class="card bench-card" id="bench-returning">
                <div class="chart-head"><h2>{t(Msg::ReturningTitle)}</h2></div>
                {returning_caption.map(|c| view! { <p class="chart-caption muted">{c}</p> })}
                {returning}
            </section>
        </div>
        {team}
    }
}

#[component]
fn TeamCard() -> impl IntoView {
    let i18n = use_i18n();
    let users = Resource::new(|| (), |_| list_users());
    view! {
        <article class="card step">
            <h3>{i18n.t(Msg::HomeStepTeam)}</h3>
            <Suspense>
                {move || Suspend::new(async move {
                    let count = users.await.map(|p| p.users.len()).unwrap_or_default().to_string();
                    view! { <p>{move || fill(i18n.t(Msg::HomeStepTeamDetail)(), &[("count", &count)])}</p> }
                })}
            </Suspense>
            <a class="btn" href="/admin/users">{i18n.t(Msg::HomeOpen)}</a>
        </article>
    }
}

#[component]
fn SettingsCard(
    company: Resource<Result<guanxi_core::model::Company, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <article class="card step">
            <h3>{i18n.t(Msg::HomeStepSettings)}</h3>
            <Suspense>
                {move || Suspend::new(async move {
                    company.await.ok().map(|c| view! {
                        <p>{move || fill(i18n.t(Msg::HomeStepSettingsDetail)(), &[("currency", &c.currency), ("tz", &c.time_zone)])}</p>
                    })
                })}
            </Suspense>
            <a class="btn" href="/admin/settings">{i18n.t(Msg::HomeOpen)}</a>
        </article>
    }
}
