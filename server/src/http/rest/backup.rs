//! `GET /api/v1/backup`: a consistent snapshot of the data file, for an
//! admin to download while everyone keeps working; and the scheduled
//! snapshots in the data folder's `backups/`: their list, the retention
//! policy, a snapshot now.

use std::io::{Read, Seek};

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use guanxi_core::Error;
use guanxi_core::model::{BackupFile, BackupPolicy, BackupsOverview};
use guanxi_core::service::Actor;

use super::{ApiError, Caller, ErrorJson, JsonBody};
use crate::http::AppState;

/// What the download streams at a time.
const CHUNK: usize = 256 * 1024;

pub async fn download_backup(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let (file, summary) = caller
        .call(&state, |gx, me| {
            // An unnamed file in the backups folder (same disk as the data,
            // gone when closed, even if the download breaks off); the
            // snapshot writes through one handle and the download reads
            // through the other.
            let file = tempfile::tempfile_in(gx.backup_folder()?).map_err(storage)?;
            let mut reader = file.try_clone().map_err(storage)?;
            let summary = gx.snapshot_into(Actor::User(me), file)?;
            reader.rewind().map_err(storage)?;
            Ok((reader, summary))
        })
        .await?;
    let name = format!(
        "guanxi-{}.redb",
        chrono::Utc::now().format(guanxi_core::store::STAMP_FORMAT)
    );
    let bytes = file.metadata().map(|m| m.len()).ok();
    let stream = futures::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let read = tokio::task::spawn_blocking(move || {
            let mut buffer = vec![0; CHUNK];
            let n = file.read(&mut buffer)?;
            buffer.truncate(n);
            Ok::<_, std::io::Error>((buffer, file))
        })
        .await
        .map_err(std::io::Error::other);
        match read {
            Ok(Ok((buffer, _))) if buffer.is_empty() => None,
            Ok(Ok((buffer, file))) => Some((Ok(Bytes::from(buffer)), Some(file))),
            Ok(Err(e)) | Err(e) => Some((Err(e), None)),
        }
    });
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response();
    if let Some(bytes) = bytes {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, bytes.into());
    }
    let headers = response.headers_mut();
    headers.insert("x-guanxi-schema-version", summary.schema_version.into());
    headers.insert("x-guanxi-customers", summary.counts.customers.into());
    headers.insert("x-guanxi-attachments", summary.attachments.into());
    Ok(response)
}

/// The snapshots in `backups/`, newest first, the retention policy, and
/// the last scheduled snapshot that failed, if one did (admins).
#[utoipa::path(
    get, path = "/api/v1/backups", tag = "operations",
    responses((status = 200, body = BackupsOverview), (status = 403, body = ErrorJson))
)]
pub async fn list_backups(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<BackupsOverview>, ApiError> {
    caller
        .call(&state, |gx, me| gx.backups(Actor::User(me)))
        .await
        .map(Json)
}

/// How many scheduled snapshots to keep (admins): at least one of the
/// three above 0. `version` is the policy's, from `GET /api/v1/backups`.
#[utoipa::path(
    put, path = "/api/v1/backups/policy", tag = "operations",
    request_body = BackupPolicy,
    responses(
        (status = 200, body = BackupPolicy),
        (status = 403, body = ErrorJson),
        (status = 409, description = "`conflict`: someone saved a newer policy", body = ErrorJson),
        (status = 422, description = "`out_of_range`, or all three 0", body = ErrorJson),
    )
)]
pub async fn update_backup_policy(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(policy): JsonBody<BackupPolicy>,
) -> Result<Json<BackupPolicy>, ApiError> {
    caller
        .call(&state, move |gx, me| {
            gx.update_backup_policy(Actor::User(me), policy)
        })
        .await
        .map(Json)
}

