//! The browser bundle, embedded in the binary. `cargo xtask` writes it into a
//! folder named by the hash of its contents, so it can be cached for a year
//! and an upgrade still never serves stale WASM.
//!
//! Only the brotli and gzip copies are embedded: every browser asks for one
//! of them, and the rare client that takes neither gets the gzip copy
//! unpacked. The uncompressed files were 7.7 of the binary's megabytes.

use app::AssetNames;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use std::io::Read;

#[derive(RustEmbed)]
#[folder = "../target/site"]
#[include = "manifest.json"]
#[include = "*.br"]
#[include = "*.gz"]
struct Site;

const MANIFEST: &str = "manifest.json";

/// The hashed names, from the manifest the bundle build wrote.
pub fn names() -> AssetNames {
    let parsed =
        Site::get(MANIFEST).and_then(|f| serde_json::from_slice::<serde_json::Value>(&f.data).ok());
    let name = |key: &str| {
        parsed
            .as_ref()
            .and_then(|m| m.get(key)?.as_str().map(|s| format!("/pkg/{s}")))
            .unwrap_or_default()
    };
    let split = parsed
        .as_ref()
        .and_then(|m| serde_json::from_value(m.get("split")?.clone()).ok())
        .unwrap_or_default();
    let names = AssetNames {
        js: name("js"),
        wasm: name("wasm"),
        css: name("css"),
        dir: name("dir"),
        split: std::sync::Arc::new(split),
    };
    if names.js.is_empty() {
        tracing::warn!(
            "this binary was built without its browser bundle: pages render but do not \
             hydrate; build with `cargo xtask build`"
        );
    }
    names
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut pieces = part.trim().split(';');
            pieces.next() == Some(encoding) && !pieces.any(|p| p.trim().replace(' ', "") == "q=0")
        })
}

pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let path = format!("pkg/{file}");
    let compressed = |encoding: &'static str, suffix: &str| {
        Site::get(&format!("{path}{suffix}")).map(|f| (Some(encoding), f.data.into_owned()))
    };
    let chosen = [("br", ".br"), ("gzip", ".gz")]
        .into_iter()
        .filter(|(encoding, _)| accepts(&headers, encoding))
        .find_map(|(encoding, suffix)| compressed(encoding, suffix))
        .or_else(|| {
            let gz = Site::get(&format!("{path}.gz"))?;
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(&gz.data[..])
                .read_to_end(&mut raw)
                .ok()?;
            Some((None, raw))
        });
    let Some((encoding, body)) = chosen else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file)),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_parsed_with_q_values() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br;q=0"),
        );
        assert!(accepts(&h, "gzip"));
        assert!(!accepts(&h, "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn wasm_gets_its_streaming_content_type() {
        assert_eq!(content_type("guanxi-1a2b.wasm"), "application/wasm");
        assert_eq!(
            content_type("guanxi-1a2b.js"),
            "text/javascript; charset=utf-8"
        );
    }
}
