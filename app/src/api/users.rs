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

/// What a handover would move, before it does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandoverScope {
    pub name: String,
    pub customers: usize,
    pub open_deals: usize,
    pub open_tasks: usize,
    /// Who may receive it: active users the caller manages, but not the
    /// user handing over.
    pub targets: Vec<(Id, String)>,
}

#[server(endpoint = "handover_preview")]
pub async fn handover_preview(user: Id) -> Result<HandoverScope, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::visibility;
    use guanxi_core::model::{BoardFilter, Role};
    use guanxi_core::store::{CustomerQuery, OwnerFilter};
    let me = current_user()?;
    call(move |gx| {
        if me.role == Role::Rep {
            return Err(guanxi_core::Error::Forbidden);
        }
        let source = gx.store.user(user)?.ok_or(guanxi_core::Error::NotFound)?;
        if !visibility::can_edit(&me, Some(&source)) {
            return Err(guanxi_core::Error::Forbidden);
        }
        let query = CustomerQuery {
            owner: OwnerFilter::User(user),
            limit: 0,
            ..Default::default()
        };
        let (customers, _) = gx.list_customers(&me, &query)?;
        let led = BoardFilter {
            owner: Some(user),
            ..Default::default()
        };
        let mut open_deals = 0;
        for pipeline in gx.pipelines()? {
            open_deals += gx
                .list_deals(&me, Some(pipeline.id), None, &led)?
                .iter()
                .filter(|d| !d.is_closed())
                .count();
        }
        let open_tasks = gx
            .store
            .tasks_of(user)?
            .iter()
            .filter(|t| t.done_at.is_none())
            .count();
        let targets = gx
            .store
            .users()?
            .into_iter()
            .filter(|u| u.active && u.id != user && visibility::can_see(&me, Some(u)))
            .map(|u| (u.id, u.name))
            .collect();
        Ok(HandoverScope {
            name: source.name,
            customers,
            open_deals,
            open_tasks,
            targets,
        })
    })
    .await
}

/// Hands over everything `from` holds to `to` (a user id), or to the
/// public pool when `to` is empty.
#[server(endpoint = "hand_over")]
pub async fn hand_over(
    from: Id,
    #[server(default)] to: String,
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
    call(move |gx| gx.handover(&me, from, to)).await
}
