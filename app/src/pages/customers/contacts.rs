//! The customer page's contacts: the list, adding one, editing and deleting
//! (after a confirmation), and a vCard upload.

use guanxi_core::Field;
use guanxi_core::model::{Contact, Id};
use leptos::prelude::*;

use super::{DuplicateWarning, role_options};
use crate::api::contacts::{DeleteContact, UpdateContact};
use crate::api::customers::{AddContact, ContactForm};
use crate::components::dialog::Dialog;
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::error::AppError;
use crate::i18n::{Msg, decision_role_msg, fill, use_i18n};

/// The writes of the contacts card; the customer page reloads after each
/// one that succeeded (a failed one keeps its form open with the message).
#[derive(Clone, Copy)]
pub struct ContactActions {
    pub add: ServerAction<AddContact>,
    pub update: ServerAction<UpdateContact>,
    pub delete: ServerAction<DeleteContact>,
    saved: RwSignal<usize>,
}

impl ContactActions {
    pub fn new() -> Self {
        let actions = ContactActions {
            add: ServerAction::new(),
            update: ServerAction::new(),
            delete: ServerAction::new(),
            saved: RwSignal::new(0),
        };
        let saved = actions.saved;
        let (add, update, delete) = (actions.add, actions.update, actions.delete);
        Effect::new(move || {
            if matches!(add.value().get(), Some(Ok(_))) {
                saved.update(|n| *n += 1);
            }
        });
        Effect::new(move || {
            if matches!(update.value().get(), Some(Ok(_))) {
                saved.update(|n| *n += 1);
            }
        });
        Effect::new(move || {
            if matches!(delete.value().get(), Some(Ok(_))) {
                saved.update(|n| *n += 1);
            }
        });
        actions
    }

    /// Ticks after every successful write.
    pub fn saved(self) -> usize {
        self.saved.get()
    }
}

impl Default for ContactActions {
    fn default() -> Self {
        Self::new()
    }
}

/// Which contact form is open: one at a time, so field ids stay unique.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Adding,
    Editing(Id),
}

const FIELDS: &[Field] = &[
    Field::Name,
    Field::Title,
    Field::Phone,
    Field::Email,
    Field::Wechat,
    Field::Birthday,
    Field::Notes,
];

