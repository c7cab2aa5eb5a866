//! How customers are run (admins): the pool's return days, the holding
//! limit, the file size limit, custom fields and lookup links.

use axum::Json;
use axum::extract::State;
use guanxi_core::model::CustomerSettings;
use guanxi_core::service::Actor;

use crate::http::AppState;
use crate::http::rest::{ApiError, Caller, ErrorJson, JsonBody};

/// The customer settings; anyone signed in reads them (the forms need the
/// custom fields).
#[utoipa::path(
    get, path = "/api/v1/customer-settings", tag = "customers",
    responses((status = 200, body = CustomerSettings))
)]
pub async fn customer_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CustomerSettings>, ApiError> {
    caller
        .call(&state, |gx, _| gx.customer_settings())
        .await
        .map(Json)
}

/// Save the customer settings (admins), with the `version` they were read
/// at. A custom field without a `key` gets one (`f1`, `f2`, …) that stays.
#[utoipa::path(
    put, path = "/api/v1/customer-settings", tag = "customers",
    request_body = CustomerSettings,
    responses(
        (status = 200, body = CustomerSettings),
        (status = 403, body = ErrorJson),
        (status = 409, description = "`conflict`: someone saved newer settings", body = ErrorJson),
        (status = 422, description = "`invalid`; `taken`: two fields with one key or label; a choice field without options", body = ErrorJson),
    )
)]
pub async fn update_customer_settings(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(settings): JsonBody<CustomerSettings>,
) -> Result<Json<CustomerSettings>, ApiError> {
    caller
        .call(&state, move |gx, me| {
            gx.update_customer_settings(Actor::User(me), settings)
        })
        .await
        .map(Json)
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use serde_json::json;

    use crate::http::rest::test_api::{Api, StatusAndJson};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_admin_adds_a_custom_field_and_a_customer_fills_it() {
        let api = Api::new();
        let admin = api.token(&api.admin);
        let (status, mut settings) = api.get(&admin, "/api/v1/customer-settings").await;
        assert_eq!(status, StatusCode::OK, "{settings}");
        settings["custom_fields"] =
            json!([{ "key": "", "label": "纳税人识别号", "kind": "text", "options": [] }]);
        let (status, saved) = api
            .send(
                &admin,
                "PUT",
                "/api/v1/customer-settings",
                &[],
                Some(settings.clone()),
            )
            .await
            .into_status_and_json();
        assert_eq!(status, StatusCode::OK, "{saved}");
        let key = saved["custom_fields"][0]["key"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(key, "f1");

        let mut body = crate::http::rest::test_api::customer("北京星辰科技有限公司");
        body["custom"] = json!({ key.clone(): "91110000MA00000000" });
        let (status, created) = api.post(&admin, "/api/v1/customers", body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["custom"][key.as_str()], "91110000MA00000000");

        let rep = api.rep("li@example.cn");
        let (status, _) = api
            .send(
                &rep,
                "PUT",
                "/api/v1/customer-settings",
                &[],
                Some(settings),
            )
            .await
            .into_status_and_json();
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Stale: the version read before the save.
        let (status, stale) = api
            .send(
                &admin,
                "PUT",
                "/api/v1/customer-settings",
                &[],
                Some(
                    json!({ "pool_return_days": 0, "holding_limit": 0, "max_file_mb": 20,
                             "custom_fields": [], "lookup_links": [], "version": 0 }),
                ),
            )
            .await
            .into_status_and_json();
        assert_eq!(status, StatusCode::CONFLICT, "{stale}");
    }
}
