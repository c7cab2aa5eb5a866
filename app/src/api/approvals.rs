//! Server functions of approvals: reopening won or lost deals.

use guanxi_core::model::{Id, ReopenRequest};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A request with its times ready to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestLine {
    pub request: ReopenRequest,
    pub asked: String,
    pub decided: Option<String>,
}

/// What the approvals page shows: requests waiting for the caller's
/// decision, and the caller's own requests with their outcome.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Approvals {
    pub waiting: Vec<RequestLine>,
    pub mine: Vec<RequestLine>,
}

#[server(endpoint = "get_approvals")]
pub async fn get_approvals() -> Result<Approvals, AppError> {
    use crate::ssr::*;
    use guanxi_core::domain::time::local_time;
    let me = current_user()?;
    call(move |gx| {
        let zone = gx.company_zone();
        let line = |request: ReopenRequest| RequestLine {
            asked: local_time(zone, request.requested_at),
            decided: request.decided_at.map(|t| local_time(zone, t)),
            request,
        };
        Ok(Approvals {
            waiting: gx.reopen_inbox(&me)?.into_iter().map(line).collect(),
            mine: gx.my_reopen_requests(&me)?.into_iter().map(line).collect(),
        })
    })
    .await
}

#[server(endpoint = "request_reopen")]
pub async fn request_reopen(deal: Id, note: String) -> Result<ReopenRequest, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.request_reopen(&me, deal, &note)).await
}

#[server(endpoint = "decide_reopen")]
pub async fn decide_reopen(
    request_id: Id,
    approve: bool,
    #[server(default)] note: String,
) -> Result<ReopenRequest, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.decide_reopen(&me, request_id, approve, &note)).await
}
