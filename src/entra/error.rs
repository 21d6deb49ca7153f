//! Typed failures of a call to Entra.

use std::fmt;
use std::time::Duration;

use super::wire::ErrorBody;
use crate::diagnose::{Diagnosis, diagnose};

/// Entra answered and said no.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub http_status: u16,
    pub body: ErrorBody,
}

impl Refusal {
    /// The first AADSTS code.
    pub fn code(&self) -> Option<u32> {
        self.body.error_codes.first().copied().or_else(|| {
            // Some proxies strip error_codes; the description still starts with "AADSTSnnnn:".
            let d = self.body.error_description.as_deref()?;
            let rest = d.strip_prefix("AADSTS")?;
            rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
        })
    }

    pub fn diagnosis(&self) -> Diagnosis {
        diagnose(self.code(), &self.body.error)
    }

    /// The first line of Entra's description, without the trace lines it repeats.
    pub fn description_line(&self) -> Option<&str> {
        self.body
            .error_description
            .as_deref()
            .and_then(|d| d.lines().next())
            .map(str::trim)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dx = self.diagnosis();
        match self.code() {
            Some(code) => write!(
                f,
                "Entra refused the sign-in: {} (AADSTS{code}, {})",
                dx.summary, self.body.error
            ),
            None => write!(f, "Entra refused the sign-in: {} ({})", dx.summary, self.body.error),
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
