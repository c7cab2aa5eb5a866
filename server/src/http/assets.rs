//! The browser bundle, embedded in the binary. `cargo xtask` writes it into a
//! folder named by the hash of its contents, so it can be cached for a year
//! and an upgrade still never serves stale WASM.
//!
//! Only the brotli copies are embedded (the plain and gzip copies were 10.5
//! of the binary's megabytes). Browsers ask for brotli over HTTPS only; on
//! the LAN, over plain HTTP, they ask for gzip, so the first such request for
//! a file packs it as gzip once and keeps that copy in memory (2.8 MB at
//! most, for the whole bundle). A client that takes neither gets it unpacked.

use app::AssetNames;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

#[derive(RustEmbed)]
#[folder = "../target/site"]
#[include = "manifest.json"]
#[include = "*.br"]
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
        split: leptos::WasmSplitManifest(leptos::reactive::owner::ArcStoredValue::new((
            name("dir"),
            split,
            "__wasm_split.js".to_string(),
        ))),
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

/// A bundle file as sent: its bytes and their `Content-Encoding`.
type Encoded = (Option<&'static str>, Arc<[u8]>);

pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(brotli) = Site::get(&format!("pkg/{file}.br")) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (encoding, body): Encoded = if accepts(&headers, "br") {
        (Some("br"), Arc::from(brotli.data.as_ref()))
    } else if accepts(&headers, "gzip") {
        match gzip_copy(&file, &brotli.data) {
            Some(gz) => (Some("gzip"), gz),
            None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    } else {
        match unpack(&brotli.data) {
            Some(raw) => (None, Arc::from(raw)),
            None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    };
    let mut response = axum::body::Body::from(axum::body::Bytes::from_owner(body)).into_response();
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

fn unpack(brotli: &[u8]) -> Option<Vec<u8>> {
    let mut raw = Vec::new();
    brotli::Decompressor::new(brotli, 64 * 1024)
        .read_to_end(&mut raw)
        .ok()?;
    Some(raw)
}

/// The gzip copy of a bundle file, packed on first request and kept.
fn gzip_copy(file: &str, brotli: &[u8]) -> Option<Arc<[u8]>> {
    static PACKED: Mutex<BTreeMap<String, Arc<[u8]>>> = Mutex::new(BTreeMap::new());
    if let Some(gz) = PACKED.lock().ok()?.get(file) {
        return Some(gz.clone());
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&unpack(brotli)?).ok()?;
    let gz: Arc<[u8]> = Arc::from(gz.finish().ok()?);
    PACKED.lock().ok()?.insert(file.to_string(), gz.clone());
    Some(gz)
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
    fn gzip_copy_unpacks_to_the_same_bytes_as_brotli() {
        let text = b"guanxi ".repeat(1000);
        let mut br = Vec::new();
        brotli::BrotliCompress(&mut &text[..], &mut br, &Default::default()).unwrap();
        assert_eq!(unpack(&br).unwrap(), text);
        let gz = gzip_copy("test-only.js", &br).unwrap();
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut raw)
            .unwrap();
        assert_eq!(raw, text);
        // The second request gets the kept copy.
        assert!(Arc::ptr_eq(&gz, &gzip_copy("test-only.js", &br).unwrap()));
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
