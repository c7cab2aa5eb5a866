//! A property-based fuzzer driven by the OpenAPI document: for every
//! operation it generates requests from the document's own schemas (path,
//! query, `If-Match`, body), sends them to the router over one company in a
//! temp folder, as an admin or a rep, and checks the answer against the
//! document: no 5xx, a documented status, a body of the documented schema,
//! and no 400/422 for a request the document says is valid.
//!
//! Bounded: `CASES` requests an operation and a time budget for the whole
//! run, so it stays a few seconds of `cargo test` in CI.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{StatusCode, header};
use http::Request as HttpRequest;
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};
use tower::ServiceExt;

use super::test_api::{Api, multipart};

/// Requests generated for each operation; `GUANXI_FUZZ_CASES` asks for
/// more in a longer local run.
const CASES: u32 = 12;
/// The whole run stops generating after this long (the checks so far stand).
const BUDGET: Duration = Duration::from_secs(40);
/// The `Id` schema's pattern, where known ids are mixed in with random ones
/// so requests reach records, not only 404s.
const ID_PATTERN: &str = "^[0-7][0-9A-HJKMNP-TV-Z]{25}$";

const VCARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nTEL:13900001111\r\nEND:VCARD\r\n";

/// A 422 that no schema can rule out: the value names a record, type or
/// reason that does not exist (`unknown`, the body's 404), or one another
/// record has (`taken`), or asks for more than the stock, a contract line
/// or an installment holds.
fn refused_for_the_data(body: &Value) -> bool {
    (body["error"] == "invalid" && matches!(body["problem"].as_str(), Some("unknown" | "taken")))
        // What is on hand, left to deliver, delivered or outstanding is the data's.
        || matches!(
            body["error"].as_str(),
            Some("stock_shortage" | "over_delivery" | "line_delivered" | "payment_too_large")
        )
        // A target's months typed by hand that do not add up to its year.
        || body["error"] == "months_mismatch"
}

/// Rules between fields that no schema states, each allowed its 422 by
/// name: (method, path, field, problem).
const CROSS_FIELD: &[(&str, &str, &str, &str)] = &[
    // A commitment is made to a customer: `commitment: true` needs
    // `customer_id`.
    ("post", "/api/v1/tasks", "customer", "required"),
    // A deal's owners' shares add up to 100.
    ("*", "*", "owners", "out_of_range"),
    // A custom field of kind `choice` lists its options.
    (
        "put",
        "/api/v1/customer-settings",
        "custom_fields",
        "required",
    ),
    // A retention policy keeps something: not all three counts 0.
    (
        "put",
        "/api/v1/backups/policy",
        "keep_daily",
        "out_of_range",
    ),
    // Only the default pipeline, never renamed, has an empty name.
    ("put", "/api/v1/pipelines/{id}", "name", "required"),
    // Rules of the clock, on any route: a birthday between 1900 and today,
    // an activity's time not in the future.
    ("*", "*", "birthday", "out_of_range"),
    ("*", "*", "at", "in_future"),
    // A quote is for a customer, given or through its deal; a contract
    // comes from a quote or a won deal; a line without a product says what
    // it is.
    ("post", "/api/v1/quotes", "customer", "required"),
    ("post", "/api/v1/contracts", "quote", "required"),
    ("*", "*", "description", "required"),
    ("*", "*", "unit_price", "required"),
    // Lines left wholly empty are dropped: at least one must say something.
    ("*", "*", "lines", "required"),
    // An installment due before today needs `confirm_past`.
    ("*", "*", "due", "in_past"),
    // Each expense category says something, once, in 50 characters.
    ("put", "/api/v1/expense-categories", "category", "required"),
    ("put", "/api/v1/expense-categories", "category", "too_long"),
    ("put", "/api/v1/expense-categories", "category", "malformed"),
    // A target is for someone (but the company's), and its months typed
    // by hand are twelve.
    ("*", "*", "subject", "required"),
    ("*", "*", "months", "required"),
    // A report's days are real calendar days, `from` not after `to`.
    ("get", "*", "period", "malformed"),
];

