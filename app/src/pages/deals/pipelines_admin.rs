//! Admins shape the pipelines: names, stage order, win probabilities, stall
//! limits and checklists. A stage that holds deals goes only after its deals
//! have somewhere else to be.

use guanxi_core::model::{BuiltInReason, CloseReasons, Id, Outcome, Pipeline, Stage};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{pipeline_name, stage_name};
use crate::api::deals::close_reasons;
use crate::api::pipelines::{
    CreatePipeline, PipelineDraft, new_stage_id, pipeline_drafts, remove_stage, save_pipeline,
    set_close_reasons,
};
use crate::components::dialog::Dialog;
use crate::components::forms::last_error;
use crate::components::loaded::Loaded;
use crate::i18n::{I18n, Msg, fill, use_i18n};
use crate::pages::{AdminOnly, PageHeader};

#[component]
pub fn PipelinesAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreatePipeline>::new();
    let changed = RwSignal::new(0u32);
    let drafts = Resource::new(
        move || (create.version().get(), changed.get()),
        |_| pipeline_drafts(),
    );
    let chosen = RwSignal::new(0usize);
    // Lives here: a save reloads the drafts and rebuilds the editor.
    let saved = RwSignal::new(false);
    let create_error = last_error(create.value());
    view! {
        <AdminOnly>
            <PageHeader title=Msg::PipelinesAdminTitle intro=Msg::PipelinesAdminIntro>
                <ActionForm action=create attr:class="inline-form" attr:id="new-pipeline-form">
                    <input type="text" name="name" id="new-pipeline-name" required placeholder=i18n.t(Msg::NewPipelineName) aria-label=i18n.t(Msg::NewPipelineName) />
                    <button type="submit" class="btn">"+ " {i18n.t(Msg::NewPipeline)}</button>
                </ActionForm>
            </PageHeader>
            {move || create_error.get().map(|e| view! { <div class="alert alert-error" role="alert">{e.text(i18n.locale.get())}</div> })}
            <Loaded resource=drafts let:drafts>
                {
                    let tabs = drafts
                        .iter()
                        .enumerate()
                        .map(|(n, d)| {
                            let name = pipeline_name(&d.pipeline.name, i18n.now());
                            view! {
                                <button type="button" class="scope-tab" class:active=move || chosen.get() == n on:click=move |_| chosen.set(n)>
                                    {name}
                                </button>
                            }
                        })
                        .collect_view();
                    let editor = move || {
                        drafts
                            .get(chosen.get())
                            .or(drafts.first())
                            .cloned()
                            .map(|draft| view! { <PipelineEditor draft=draft changed=changed saved=saved /> })
                    };
                    view! {
                        <div class="scope-tabs pipeline-tabs" role="tablist">{tabs}</div>
                        {editor}
                    }
                }
            </Loaded>
            <CloseReasonsCard />
        </AdminOnly>
    }
}

/// A stage being removed that still holds deals.
#[derive(Clone, Debug, PartialEq)]
struct Removal {
    stage: Stage,
    deals: u32,
}

