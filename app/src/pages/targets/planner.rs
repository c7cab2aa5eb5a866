//! The target planner: whom and which year, the history window, and the
//! what-if inputs (target, average won deal, the two conversion rates)
//! in the URL, so a plan works before any script and can be shared; the
//! history measured, the rates used beside them, and per quarter the
//! deals, new customers and visits needed.

use guanxi_core::model::{Cents, PlannerParams, PlannerRates, QuarterPlan};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::targets::{PlannerView, get_plan};
use crate::components::loaded::Loaded;
use crate::format::MoneyStyle;
use crate::i18n::{I18n, Msg, fill, use_i18n};
use crate::pages::PageHeader;

use super::progress::reached_text;

#[component]
pub fn PlannerPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        query.with(|q| {
            let mut p = PlannerParams::from_query(|k| q.get(k).unwrap_or_default());
            // The form's one picker says both: `rep:01J…`, `team:华东`.
            if let Some((scope, subject)) = q.get("whom").as_deref().and_then(|w| w.split_once(':'))
            {
                p.scope = scope.to_string();
                p.subject = subject.to_string();
            }
            p
        })
    });
    let data = Resource::new(move || params.get(), get_plan);
    view! {
        <PageHeader title=Msg::PlannerTitle intro=Msg::PlannerIntro>
            <a class="btn" href="/targets">{i18n.t(Msg::NavTargets)}</a>
        </PageHeader>
        <PlannerForm params=params data=data />
        <Loaded resource=data let:v>
            {plan_view(i18n, &v)}
        </Loaded>
    }
}

