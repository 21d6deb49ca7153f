//! What can be scripted: the endpoints and the answers queued for them (AADSTS errors, 5xx,
//! 429, captive-portal HTML, garbage JSON, delays, hangs), as the control surface reads them.
//! `script` plays them; `state` keeps the queues.

use std::time::Duration;

use serde::Deserialize;

use super::wire;

/// Which endpoint a scripted answer is queued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Token,
    #[serde(alias = "devicecode")]
    DeviceCode,
    Authorize,
    Lcs,
}

impl Endpoint {
    pub(crate) fn index(self) -> usize {
        match self {
            Self::Token => 0,
            Self::DeviceCode => 1,
            Self::Authorize => 2,
            Self::Lcs => 3,
        }
    }
}

/// One scripted answer, used for the next request to its endpoint.
///
/// JSON form (control surface): `{"kind":"aadsts","code":50126}`,
/// `{"kind":"status","status":503,"retry_after":5,"body":"","content_type":""}`,
/// `{"kind":"html200"}`, `{"kind":"garbage"}`, `{"kind":"delay","ms":200}`,
/// `{"kind":"hang"}`, `{"kind":"raw_json","status":200,"body":"{…}"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "ScriptSpec")]
pub enum Scripted {
    /// An Entra error; `error`, `suberror` and `status` default to the
    /// code's usual values. On `/authorize` it becomes an error redirect
    /// (`error` defaults to `access_denied` there).
    Aadsts {
        code: u32,
        error: Option<String>,
        suberror: Option<String>,
        status: Option<u16>,
    },
    /// Any status with a literal body (empty `content_type` = no header).
    Status {
        status: u16,
        retry_after: Option<u64>,
        body: String,
        content_type: String,
    },
    /// HTTP 200 with an HTML page, as a captive portal answers.
    Html200,
    /// HTTP 200 claiming JSON with a truncated body.
    Garbage,
    /// Wait, then answer normally.
    Delay(Duration),
    /// Never answer; the connection is held until shutdown.
    Hang,
    /// This status with this raw JSON body.
    RawJson(u16, String),
}

impl Scripted {
    /// The code with its usual error string, suberror and status.
    pub fn aadsts(code: u32) -> Self {
        Self::Aadsts {
            code,
            error: None,
            suberror: None,
            status: None,
        }
    }

    /// HTTP 503 with Entra's HTML outage page, optionally with `Retry-After`.
    pub fn service_unavailable(retry_after: Option<u64>) -> Self {
        Self::Status {
            status: 503,
            retry_after,
            body: "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h2>Service Unavailable</h2><p>HTTP Error 503. The service is unavailable.</p></body></html>".to_owned(),
            content_type: wire::HTML.to_owned(),
        }
    }

    /// HTTP 429 with `Retry-After: seconds` and an empty body.
    pub fn too_many_requests(retry_after: u64) -> Self {
        Self::Status {
            status: 429,
            retry_after: Some(retry_after),
            body: String::new(),
            content_type: String::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ScriptSpec {
    Aadsts {
        code: u32,
        #[serde(default)]
        error: Option<String>,
        #[serde(default)]
        suberror: Option<String>,
        #[serde(default)]
        status: Option<u16>,
    },
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u64>,
        #[serde(default)]
        body: String,
        #[serde(default)]
        content_type: String,
    },
    #[serde(alias = "html")]
    Html200,
    Garbage,
    Delay {
        ms: u64,
    },
    Hang,
    RawJson {
        #[serde(default = "ok_status")]
        status: u16,
        body: String,
    },
}

fn ok_status() -> u16 {
    200
}

impl From<ScriptSpec> for Scripted {
    fn from(spec: ScriptSpec) -> Self {
        match spec {
            ScriptSpec::Aadsts {
                code,
                error,
                suberror,
                status,
            } => Self::Aadsts {
                code,
                error,
                suberror,
                status,
            },
            ScriptSpec::Status {
                status,
                retry_after,
                body,
                content_type,
            } => Self::Status {
                status,
                retry_after,
                body,
                content_type,
            },
            ScriptSpec::Html200 => Self::Html200,
            ScriptSpec::Garbage => Self::Garbage,
            ScriptSpec::Delay { ms } => Self::Delay(Duration::from_millis(ms)),
            ScriptSpec::Hang => Self::Hang,
            ScriptSpec::RawJson { status, body } => Self::RawJson(status, body),
        }
    }
}
