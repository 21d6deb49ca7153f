//! Typed failures of a call to Entra.

use std::fmt;
use std::time::Duration;

use super::description;
use super::wire::ErrorBody;
use crate::diagnose::{self, Diagnosis};

/// Entra answered and said no.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub http_status: u16,
    pub body: ErrorBody,
}

impl Refusal {
    /// The AADSTS code that explains the refusal best: of the codes in `error_codes` and in
    /// the description, the first one the table knows that is not a generic wrapper (70002
    /// "error validating credentials", 50000); then a known wrapper; then the first code.
    pub fn code(&self) -> Option<u32> {
        diagnose::pick_code(&self.codes())
    }

    /// Every code Entra named: `error_codes` first, then any further `AADSTSnnnn` in the
    /// description (some proxies and libraries drop `error_codes`).
    pub fn codes(&self) -> Vec<u32> {
        let mut all = self.body.error_codes.clone();
        if let Some(d) = self.body.error_description.as_deref() {
            for code in description::codes(d) {
                if !all.contains(&code) {
                    all.push(code);
                }
            }
        }
        all
    }

    pub fn diagnosis(&self) -> Diagnosis {
        diagnose::explain(
            self.code(),
            &self.body.error,
            self.body.suberror.as_deref(),
            self.is_claims_challenge(),
        )
    }

    /// Whether the explanation comes from the table of known codes rather than from the
    /// `error` class alone.
    pub fn is_explained(&self) -> bool {
        self.code().is_some_and(diagnose::is_known)
    }

    /// Entra's message without the trace lines it repeats (both description layouts).
    pub fn description_line(&self) -> Option<&str> {
        self.description().map(description::message).filter(|m| !m.is_empty())
    }

    /// Entra's first sentence, without the `AADSTSnnnn:` prefix.
    pub fn first_sentence(&self) -> Option<&str> {
        self.description().and_then(description::first_sentence)
    }

    /// The trace id: the field, or else the one inside the description.
    pub fn trace_id(&self) -> Option<&str> {
        field(self.body.trace_id.as_deref()).or_else(|| self.description().and_then(description::trace_id))
    }

    /// The correlation id: the field, or else the one inside the description.
    pub fn correlation_id(&self) -> Option<&str> {
        field(self.body.correlation_id.as_deref()).or_else(|| self.description().and_then(description::correlation_id))
    }

    /// When Entra refused: the field, or else the one inside the description.
    pub fn timestamp(&self) -> Option<&str> {
        field(self.body.timestamp.as_deref()).or_else(|| self.description().and_then(description::timestamp))
    }

    /// Entra's page for the code: `error_uri` when sent, else the documented lookup page.
    pub fn code_page(&self) -> Option<String> {
        field(self.body.error_uri.as_deref())
            .map(str::to_string)
            .or_else(|| self.code().map(diagnose::code_page))
    }

    /// Entra sent a claims challenge (`claims`): Conditional Access or continuous access
    /// evaluation wants more than this sign-in showed.
    pub fn is_claims_challenge(&self) -> bool {
        self.body
            .claims
            .as_deref()
            .is_some_and(|c| !matches!(c.trim(), "" | "{}" | "null"))
    }

    fn description(&self) -> Option<&str> {
        self.body.error_description.as_deref()
    }
}

/// A field that is present and not blank (some bodies send `"trace_id": ""`).
fn field(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dx = self.diagnosis();
        // An unknown code is better described by Entra's own first sentence than by its class.
        let summary = match self.first_sentence() {
            Some(sentence) if !self.is_explained() => sentence,
            _ => dx.summary,
        };
        match self.code() {
            Some(code) => write!(
                f,
                "Entra refused the sign-in: {summary} (AADSTS{code}, {})",
                self.body.error
            ),
            None => write!(f, "Entra refused the sign-in: {summary} ({})", self.body.error),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EntraError {
    #[error("{0}")]
    Refused(Box<Refusal>),
    #[error("cannot reach {url}: {reason}")]
    Network { url: String, reason: String },
    #[error("no answer from {url} within {}s", timeout.as_secs())]
    Timeout { url: String, timeout: Duration },
    #[error("{url} is unavailable (HTTP {status}){}", retry_after.map(|d| format!("; it asks to retry after {}s", d.as_secs())).unwrap_or_default())]
    Unavailable {
        url: String,
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("unexpected answer from {url} (HTTP {status}, {content_type}): {detail}")]
    BadResponse {
        url: String,
        status: u16,
        content_type: String,
        detail: String,
    },
    #[error("cannot start the HTTP client: {0}")]
    Client(String),
}

impl EntraError {
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Self::Refused(r) => Some(r),
            _ => None,
        }
    }

    /// True when the identity provider could not be reached or did not answer usefully.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Network { .. } | Self::Timeout { .. } | Self::Unavailable { .. } | Self::BadResponse { .. }
        )
    }
}

/// The innermost cause of an error chain: for a failed request it names what went wrong
/// (connection refused, DNS, TLS), where the outer text only says the request failed.
pub fn innermost_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut reason = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        reason = s.to_string();
        source = s.source();
    }
    reason
}
