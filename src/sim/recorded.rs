//! One request as the simulator saw it: what `record` stores and tests read back.

use std::time::SystemTime;

use serde::Serialize;

/// One request as the simulator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedRequest {
    /// Server-side arrival time.
    #[serde(serialize_with = "unix_seconds")]
    pub at: SystemTime,
    pub method: String,
    pub path: String,
    /// The first path segment of `/{tenant}/oauth2/…` requests.
    pub tenant: Option<String>,
    /// Form fields in arrival order, decoded (empty unless the body is a form).
    pub form: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub user_agent: Option<String>,
    pub client_request_id: Option<String>,
    pub x_ms_version: Option<String>,
    pub has_authorization: bool,
    /// The status answered; 0 while the request is still being held.
    pub status: u16,
}

impl RecordedRequest {
    /// The first form field named `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Whether this is a POST to the token endpoint.
    pub fn is_token(&self) -> bool {
        self.method == "POST" && self.path.ends_with("/oauth2/v2.0/token")
    }
}

fn unix_seconds<S: serde::Serializer>(at: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
    let seconds = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    s.serialize_f64(seconds)
}
