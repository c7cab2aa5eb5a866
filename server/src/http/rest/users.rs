//! Users, as an admin manages them: edit, deactivate or reactivate, and a
//! new password; and the company's settings. Listing and creating users and
//! reading the company live beside the caller's own routes in `mod.rs`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::model::{Company, CompanyInput, Id, User, UserInput};
use guanxi_core::service::Actor;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    ApiError, Caller, Edit, EditBody, EditSchema, ErrorJson, IfMatch, JsonBody, PathId,
    VersionedEdit,
};
use crate::http::AppState;

/// An edit of the company's settings.
pub type CompanyEdit = Edit<CompanyInput>;

impl EditSchema for CompanyInput {
    const EDIT_SCHEMA: &'static str = "CompanyEdit";
}

/// Change the company's name, currency, time zone, default language or
/// session length (admins).
#[utoipa::path(
    put, path = "/api/v1/company", tag = "account",
    params(IfMatch),
    request_body = CompanyEdit,
    responses(
        (status = 200, body = Company, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 409, description = "`conflict`", body = ErrorJson),
        (status = 422, description = "`invalid`; `unknown` `time_zone`: no IANA zone of that name", body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_company(
    State(state): State<AppState>,
    caller: Caller,
    edit: VersionedEdit<CompanyEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_company(Actor::User(me), input, version)
    })
    .await
}

/// An edit of a user.
pub type UserEdit = Edit<UserInput>;

impl EditSchema for UserInput {
    const EDIT_SCHEMA: &'static str = "UserEdit";
}

/// Change a user's email, name, role or team (admins).
#[utoipa::path(
    put, path = "/api/v1/users/{id}", tag = "account",
    params(("id" = Id, Path), IfMatch),
    request_body = UserEdit,
    responses(
        (status = 200, body = User, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 409, description = "`conflict`; `last_admin` when it would leave no active admin", body = ErrorJson),
        (status = 422, description = "`invalid`; `taken`: another user has the email", body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<UserEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, input, version| {
        gx.update_user(Actor::User(me), id, input, version)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct Activation {
    /// `false` deactivates: the user can no longer sign in and their
    /// sessions and tokens stop working; their records stay.
    active: bool,
    /// The version edited, unless sent as `If-Match`.
    #[schema(minimum = 0)]
    version: Option<u64>,
}

impl EditBody for Activation {
    type Input = bool;
    fn split(self) -> (bool, Option<u64>) {
        (self.active, self.version)
    }
}

/// Deactivate or reactivate a user (admins).
#[utoipa::path(
    post, path = "/api/v1/users/{id}/active", tag = "account",
    params(("id" = Id, Path), IfMatch),
    request_body = Activation,
    responses(
        (status = 200, body = User, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 409, description = "`conflict`; `last_admin`", body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn set_user_active(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<Activation>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, active, version| {
        gx.set_user_active(Actor::User(me), id, active, version)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct NewPassword {
    /// At least 10 characters; no composition rules.
    #[schema(min_length = 10, max_length = 256)]
    password: String,
}

/// Give a user a new password (admins); their sessions end.
#[utoipa::path(
    put, path = "/api/v1/users/{id}/password", tag = "account",
    params(("id" = Id, Path)),
    request_body = NewPassword,
    responses((status = 204), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson))
)]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(body): JsonBody<NewPassword>,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| {
            gx.reset_password(Actor::User(me), id, &body.password)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use serde_json::json;

    use super::super::test_api::{Api, StatusAndJson};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_admin_edits_deactivates_and_resets_a_user_and_a_rep_may_not() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let rep = api.rep("li@example.cn");
        let id = api.user_id(&rep).await;
        let path = format!("/api/v1/users/{id}");
        let edit =
            json!({ "email": "li.na@example.cn", "name": "李娜", "role": "rep", "team": "华东" });

        let (status, _, refused) = api
            .send(
                &rep,
                "PUT",
                &path,
                &[("if-match", "\"1\"")],
                Some(edit.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");

        let (status, headers, saved) = api
            .send(&admin, "PUT", &path, &[("if-match", "\"1\"")], Some(edit))
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(
            (saved["name"].as_str(), saved["team"].as_str()),
            (Some("李娜"), Some("华东"))
        );
        let version = saved["version"].as_u64().unwrap();
        assert_eq!(headers["etag"], format!("\"{version}\""));

        let (status, short) = api
            .send(
                &admin,
                "PUT",
                &format!("{path}/password"),
                &[],
                Some(json!({ "password": "短" })),
            )
            .await
            .into_status_and_json();
        assert_eq!(
            (status, short["problem"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("too_short"))
        );
        let (status, _) = api
            .send(
                &admin,
                "PUT",
                &format!("{path}/password"),
                &[],
                Some(json!({ "password": "一个很长的新密码 2026" })),
            )
            .await
            .into_status_and_json();
        assert_eq!(status, StatusCode::NO_CONTENT);

        let (status, off) = api
            .post(
                &admin,
                &format!("{path}/active"),
                json!({ "active": false, "version": version }),
            )
            .await;
        assert_eq!(
            (status, off["active"].as_bool()),
            (StatusCode::OK, Some(false)),
            "{off}"
        );
        let (status, _) = api.get(&rep, "/api/v1/me").await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a deactivated user's token stops working"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_admin_renames_the_company_and_an_unknown_time_zone_is_refused() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let (_, company) = api.get(&admin, "/api/v1/company").await;
        let mut edit = json!({
            "name": "星辰科技集团",
            "currency": "cny",
            "time_zone": "Asia/Shanghai",
            "default_locale": company["default_locale"],
            "session_idle_minutes": 480,
            "version": company["version"],
        });
        let (status, saved) = api
            .send(&admin, "PUT", "/api/v1/company", &[], Some(edit.clone()))
            .await
            .into_status_and_json();
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(
            (saved["name"].as_str(), saved["currency"].as_str()),
            (Some("星辰科技集团"), Some("CNY"))
        );

        edit["time_zone"] = json!("Mars/Olympus");
        edit["version"] = saved["version"].clone();
        let (status, refused) = api
            .send(&admin, "PUT", "/api/v1/company", &[], Some(edit.clone()))
            .await
            .into_status_and_json();
        assert_eq!(
            (
                status,
                refused["field"].as_str(),
                refused["problem"].as_str()
            ),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("time_zone"),
                Some("unknown")
            ),
            "{refused}"
        );

        let rep = api.rep("li@example.cn");
        edit["time_zone"] = json!("Asia/Shanghai");
        let (status, _) = api
            .send(&rep, "PUT", "/api/v1/company", &[], Some(edit))
            .await
            .into_status_and_json();
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