fn refused_across_fields(operation: &Operation, body: &Value) -> bool {
    CROSS_FIELD.iter().any(|(method, path, field, problem)| {
        (*method == "*" || operation.method == *method)
            && (*path == "*" || operation.path == *path)
            && body["field"] == *field
            && body["problem"] == *problem
    })
}

/// Resolves `{"$ref": "#/components/schemas/X"}` against the document.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn types_of(schema: &Value) -> Vec<&str> {
    match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------
// The checker: the subset of JSON Schema utoipa emits.

/// Why `value` does not fit `schema`, if it does not.
pub fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if let Some(all) = schema["allOf"].as_array() {
        for part in all {
            check(doc, part, value, at)?;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema[key].as_array() {
            // utoipa's oneOf alternatives may overlap (objects that allow
            // more properties), so one that fits is enough.
            let reasons: Vec<String> = alternatives
                .iter()
                .filter_map(|alt| check(doc, alt, value, at).err())
                .collect();
            if reasons.len() == alternatives.len() {
                return Err(format!("{at}: fits none of {key}: {}", reasons.join("; ")));
            }
        }
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {allowed:?}"));
    }
    let types = types_of(schema);
    if !types.is_empty() {
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        });
        if !fits {
            return Err(format!("{at}: {value} is not of type {types:?}"));
        }
    }
    match value {
        Value::String(text) => check_string(schema, text, at)?,
        Value::Number(n) => {
            let n = n.as_f64().unwrap_or_default();
            if let Some(min) = schema["minimum"].as_f64()
                && n < min
            {
                return Err(format!("{at}: {n} < minimum {min}"));
            }
            if let Some(max) = schema["maximum"].as_f64()
                && n > max
            {
                return Err(format!("{at}: {n} > maximum {max}"));
            }
        }
        Value::Array(items) => {
            if let Some(min) = schema["minItems"].as_u64()
                && (items.len() as u64) < min
            {
                return Err(format!("{at}: fewer than {min} items"));
            }
            if let Some(max) = schema["maxItems"].as_u64()
                && (items.len() as u64) > max
            {
                return Err(format!("{at}: more than {max} items"));
            }
            let prefix = schema["prefixItems"].as_array();
            for (n, item) in items.iter().enumerate() {
                let item_schema = prefix.and_then(|p| p.get(n)).unwrap_or(&schema["items"]);
                if !item_schema.is_null() {
                    check(doc, item_schema, item, &format!("{at}[{n}]"))?;
                }
            }
        }
        Value::Object(fields) => {
            let properties = schema["properties"].as_object();
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !fields.contains_key(name) {
                    return Err(format!("{at}: the required `{name}` is missing"));
                }
            }
            for (name, field) in fields {
                let at = format!("{at}.{name}");
                match properties.and_then(|p| p.get(name)) {
                    Some(property) => check(doc, property, field, &at)?,
                    None => match &schema["additionalProperties"] {
                        Value::Bool(false) => return Err(format!("{at}: not in the schema")),
                        extra @ Value::Object(_) => check(doc, extra, field, &at)?,
                        _ => {}
                    },
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_string(schema: &Value, text: &str, at: &str) -> Result<(), String> {
    let chars = text.chars().count() as u64;
    if let Some(min) = schema["minLength"].as_u64()
        && chars < min
    {
        return Err(format!("{at}: {text:?} shorter than {min}"));
    }
    if let Some(max) = schema["maxLength"].as_u64()
        && chars > max
    {
        return Err(format!("{at}: {text:?} longer than {max}"));
    }
    if let Some(pattern) = schema["pattern"].as_str() {
        let regex = regex::Regex::new(pattern).map_err(|e| format!("{at}: {e}"))?;
        if !regex.is_match(text) {
            return Err(format!("{at}: {text:?} does not match {pattern}"));
        }
    }
    let parses = match schema["format"].as_str() {
        Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        Some("date") => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        Some("email") => text.contains('@'),
        _ => true,
    };
    match parses {
        true => Ok(()),
        false => Err(format!("{at}: {text:?} is no {}", schema["format"])),
    }
}

// ---------------------------------------------------------------------------
// The generator: values that fit a schema.

/// Ids of records that exist, by what they are.
#[derive(Clone, Default)]
struct Known {
    ids: Vec<String>,
}

/// Text as people type it: Chinese, ASCII, digits, some punctuation.
fn text(min: usize, max: usize) -> BoxedStrategy<String> {
    let chars = prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('0', '9'),
        3 => proptest::sample::select(vec!['星', '辰', '科', '技', '北', '京', '张', '伟', '客', '户']),
        1 => proptest::sample::select(vec![' ', '-', '.', ',', '@', '，', '（', '）', '_']),
    ];
    proptest::collection::vec(chars, min..=max)
        .prop_map(|cs| cs.into_iter().collect())
        .boxed()
}

fn strategy(doc: &Value, known: &Known, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let schema = resolve(doc, schema);
    if depth > 8 {
        return Just(Value::Null).boxed();
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let parts: Vec<_> = parts
            .iter()
            .map(|p| strategy(doc, known, p, depth + 1))
            .collect();
        return parts
            .prop_map(|values| {
                let mut merged = Map::new();
                for value in values {
                    if let Value::Object(fields) = value {
                        merged.extend(fields);
                    }
                }
                Value::Object(merged)
            })
            .boxed();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema[key].as_array() {
            return Union::new(
                alternatives
                    .iter()
                    .map(|alt| strategy(doc, known, alt, depth + 1)),
            )
            .boxed();
        }
    }
    if let Some(values) = schema["enum"].as_array() {
        return proptest::sample::select(values.clone()).boxed();
    }
    let types = types_of(schema);
    if types.len() > 1 {
        return Union::new(types.iter().map(|t| {
            let mut single = schema.clone();
            single["type"] = json!(t);
            strategy(doc, known, &single, depth)
        }))
        .boxed();
    }
    match types.first().copied() {
        Some("null") => Just(Value::Null).boxed(),
        Some("boolean") => any::<bool>().prop_map(Value::from).boxed(),
        Some("integer") => {
            let min = schema["minimum"].as_i64().unwrap_or(-1000);
            let max = schema["maximum"].as_i64().unwrap_or(100_000).max(min);
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("number") => {
            let min = schema["minimum"].as_f64().unwrap_or(-1000.0);
            let max = schema["maximum"].as_f64().unwrap_or(100_000.0).max(min);
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("string") => string(schema, known),
        Some("array") => {
            let min = schema["minItems"].as_u64().unwrap_or(0) as usize;
            let max = (schema["maxItems"].as_u64().unwrap_or(3) as usize).min(min + 3);
            match schema["prefixItems"].as_array() {
                Some(prefix) => prefix
                    .iter()
                    .map(|p| strategy(doc, known, p, depth + 1))
                    .collect::<Vec<_>>()
                    .prop_map(Value::Array)
                    .boxed(),
                None => proptest::collection::vec(
                    strategy(doc, known, &schema["items"], depth + 1),
                    min..=max,
                )
                .prop_map(Value::Array)
                .boxed(),
            }
        }
        Some("object") | None if schema["properties"].is_object() => {
            object(doc, known, schema, depth)
        }
        Some("object") => Just(json!({})).boxed(),
        _ => Union::new([
            Just(Value::Null).boxed(),
            Just(json!("星辰")).boxed(),
            Just(json!(1)).boxed(),
        ])
        .boxed(),
    }
}

fn object(doc: &Value, known: &Known, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, property)| {
            let name = name.clone();
            let value = strategy(doc, known, property, depth + 1);
            if required.contains(&name.as_str()) {
                value.prop_map(move |v| Some((name.clone(), v))).boxed()
            } else {
                proptest::option::of(value.prop_map(move |v| (name.clone(), v))).boxed()
            }
        })
        .collect();
    fields
        .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()))
        .boxed()
}

