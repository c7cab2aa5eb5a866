//! Server-sent events: boards in other browsers learn of deal changes at once
//! and fetch what they may see. An event names only the pipeline and deal, so
//! the visibility rules stay with the board query. Every event carries
//! data: browsers drop events without any.

use std::convert::Infallible;
use std::time::Duration;

use app::ssr::RequestContext;
use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use http::StatusCode;
use tokio::sync::broadcast::error::RecvError;

use super::AppState;

/// How soon a browser tries again after the connection drops (a restart).
const RETRY_AFTER: Duration = Duration::from_secs(1);

pub async fn deal_events(
    State(state): State<AppState>,
    Extension(request): Extension<RequestContext>,
) -> Response {
    if request.auth.is_none() {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let deals = state.gx.subscribe_deals();
    let shutdown = state.shutdown.subscribe();
    Sse::new(stream(deals, shutdown))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Deal events until the server shuts down (graceful shutdown waits for open
/// responses, so this one has to end by itself). A browser that fell behind
/// gets a `resync` and reloads the board.
fn stream(
    deals: tokio::sync::broadcast::Receiver<guanxi_core::model::DealEvent>,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let hello = Event::default()
        .event("hello")
        .data("connected")
        .retry(RETRY_AFTER);
    let events =
        futures::stream::unfold((deals, shutdown), |(mut deals, mut shutdown)| async move {
            if *shutdown.borrow() {
                return None;
            }
            let event = tokio::select! {
                received = deals.recv() => match received {
                    Ok(event) => Event::default()
                        .event("deal")
                        .json_data(event)
                        .unwrap_or_else(|_| Event::default().event("resync").data("reload")),
                    Err(RecvError::Lagged(_)) => Event::default().event("resync").data("reload"),
                    Err(RecvError::Closed) => return None,
                },
                _ = shutdown.changed() => return None,
            };
            Some((Ok(event), (deals, shutdown)))
        });
    futures::stream::once(async { Ok(hello) }).chain(events)
}