/// Take a scheduled snapshot now (admins); the retention policy prunes it
/// like any other.
#[utoipa::path(
    post, path = "/api/v1/backups", tag = "operations",
    responses((status = 201, body = BackupFile), (status = 403, body = ErrorJson))
)]
pub async fn snapshot_now(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<(StatusCode, Json<BackupFile>), ApiError> {
    caller
        .call(&state, |gx, me| gx.snapshot_now(Actor::User(me)))
        .await
        .map(|file| (StatusCode::CREATED, Json(file)))
}

fn storage(e: std::io::Error) -> Error {
    Error::Internal(format!("backup: {e}"))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    use axum::body::Body;
    use axum::http::{StatusCode, header};
    use guanxi_core::model::Id;
    use guanxi_core::store::{DB_FILE, Store};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::super::test_api::{Api, customer};

    async fn download(api: &Api, token: &str) -> axum::response::Response {
        api.router
            .clone()
            .oneshot(
                http::Request::get("/api/v1/backup")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_backup_downloaded_while_twenty_clients_write_holds_what_they_were_told_was_saved() {
        const CLIENTS: usize = 20;
        let api = Arc::new(Api::new());
        let admin = api.token(&api.admin);
        let tokens: Vec<String> = (0..CLIENTS)
            .map(|n| api.rep(&format!("rep{n}@example.cn")))
            .collect();
        let saved: Arc<Vec<std::sync::Mutex<Vec<String>>>> =
            Arc::new((0..CLIENTS).map(|_| Default::default()).collect());
        let begun: Arc<Vec<AtomicU64>> =
            Arc::new((0..CLIENTS).map(|_| AtomicU64::new(0)).collect());
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = tokens
            .into_iter()
            .enumerate()
            .map(|(c, token)| {
                let (api, saved, begun, stop) =
                    (api.clone(), saved.clone(), begun.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut n = 0;
                    while !stop.load(Ordering::SeqCst) {
                        begun[c].fetch_add(1, Ordering::SeqCst);
                        let (status, json) = api
                            .post(
                                &token,
                                "/api/v1/customers",
                                customer(&format!("客户{c}号{n}")),
                            )
                            .await;
                        assert_eq!(status, StatusCode::CREATED, "{json}");
                        saved[c]
                            .lock()
                            .unwrap()
                            .push(json["id"].as_str().unwrap().to_string());
                        n += 1;
                    }
                })
            })
            .collect();
        while saved.iter().any(|s| s.lock().unwrap().len() < 2) {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let saved_before: Vec<Vec<String>> =
            saved.iter().map(|s| s.lock().unwrap().clone()).collect();
        let response = download(&api, &admin).await;
        let begun_after: Vec<u64> = begun.iter().map(|b| b.load(Ordering::SeqCst)).collect();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"guanxi-")
        );
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        stop.store(true, Ordering::SeqCst);
        for client in clients {
            client.await.unwrap();
        }

        let restored = tempfile::tempdir().unwrap();
        std::fs::write(restored.path().join(DB_FILE), &bytes).unwrap();
        let report = guanxi_core::store::check(restored.path()).unwrap();
        assert!(report.is_healthy(), "{}", report.consistency);
        let store = Store::open(restored.path()).unwrap();
        let mut total = 0;
        for (c, before) in saved_before.iter().enumerate() {
            for id in before {
                let id: Id = id.parse().unwrap();
                assert!(
                    store.customer(id).unwrap().is_some(),
                    "client {c}: {id} lost"
                );
            }
            let all = saved[c].lock().unwrap().clone();
            let held = all
                .iter()
                .filter(|id| store.customer(id.parse().unwrap()).unwrap().is_some())
                .count();
            // A prefix of the client's writes: those before the snapshot.
            let prefix = all
                .iter()
                .take_while(|id| store.customer(id.parse().unwrap()).unwrap().is_some())
                .count();
            assert_eq!(held, prefix, "client {c}: a gap in its writes");
            assert!(held as u64 <= begun_after[c]);
            total += held;
        }
        assert_eq!(report.summary.counts.customers, total as u64);
        assert!(
            (api.gx.store().record_counts().unwrap().customers as usize) > total,
            "writes after the snapshot are not in it"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_downloaded_backup_carries_the_attached_files() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let id: Id = api.customer(&admin, "北京星辰").await.parse().unwrap();
        api.gx
            .attach_file(&api.admin, id, "合同.pdf", b"%PDF")
            .unwrap();
        let response = download(&api, &admin).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["x-guanxi-attachments"], "1");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_admin_sets_the_retention_takes_a_snapshot_and_sees_it_listed() {
        use serde_json::json;
        let api = Api::new();
        let admin = api.token(&api.admin);
        let (status, overview) = api.get(&admin, "/api/v1/backups").await;
        assert_eq!(status, StatusCode::OK, "{overview}");
        assert_eq!(overview["policy"]["daily"], 7);
        let version = overview["policy"]["version"].clone();

        let (status, _, none) = api
            .send(
                &admin,
                "PUT",
                "/api/v1/backups/policy",
                &[],
                Some(json!({ "daily": 0, "weekly": 0, "monthly": 0, "version": version })),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{none}");
        let (status, _, saved) = api
            .send(
                &admin,
                "PUT",
                "/api/v1/backups/policy",
                &[],
                Some(json!({ "daily": 3, "weekly": 2, "monthly": 6, "version": version })),
            )
            .await;
        assert_eq!(
            (status, saved["daily"].as_u64()),
            (StatusCode::OK, Some(3)),
            "{saved}"
        );

        api.customer(&admin, "北京星辰科技有限公司").await;
        let (status, file) = api.post(&admin, "/api/v1/backups", json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{file}");
        let (_, overview) = api.get(&admin, "/api/v1/backups").await;
        assert_eq!(overview["files"][0]["name"], file["name"], "{overview}");

        let rep = api.rep("li@example.cn");
        let (status, _) = api.get(&rep, "/api/v1/backups").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = api.post(&rep, "/api/v1/backups", json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn only_an_admin_downloads_a_backup() {
        let api = Api::new();
        let rep = api.rep("rep@example.cn");
        let (status, json) = api.get(&rep, "/api/v1/backup").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{json}");
        let response = api
            .router
            .clone()
            .oneshot(
                http::Request::get("/api/v1/backup")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}
