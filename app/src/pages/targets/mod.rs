//! Targets (指标): a year's targets the reader may see, each with its
//! quarters and a link to its progress; the editor that sets one, splits
//! it into months (evenly or by last year) and lets the months be changed
//! by hand, with the quarter sums and what is left to spread.

pub mod planner;
pub mod progress;

use guanxi_core::Field;
use guanxi_core::domain::money::parse_amount;
use guanxi_core::model::{
    Cents, Locale, SalesTargetRow, TargetChoice, TargetMeasure, TargetScope, TargetSplit,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use crate::api::targets::{
    SaveTarget, TargetForm, TargetsView, delete_target, get_target_choices, get_targets,
    split_target,
};
use crate::components::forms::{FormAlert, SubmitButton, last_error};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::format::format_amount;
use crate::i18n::{I18n, Msg, fill, use_i18n};
use crate::pages::PageHeader;

pub fn scope_msg(scope: TargetScope) -> Msg {
    match scope {
        TargetScope::Company => Msg::ScopeCompany,
        TargetScope::Team => Msg::ScopeTeam,
        TargetScope::Rep => Msg::ScopeRep,
        TargetScope::Region => Msg::ScopeRegion,
        TargetScope::Product => Msg::ScopeProduct,
    }
}

pub fn measure_msg(measure: TargetMeasure) -> Msg {
    match measure {
        TargetMeasure::Revenue => Msg::MeasureRevenue,
        TargetMeasure::Payments => Msg::MeasurePayments,
    }
}

fn split_msg(split: TargetSplit) -> Msg {
    match split {
        TargetSplit::Even => Msg::SplitEven,
        TargetSplit::LastYear => Msg::SplitLastYear,
        TargetSplit::Manual => Msg::SplitManual,
    }
}

/// Whom a target is for, as a reader names it: `团队 · 华东`, `全公司`.
pub fn subject_text(locale: Locale, scope: TargetScope, label: &str) -> String {
    match scope {
        TargetScope::Company => Msg::ScopeCompany.text(locale).to_string(),
        _ => format!("{} · {label}", scope_msg(scope).text(locale)),
    }
}

/// `2026 · 销售 · 李雷`.
pub fn target_title(locale: Locale, row: &SalesTargetRow) -> String {
    format!(
        "{} · {}",
        row.target.year,
        subject_text(locale, row.target.scope, &row.subject_label)
    )
}

/// A form's `whom` value: `scope:subject`.
fn whom(scope: TargetScope, subject: &str) -> String {
    format!("{}:{subject}", scope.code())
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let year =
        Memo::new(move |_| query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok())));
    let save = ServerAction::<SaveTarget>::new();
    let changed = RwSignal::new(0u32);
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (year.get(), changed.get()), |(y, _)| get_targets(y));
    view! {
        <PageHeader title=Msg::TargetsTitle intro=Msg::TargetsIntro>
            <a class="btn" href="/planner">{i18n.t(Msg::NavPlanner)}</a>
        </PageHeader>
        <Loaded resource=data let:v>
            <TargetsBody v=v save=save changed=changed />
        </Loaded>
    }
}

