//! A target's progress: month-, quarter- and year-to-date cards (target,
//! actual, share reached as a bar, the same days last year and the pace
//! still needed), and the year month by month. The workbench shows the
//! month's card.

use guanxi_core::model::{Cents, PeriodProgress, ProgressPeriod, Rate, TargetProgress};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::targets::get_target_progress;
use crate::components::loaded::Loaded;
use crate::format::{MoneyStyle, percent};
use crate::i18n::{I18n, Msg, fill, use_i18n};
use crate::pages::reports::month_label;

use super::{measure_msg, target_title};

/// `41.7%` of a rate in basis points.
pub fn reached_text(rate: Rate) -> String {
    percent(f64::from(rate.0) / 10_000.0)
}

fn period_msg(period: ProgressPeriod) -> Msg {
    match period {
        ProgressPeriod::Month => Msg::ProgressMtd,
        ProgressPeriod::Quarter => Msg::ProgressQtd,
        ProgressPeriod::Year => Msg::ProgressYtd,
    }
}

/// One period's card.
pub fn period_card(i18n: I18n, p: &PeriodProgress) -> impl IntoView + use<> {
    let locale = i18n.now();
    let kind = match p.period {
        ProgressPeriod::Month => "month",
        ProgressPeriod::Quarter => "quarter",
        ProgressPeriod::Year => "year",
    };
    let span = format!(
        "{} – {}",
        p.span.from.format("%Y-%m-%d"),
        p.span.to.format("%Y-%m-%d")
    );
    view! {
        <article class="card target-card" data-period=kind>
            <div class="target-card-head">
                <h3>{period_msg(p.period).text(locale)}</h3>
                <span class="muted field-hint">{span}</span>
            </div>
            {period_body(i18n, p)}
        </article>
    }
}

/// A period's figures: actual of target, the bar, share reached, last
/// year and what is left, and the pace still needed.
pub fn period_body(i18n: I18n, p: &PeriodProgress) -> impl IntoView + use<> {
    let locale = i18n.now();
    let t = |m: Msg| m.text(locale);
    let money = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let compact = |c: Cents| i18n.money_in(c, MoneyStyle::Compact);
    let reached = p.reached.map(reached_text).unwrap_or_else(|| "—".into());
    // The bar stops at 100 %; the figure says how far past it.
    let bar = p.reached.map_or(0, |r| r.0.min(10_000)) as f64 / 100.0;
    let done = p.remaining.0 == 0 && p.target.0 > 0;
    let pace = if done {
        t(Msg::ProgressDone).to_string()
    } else {
        match p.per_day_needed {
            Some(per_day) => fill(
                t(Msg::ProgressPace),
                &[
                    ("days", &p.days_left.to_string()),
                    ("amount", &money(per_day)),
                ],
            ),
            None => t(Msg::ProgressPeriodOver).to_string(),
        }
    };
    let change =
        (p.last_year.0 > 0).then(|| (p.actual.0 - p.last_year.0) as f64 / p.last_year.0 as f64);
    view! {
        <div class="target-figures">
            <span class="target-actual" title=money(p.actual)>{compact(p.actual)}</span>
            <span class="muted">" / " <span class="target-goal" title=money(p.target)>{compact(p.target)}</span></span>
        </div>
        // An SVG bar: the page's CSP allows no inline style to size a div.
        <svg class="target-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{bar:.0}") aria-label=t(Msg::ProgressReached)>
            <rect class="target-bar-track" width="100" height="6" rx="3" />
            <rect class=if done { "target-bar-fill done" } else { "target-bar-fill" } width=format!("{bar:.1}") height="6" rx="3" />
        </svg>
        <dl class="target-facts">
            <div><dt>{t(Msg::ProgressReached)}</dt><dd class="target-reached">{reached}</dd></div>
            <div><dt>{t(Msg::ProgressLastYear)}</dt><dd>
                <span title=money(p.last_year)>{compact(p.last_year)}</span>
                {change.map(|c| {
                    let class = if c >= 0.0 { "kpi-good" } else { "kpi-bad" };
                    let arrow = if c >= 0.0 { "▲" } else { "▼" };
                    view! { " " <span class=class>{arrow} {percent(c.abs())}</span> }
                })}
            </dd></div>
            <div><dt>{t(Msg::ProgressRemaining)}</dt><dd title=money(p.remaining)>{compact(p.remaining)}</dd></div>
        </dl>
        <p class="target-pace muted">{pace}</p>
    }
}