fn string(schema: &Value, known: &Known) -> BoxedStrategy<Value> {
    let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
    let max = (schema["maxLength"].as_u64().unwrap_or(30) as usize).min(min + 40);
    if let Some(pattern) = schema["pattern"].as_str() {
        let bare = pattern.trim_start_matches('^').trim_end_matches('$');
        let random = proptest::string::string_regex(bare)
            .unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
            .prop_filter("within the lengths", move |s| {
                (min..=max.max(min)).contains(&s.chars().count()) || max < min
            })
            .prop_map(Value::from)
            .boxed();
        if pattern == ID_PATTERN && !known.ids.is_empty() {
            return prop_oneof![
                6 => proptest::sample::select(known.ids.clone()).prop_map(Value::from),
                1 => random,
            ]
            .boxed();
        }
        return random;
    }
    match schema["format"].as_str() {
        Some("email") => "[a-z0-9]{1,12}@[a-z0-9]{1,10}\\.(cn|com)"
            .prop_map(Value::from)
            .boxed(),
        Some("date") => (2020i32..2030, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}")))
            .boxed(),
        Some("date-time") => (0i64..2_000_000_000)
            .prop_map(|s| {
                json!(
                    chrono::DateTime::from_timestamp(s, 0)
                        .unwrap_or_default()
                        .to_rfc3339()
                )
            })
            .boxed(),
        _ => text(min, max.max(min)).prop_map(Value::from).boxed(),
    }
}

