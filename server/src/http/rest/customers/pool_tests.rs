//! The pool, hot flag, timeline and recycle bin over REST, driven as a
//! client would.

use axum::http::StatusCode;
use serde_json::json;

use crate::http::rest::test_api::Api;

/// A customer the admin created and put in the public pool: (id, version).
async fn pool_customer(api: &Api, admin: &str, name: &str) -> (String, u64) {
    let id = api.customer(admin, name).await;
    let (status, released) = api
        .post(
            admin,
            &format!("/api/v1/customers/{id}/release"),
            json!({ "version": 1 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{released}");
    assert!(released["owner"].is_null(), "{released}");
    (id, released["version"].as_u64().unwrap())
}

fn set_holding_limit(api: &Api, limit: u32) {
    use guanxi_core::model::CustomerSettings;
    use guanxi_core::service::Actor;
    let version = api.gx.customer_settings().unwrap().version;
    api.gx
        .update_customer_settings(
            Actor::User(&api.admin),
            CustomerSettings {
                holding_limit: limit,
                version,
                ..Default::default()
            },
        )
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_claims_a_pool_customer_with_if_match_and_gives_it_back() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let rep_id = api.user_id(&rep).await;
    let (id, version) = pool_customer(&api, &admin, "上海云帆贸易").await;

    // No body at all: the version comes as If-Match.
    let if_match = format!("\"{version}\"");
    let (status, headers, claimed) = api
        .send(
            &rep,
            "POST",
            &format!("/api/v1/customers/{id}/claim"),
            &[("if-match", &if_match)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    assert_eq!(claimed["owner"], rep_id.as_str());
    assert_eq!(headers["etag"], format!("\"{}\"", version + 1));

    let (status, released) = api
        .post(
            &rep,
            &format!("/api/v1/customers/{id}/release"),
            json!({ "version": version + 1 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{released}");
    assert!(released["owner"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rep_cannot_claim_beyond_holding_limit() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let (id, version) = pool_customer(&api, &admin, "广州明珠电子").await;
    set_holding_limit(&api, 1);
    api.customer(&rep, "深圳南山科技").await;

    let (status, refused) = api
        .post(
            &rep,
            &format!("/api/v1/customers/{id}/claim"),
            json!({ "version": version }),
        )
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::CONFLICT, Some("holding_limit")),
        "{refused}"
    );
    // The customer stays in the pool.
    let (_, still) = api.get(&admin, &format!("/api/v1/customers/{id}")).await;
    assert!(still["owner"].is_null(), "{still}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_claimed_by_one_rep_cannot_be_claimed_by_another() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let (li, wang) = (api.rep("li@example.cn"), api.rep("wang@example.cn"));
    let (id, version) = pool_customer(&api, &admin, "杭州西湖茶业").await;
    let claim = format!("/api/v1/customers/{id}/claim");
    let (status, _) = api.post(&li, &claim, json!({ "version": version })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, json) = api.post(&wang, &claim, json!({ "version": version })).await;
    // Another rep's customer is not visible to the second rep.
    assert!(
        matches!(status, StatusCode::CONFLICT | StatusCode::NOT_FOUND),
        "{status} {json}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_without_a_version_is_refused_with_428() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let (id, _) = pool_customer(&api, &admin, "成都天府物流").await;
    let (status, _, json) = api
        .send(
            &rep,
            "POST",
            &format!("/api/v1/customers/{id}/claim"),
            &[],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED, "{json}");
    assert_eq!(json["error"], "version_required");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_assigns_a_customer_to_a_rep_and_a_rep_may_not_assign() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let rep_id = api.user_id(&rep).await;
    let id = api.customer(&admin, "武汉长江机械").await;
    let assign = format!("/api/v1/customers/{id}/assign");

    let (status, assigned) = api
        .post(&admin, &assign, json!({ "to": rep_id, "version": 1 }))
        .await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned["owner"], rep_id.as_str());

    let (status, refused) = api
        .post(&rep, &assign, json!({ "to": null, "version": 2 }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");

    let (status, refused) = api
        .post(
            &admin,
            &assign,
            json!({ "to": "01JQ8ZK3X5V9T2M4N6P8R0S1W3", "version": 2 }),
        )
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("owner")),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hot_flag_is_set_with_a_hint_and_cleared() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let id = api.customer(&admin, "南京紫金软件").await;
    let hot = format!("/api/v1/customers/{id}/hot");
    let (status, _, flagged) = api
        .send(
            &admin,
            "PUT",
            &hot,
            &[],
            Some(json!({ "hot": true, "hint": "下周签约", "version": 1 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{flagged}");
    assert_eq!(flagged["hot"]["hint"], "下周签约");

    let (status, _, cleared) = api
        .send(
            &admin,
            "PUT",
            &hot,
            &[("if-match", "\"2\"")],
            Some(json!({ "hot": false })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cleared}");
    assert!(cleared["hot"].is_null(), "{cleared}");

    let (status, _, too_long) = api
        .send(
            &admin,
            "PUT",
            &hot,
            &[],
            Some(json!({ "hot": true, "hint": "热".repeat(501), "version": 3 })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{too_long}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeline_lists_activities_and_changes_newest_first_a_page_at_a_time() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let id = api.customer(&admin, "西安古城文旅").await;
    for note in ["第一次拜访", "电话回访"] {
        let (status, json) = api
            .post(
                &admin,
                "/api/v1/activities",
                json!({ "customer_id": id, "kind": "call", "text": note }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
    let path = format!("/api/v1/customers/{id}/timeline");
    let (status, all) = api.get(&admin, &path).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let items = all.as_array().unwrap();
    assert!(items.len() >= 2, "{all}");
    assert_eq!(items[0]["entry"]["Activity"]["text"], "电话回访", "{all}");

    let (_, activities) = api
        .get(&admin, &format!("{path}?kind=activity&limit=1"))
        .await;
    assert_eq!(activities.as_array().unwrap().len(), 1);
    let last = &activities[0];
    let (_, next) = api
        .get(
            &admin,
            &format!(
                "{path}?kind=activity&before_micros={}&before_id={}",
                last["at_micros"],
                last["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(next.as_array().unwrap().len(), 1, "{next}");
    assert_eq!(next[0]["entry"]["Activity"]["text"], "第一次拜访");

    let rep = api.rep("li@example.cn");
    let (status, _) = api.get(&rep, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_restores_and_purges_from_the_recycle_bin_and_a_rep_may_not() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let kept = api.customer(&admin, "重庆山城火锅").await;
    let purged = api.customer(&admin, "天津港口物流").await;
    for id in [&kept, &purged] {
        let status = api.delete(&admin, &format!("/api/v1/customers/{id}")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (status, bin) = api.get(&admin, "/api/v1/recycle-bin").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bin.as_array().unwrap().len(), 2, "{bin}");
    // Most recently deleted first.
    assert_eq!(bin[0]["id"], purged.as_str());
    let (status, _) = api.get(&rep, "/api/v1/recycle-bin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, restored) = api
        .post(
            &admin,
            &format!("/api/v1/recycle-bin/{kept}/restore"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["name"], "重庆山城火锅");
    let (status, _) = api.get(&admin, &format!("/api/v1/customers/{kept}")).await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(
        api.delete(&rep, &format!("/api/v1/recycle-bin/{purged}"))
            .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.delete(&admin, &format!("/api/v1/recycle-bin/{purged}"))
            .await,
        StatusCode::NO_CONTENT
    );
    let (_, bin) = api.get(&admin, "/api/v1/recycle-bin").await;
    assert_eq!(bin, json!([]));
    let (status, _) = api
        .post(
            &admin,
            &format!("/api/v1/recycle-bin/{purged}/restore"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_deals_contacts_and_activities_are_restored_or_purged_by_an_admin() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let customer = api.customer(&admin, "成都天府软件").await;
    let (status, deal) = api
        .post(
            &admin,
            "/api/v1/deals",
            json!({ "customer_id": customer, "title": "OA 系统", "amount": "80,000" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{deal}");
    let deal = deal["id"].as_str().unwrap().to_string();
    let (status, contact) = api
        .post(
            &admin,
            &format!("/api/v1/customers/{customer}/contacts"),
            json!({ "name": "王芳" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    let contact = contact["id"].as_str().unwrap().to_string();
    let (status, activity) = api
        .post(
            &admin,
            "/api/v1/activities",
            json!({ "customer_id": customer, "kind": "visit", "text": "上门演示", "deal_id": deal }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{activity}");
    let activity = activity["id"].as_str().unwrap().to_string();
    for path in [
        format!("/api/v1/activities/{activity}"),
        format!("/api/v1/contacts/{contact}"),
        format!("/api/v1/deals/{deal}"),
    ] {
        assert_eq!(
            api.delete(&admin, &path).await,
            StatusCode::NO_CONTENT,
            "{path}"
        );
    }
    let (status, _) = api.get(&admin, &format!("/api/v1/deals/{deal}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, bin) = api.get(&admin, "/api/v1/recycle-bin/records").await;
    assert_eq!(status, StatusCode::OK, "{bin}");
    let kinds: Vec<&str> = bin
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    // Most recently deleted first.
    assert_eq!(kinds, ["deal", "contact", "activity"], "{bin}");
    assert_eq!(bin[0]["label"], "OA 系统");
    assert_eq!(bin[0]["customer_name"], "成都天府软件");
    let (status, _) = api.get(&rep, "/api/v1/recycle-bin/records").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let restore = |id: &str| format!("/api/v1/recycle-bin/records/{id}/restore");
    let (status, restored) = api.post(&admin, &restore(&deal), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["kind"], "deal");
    let (status, back) = api.get(&admin, &format!("/api/v1/deals/{deal}")).await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["title"], "OA 系统");
    // The activity comes back about the deal, which is back too.
    let (status, _) = api.post(&admin, &restore(&activity), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, timeline) = api
        .get(
            &admin,
            &format!("/api/v1/customers/{customer}/timeline?kind=activity"),
        )
        .await;
    assert_eq!(
        timeline[0]["entry"]["Activity"]["deal_id"],
        deal.as_str(),
        "{timeline}"
    );

    // A contact waits for its customer.
    assert_eq!(
        api.delete(&admin, &format!("/api/v1/customers/{customer}"))
            .await,
        StatusCode::NO_CONTENT
    );
    let (status, refused) = api.post(&admin, &restore(&contact), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"], "restore_customer_first", "{refused}");
    let (status, _) = api
        .post(
            &admin,
            &format!("/api/v1/recycle-bin/{customer}/restore"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let purge = format!("/api/v1/recycle-bin/records/{contact}");
    assert_eq!(api.delete(&rep, &purge).await, StatusCode::FORBIDDEN);
    assert_eq!(api.delete(&admin, &purge).await, StatusCode::NO_CONTENT);
    assert_eq!(api.delete(&admin, &purge).await, StatusCode::NOT_FOUND);
    let (_, bin) = api.get(&admin, "/api/v1/recycle-bin/records").await;
    assert_eq!(bin, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chinese_csv_is_previewed_dry_run_and_imported_over_the_api() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let csv = "客户名称,电话\r\n北京星辰科技有限公司,010-88886666\r\n上海云帆贸易,021-66668888\r\n";
    let (status, preview) = api
        .upload(&admin, "/api/v1/imports", "客户.csv", csv.as_bytes())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{preview}");
    let job = preview["job"].as_str().unwrap();
    assert_eq!(preview["suggested"], json!(["customer_name", "phone"]));

    let (status, again) = api.get(&admin, &format!("/api/v1/imports/{job}")).await;
    assert_eq!((status, again["rows"].as_u64()), (StatusCode::OK, Some(2)));
    let rep = api.rep("li@example.cn");
    let (status, _) = api.get(&rep, &format!("/api/v1/imports/{job}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a job is its uploader's");

    let mapping = json!({ "mapping": ["customer_name", "phone"], "mode": "skip" });
    let (status, plan) = api
        .post(
            &admin,
            &format!("/api/v1/imports/{job}/dry-run"),
            mapping.clone(),
        )
        .await;
    assert_eq!(
        (status, plan["create"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{plan}"
    );
    let (_, list) = api.get(&admin, "/api/v1/customers").await;
    assert_eq!(list["total"], 0, "a dry run writes nothing");

    let (status, short) = api
        .post(
            &admin,
            &format!("/api/v1/imports/{job}/run"),
            json!({ "mapping": ["customer_name"] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{short}");

    let (status, done) = api
        .post(
            &admin,
            &format!("/api/v1/imports/{job}/run"),
            mapping.clone(),
        )
        .await;
    assert_eq!(
        (status, done["create"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{done}"
    );
    let (status, finished) = api
        .get(&admin, &format!("/api/v1/imports/{job}/status"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(finished["state"], "finished", "{finished}");
    let (_, list) = api.get(&admin, "/api/v1/customers").await;
    assert_eq!(list["total"], 2);
    let (status, twice) = api
        .post(&admin, &format!("/api/v1/imports/{job}/run"), mapping)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{twice}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_that_is_no_form_answers_in_the_error_shape() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let (status, json) = api
        .post(&admin, "/api/v1/imports", json!({ "file": "客户.csv" }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    assert_eq!(json["error"], "bad_request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_created_over_the_api_signs_in_and_a_customers_files_are_listed() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let (status, created) = api
        .post(&admin, "/api/v1/tokens", json!({ "name": "ERP 同步" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap();
    let (status, me) = api.get(secret, "/api/v1/me").await;
    assert_eq!(
        (status, me["email"].as_str()),
        (StatusCode::OK, Some("boss@example.cn"))
    );
    let (status, refused) = api
        .post(&admin, "/api/v1/tokens", json!({ "name": "" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

    let id = api.customer(&admin, "苏州园林设计").await;
    let (status, file) = api
        .upload(
            &admin,
            &format!("/api/v1/customers/{id}/files"),
            "报价单.txt",
            "报价：一万元".as_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{file}");
    let (status, files) = api
        .get(&admin, &format!("/api/v1/customers/{id}/files"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(files[0]["name"], "报价单.txt", "{files}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vcard_file_becomes_a_person_customer() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nTEL:13900001111\r\nEND:VCARD\r\n";
    let (status, report) = api
        .upload(&admin, "/api/v1/vcards", "张伟.vcf", card.as_bytes())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    assert_eq!(report["added"], 1, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_action_tags_many_customers_and_counts_the_ones_it_skips() {
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let mine = api.customer(&rep, "青岛啤酒经销").await;
    let theirs = api.customer(&admin, "大连海鲜批发").await;
    let (status, outcome) = api
        .post(
            &rep,
            "/api/v1/customers/bulk",
            json!({ "ids": [mine, theirs], "action": { "add_tag": { "tag": "重点" } } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(
        (outcome["done"].as_u64(), outcome["skipped"].as_u64()),
        (Some(1), Some(1))
    );
    let (_, tagged) = api.get(&rep, &format!("/api/v1/customers/{mine}")).await;
    assert_eq!(tagged["tags"], json!(["重点"]));

    let (status, outcome) = api
        .post(
            &rep,
            "/api/v1/customers/bulk",
            json!({ "ids": [mine], "action": "release" }),
        )
        .await;
    assert_eq!(
        (status, outcome["done"].as_u64()),
        (StatusCode::OK, Some(1)),
        "{outcome}"
    );
}