#[component]
fn PipelineEditor(
    draft: PipelineDraft,
    changed: RwSignal<u32>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let PipelineDraft {
        pipeline,
        deals_per_stage,
    } = draft;
    let deals_in = StoredValue::new(deals_per_stage);
    let count = move |stage: Id| {
        deals_in.with_value(|d| d.iter().find(|(id, _)| *id == stage).map_or(0, |(_, n)| *n))
    };
    let edited = RwSignal::new(pipeline.clone());
    let error = RwSignal::new(None::<String>);
    let removal = RwSignal::new(None::<Removal>);
    let save = move |_| {
        let pipeline = edited.get_untracked();
        let locale = i18n.now();
        spawn_local(async move {
            match save_pipeline(pipeline).await {
                Ok(_) => {
                    error.set(None);
                    saved.set(true);
                    changed.update(|n| *n += 1);
                }
                Err(e) => {
                    saved.set(false);
                    error.set(Some(e.text(locale)));
                }
            }
        });
    };
    let add_stage = move |_| {
        spawn_local(async move {
            if let Ok(id) = new_stage_id().await {
                edited.update(|p| {
                    let at = p
                        .stages
                        .iter()
                        .position(|s| s.outcome.is_some())
                        .unwrap_or(p.stages.len());
                    p.stages.insert(
                        at,
                        Stage {
                            id,
                            name: String::new(),
                            preset: None,
                            probability: 50,
                            stall_days: None,
                            checklist: Vec::new(),
                            outcome: None,
                        },
                    );
                });
            }
        });
    };
    let remove = move |stage: Stage| {
        let deals = count(stage.id);
        if deals == 0 {
            edited.update(|p| p.stages.retain(|s| s.id != stage.id));
        } else {
            removal.set(Some(Removal { stage, deals }));
        }
    };
    let rows = move || {
        edited
            .get()
            .stages
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    let on_remove = Callback::new(remove);
    let row = move |(n, stage): (usize, Stage)| {
        let deals = count(stage.id);
        view! { <StageRow n=n stage=stage edited=edited deals=deals on_remove=on_remove i18n=i18n /> }
    };
    view! {
        <section class="card pipeline-editor" id="pipeline-editor">
            <div class="field">
                <label for="f-pipeline-name">{i18n.t(Msg::PipelineName)}</label>
                <input id="f-pipeline-name" type="text" prop:value=pipeline.name.clone()
                    placeholder=i18n.t(Msg::DefaultPipeline)
                    on:input=move |ev| edited.update(|p| p.name = event_target_value(&ev)) />
            </div>
            <table class="table stage-table" id="stage-table">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::Order)}</th>
                        <th>{i18n.t(Msg::Stage)}</th>
                        <th>{i18n.t(Msg::WinProbability)}</th>
                        <th>{i18n.t(Msg::StallDays)}</th>
                        <th>{i18n.t(Msg::ChecklistOnePerLine)}</th>
                        <th>{i18n.t(Msg::DealsHere)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=rows key=|(n, s)| (*n, s.id) children=row />
                </tbody>
            </table>
            {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert" id="pipeline-error">{text}</div> })}
            <div class="form-actions">
                <button type="button" class="btn" id="add-stage" on:click=add_stage>"+ " {i18n.t(Msg::AddStage)}</button>
                <button type="button" class="btn btn-primary" id="save-pipeline" on:click=save>{i18n.t(Msg::Save)}</button>
                {move || saved.get().then(|| view! { <span class="saved-note">{i18n.t(Msg::Saved)}</span> })}
            </div>
        </section>
        <RemoveStageDialog removal=removal pipeline=pipeline changed=changed />
    }
}

#[component]
fn StageRow(
    n: usize,
    stage: Stage,
    edited: RwSignal<Pipeline>,
    deals: u32,
    on_remove: Callback<Stage>,
    i18n: I18n,
) -> impl IntoView {
    let id = stage.id;
    let outcome = stage.outcome.is_some();
    let update = move |change: Box<dyn FnOnce(&mut Stage)>| {
        edited.update(|p| {
            if let Some(s) = p.stages.iter_mut().find(|s| s.id == id) {
                change(s);
            }
        })
    };
    let shift = move |by: isize| {
        edited.update(|p| {
            let Some(next) = n.checked_add_signed(by) else {
                return;
            };
            let movable = |i: usize| p.stages.get(i).is_some_and(|s| s.outcome.is_none());
            if movable(n) && movable(next) {
                p.stages.swap(n, next);
            }
        })
    };
    let placeholder = stage.preset.map(|p| super::preset_msg(p).text(i18n.now()));
    let removed = stage.clone();
    view! {
        <tr data-stage-row=id.to_string()>
            <td class="row-actions">
                {(!outcome).then(|| view! {
                    <button type="button" class="btn btn-small btn-quiet stage-up" aria-label=i18n.t(Msg::MoveUp) on:click=move |_| shift(-1)>"↑"</button>
                    <button type="button" class="btn btn-small btn-quiet stage-down" aria-label=i18n.t(Msg::MoveDown) on:click=move |_| shift(1)>"↓"</button>
                })}
            </td>
            <td>
                <input type="text" class="stage-name" prop:value=stage.name.clone() placeholder=placeholder
                    aria-label=i18n.t(Msg::Stage)
                    on:input=move |ev| { let v = event_target_value(&ev); update(Box::new(move |s| s.name = v)) } />
            </td>
            <td>
                <input type="number" class="stage-probability" min="0" max="100" prop:value=stage.probability.to_string()
                    aria-label=i18n.t(Msg::WinProbability)
                    on:input=move |ev| {
                        let v = event_target_value(&ev).parse().unwrap_or(0);
                        update(Box::new(move |s| s.probability = v))
                    } />
            </td>
            <td>
                {(!outcome).then(|| view! {
                    <input type="number" class="stage-stall" min="1" prop:value=stage.stall_days.map(|d| d.to_string()).unwrap_or_default()
                        aria-label=i18n.t(Msg::StallDays)
                        on:input=move |ev| {
                            let v = event_target_value(&ev).trim().parse().ok();
                            update(Box::new(move |s| s.stall_days = v))
                        } />
                })}
            </td>
            <td>
                {(!outcome).then(|| view! {
                    <textarea class="stage-checklist" rows="2" prop:value=stage.checklist.join("\n")
                        aria-label=i18n.t(Msg::ChecklistOnePerLine)
                        on:input=move |ev| {
                            let items = event_target_value(&ev)
                                .lines()
                                .map(|l| l.trim().to_string())
                                .filter(|l| !l.is_empty())
                                .collect();
                            update(Box::new(move |s| s.checklist = items))
                        }></textarea>
                })}
            </td>
            <td class="muted">{deals}</td>
            <td class="row-actions">
                {(!outcome).then(|| view! {
                    <button type="button" class="btn btn-small btn-danger-quiet stage-remove" on:click=move |_| on_remove.run(removed.clone())>
                        {i18n.t(Msg::Remove)}
                    </button>
                })}
            </td>
        </tr>
    }
}

/// Asks where a removed stage's deals go, then moves them and removes it.
#[component]
fn RemoveStageDialog(
    removal: RwSignal<Option<Removal>>,
    pipeline: Pipeline,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    // Two-way between "something to show" and the dialog's open flag; a
    // set only when it changes, or each effect would wake the other forever.
    Effect::new(move || {
        let wanted = removal.with(Option::is_some);
        if open.get_untracked() != wanted {
            open.set(wanted);
        }
    });
    Effect::new(move || {
        if !open.get() && removal.with_untracked(Option::is_some) {
            removal.set(None);
        }
    });
    let error = RwSignal::new(None::<String>);
    let title = Signal::derive(move || Msg::RemoveStage.text(i18n.locale.get()).to_string());
    let pipeline = StoredValue::new(pipeline);
    view! {
        <Dialog title=title open=open>
            {move || removal.get().map(|Removal { stage, deals }| {
                let locale = i18n.now();
                let targets: Vec<(Id, String)> = pipeline.with_value(|p| {
                    p.open_stages()
                        .filter(|s| s.id != stage.id)
                        .map(|s| (s.id, stage_name(s, locale)))
                        .collect()
                });
                let target = RwSignal::new(targets.first().map(|t| t.0));
                let (pipeline_id, version) = pipeline.with_value(|p| (p.id, p.version));
                let stage_id = stage.id;
                let confirm = move |_| {
                    let Some(move_to) = target.get_untracked() else { return };
                    spawn_local(async move {
                        match remove_stage(pipeline_id, stage_id, move_to, version).await {
                            Ok(_) => {
                                error.set(None);
                                removal.set(None);
                                changed.update(|n| *n += 1);
                            }
                            Err(e) => error.set(Some(e.text(locale))),
                        }
                    });
                };
                view! {
                    <div class="form" id="remove-stage-form">
                        <p>{fill(Msg::RemoveStageQuestion.text(locale), &[("stage", &stage_name(&stage, locale)), ("n", &deals.to_string())])}</p>
                        <label class="field">
                            {i18n.t(Msg::MoveDealsTo)}
                            <select id="remove-stage-target" on:change=move |ev| target.set(event_target_value(&ev).parse().ok())>
                                {targets.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                            </select>
                        </label>
                        <p class="field-hint">{i18n.t(Msg::RemoveStageHint)}</p>
                        {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })}
                        <div class="form-actions">
                            <button type="button" class="btn btn-primary" id="confirm-remove-stage" on:click=confirm>{i18n.t(Msg::MoveAndRemove)}</button>
                        </div>
                    </div>
                }
            })}
        </Dialog>
    }
}

