//! To-dos and commitments to customers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use guanxi_core::model::{Id, Task, TaskInput};
use guanxi_core::service::TaskChanges;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::AppState;
use crate::http::rest::{
    ApiError, Caller, Edit, EditSchema, ErrorJson, IfMatch, JsonBody, PathId, QueryOf,
    VersionedEdit, tagged,
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    /// `true` (the default): the caller's own tasks; `false`: every task the
    /// caller may change (a manager's team's, an admin's everyone's).
    mine: Option<bool>,
    /// `true`: only tasks not done yet.
    open: Option<bool>,
}

/// Tasks by due date.
#[utoipa::path(
    get, path = "/api/v1/tasks", tag = "tasks",
    params(TaskFilter),
    responses((status = 200, body = Vec<Task>))
)]
pub async fn list_tasks(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(filter): QueryOf<TaskFilter>,
) -> Result<Json<Vec<Task>>, ApiError> {
    let mut tasks = caller
        .call(&state, move |gx, me| match filter.mine {
            Some(false) => gx.visible_tasks(me),
            _ => gx.my_tasks(me),
        })
        .await?;
    if filter.open == Some(true) {
        tasks.retain(|t| t.done_at.is_none());
    }
    Ok(Json(tasks))
}

/// Add a task, or a commitment to a customer. Reps assign only themselves.
#[utoipa::path(
    post, path = "/api/v1/tasks", tag = "tasks",
    request_body = TaskInput,
    responses(
        (status = 201, body = Task, headers(("ETag" = String))),
        (status = 403, body = ErrorJson),
        (status = 422, body = ErrorJson),
    )
)]
pub async fn add_task(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<TaskInput>,
) -> Result<Response, ApiError> {
    let task = caller
        .call(&state, move |gx, me| gx.add_task(me, input))
        .await?;
    Ok(tagged(StatusCode::CREATED, task))
}

/// An edit of a task.
pub type TaskEdit = Edit<TaskChanges>;

impl EditSchema for TaskChanges {
    const EDIT_SCHEMA: &'static str = "TaskEdit";
}

/// Rename, reschedule or tick a task: its assignee, its creator, or a
/// manager of the assignee.
#[utoipa::path(
    put, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = Id, Path), IfMatch),
    request_body = TaskEdit,
    responses(
        (status = 200, body = Task, headers(("ETag" = String))),
        (status = 404, body = ErrorJson),
        (status = 409, description = "`conflict`", body = ErrorJson),
        (status = 422, body = ErrorJson),
        (status = 428, description = "`version_required`", body = ErrorJson),
    )
)]
pub async fn update_task(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    edit: VersionedEdit<TaskEdit>,
) -> Result<Response, ApiError> {
    edit.save(caller, &state, move |gx, me, changes, version| {
        gx.edit_task(me, id, changes, version)
    })
    .await
}

/// Delete a task: its assignee, its creator or an admin.
#[utoipa::path(
    delete, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = Id, Path)),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson))
)]
pub async fn delete_task(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    caller
        .call(&state, move |gx, me| gx.delete_task(me, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