/// The inputs, as a GET form: it works before hydration, and the URL is
/// the plan.
#[component]
fn PlannerForm(
    params: Memo<PlannerParams>,
    data: Resource<Result<PlannerView, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = params.get_untracked();
    let field = move |label: Msg,
                      name: &'static str,
                      value: String,
                      hint: Option<Msg>,
                      prefix: Option<String>| {
        let id = format!("f-planner-{name}");
        let input_id = id.clone();
        view! {
            <div class="field">
                <label for=id>{i18n.t(label)}</label>
                {match prefix {
                    Some(prefix) => view! { <div class="input-affix"><span class="affix" aria-hidden="true">{prefix}</span><input id=input_id name=name value=value inputmode="decimal" /></div> }.into_any(),
                    None => view! { <input id=input_id name=name value=value inputmode="decimal" /> }.into_any(),
                }}
                {hint.map(|h| view! { <p class="field-hint">{i18n.t(h)}</p> })}
            </div>
        }
    };
    let symbol = i18n.currency_symbol();
    view! {
        <form class="card form planner-form" method="get" action="/planner" id="planner-form">
            <div class="field-row">
                <div class="field">
                    <label for="f-planner-subject">{i18n.t(Msg::PlannerFor)}</label>
                    <Transition fallback=move || view! { <select id="f-planner-subject" disabled=true></select> }>
                        {move || Suspend::new(async move {
                            let v: Option<PlannerView> = data.await.ok();
                            let p = params.get_untracked();
                            let chosen = if p.subject.is_empty() {
                                v.as_ref().map(|v| format!("rep:{}", v.me)).unwrap_or_default()
                            } else {
                                format!("{}:{}", if p.scope.is_empty() { "rep" } else { p.scope.as_str() }, p.subject)
                            };
                            let (reps, teams) = v.map(|v| (v.reps, v.teams)).unwrap_or_default();
                            view! {
                                <select id="f-planner-subject" name="whom">
                                    <optgroup label=i18n.t(Msg::ScopeRep)>
                                        {reps.into_iter().map(|(id, name)| {
                                            let value = format!("rep:{id}");
                                            view! { <option value=value.clone() selected=value == chosen>{name}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                    {(!teams.is_empty()).then(|| view! {
                                        <optgroup label=i18n.t(Msg::ScopeTeam)>
                                            {teams.into_iter().map(|t| {
                                                let value = format!("team:{t}");
                                                view! { <option value=value.clone() selected=value == chosen>{t}</option> }
                                            }).collect_view()}
                                        </optgroup>
                                    })}
                                </select>
                            }
                        })}
                    </Transition>
                </div>
                <div class="field field-narrow">
                    <label for="f-planner-year">{i18n.t(Msg::TargetYear)}</label>
                    <input id="f-planner-year" name="year" value=p.year.clone() inputmode="numeric" placeholder=i18n.t(Msg::PlannerThisYear) />
                </div>
                {field(Msg::PlannerWindow, "window", if p.window.is_empty() { "12".into() } else { p.window.clone() }, None, None)}
            </div>
            <div class="field-row">
                {field(Msg::PlannerTarget, "target", p.target.clone(), Some(Msg::PlannerTargetHint), Some(symbol.clone()))}
                {field(Msg::PlannerDealSize, "deal_size", p.deal_size.clone(), None, Some(symbol))}
                {field(Msg::PlannerVisitRate, "visit_rate", p.visit_rate.clone(), None, None)}
                {field(Msg::PlannerWinRate, "win_rate", p.win_rate.clone(), None, None)}
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="planner-submit">{i18n.t(Msg::PlannerCompute)}</button>
            </div>
        </form>
    }
}

fn plan_view(i18n: I18n, v: &PlannerView) -> impl IntoView + use<> {
    let locale = i18n.locale.get();
    let t = |m: Msg| m.text(locale);
    let money = |c: Cents| i18n.money_in(c, MoneyStyle::Exact);
    // Compact in the quarter table, so its counts fit a phone's width.
    let compact = |c: Cents| i18n.money_in(c, MoneyStyle::Compact);
    let plan = &v.plan;
    let h = &plan.history;
    let window = fill(
        t(Msg::PlannerWindowSpan),
        &[
            ("from", &h.window.from.format("%Y-%m-%d").to_string()),
            ("to", &h.window.to.format("%Y-%m-%d").to_string()),
        ],
    );
    let rate_rows = |label: Msg, of: &dyn Fn(PlannerRates) -> String| {
        let cell = |r: Option<PlannerRates>| match r {
            Some(r) => view! { <td class="num">{of(r)}</td> }.into_any(),
            None => view! { <td class="num muted">"—"</td> }.into_any(),
        };
        view! {
            <tr>
                <th scope="row">{t(label)}</th>
                {cell(plan.measured)}
                <td class="num used">{plan.used.map(of).unwrap_or_else(|| "—".into())}</td>
            </tr>
        }
    };
    let deal_size = move |r: PlannerRates| i18n.money_in(r.deal_size, MoneyStyle::Exact);
    let quarters = plan.quarters.clone();
    let total = quarters.iter().fold(QuarterPlan::default(), |mut acc, q| {
        acc.target.0 += q.target.0;
        acc.deals += q.deals;
        acc.new_customers += q.new_customers;
        acc.visits += q.visits;
        acc
    });
    let plan_table = if quarters.is_empty() {
        view! { <p class="alert alert-info" id="planner-missing">{t(Msg::PlannerMissing)}</p> }
            .into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="table" id="planner-quarters">
                    <thead><tr>
                        <th>{t(Msg::PlannerQuarter)}</th>
                        <th class="num">{t(Msg::PlannerQuarterTarget)}</th>
                        <th class="num">{t(Msg::PlannerDealsNeeded)}</th>
                        <th class="num">{t(Msg::PlannerCustomersNeeded)}</th>
                        <th class="num">{t(Msg::PlannerVisitsNeeded)}</th>
                    </tr></thead>
                    <tbody>
                        {quarters.into_iter().map(|q| view! {
                            <tr data-quarter=q.quarter>
                                <th scope="row">{fill(t(Msg::QuarterN), &[("n", &q.quarter.to_string())])}</th>
                                <td class="num" title=money(q.target)>{compact(q.target)}</td>
                                <td class="num deals">{q.deals}</td>
                                <td class="num customers">{q.new_customers}</td>
                                <td class="num visits">{q.visits}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr class="subtotal">
                        <th scope="row">{t(Msg::PlannerYearTotal)}</th>
                        <td class="num" title=money(total.target)>{compact(total.target)}</td>
                        <td class="num">{total.deals}</td>
                        <td class="num">{total.new_customers}</td>
                        <td class="num">{total.visits}</td>
                    </tr></tfoot>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" id="planner-plan">
            <div class="card-head">
                <h2>{format!("{} · {}", plan.year, plan.subject_label)}</h2>
                {plan.target_id.map(|id| view! { <a class="btn btn-small btn-quiet" href=format!("/targets/{id}")>{t(Msg::PlannerSavedTarget)}</a> })}
            </div>
            {plan_table}
        </section>
        <div class="planner-grid">
            <section class="card" id="planner-rates">
                <div class="card-head"><h2>{t(Msg::PlannerRatesTitle)}</h2></div>
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th></th>
                            <th class="num">{t(Msg::PlannerMeasured)}</th>
                            <th class="num">{t(Msg::PlannerUsed)}</th>
                        </tr></thead>
                        <tbody>
                            {rate_rows(Msg::PlannerDealSize, &deal_size)}
                            {rate_rows(Msg::PlannerRateVisit, &|r| reached_text(r.visit_rate))}
                            {rate_rows(Msg::PlannerRateWin, &|r| reached_text(r.win_rate))}
                        </tbody>
                    </table>
                </div>
                {plan.measured.is_none().then(|| view! { <p class="field-hint">{t(Msg::PlannerNotMeasured)}</p> })}
            </section>
            <section class="card" id="planner-history-card">
                <div class="card-head">
                    <h2>{t(Msg::PlannerHistoryTitle)}</h2>
                    <span class="muted field-hint">{window}</span>
                </div>
                <dl class="target-facts" id="planner-history">
                    <div><dt>{t(Msg::PlannerVisits)}</dt><dd>{h.visits}</dd></div>
                    <div><dt>{t(Msg::PlannerNewCustomers)}</dt><dd>{h.new_customers}</dd></div>
                    <div><dt>{t(Msg::PlannerWonDeals)}</dt><dd>{h.won_deals}</dd></div>
                    <div><dt>{t(Msg::PlannerWonAmount)}</dt><dd>{money(h.won_amount)}</dd></div>
                </dl>
            </section>
        </div>
    }
}
