use guanxi_core::Field;
use guanxi_core::model::{Role, User};
use leptos::prelude::*;
use leptos_router::components::A;

use super::{AdminOnly, PageHeader};
use crate::api::users::{CreateUser, ResetUserPassword, SetUserActive, UpdateUser, list_users};
use crate::components::dialog::Dialog;
use crate::components::forms::{FormAlert, SelectField, SubmitButton, TextField, last_error};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::i18n::{Msg, role_msg, use_i18n};

const USER_FIELDS: &[Field] = &[
    Field::Email,
    Field::Name,
    Field::Role,
    Field::Team,
    Field::Password,
];

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <UsersAdmin />
        </AdminOnly>
    }
}

fn role_options(locale: guanxi_core::model::Locale) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.code().to_string(), role_msg(*r).text(locale).to_string()))
        .collect()
}

#[component]
fn UsersAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let update = ServerAction::<UpdateUser>::new();
    let toggle = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                update.version().get(),
                toggle.version().get(),
            )
        },
        |_| list_users(),
    );

    let adding = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let resetting = RwSignal::new(false);
    let target = RwSignal::new(None::<User>);

    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            adding.set(false);
        }
    });
    Effect::new(move || {
        if let Some(Ok(_)) = update.value().get() {
            editing.set(false);
        }
    });
    Effect::new(move || {
        if let Some(Ok(())) = reset.value().get() {
            resetting.set(false);
        }
    });

    let open_add = move |_| {
        create.value().set(None);
        adding.set(true);
    };
    let notice = move || {
        if matches!(reset.value().get(), Some(Ok(()))) {
            Some(i18n.t(Msg::PasswordWasReset)())
        } else if matches!(create.value().get(), Some(Ok(_))) {
            Some(i18n.t(Msg::UserCreated)())
        } else {
            None
        }
    };
    let toggle_error = last_error(toggle.value());

    view! {
        <PageHeader title=Msg::UsersTitle intro=Msg::UsersIntro>
            <button type="button" class="btn btn-primary" id="add-user" on:click=open_add>
                "+ "
                {i18n.t(Msg::AddUser)}
            </button>
        </PageHeader>
        {move || notice().map(|text| view! { <div class="alert alert-ok" role="status">{text}</div> })}
        <FormAlert error=toggle_error fields=&[] />
        <Loaded resource=users let:page>
            {
                let teams = page.teams.clone();
                view! {
                    <datalist id="team-names">
                        {teams.into_iter().map(|t| view! { <option value=t></option> }).collect_view()}
                    </datalist>
                    <UserTable
                        users=page.users
                        me=page.me
                        on_edit=Callback::new(move |u: User| {
                            update.value().set(None);
                            target.set(Some(u));
                            editing.set(true);
                        })
                        on_reset=Callback::new(move |u: User| {
                            reset.value().set(None);
                            target.set(Some(u));
                            resetting.set(true);
                        })
                        on_toggle=Callback::new(move |u: User| {
                            toggle.dispatch(SetUserActive { id: u.id, version: u.version, active: !u.active });
                        })
                    />
                }
            }
        </Loaded>

        <Dialog title=Signal::derive(move || i18n.t(Msg::AddUser)().to_string()) open=adding>
            <CreateUserForm action=create />
        </Dialog>
        <Dialog title=Signal::derive(move || i18n.t(Msg::EditUser)().to_string()) open=editing>
            {move || target.get().map(|u| view! { <EditUserForm action=update user=u /> })}
        </Dialog>
        <Dialog
            title=Signal::derive(move || {
                format!("{} · {}", i18n.t(Msg::ResetPassword)(), target.get().map(|u| u.name).unwrap_or_default())
            })
            open=resetting
        >
            {move || target.get().map(|u| view! { <ResetPasswordForm action=reset user=u /> })}
        </Dialog>
    }
}

