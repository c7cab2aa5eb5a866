//! Reads take turns: at most a few pages and API reads are worked on at
//! once, and the rest wait in line for a free turn, first come first
//! served.
//!
//! The office machine has a core or two. Fifty clients' reads in flight at
//! once finish no sooner in all than a few at a time, but each holds its
//! half-made page, its reactive graph and its thread's allocator caches
//! meanwhile: about 150 MB above the server's resting size on `large`
//! (docs/BENCHMARKS.md). Writes are left out: the group commit
//! (`guanxi_core::store::commit`) acknowledges many at one fsync, so they
//! should arrive together, and their answers are small. The event stream is
//! left out because it stays open for as long as a page does.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt;
use http::Method;
use tokio::sync::Semaphore;

/// How many reads are worked on at once.
#[derive(Clone)]
pub struct Turns(Arc<Semaphore>);

impl Turns {
    /// Four turns a core: enough that a read waiting on the file does not
    /// idle a core, few enough that the pages in the making stay a few
    /// megabytes.
    pub fn for_this_machine() -> Turns {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Turns::new(4 * cores)
    }

    pub fn new(turns: usize) -> Turns {
        Turns(Arc::new(Semaphore::new(turns.max(1))))
    }
}

fn takes_a_turn(req: &Request) -> bool {
    matches!(*req.method(), Method::GET | Method::HEAD) && req.uri().path() != "/api/events"
}

/// Holds a turn until the answer's body has been read out (by the
/// compression layer, then the connection), so a page's bytes count while
/// they are still being sent.
pub async fn take_turn(State(turns): State<Turns>, req: Request, next: Next) -> Response {
    if !takes_a_turn(&req) {
        return next.run(req).await;
    }
    let Ok(turn) = turns.0.clone().acquire_owned().await else {
        // The semaphore is never closed.
        return next.run(req).await;
    };
    let (parts, body) = next.run(req).await.into_parts();
    let body = body.into_data_stream().map(move |chunk| {
        let _held = &turn;
        chunk
    });
    Response::from_parts(parts, Body::from_stream(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tower::ServiceExt;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_reads_run_at_once_than_there_are_turns_and_writes_do_not_wait() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (r, m) = (running.clone(), most.clone());
        let read = move || {
            let (r, m) = (r.clone(), m.clone());
            async move {
                let now = r.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                r.fetch_sub(1, Ordering::SeqCst);
                "read"
            }
        };
        let turns = Turns::new(3);
        let app = Router::new()
            .route("/r", get(read).post(|| async { "written" }))
            .layer(axum::middleware::from_fn_with_state(
                turns.clone(),
                take_turn,
            ));
        // Every turn taken and held by a body nobody reads yet.
        let held: Vec<Response> = futures::future::join_all((0..3).map(|_| {
            app.clone()
                .oneshot(Request::get("/r").body(Body::empty()).unwrap())
        }))
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
        assert_eq!(turns.0.available_permits(), 0);
        let write = app
            .clone()
            .oneshot(Request::post("/r").body(Body::empty()).unwrap());
        let written = tokio::time::timeout(std::time::Duration::from_secs(5), write)
            .await
            .expect("a write does not wait for a turn")
            .unwrap();
        assert_eq!(written.status(), http::StatusCode::OK);
        drop(held);
        assert_eq!(turns.0.available_permits(), 3);
        most.store(0, Ordering::SeqCst);

        let answers = futures::future::join_all((0..12).map(|_| {
            let app = app.clone();
            async move {
                let response = app
                    .oneshot(Request::get("/r").body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                axum::body::to_bytes(response.into_body(), 64)
                    .await
                    .unwrap()
            }
        }))
        .await;
        assert!(answers.iter().all(|a| &a[..] == b"read"));
        assert_eq!(most.load(Ordering::SeqCst), 3);
    }
}