#[component]
fn TargetsBody(
    v: TargetsView,
    save: ServerAction<SaveTarget>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(None::<SalesTargetRow>);
    let error = RwSignal::new(None::<String>);
    let remove = move |id, version| {
        if !window()
            .confirm_with_message(Msg::DeleteTargetConfirm.text(i18n.now()))
            .unwrap_or(false)
        {
            return;
        }
        let locale = i18n.now();
        spawn_local(async move {
            match delete_target(id, version).await {
                Ok(()) => changed.update(|n| *n += 1),
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    let year = v.year;
    let years = view! {
        <nav class="year-nav" aria-label=i18n.t(Msg::TargetYear)>
            <a class="btn btn-small" href=format!("/targets?year={}", year - 1)>"‹ " {year - 1}</a>
            <strong id="targets-year">{year}</strong>
            <a class="btn btn-small" href=format!("/targets?year={}", year + 1)>{year + 1} " ›"</a>
        </nav>
    };
    let rows = v.rows.clone();
    let can_set = v.can_set;
    let any_editable = rows.iter().any(|r| r.editable);
    let table = if rows.is_empty() {
        view! { <p class="muted">{i18n.t(Msg::NoTargets)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="table" id="targets-table">
                    <thead><tr>
                        <th>{i18n.t(Msg::TargetWhom)}</th>
                        <th>{i18n.t(Msg::TargetMeasureLabel)}</th>
                        <th class="num">{i18n.t(Msg::TargetTotal)}</th>
                        {(1..=4).map(|q| view! { <th class="num quarter-col">{move || fill(i18n.t(Msg::QuarterN)(), &[("n", &q.to_string())])}</th> }).collect_view()}
                        {any_editable.then(|| view! { <th class="actions-col">{i18n.t(Msg::Actions)}</th> })}
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let t = r.target.clone();
                            let row = r.clone();
                            let label = r.subject_label.clone();
                            view! {
                                <tr data-scope=t.scope.code()>
                                    <td><a class="target-progress" href=format!("/targets/{}", t.id) title=i18n.t(Msg::TargetProgressLink)>{move || subject_text(i18n.locale.get(), t.scope, &label)}</a></td>
                                    <td>{i18n.t(measure_msg(t.measure))}</td>
                                    <td class="num">{i18n.money(t.total)}</td>
                                    {(1..=4).map(|q| view! { <td class="num quarter-col">{i18n.money(t.quarter(q))}</td> }).collect_view()}
                                    {any_editable.then(|| view! { <td class="actions-col">
                                        {r.editable.then(|| view! {
                                            <button type="button" class="btn btn-small edit-target" on:click=move |_| { save.value().set(None); editing.set(Some(row.clone())) }>{i18n.t(Msg::Edit)}</button>
                                            " "
                                            <button type="button" class="btn btn-small btn-danger-quiet delete-target" on:click=move |_| remove(t.id, t.version)>{i18n.t(Msg::Delete)}</button>
                                        })}
                                    </td> })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    let open = RwSignal::new(false);
    view! {
        <section class="card" id="targets-card">
            <div class="card-head">
                <h2>{i18n.t(Msg::TargetsTitle)}</h2>
                <div class="card-actions">
                    {years}
                    {can_set.then(|| view! {
                        <button type="button" class="btn btn-primary btn-small" id="new-target" on:click=move |_| {
                            editing.set(None);
                            open.set(true);
                        }>
                            {i18n.t(Msg::NewTarget)}
                        </button>
                    })}
                </div>
            </div>
            {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })}
            {table}
            {(!can_set).then(|| view! { <p class="muted field-hint">{i18n.t(Msg::TargetsReadOnly)}</p> })}
        </section>
        {move || {
            // A fresh editor after each save and for each target edited;
            // none until asked for.
            let _ = changed.get();
            let edited = editing.get();
            (can_set && (edited.is_some() || open.get())).then(|| {
                let close = Callback::new(move |_| {
                    editing.set(None);
                    open.set(false);
                });
                view! {
                    <section class="card target-editor-card">
                        <OpenEditor year=year save=save editing=edited on_cancel=close />
                    </section>
                }
            })
        }}
    }
}

/// The months typed, as amounts; `None` for one that does not parse.
fn parsed(months: &[String]) -> Vec<Option<Cents>> {
    months
        .iter()
        .map(|m| match m.trim() {
            "" => Some(Cents(0)),
            m => parse_amount(Field::Months, m).ok(),
        })
        .collect()
}

fn sum(parts: &[Option<Cents>]) -> Option<Cents> {
    parts
        .iter()
        .try_fold(0i64, |acc, p| p.map(|c| acc + c.0))
        .map(Cents)
}

/// The editor, once whom the reader may set targets for has loaded.
#[component]
fn OpenEditor(
    year: i32,
    save: ServerAction<SaveTarget>,
    editing: Option<SalesTargetRow>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let choices = Resource::new(|| (), |_| get_target_choices());
    view! {
        <Loaded resource=choices let:choices>
            <TargetEditor choices=choices year=year save=save editing=editing.clone() on_cancel=on_cancel />
        </Loaded>
    }
}

#[component]
fn TargetEditor(
    choices: Vec<TargetChoice>,
    year: i32,
    save: ServerAction<SaveTarget>,
    editing: Option<SalesTargetRow>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(save.value());
    let split_error = RwSignal::new(None::<AppError>);
    let shown_error = Signal::derive(move || split_error.get().or_else(|| error.get()));
    let t = editing.as_ref().map(|r| r.target.clone());
    let (id, version) = t
        .as_ref()
        .map(|t| (t.id.to_string(), t.version))
        .unwrap_or_default();
    let initial_whom = t
        .as_ref()
        .map(|t| {
            let subject = match (t.subject_id, &t.subject_name) {
                (Some(id), _) => id.to_string(),
                (None, Some(name)) => name.clone(),
                _ => String::new(),
            };
            whom(t.scope, &subject)
        })
        .or_else(|| choices.first().map(|c| whom(c.scope, &c.subject)))
        .unwrap_or_default();
    let whom_s = RwSignal::new(initial_whom.clone());
    let year_s = RwSignal::new(t.as_ref().map_or(year, |t| t.year).to_string());
    let measure = RwSignal::new(
        t.as_ref()
            .map(|t| t.measure)
            .unwrap_or_default()
            .code()
            .to_string(),
    );
    let total = RwSignal::new(
        t.as_ref()
            .map(|t| format_amount(t.total))
            .unwrap_or_default(),
    );
    let split = RwSignal::new(
        if t.is_some() {
            TargetSplit::Manual
        } else {
            TargetSplit::Even
        }
        .code()
        .to_string(),
    );
    let months = RwSignal::new(
        t.as_ref()
            .map(|t| t.months.iter().map(|m| format_amount(*m)).collect())
            .unwrap_or_else(|| vec![String::new(); 12]),
    );
    let form = move || {
        let m = months.get_untracked();
        let at = |i: usize| m.get(i).cloned().unwrap_or_default();
        TargetForm {
            year: year_s.get_untracked(),
            whom: whom_s.get_untracked(),
            measure: measure.get_untracked(),
            total: total.get_untracked(),
            split: split.get_untracked(),
            m1: at(0),
            m2: at(1),
            m3: at(2),
            m4: at(3),
            m5: at(4),
            m6: at(5),
            m7: at(6),
            m8: at(7),
            m9: at(8),
            m10: at(9),
            m11: at(10),
            m12: at(11),
        }
    };
    let fill_months = move |_| {
        let mut f = form();
        if f.split == TargetSplit::Manual.code() {
            f.split = TargetSplit::Even.code().into();
            split.set(f.split.clone());
        }
        spawn_local(async move {
            match split_target(f).await {
                Ok(parts) => {
                    split_error.set(None);
                    months.set(parts.iter().map(|c| format_amount(*c)).collect());
                }
                Err(e) => split_error.set(Some(e)),
            }
        });
    };
    let is_edit = t.is_some();
    let locale = i18n.now();
    let groups: Vec<(TargetScope, Vec<TargetChoice>)> = TargetScope::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                choices
                    .iter()
                    .filter(|c| c.scope == s)
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, list)| !list.is_empty())
        .collect();
    let whom_options = groups
        .into_iter()
        .map(|(scope, list)| {
            let options = list
                .into_iter()
                .map(|c| {
                    let value = whom(c.scope, &c.subject);
                    let selected = value == initial_whom;
                    let label = subject_text(locale, c.scope, &c.label);
                    view! { <option value=value selected=selected>{label}</option> }
                })
                .collect_view();
            view! { <optgroup label=scope_msg(scope).text(locale)>{options}</optgroup> }
        })
        .collect_view();
    let quarter_sums = move || {
        let parts = parsed(&months.get());
        (0..4)
            .map(|q| sum(&parts[q * 3..q * 3 + 3]))
            .collect::<Vec<_>>()
    };
    let difference = move || {
        let months_total = sum(&parsed(&months.get()))?;
        let year_total = parse_amount(Field::Target, &total.get()).ok()?;
        Some(Cents(months_total.0 - year_total.0))
    };
    let measure_initial = measure.get_untracked();
    let split_initial = split.get_untracked();
    view! {
        <ActionForm action=save attr:class="form target-editor" attr:id="target-form">
            <h2>{i18n.t(if is_edit { Msg::EditTarget } else { Msg::NewTarget })}</h2>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <div class="field-row">
                <div class="field">
                    <label for="f-target-whom">{i18n.t(Msg::TargetWhom)}</label>
                    <select id="f-target-whom" name="target[whom]" prop:value=move || whom_s.get() on:change=move |ev| whom_s.set(event_target_value(&ev))
                        aria-invalid=move || (shown_error.get().and_then(|e| e.field()) == Some(Field::Subject)).then_some("true")>
                        {whom_options}
                    </select>
                </div>
                <div class="field field-narrow">
                    <label for="f-target-year">{i18n.t(Msg::TargetYear)}</label>
                    <input id="f-target-year" type="number" min="2000" max="2100" name="target[year]" value=year_s.get_untracked() prop:value=move || year_s.get() on:input=move |ev| year_s.set(event_target_value(&ev)) />
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="f-target-measure">{i18n.t(Msg::TargetMeasureLabel)}</label>
                    <select id="f-target-measure" name="target[measure]" prop:value=move || measure.get() on:change=move |ev| measure.set(event_target_value(&ev))>
                        {TargetMeasure::ALL.into_iter().map(|m| view! { <option value=m.code() selected=measure_initial == m.code()>{i18n.t(measure_msg(m))}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-target-total">{i18n.t(Msg::TargetTotal)}</label>
                    <div class="input-affix"><span class="affix" aria-hidden="true">{i18n.currency_symbol()}</span>
                        <input id="f-target-total" name="target[total]" inputmode="decimal" required value=total.get_untracked() prop:value=move || total.get() on:input=move |ev| total.set(event_target_value(&ev))
                            aria-invalid=move || (shown_error.get().and_then(|e| e.field()) == Some(Field::Target)).then_some("true") />
                    </div>
                </div>
            </div>
            <div class="field-row split-row">
                <div class="field">
                    <label for="f-target-split">{i18n.t(Msg::TargetSplitLabel)}</label>
                    <select id="f-target-split" name="target[split]" prop:value=move || split.get() on:change=move |ev| split.set(event_target_value(&ev))>
                        {TargetSplit::ALL.into_iter().map(|s| view! { <option value=s.code() selected=split_initial == s.code()>{i18n.t(split_msg(s))}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field field-button">
                    <button type="button" class="btn" id="split-months" on:click=fill_months>{i18n.t(Msg::SplitFill)}</button>
                </div>
            </div>
            <p class="field-hint">{i18n.t(Msg::SplitHint)}</p>
            <div class="months-grid" id="target-months-editor">
                {(0..4).map(|q| view! {
                    <fieldset class="quarter">
                        <legend>
                            <span>{move || fill(i18n.t(Msg::QuarterN)(), &[("n", &(q + 1).to_string())])}</span>
                            <span class="quarter-sum" data-quarter=q + 1>{move || quarter_sums().get(q).copied().flatten().map(|c| i18n.money_in(c, crate::format::MoneyStyle::Exact)).unwrap_or_else(|| "—".into())}</span>
                        </legend>
                        {(0..3).map(|k| {
                            let i = q * 3 + k;
                            let key = format!("2000-{:02}", i + 1);
                            let initial = months.get_untracked().get(i).cloned().unwrap_or_default();
                            view! {
                                <label class="month-field">
                                    <span>{move || month_name(i18n, &key)}</span>
                                    <input name=format!("target[m{}]", i + 1) inputmode="decimal" value=initial
                                        prop:value=move || months.with(|m| m.get(i).cloned().unwrap_or_default())
                                        on:input=move |ev| {
                                            let v = event_target_value(&ev);
                                            months.update(|m| m[i] = v);
                                            split.set(TargetSplit::Manual.code().into());
                                        } />
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }).collect_view()}
            </div>
            <p class="months-check" id="months-check">
                {move || match difference() {
                    Some(d) if d.0 == 0 => view! { <span class="kpi-good">"✓ " {i18n.t(Msg::MonthsSum)} " = " {i18n.t(Msg::TargetTotal)}</span> }.into_any(),
                    Some(d) => view! { <span class="kpi-bad">{i18n.t(Msg::MonthsDiff)} " " {if d.0 > 0 { "+" } else { "−" }}{format_amount(Cents(d.0.abs()))}</span> }.into_any(),
                    None => ().into_any(),
                }}
            </p>
            <FormAlert error=shown_error fields=&[] />
            <div class="form-actions">
                <SubmitButton label=Msg::SaveTarget pending=save.pending().into() />
                <button type="button" class="btn" on:click=move |_| on_cancel.run(())>{i18n.t(Msg::Cancel)}</button>
            </div>
        </ActionForm>
    }
}

/// `3月`, `Mar`: a month's short name.
fn month_name(i18n: I18n, key: &str) -> String {
    let label = crate::pages::reports::month_label(key, i18n.locale.get());
    match i18n.locale.get() {
        Locale::ZhCn => label.trim_start_matches("2000年").to_string(),
        Locale::En => label.trim_end_matches(" 2000").to_string(),
    }
}