#[component]
fn UserTable(
    users: Vec<User>,
    me: guanxi_core::model::Id,
    on_edit: Callback<User>,
    on_reset: Callback<User>,
    on_toggle: Callback<User>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap card">
            <table class="table" id="users-table">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::Name)}</th>
                        <th>{i18n.t(Msg::Email)}</th>
                        <th>{i18n.t(Msg::Role)}</th>
                        <th>{i18n.t(Msg::Team)}</th>
                        <th>{i18n.t(Msg::Status)}</th>
                        <th class="actions-col">{i18n.t(Msg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {users
                        .into_iter()
                        .map(|u| {
                            let is_me = u.id == me;
                            let (edit_u, reset_u, toggle_u) = (u.clone(), u.clone(), u.clone());
                            let team = u.team.clone();
                            view! {
                                <tr class:inactive=!u.active data-email=u.email.clone()>
                                    <td class="strong">
                                        {u.name.clone()}
                                        {is_me.then(|| view! { <span class="muted">{i18n.t(Msg::You)}</span> })}
                                    </td>
                                    <td>{u.email.clone()}</td>
                                    <td><span class=format!("badge role-{}", u.role.code())>{i18n.t(role_msg(u.role))}</span></td>
                                    <td>
                                        {match team {
                                            Some(t) => view! { <span>{t}</span> }.into_any(),
                                            None => view! { <span class="muted">{i18n.t(Msg::NoTeam)}</span> }.into_any(),
                                        }}
                                    </td>
                                    <td>
                                        {if u.active {
                                            view! { <span class="badge ok">{i18n.t(Msg::Active)}</span> }.into_any()
                                        } else {
                                            view! { <span class="badge off">{i18n.t(Msg::Inactive)}</span> }.into_any()
                                        }}
                                    </td>
                                    <td class="actions-col">
                                        <button type="button" class="btn btn-small" on:click=move |_| on_edit.run(edit_u.clone())>
                                            {i18n.t(Msg::Edit)}
                                        </button>
                                        <button type="button" class="btn btn-small" on:click=move |_| on_reset.run(reset_u.clone())>
                                            {i18n.t(Msg::ResetPassword)}
                                        </button>
                                        <A href=format!("/admin/users/{}/handover", u.id) attr:class="btn btn-small handover-link">
                                            {i18n.t(Msg::HandOver)}
                                        </A>
                                        <button
                                            type="button"
                                            class="btn btn-small"
                                            class:btn-danger=u.active
                                            disabled=is_me
                                            on:click=move |_| on_toggle.run(toggle_u.clone())
                                        >
                                            {i18n.t(if u.active { Msg::Deactivate } else { Msg::Reactivate })}
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

#[component]
fn CreateUserForm(action: ServerAction<CreateUser>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(action.value());
    view! {
        <ActionForm action=action attr:class="form" attr:id="create-user-form">
            <TextField label=Msg::Name name="name" field=Field::Name error=error required=true />
            <TextField label=Msg::Email name="email" field=Field::Email error=error kind="email" required=true />
            <div class="field-row">
                <SelectField label=Msg::Role name="role" field=Field::Role error=error options=role_options(i18n.now()) selected="rep" />
                <TextField label=Msg::Team name="team" field=Field::Team error=error list="team-names" hint=Msg::TeamHint />
            </div>
            <TextField label=Msg::InitialPassword name="password" field=Field::Password error=error kind="password" autocomplete="new-password" required=true hint=Msg::PasswordHint />
            <FormAlert error=error fields=USER_FIELDS />
            <div class="form-actions">
                <SubmitButton label=Msg::Create pending=action.pending().into() />
            </div>
        </ActionForm>
    }
}

#[component]
fn EditUserForm(action: ServerAction<UpdateUser>, user: User) -> impl IntoView {
    let i18n = use_i18n();
    let error: Signal<Option<AppError>> = last_error(action.value());
    view! {
        <ActionForm action=action attr:class="form" attr:id="edit-user-form">
            <input type="hidden" name="id" value=user.id.to_string() />
            <input type="hidden" name="version" value=user.version />
            <TextField label=Msg::Name name="name" field=Field::Name error=error value=user.name.clone() required=true />
            <TextField label=Msg::Email name="email" field=Field::Email error=error kind="email" value=user.email.clone() required=true />
            <div class="field-row">
                <SelectField label=Msg::Role name="role" field=Field::Role error=error options=role_options(i18n.now()) selected=user.role.code() />
                <TextField label=Msg::Team name="team" field=Field::Team error=error list="team-names" value=user.team.clone().unwrap_or_default() hint=Msg::TeamHint />
            </div>
            <FormAlert error=error fields=USER_FIELDS />
            <div class="form-actions">
                <SubmitButton label=Msg::Save pending=action.pending().into() />
            </div>
        </ActionForm>
    }
}

#[component]
fn ResetPasswordForm(action: ServerAction<ResetUserPassword>, user: User) -> impl IntoView {
    let error = last_error(action.value());
    view! {
        <ActionForm action=action attr:class="form" attr:id="reset-password-form">
            <input type="hidden" name="id" value=user.id.to_string() />
            <TextField label=Msg::NewPassword name="password" field=Field::NewPassword error=error kind="password" autocomplete="new-password" required=true hint=Msg::PasswordHint />
            <FormAlert error=error fields=&[Field::NewPassword] />
            <div class="form-actions">
                <SubmitButton label=Msg::ResetPassword pending=action.pending().into() />
            </div>
        </ActionForm>
    }
}