// ---------------------------------------------------------------------------
// Requests and the checks of their answers.

struct Operation {
    method: String,
    path: String,
    spec: Value,
}

/// A request as generated: path and query filled, headers, a body.
#[derive(Debug, Clone)]
struct Generated {
    path_params: BTreeMap<String, Value>,
    query: Vec<(String, Value)>,
    if_match: Option<Value>,
    body: Option<Value>,
    as_rep: bool,
}

fn parameter_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn request_strategy(doc: &Value, known: &Known, operation: &Operation) -> BoxedStrategy<Generated> {
    let params = operation.spec["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let pick = |location: &str| -> Vec<(String, bool, BoxedStrategy<Value>)> {
        params
            .iter()
            .filter(|p| p["in"] == location)
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or_default().to_string(),
                    p["required"].as_bool().unwrap_or(false),
                    strategy(doc, known, &p["schema"], 0),
                )
            })
            .collect()
    };
    let path: Vec<BoxedStrategy<(String, Value)>> = pick("path")
        .into_iter()
        .map(|(name, _, s)| s.prop_map(move |v| (name.clone(), v)).boxed())
        .collect();
    let query: Vec<BoxedStrategy<Option<(String, Value)>>> = pick("query")
        .into_iter()
        .map(|(name, required, s)| {
            let s = s.prop_map(move |v| (name.clone(), v));
            match required {
                true => s.prop_map(Some).boxed(),
                false => proptest::option::of(s).boxed(),
            }
        })
        .collect();
    let if_match = pick("header")
        .into_iter()
        .find(|(name, ..)| name == "If-Match")
        .map(|(_, _, s)| proptest::option::of(s).boxed())
        .unwrap_or_else(|| Just(None).boxed());
    let json_body = &operation.spec["requestBody"]["content"]["application/json"]["schema"];
    let body = if json_body.is_null() {
        Just(None).boxed()
    } else if operation.spec["requestBody"]["required"] == true {
        strategy(doc, known, json_body, 0).prop_map(Some).boxed()
    } else {
        proptest::option::of(strategy(doc, known, json_body, 0)).boxed()
    };
    (path, query, if_match, body, any::<bool>())
        .prop_map(|(path, query, if_match, body, as_rep)| {
            // A version in the body and another in If-Match disagree, which
            // the document says is refused: send one or the other.
            let if_match = match &body {
                Some(b) if b.get("version").is_some_and(|v| !v.is_null()) => None,
                _ => if_match,
            };
            // A parameter is a string in the URL or a header: `null` is
            // leaving it out.
            Generated {
                path_params: path.into_iter().collect(),
                query: query
                    .into_iter()
                    .flatten()
                    .filter(|(_, v)| !v.is_null())
                    .collect(),
                if_match: if_match.filter(|v| !v.is_null()),
                body,
                as_rep,
            }
        })
        .boxed()
}

struct Target {
    api: Api,
    admin: String,
    rep: String,
    rt: tokio::runtime::Runtime,
}