#[component]
pub fn ContactsCard(
    customer: Id,
    contacts: Vec<Contact>,
    can_edit: bool,
    actions: ContactActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(Open::Nothing);
    let add = actions.add;
    let error = last_error(add.value());
    let form = NodeRef::<leptos::html::Form>::new();
    let confirmed = NodeRef::<leptos::html::Input>::new();
    let duplicate = move || {
        matches!(
            error.get(),
            Some(AppError::Core(guanxi_core::Error::PossibleDuplicates(_)))
        )
    };
    Effect::new(move || {
        if let Some(Ok(_)) = add.value().get() {
            open.set(Open::Nothing);
        }
    });
    let empty = contacts.is_empty();
    view! {
        <section class="card" id="contacts-card">
            <div class="card-head">
                <h2>{i18n.t(Msg::Contacts)}</h2>
                <Show when=move || can_edit>
                    <button type="button" class="btn btn-small" id="add-contact" on:click=move |_| {
                        add.value().set(None);
                        open.update(|o| *o = if *o == Open::Adding { Open::Nothing } else { Open::Adding });
                    }>
                        "+ "
                        {i18n.t(Msg::AddContact)}
                    </button>
                </Show>
            </div>
            <Show when=move || open.get() == Open::Adding>
                <ActionForm action=add node_ref=form attr:class="form" attr:id="contact-form">
                    <input type="hidden" name="customer_id" value=customer.to_string() />
                    <input type="hidden" name="confirmed" value="false" node_ref=confirmed />
                    <ContactFields initial=ContactForm::default() error=error />
                    <DuplicateWarning error=error form=form confirmed=confirmed />
                    <Show when=move || !duplicate()>
                        <FormAlert error=error fields=FIELDS />
                    </Show>
                    <SubmitButton label=Msg::Save pending=add.pending().into() />
                </ActionForm>
            </Show>
            <Show when=move || can_edit>
                <VcardUpload customer=customer />
            </Show>
            {empty.then(|| view! { <p class="muted">{i18n.t(Msg::NoContacts)}</p> })}
            <ul class="contact-list">
                {contacts
                    .into_iter()
                    .map(|c| view! { <ContactRow contact=c can_edit=can_edit open=open actions=actions /> })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ContactRow(
    contact: Contact,
    can_edit: bool,
    open: RwSignal<Open>,
    actions: ContactActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = contact.id;
    let editing = move || open.get() == Open::Editing(id);
    let update = actions.update;
    let error = last_error(update.value());
    Effect::new(move || {
        if let Some(Ok(saved)) = update.value().get()
            && saved.id == id
        {
            open.set(Open::Nothing);
        }
    });
    let initial = StoredValue::new(ContactForm::of(&contact));
    let name = contact.name.clone();
    view! {
        <li class="contact" data-contact=id.to_string()>
            <div class="contact-name">
                <span class="strong">{contact.name.clone()}</span>
                {contact.title.clone().map(|t| view! { <span class="muted">" · " {t}</span> })}
            </div>
            <span class="badge">{i18n.t(decision_role_msg(contact.role))}</span>
            <div class="contact-ways muted">
                {contact.phones.join(" / ")}
                {contact.email.clone().map(|e| view! { <span>" " {e}</span> })}
                {contact.wechat.clone().map(|w| view! { <span>" · " {i18n.t(Msg::Wechat)} " " {w}</span> })}
            </div>
            {contact.birthday.map(|b| view! {
                <div class="contact-ways contact-birthday muted">{i18n.t(Msg::Birthday)} " " {b.to_string()}</div>
            })}
            {contact.notes.clone().map(|n| view! { <p class="contact-notes pre">{n}</p> })}
            <Show when=move || can_edit && !editing()>
                <div class="contact-actions">
                    <button type="button" class="btn btn-small btn-quiet edit-contact" on:click=move |_| {
                        update.value().set(None);
                        open.set(Open::Editing(id));
                    }>
                        {i18n.t(Msg::Edit)}
                    </button>
                    <DeleteContactButton id=id name=name.clone() action=actions.delete />
                </div>
            </Show>
            <Show when=editing>
                <ActionForm action=update attr:class="form contact-edit" attr:id="contact-edit-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="version" value=contact.version />
                    <ContactFields initial=initial.get_value() error=error />
                    <FormAlert error=error fields=FIELDS />
                    <div class="form-actions">
                        <SubmitButton label=Msg::Save pending=update.pending().into() />
                        <button type="button" class="btn" on:click=move |_| open.set(Open::Nothing)>{i18n.t(Msg::Cancel)}</button>
                    </div>
                </ActionForm>
            </Show>
        </li>
    }
}

/// The inputs of an added or edited contact, named `contact[…]`.
#[component]
fn ContactFields(initial: ContactForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField label=Msg::Name name="contact[name]" field=Field::Name error=error value=initial.name required=true />
        <TextField label=Msg::JobTitle name="contact[title]" field=Field::Title error=error value=initial.title />
        <TextField label=Msg::Phone name="contact[phone]" field=Field::Phone error=error kind="tel" value=initial.phone hint=Msg::PhonesHint />
        <TextField label=Msg::Email name="contact[email]" field=Field::Email error=error kind="email" value=initial.email />
        <TextField label=Msg::Wechat name="contact[wechat]" field=Field::Wechat error=error value=initial.wechat />
        <TextField label=Msg::Birthday name="contact[birthday]" field=Field::Birthday error=error kind="date" value=initial.birthday />
        <SelectField label=Msg::DecisionRole name="contact[role]" field=Field::Title error=error options=role_options(i18n) selected=initial.role />
        <div class="field">
            <label for="f-contact-notes">{i18n.t(Msg::Notes)}</label>
            <textarea id="f-contact-notes" name="contact[notes]" rows="2">{initial.notes}</textarea>
        </div>
    }
}

/// Asks first, then deletes the contact.
#[component]
fn DeleteContactButton(id: Id, name: String, action: ServerAction<DeleteContact>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let error = last_error(action.value());
    let question = StoredValue::new(name);
    view! {
        <button type="button" class="btn btn-small btn-danger-quiet delete-contact" on:click=move |_| {
            action.value().set(None);
            open.set(true);
        }>
            {i18n.t(Msg::Delete)}
        </button>
        <Dialog title=Signal::derive(move || i18n.t(Msg::DeleteContact)().to_string()) open=open>
            <p>{move || fill(i18n.t(Msg::ConfirmDeleteContact)(), &[("name", &question.get_value())])}</p>
            <FormAlert error=error fields=&[] />
            <div class="form-actions">
                <button type="button" class="btn btn-danger" id="confirm-delete-contact" on:click=move |_| { action.dispatch(DeleteContact { id }); }>
                    {i18n.t(Msg::Delete)}
                </button>
                <button type="button" class="btn" on:click=move |_| open.set(false)>{i18n.t(Msg::Cancel)}</button>
            </div>
        </Dialog>
    }
}

/// Adds the cards of a vCard file as contacts; the server comes back here
/// with the counts in the query.
#[component]
fn VcardUpload(customer: Id) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let result = move || {
        query.with(|q| {
            let added = q.get("vcards")?;
            let failed = q.get("failed").unwrap_or_default();
            Some(fill(
                i18n.t(Msg::VcardResult)(),
                &[("n", &added), ("failed", &failed)],
            ))
        })
    };
    view! {
        {move || result().map(|text| view! { <p class="alert alert-info" role="status" id="vcard-result">{text}</p> })}
        <details class="vcard-upload">
            <summary>{i18n.t(Msg::ImportVcard)}</summary>
            <form method="post" action=format!("/api/v1/vcards?customer={customer}") enctype="multipart/form-data" class="inline-form" id="vcard-form">
                <input type="file" name="file" id="vcard-file" accept=".vcf,text/vcard,text/x-vcard" required />
                <button type="submit" class="btn btn-small">{i18n.t(Msg::Upload)}</button>
            </form>
        </details>
    }
}
