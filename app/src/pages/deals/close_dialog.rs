//! Closing a deal as won or lost: the reason, and when lost, who won.

use guanxi_core::Field;
use guanxi_core::model::{Id, Outcome};
use leptos::prelude::*;

use super::reason_label;
use crate::api::deals::{CloseDeal, close_reasons, get_deal};
use crate::components::dialog::Dialog;
use crate::components::forms::{FormAlert, SubmitButton, TextField, last_error};
use crate::error::AppError;
use crate::i18n::{Msg, use_i18n};

/// The deal the dialog is about to close, and how.
#[derive(Clone, Debug, PartialEq)]
pub struct CloseTarget {
    pub deal: Id,
    pub title: String,
    pub outcome: Outcome,
}

#[component]
pub fn CloseDealDialog(
    target: RwSignal<Option<CloseTarget>>,
    on_closed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    // Two-way between "something to show" and the dialog's open flag; a
    // set only when it changes, or each effect would wake the other forever.
    Effect::new(move || {
        let wanted = target.with(Option::is_some);
        if open.get_untracked() != wanted {
            open.set(wanted);
        }
    });
    Effect::new(move || {
        if !open.get() && target.with_untracked(Option::is_some) {
            target.set(None);
        }
    });
    let title = Signal::derive(move || {
        let msg = match target.with(|t| t.as_ref().map(|t| t.outcome)) {
            Some(Outcome::Lost) => Msg::CloseAsLost,
            _ => Msg::CloseAsWon,
        };
        msg.text(i18n.locale.get()).to_string()
    });
    view! {
        <Dialog title=title open=open>
            {move || target.get().map(|t| view! { <CloseDealForm target=t on_closed=on_closed /> })}
        </Dialog>
    }
}

#[component]
fn CloseDealForm(target: CloseTarget, on_closed: Callback<()>) -> impl IntoView {
    let close = ServerAction::<CloseDeal>::new();
    let error = last_error(close.value());
    Effect::new(move || {
        if let Some(Ok(_)) = close.value().get() {
            on_closed.run(());
        }
    });
    let lost = target.outcome == Outcome::Lost;
    let deal = target.deal;
    // The deal's competitors, offered as who won.
    let competitors = Resource::new(move || deal, get_deal);
    let reasons = Resource::new(|| (), |_| close_reasons());
    let outcome_kind = target.outcome;
    let outcome = match target.outcome {
        Outcome::Won => "won",
        Outcome::Lost => "lost",
    };
    view! {
        <ActionForm action=close attr:class="form" attr:id="close-deal-form">
            <p class="muted">{target.title.clone()}</p>
            <input type="hidden" name="id" value=deal.to_string() />
            <input type="hidden" name="outcome" value=outcome />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let offered = reasons
                        .await
                        .map(|r| r.for_outcome(outcome_kind).to_vec())
                        .unwrap_or_default();
                    view! { <ReasonField offered=offered error=error /> }
                })}
            </Transition>
            {lost.then(|| view! {
                <TextField label=Msg::LostTo name="lost_to" field=Field::Competitors error=error list="deal-competitors" />
                <datalist id="deal-competitors">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            competitors
                                .await
                                .map(|view| {
                                    view.deal
                                        .competitors
                                        .into_iter()
                                        .map(|c| view! { <option value=c.name></option> })
                                        .collect_view()
                                })
                                .ok()
                        })}
                    </Transition>
                </datalist>
            })}
            <FormAlert error=error fields=&[Field::Reason, Field::Competitors] />
            <div class="form-actions">
                <SubmitButton label=if lost { Msg::CloseAsLost } else { Msg::CloseAsWon } pending=close.pending().into() />
            </div>
        </ActionForm>
    }
}

/// The admin's reasons for this outcome as a menu; with none set, any text.
#[component]
fn ReasonField(offered: Vec<String>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    if offered.is_empty() {
        return view! { <TextField label=Msg::CloseReason name="reason" field=Field::Reason error=error required=true /> }.into_any();
    }
    let message = move || {
        error
            .get()
            .filter(|e| e.field() == Some(Field::Reason))
            .map(|e| e.text(i18n.locale.get()))
    };
    view! {
        <div class="field">
            <label for="f-reason">{i18n.t(Msg::CloseReason)}</label>
            <select id="f-reason" name="reason" required>
                <option value="">"—"</option>
                {offered
                    .into_iter()
                    .map(|code| {
                        let label = reason_label(&code, i18n.now());
                        view! { <option value=code>{label}</option> }
                    })
                    .collect_view()}
            </select>
            {move || message().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </div>
    }
    .into_any()
}
