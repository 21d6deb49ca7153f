//! What Entra's answer means: a token, a refusal (an Entra error with an AADSTS code, never
//! retried) or an unusable answer, described without quoting a body that may hold a token.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};

use super::error::{EntraError, Refusal};
use super::wire::{ErrorBody, TokenResponse};

/// True when a body is Entra saying no: an `error` with an AADSTS code. Such an answer is never
/// retried, even with a 429 or 5xx status; Entra's own "try again later" errors are not refusals.
pub fn is_refusal(body: &[u8]) -> bool {
    let Ok(err) = serde_json::from_slice::<ErrorBody>(body) else {
        return false;
    };
    let transient = matches!(err.error.as_str(), "temporarily_unavailable" | "server_error" | "");
    let coded = !err.error_codes.is_empty()
        || err
            .error_description
            .as_deref()
            .is_some_and(|d| d.trim_start().starts_with("AADSTS"));
    coded && !transient
}

pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    v.parse::<u64>().ok().map(Duration::from_secs)
}

fn content_type(headers: &HeaderMap) -> String {
    headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map_or_else(
        || "no content type".to_string(),
        |s| s.split(';').next().unwrap_or(s).trim().to_string(),
    )
}

/// Describes an unusable answer without quoting it: a body may hold a token.
pub(super) fn bad(url: &str, status: u16, headers: &HeaderMap, detail: &str) -> EntraError {
    EntraError::BadResponse {
        url: url.to_string(),
        status,
        content_type: content_type(headers),
        detail: detail.to_string(),
    }
}

pub(super) fn parse_token(
    url: &str,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<TokenResponse, EntraError> {
    if body.trim_ascii_start().starts_with(b"<") {
        return Err(bad(
            url,
            status,
            headers,
            "an HTML page instead of JSON (a proxy, captive portal or wrong authority?)",
        ));
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Err(_) => Err(bad(url, status, headers, "the body is not valid JSON")),
        Ok(value) => match serde_json::from_value::<TokenResponse>(value) {
            Ok(t) => Ok(t),
            Err(_) => Err(bad(url, status, headers, "JSON without a usable access_token")),
        },
    }
}

pub(super) fn refusal_or_bad(url: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> EntraError {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(mut err) if !err.error.is_empty() => {
            if err.correlation_id.is_none() {
                err.correlation_id = headers
                    .get("client-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
            }
            EntraError::Refused(Box::new(Refusal {
                http_status: status,
                body: err,
            }))
        }
        _ if status == 429 || status >= 500 => EntraError::Unavailable {
            url: url.to_string(),
            status,
            retry_after: retry_after(headers),
        },
        _ if body.trim_ascii_start().starts_with(b"<") => {
            bad(url, status, headers, "an HTML page instead of an Entra error")
        }
        _ => bad(url, status, headers, "not an Entra error body"),
    }
}
