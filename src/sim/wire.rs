//! Wire format: `application/x-www-form-urlencoded` decoding that keeps the
//! arrival order, percent-encoding for redirects, and Entra's JSON success and
//! error responses with their headers.

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderMap, HeaderValue, PRAGMA};
use axum::http::{Response, StatusCode};
use serde::Serialize;

use super::aadsts::AadError;

pub const JSON: &str = "application/json; charset=utf-8";
pub const HTML: &str = "text/html; charset=utf-8";

/// Decoded name/value pairs, in the order they arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// Decodes `a=1&b=2` (`+` is a space, `%XX` a byte, invalid UTF-8 replaced).
    pub fn parse(raw: &[u8]) -> Self {
        let pairs = raw
            .split(|&b| b == b'&')
            .filter(|part| !part.is_empty())
            .map(|part| {
                let mut halves = part.splitn(2, |&b| b == b'=');
                let name = decode(halves.next().unwrap_or_default());
                let value = decode(halves.next().unwrap_or_default());
                (name, value)
            })
            .collect();
        Self(pairs)
    }

    /// The body of a request, when it claims to be a form; empty otherwise.
    pub fn from_body(headers: &HeaderMap, body: &[u8]) -> Self {
        if is_form(headers) {
            Self::parse(body)
        } else {
            Self::default()
        }
    }

    /// The first value of `name`, if present and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The value of `name` or AADSTS900144 naming it.
    pub fn require(&self, name: &str) -> Result<&str, AadError> {
        self.get(name).ok_or_else(|| AadError::missing(name))
    }

    /// AADSTS9000411 when a parameter appears twice.
    pub fn reject_duplicates(&self) -> Result<(), AadError> {
        for (i, (name, _)) in self.0.iter().enumerate() {
            if self.0[..i].iter().any(|(n, _)| n == name) {
                return Err(AadError::with_text(
                    9_000_411,
                    format!("The request is not properly formatted. The parameter '{name}' is duplicated."),
                ));
            }
        }
        Ok(())
    }
}

/// Whether the request's content type is a URL-encoded form.
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one form component.
pub fn decode(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => {
                if let (Some(h), Some(l)) = (hex(raw[i + 1]), hex(raw[i + 2])) {
                    out.push(h << 4 | l);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// `name=value&…` with both sides percent-encoded.
pub fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Entra's timestamp format: `2026-11-26 04:30:00Z`.
pub fn entra_timestamp() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M:%SZ").to_string()
}

pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A response with the given status, content type and body.
pub fn raw(status: u16, content_type: &str, body: impl Into<Body>) -> Response<Body> {
    let mut response = Response::new(body.into());
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    if !content_type.is_empty()
        && let Ok(value) = HeaderValue::from_str(content_type)
    {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}

/// A JSON response with Entra's cache and request-id headers.
pub fn json_response<T: Serialize>(status: u16, body: &T, correlation: &str) -> Response<Body> {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_owned());
    let mut response = raw(status, JSON, text);
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store, no-cache"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    if let Ok(id) = HeaderValue::from_str(&new_guid()) {
        headers.insert("x-ms-request-id", id);
    }
    if let Ok(id) = HeaderValue::from_str(correlation) {
        headers.insert("client-request-id", id);
    }
    response
}

/// The `client-request-id` header if the client sent one, else a fresh GUID.
pub fn correlation_id(headers: &HeaderMap) -> String {
    headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map_or_else(new_guid, str::to_owned)
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: String,
    error_codes: [u32; 1],
    timestamp: String,
    trace_id: String,
    correlation_id: &'a str,
    error_uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    suberror: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<&'a str>,
}

/// The `error_description` Entra sends: headline plus trace lines.
pub fn description(err: &AadError, trace_id: &str, correlation: &str, timestamp: &str) -> String {
    format!(
        "{}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation}\r\nTimestamp: {timestamp}",
        err.headline()
    )
}

/// Entra's JSON error body for `err`.
pub fn error_response(err: &AadError, correlation: &str) -> Response<Body> {
    let trace_id = new_guid();
    let timestamp = entra_timestamp();
    let body = ErrorBody {
        error: &err.error,
        error_description: description(err, &trace_id, correlation, &timestamp),
        error_codes: [err.code],
        timestamp,
        trace_id,
        correlation_id: correlation,
        error_uri: format!("https://login.microsoftonline.com/error?code={}", err.code),
        suberror: err.suberror.as_deref(),
        claims: err.claims.as_deref(),
    };
    json_response(err.status, &body, correlation)
}

/// A number, or the same number as a string (`"4228"`) in the v1 style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Num {
    Int(u64),
    Text(String),
}

impl Num {
    pub fn new(value: u64, as_string: bool) -> Self {
        if as_string {
            Self::Text(value.to_string())
        } else {
            Self::Int(value)
        }
    }
}