/// A change to one outcome's reason list.
type ReasonEdit = Box<dyn FnOnce(&mut Vec<String>)>;

/// The reasons the close dialog offers: built-in ones ticked on or off,
/// and the company's own, one per line.
#[component]
fn CloseReasonsCard() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let reasons = Resource::new(move || changed.get(), |_| close_reasons());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                reasons.await.ok().map(|r| view! { <CloseReasonsForm reasons=r changed=changed /> })
            })}
        </Transition>
    }
}

#[component]
fn CloseReasonsForm(reasons: CloseReasons, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let edited = RwSignal::new(reasons);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let save = move |_| {
        let reasons = edited.get_untracked();
        let locale = i18n.now();
        spawn_local(async move {
            match set_close_reasons(reasons).await {
                Ok(_) => {
                    error.set(None);
                    saved.set(true);
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.text(locale))),
            }
        });
    };
    let column = move |outcome: Outcome, title: Msg, builtins: &'static [BuiltInReason]| {
        let current = move || edited.with(|r| r.for_outcome(outcome).to_vec());
        let own = current()
            .into_iter()
            .filter(|c| BuiltInReason::from_code(c).is_none())
            .collect::<Vec<_>>()
            .join("\n");
        let update = move |change: ReasonEdit| {
            edited.update(|r| match outcome {
                Outcome::Won => change(&mut r.won),
                Outcome::Lost => change(&mut r.lost),
            })
        };
        view! {
            <fieldset class="reason-column" id=format!("reasons-{}", if outcome == Outcome::Won { "won" } else { "lost" })>
                <legend>{i18n.t(title)}</legend>
                {builtins
                    .iter()
                    .map(|&reason| {
                        let code = reason.code();
                        let on = move || current().iter().any(|c| c == code);
                        view! {
                            <label class="check">
                                <input type="checkbox" value=code prop:checked=on
                                    on:change=move |ev| {
                                        let checked = event_target_checked(&ev);
                                        update(Box::new(move |list| {
                                            list.retain(|c| c != code);
                                            if checked {
                                                list.insert(0, code.to_string());
                                            }
                                        }))
                                    } />
                                {i18n.t(super::reason_msg(reason))}
                            </label>
                        }
                    })
                    .collect_view()}
                <label class="field">
                    {i18n.t(Msg::OwnReasons)}
                    <textarea rows="3" class="own-reasons" prop:value=own
                        on:input=move |ev| {
                            let typed: Vec<String> = event_target_value(&ev)
                                .lines()
                                .map(|l| l.trim().to_string())
                                .filter(|l| !l.is_empty())
                                .collect();
                            update(Box::new(move |list| {
                                list.retain(|c| BuiltInReason::from_code(c).is_some());
                                list.extend(typed);
                            }))
                        }></textarea>
                </label>
            </fieldset>
        }
    };
    view! {
        <section class="card" id="close-reasons">
            <h2>{i18n.t(Msg::CloseReasonsTitle)}</h2>
            <p class="muted">{i18n.t(Msg::CloseReasonsIntro)}</p>
            <div class="grid-2">
                {column(Outcome::Won, Msg::WonReasons, &BuiltInReason::WON)}
                {column(Outcome::Lost, Msg::LostReasons, &BuiltInReason::LOST)}
            </div>
            {move || error.get().map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })}
            <div class="form-actions">
                <button type="button" class="btn btn-primary" id="save-close-reasons" on:click=save>{i18n.t(Msg::Save)}</button>
                {move || saved.get().then(|| view! { <span class="saved-note">{i18n.t(Msg::Saved)}</span> })}
            </div>
        </section>
    }
}
