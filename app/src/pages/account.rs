use guanxi_core::Field;
use guanxi_core::model::ApiToken;
use leptos::prelude::*;

use super::PageHeader;
use crate::api::account::{ChangePassword, CreateToken, RevokeToken, list_tokens};
use crate::components::forms::{FormAlert, SubmitButton, TextField, last_error};
use crate::components::language_switch::LanguageSwitch;
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Msg::AccountTitle />
        <div class="stack">
            <section class="card">
                <h2>{i18n.t(Msg::Language)}</h2>
                <p class="muted">{i18n.t(Msg::AccountLanguageIntro)}</p>
                <LanguageSwitch />
            </section>
            <PasswordCard />
            <TokensCard />
        </div>
    }
}

#[component]
fn PasswordCard() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    let error = last_error(change.value());
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if let (Some(Ok(())), Some(form)) = (change.value().get(), form.get()) {
            form.reset();
        }
    });
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::ChangePassword)}</h2>
            <ActionForm action=change node_ref=form attr:class="form narrow" attr:id="password-form">
                <TextField label=Msg::CurrentPassword name="current_password" field=Field::Password error=error kind="password" autocomplete="current-password" required=true />
                <TextField label=Msg::NewPassword name="new_password" field=Field::NewPassword error=error kind="password" autocomplete="new-password" required=true hint=Msg::PasswordHint />
                <FormAlert error=error fields=&[Field::Password, Field::NewPassword] />
                <div class="form-actions">
                    <SubmitButton label=Msg::ChangePassword pending=change.pending().into() />
                    <Show when=move || matches!(change.value().get(), Some(Ok(())))>
                        <span class="saved-note" role="status">{i18n.t(Msg::PasswordChanged)}</span>
                    </Show>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn TokensCard() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let error = last_error(create.value());
    let new_secret = move || create.value().get().and_then(Result::ok).map(|t| t.secret);
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if let (Some(Ok(_)), Some(form)) = (create.value().get(), form.get()) {
            form.reset();
        }
    });
    view! {
        <section class="card" id="tokens-card">
            <h2>{i18n.t(Msg::ApiTokens)}</h2>
            <p class="muted">{i18n.t(Msg::ApiTokensIntro)}</p>
            {move || new_secret().map(|secret| view! {
                <div class="alert alert-ok token-secret" role="status">
                    <p>{i18n.t(Msg::TokenCreated)}</p>
                    <code id="new-token">{secret}</code>
                </div>
            })}
            <ActionForm action=create node_ref=form attr:class="form inline-form" attr:id="token-form">
                <TextField label=Msg::TokenName name="name" field=Field::TokenName error=error required=true placeholder=Msg::TokenNamePlaceholder />
                <SubmitButton label=Msg::CreateToken pending=create.pending().into() />
            </ActionForm>
            <FormAlert error=error fields=&[Field::TokenName] />
            <Loaded resource=tokens let:list>
                {if list.is_empty() {
                    view! { <p class="muted">{i18n.t(Msg::NoTokens)}</p> }.into_any()
                } else {
                    view! { <TokenTable tokens=list revoke=revoke /> }.into_any()
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiToken>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let i18n = use_i18n();
    let when = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    view! {
        <div class="table-wrap">
            <table class="table" id="tokens-table">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::TokenName)}</th>
                        <th>{i18n.t(Msg::Created)}</th>
                        <th>{i18n.t(Msg::LastUsed)}</th>
                        <th class="actions-col">{i18n.t(Msg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {tokens
                        .into_iter()
                        .map(|t| {
                            let id = t.id;
                            view! {
                                <tr>
                                    <td class="strong">{t.name.clone()}</td>
                                    <td>{when(t.created_at)}</td>
                                    <td>
                                        {match t.last_used_at {
                                            Some(at) => view! { <span>{when(at)}</span> }.into_any(),
                                            None => view! { <span class="muted">{i18n.t(Msg::Never)}</span> }.into_any(),
                                        }}
                                    </td>
                                    <td class="actions-col">
                                        <button type="button" class="btn btn-small btn-danger" on:click=move |_| { revoke.dispatch(RevokeToken { id }); }>
                                            {i18n.t(Msg::Revoke)}
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