/// `actual` of `goal` as a percentage; a dash without a goal.
fn share(actual: Cents, goal: Cents) -> String {
    if goal.0 > 0 {
        percent(actual.0 as f64 / goal.0 as f64)
    } else {
        "—".into()
    }
}

#[component]
pub fn TargetProgressPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_target_progress(id).await,
            None => Err(crate::error::AppError::from(guanxi_core::Error::NotFound)),
        }
    });
    view! {
        <Loaded resource=data let:p>
            {progress_view(i18n, &p)}
        </Loaded>
    }
}

fn progress_view(i18n: I18n, p: &TargetProgress) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let money = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    let target = &p.target.target;
    let title = target_title(locale, &p.target);
    let as_of = fill(
        t(Msg::ProgressAsOf),
        &[("date", &p.as_of.format("%Y-%m-%d").to_string())],
    );
    let months = target
        .months
        .iter()
        .zip(&p.monthly_actual)
        .enumerate()
        .map(|(i, (goal, actual))| {
            let key = format!("{:04}-{:02}", target.year, i + 1);
            let reached = share(*actual, *goal);
            let quarter_end = i % 3 == 2;
            let q = i / 3 + 1;
            let quarter_actual = Cents(
                p.monthly_actual
                    .iter()
                    .skip(q * 3 - 3)
                    .take(3)
                    .map(|c| c.0)
                    .sum(),
            );
            let quarter_goal = target.quarter(q);
            view! {
                <tr>
                    <td>{month_label(&key, locale)}</td>
                    <td class="num">{money(*goal)}</td>
                    <td class="num">{money(*actual)}</td>
                    <td class="num">{reached}</td>
                </tr>
                {quarter_end.then(|| view! {
                    <tr class="subtotal">
                        <th scope="row">{fill(t(Msg::QuarterN), &[("n", &q.to_string())])}</th>
                        <td class="num">{money(quarter_goal)}</td>
                        <td class="num">{money(quarter_actual)}</td>
                        <td class="num">{share(quarter_actual, quarter_goal)}</td>
                    </tr>
                })}
            }
        })
        .collect_view();
    view! {
        <div class="page-header">
            <div>
                <h1>{title}</h1>
                <p class="page-intro">{t(measure_msg(target.measure))} " · " {as_of}</p>
            </div>
            <div class="page-actions">
                <a class="btn" href=format!("/targets?year={}", target.year)>{t(Msg::BackToTargets)}</a>
            </div>
        </div>
        <div class="target-cards" id="target-progress">
            {period_card(i18n, &p.month)}
            {period_card(i18n, &p.quarter)}
            {period_card(i18n, &p.year)}
        </div>
        <section class="card">
            <div class="card-head"><h2>{t(Msg::ProgressByMonth)}</h2></div>
            <div class="table-wrap">
                <table class="table" id="target-months">
                    <thead><tr>
                        <th>{t(Msg::ProgressMonth)}</th>
                        <th class="num">{t(Msg::ProgressTarget)}</th>
                        <th class="num">{t(Msg::ProgressActual)}</th>
                        <th class="num">{t(Msg::ProgressReached)}</th>
                    </tr></thead>
                    <tbody>{months}</tbody>
                    <tfoot><tr class="subtotal">
                        <th scope="row">{t(Msg::PlannerYearTotal)}</th>
                        <td class="num">{money(target.total)}</td>
                        <td class="num">{money(Cents(p.monthly_actual.iter().map(|c| c.0).sum()))}</td>
                        <td class="num">{p.year.reached.map(reached_text).unwrap_or_else(|| "—".into())}</td>
                    </tr></tfoot>
                </table>
            </div>
        </section>
    }
}