impl Target {
    fn request(&self, operation: &Operation, generated: &Generated) -> HttpRequest<Body> {
        let mut path = operation.path.clone();
        for (name, value) in &generated.path_params {
            let text: String =
                form_urlencoded::byte_serialize(parameter_text(value).as_bytes()).collect();
            path = path.replace(&format!("{{{name}}}"), &text);
        }
        if !generated.query.is_empty() {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(generated.query.iter().map(|(k, v)| (k, parameter_text(v))))
                .finish();
            path = format!("{path}?{query}");
        }
        let token = if generated.as_rep {
            &self.rep
        } else {
            &self.admin
        };
        let multipart_body =
            operation.spec["requestBody"]["content"]["multipart/form-data"].is_object();
        if multipart_body {
            // A file of the kind the route reads: the schema says binary.
            let (name, file): (&str, &[u8]) = if operation.path.ends_with("/vcards") {
                ("张伟.vcf", VCARD.as_bytes())
            } else {
                (
                    "客户名单.csv",
                    "客户名称,电话\r\n星辰科技,010-88886666\r\n".as_bytes(),
                )
            };
            let mut request = multipart(&path, token, name, file);
            *request.method_mut() = operation.method.to_uppercase().parse().unwrap();
            request
                .headers_mut()
                .insert(header::ACCEPT, "application/json".parse().unwrap());
            return request;
        }
        let mut request = HttpRequest::builder()
            .method(operation.method.to_uppercase().as_str())
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "application/json");
        if let Some(version) = &generated.if_match {
            request = request.header(header::IF_MATCH, parameter_text(version));
        }
        match &generated.body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap()
    }

    /// Sends the request and says what about its answer contradicts the
    /// document, if anything.
    fn run(
        &self,
        doc: &Value,
        operation: &Operation,
        generated: &Generated,
        answered: &mut BTreeMap<u16, usize>,
    ) -> Result<(), String> {
        let request = self.request(operation, generated);
        let (status, content_type, bytes) = self.rt.block_on(async {
            let response = self.api.router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let content_type = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, content_type, bytes)
        });
        *answered.entry(status.as_u16()).or_default() += 1;
        let said = || {
            String::from_utf8_lossy(&bytes)
                .chars()
                .take(400)
                .collect::<String>()
        };
        if status.is_server_error() {
            return Err(format!("answered {status}: {}", said()));
        }
        let documented = &operation.spec["responses"][status.as_str()];
        if documented.is_null() {
            return Err(format!(
                "answered {status}, which is not documented: {}",
                said()
            ));
        }
        let refused = matches!(
            status,
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY
        );
        let answer: Value = serde_json::from_slice(&bytes).unwrap_or_default();
        if refused
            && !(status == StatusCode::UNPROCESSABLE_ENTITY
                && (refused_for_the_data(&answer) || refused_across_fields(operation, &answer)))
        {
            return Err(format!(
                "refused a request valid by the schema with {status}: {}",
                said()
            ));
        }
        let Some(content) = documented["content"].as_object() else {
            return match bytes.is_empty() {
                true => Ok(()),
                false => Err(format!("{status} documents no body but sent {}", said())),
            };
        };
        if let Some(json_content) = content.get("application/json") {
            if !content_type.starts_with("application/json") {
                return Err(format!("{status} sent `{content_type}`, documented JSON"));
            }
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|e| format!("{status}: not JSON ({e}): {}", said()))?;
            if !json_content["schema"].is_null() {
                check(doc, &json_content["schema"], &value, "body")
                    .map_err(|e| format!("{status}: the body contradicts the document: {e}"))?;
            }
        } else if !content.keys().any(|documented| {
            documented == "*/*"
                || content_type.starts_with(documented.split(';').next().unwrap_or(documented))
        }) {
            return Err(format!(
                "{status} sent `{content_type}`, documented {:?}",
                content.keys().collect::<Vec<_>>()
            ));
        }
        Ok(())
    }
}

