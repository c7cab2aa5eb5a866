//! Form pieces that show a server error beside the field it concerns.

use guanxi_core::Field;
use guanxi_core::model::ActivityKind;
use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{I18n, Msg, activity_msg, use_i18n};

/// The error of the last submission, if any, from an action's value.
pub fn last_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// The element id of a form field: `customer[name]` gives `f-customer-name`.
pub fn field_id(name: &str) -> String {
    let mut id = String::from("f-");
    for c in name.chars() {
        match c {
            '[' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

#[component]
pub fn TextField(
    label: Msg,
    #[prop(into)] name: String,
    field: Field,
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] list: &'static str,
    #[prop(optional)] placeholder: Option<Msg>,
    /// Written before the input, e.g. the currency symbol of an amount.
    #[prop(optional)]
    prefix: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(&name);
    let message = move || {
        error
            .get()
            .filter(|e| e.field() == Some(field))
            .map(|e| e.text(i18n.locale.get()))
    };
    let invalid = move || message().is_some().then_some("true");
    let input_id = id.clone();
    let input = move || {
        view! {
            <input
                id=input_id
                type=kind
                name=name
                value=value
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                list=(!list.is_empty()).then_some(list)
                placeholder=move || placeholder.map(|p| p.text(i18n.locale.get()))
                aria-invalid=invalid
            />
        }
    };
    view! {
        <div class="field">
            <label for=id>{i18n.t(label)}</label>
            {match prefix {
                Some(prefix) => view! { <div class="input-affix"><span class="affix" aria-hidden="true">{prefix}</span>{input()}</div> }.into_any(),
                None => input().into_any(),
            }}
            {move || match message() {
                Some(text) => view! { <p class="field-error" role="alert">{text}</p> }.into_any(),
                None => hint.map(|h| view! { <p class="field-hint">{i18n.t(h)}</p> }).into_any(),
            }}
        </div>
    }
}

/// A `<select>`; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    label: Msg,
    #[prop(into)] name: String,
    field: Field,
    error: Signal<Option<AppError>>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(&name);
    let message = move || {
        error
            .get()
            .filter(|e| e.field() == Some(field))
            .map(|e| e.text(i18n.locale.get()))
    };
    view! {
        <div class="field">
            <label for=id.clone()>{i18n.t(label)}</label>
            <select id=id name=name aria-invalid=move || message().is_some().then_some("true")>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            {move || message().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </div>
    }
}

/// Errors that belong to no field shown in this form.
#[component]
pub fn FormAlert(error: Signal<Option<AppError>>, fields: &'static [Field]) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error
            .get()
            .filter(|e| e.field().is_none_or(|f| !fields.contains(&f)))
            .map(|e| view! { <div class="alert alert-error" role="alert">{e.text(i18n.locale.get())}</div> })
    }
}

#[component]
pub fn SubmitButton(
    label: Msg,
    pending: Signal<bool>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class=format!("btn btn-primary {class}") disabled=pending>
            {move || if pending.get() { i18n.t(Msg::Saving)() } else { i18n.t(label)() }}
        </button>
    }
}

/// Marks the form `data-hydrated` once its handlers are live. A form inside a
/// `Transition` hydrates after the page's body does, and a submit before
/// that would post the plain form; browser tests wait for the mark.
pub fn mark_hydrated(form: NodeRef<leptos::html::Form>) {
    Effect::new(move || {
        if let Some(form) = form.get() {
            let _ = form.set_attribute("data-hydrated", "");
        }
    });
}

/// A `<select>` that submits its form on change, with "any" first.
#[component]
pub fn FilterSelect(
    name: &'static str,
    any: Msg,
    options: Vec<(String, String)>,
    current: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select name=name id=format!("filter-{name}") onchange="this.form.requestSubmit()" aria-label=i18n.t(any)>
            <option value="">{i18n.t(any)}</option>
            {options
                .into_iter()
                .map(|(value, label)| {
                    let is_selected = value == current;
                    view! { <option value=value selected=is_selected>{label}</option> }
                })
                .collect_view()}
        </select>
    }
}

/// (value, label) pairs for the activity-kind select.
pub fn activity_options(i18n: I18n) -> Vec<(String, String)> {
    ActivityKind::ALL
        .iter()
        .map(|k| {
            (
                k.code().to_string(),
                activity_msg(*k).text(i18n.now()).to_string(),
            )
        })
        .collect()
}
