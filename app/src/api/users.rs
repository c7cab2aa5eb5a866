use guanxi_core::model::{Id, Role, User};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersPage {
    pub users: Vec<User>,
    pub teams: Vec<String>,
    pub me: Id,
}

#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<UsersPage, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        Ok(UsersPage {
            users: gx.list_users(Actor::User(&me))?,
            teams: gx.teams(Actor::User(&me))?,
            me: me.id,
        })
    })
    .await
}

#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    name: String,
    role: Role,
    team: Option<String>,
    password: String,
) -> Result<User, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::UserInput;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        gx.create_user(
            Actor::User(&me),
            UserInput {
                email,
                name,
                role,
                team,
            },
            &password,
        )
    })
    .await
}

#[server(endpoint = "update_user")]
pub async fn update_user(
    id: Id,
    version: u64,
    email: String,
    name: String,
    role: Role,
    team: Option<String>,
) -> Result<User, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::UserInput;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        gx.update_user(
            Actor::User(&me),
            id,
            UserInput {
                email,
                name,
                role,
                team,
            },
            version,
        )
    })
    .await
}

#[server(endpoint = "set_user_active")]
pub async fn set_user_active(id: Id, version: u64, active: bool) -> Result<User, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.set_user_active(Actor::User(&me), id, active, version)).await
}

#[server(endpoint = "reset_user_password")]
pub async fn reset_user_password(id: Id, password: String) -> Result<(), AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.reset_password(Actor::User(&me), id, &password)).await
}

pub use guanxi_core::model::HandoverScope;

#[server(endpoint = "handover_preview")]
pub async fn handover_preview(user: Id) -> Result<HandoverScope, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.handover_scope(&me, user)).await
}

/// Hands over everything `from` holds to `to` (a user id), or to the
/// public pool when `to` is empty; `override_reason` is an admin's reason
/// to take `to` over the holding limit.
#[server(endpoint = "hand_over")]
pub async fn hand_over(
    from: Id,
    #[server(default)] to: String,
    #[server(default)] override_reason: String,
) -> Result<guanxi_core::model::HandoverReport, AppError> {
    use crate::ssr::*;
    use guanxi_core::{Error, Field, Problem};
    let me = current_user()?;
    let to = match to.trim() {
        "" => None,
        id => Some(
            id.parse()
                .map_err(|_| fail(Error::invalid(Field::Owner, Problem::Unknown)))?,
        ),
    };
    call(move |gx| {
        let reason = Some(override_reason.as_str()).filter(|r| !r.trim().is_empty());
        gx.handover_with(&me, from, to, reason)
    })
    .await
}