/// A company with some of everything, so generated ids meet real records.
fn seeded() -> (Target, Known) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let api = Api::new();
    let admin = api.token(&api.admin);
    let rep = api.rep("li@example.cn");
    let mut known = Known::default();
    rt.block_on(async {
        known.ids.push(api.admin.id.to_string());
        known.ids.push(api.user_id(&rep).await);
        let customer_id = api.customer(&admin, "北京星辰科技有限公司").await;
        let rep_customer = api.customer(&rep, "上海云帆贸易").await;
        let (_, contact) = api
            .post(
                &admin,
                &format!("/api/v1/customers/{customer_id}/contacts"),
                json!({ "name": "张伟", "phones": ["139 0000 1111"] }),
            )
            .await;
        let (_, deal) = api
            .post(
                &admin,
                "/api/v1/deals",
                json!({ "customer_id": customer_id, "title": "年度框架合同", "amount": "120,000" }),
            )
            .await;
        let (_, activity) = api
            .post(
                &admin,
                "/api/v1/activities",
                json!({ "customer_id": customer_id, "kind": "call", "text": "电话沟通需求" }),
            )
            .await;
        let (_, pipelines) = api.get(&admin, "/api/v1/pipelines").await;
        for pipeline in pipelines.as_array().into_iter().flatten() {
            known.ids.push(pipeline["id"].as_str().unwrap().to_string());
            for stage in pipeline["stages"].as_array().into_iter().flatten() {
                known.ids.push(stage["id"].as_str().unwrap().to_string());
            }
        }
        let binned = api.customer(&admin, "天津港口物流").await;
        api.delete(&admin, &format!("/api/v1/customers/{binned}"))
            .await;
        for id in [&customer_id, &rep_customer, &binned] {
            known.ids.push(id.clone());
        }
        for record in [&contact, &deal, &activity] {
            known.ids.extend(record["id"].as_str().map(str::to_string));
        }
    });
    known.ids.retain(|id| !id.is_empty());
    (
        Target {
            api,
            admin,
            rep,
            rt,
        },
        known,
    )
}

fn setting<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, spec) in item.as_object().unwrap() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                out.push(Operation {
                    method: method.clone(),
                    path: path.clone(),
                    spec: spec.clone(),
                });
            }
        }
    }
    out
}

#[test]
fn requests_generated_from_the_openapi_document_get_the_answers_it_documents() {
    let doc = serde_json::to_value(super::openapi::document()).unwrap();
    let (target, known) = seeded();
    let target = Arc::new(target);
    // A fixed seed by default: the same requests every run, so a failure in
    // CI is one anybody can replay; `GUANXI_FUZZ_SEED` explores others.
    let seed: u8 = setting("GUANXI_FUZZ_SEED").unwrap_or(7);
    let cases: u32 = setting("GUANXI_FUZZ_CASES").unwrap_or(CASES);
    let budget = Duration::from_secs(setting("GUANXI_FUZZ_SECONDS").unwrap_or(BUDGET.as_secs()));
    let started = Instant::now();
    let mut findings = Vec::new();
    let mut sent = 0;
    let mut answered = BTreeMap::new();
    for operation in operations(&doc) {
        if started.elapsed() > budget {
            break;
        }
        let strategy = request_strategy(&doc, &known, &operation);
        let mut runner = TestRunner::new_with_rng(
            Config {
                cases,
                failure_persistence: None,
                ..Config::default()
            },
            TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
        );
        for _ in 0..cases {
            let Ok(tree) = strategy.new_tree(&mut runner) else {
                continue;
            };
            let generated = tree.current();
            sent += 1;
            if let Err(finding) = target.run(&doc, &operation, &generated, &mut answered) {
                findings.push(format!(
                    "{} {}: {finding}\n    request: {generated:?}",
                    operation.method.to_uppercase(),
                    operation.path
                ));
                break;
            }
        }
    }
    // What the requests met, for whoever tunes the generator (`--nocapture`).
    eprintln!(
        "{sent} requests in {:.1} s; answers by status: {answered:?}",
        started.elapsed().as_secs_f64()
    );
    assert!(sent > 100, "only {sent} requests within the budget");
    assert!(
        findings.is_empty(),
        "{} operations answer against the document:\n{}",
        findings.len(),
        findings.join("\n")
    );
}
