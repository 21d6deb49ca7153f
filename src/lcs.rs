//! The LCS API client for the probe: one read-only call that says whether a token works there.
//!
//! `GET {api_host}/environmentinfo/v1/detail/project/{id}/?page=1` is small, read-only and
//! checks both the token and the project membership. LCS allows six such calls per project per
//! minute, so probes of one project are at least [`COOLDOWN`] apart. How a verdict reads, for
//! both fronts, is in [`explain`].

use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;
use serde::Deserialize;

use crate::atomic_file::write_private;
use crate::entra::user_agent;
use crate::paths::ConfigDir;
use crate::profile::ProjectId;
use crate::secret::Secret;

pub mod explain;

/// The shortest time between two probes of one project.
pub const COOLDOWN: Duration = Duration::from_secs(10);

/// What one probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The token works: LCS listed the project's environments.
    Works {
        environments: Vec<EnvironmentSummary>,
        more_pages: bool,
    },
    /// 401: the token is missing, expired, or for another audience (region).
    TokenRejected,
    /// The token works but the user is not a member of the project (or lacks the role).
    NotMember { message: String },
    /// 429: wait before the next call.
    Throttled { retry_after: Option<Duration> },
    /// LCS answered `IsSuccess: false`.
    Refused {
        message: String,
        activity_id: Option<String>,
    },
    /// Anything else: status and a short description (never the body: it may hold SAS URLs).
    Unexpected { status: u16, detail: String },
}

impl Verdict {
    /// The verdict's name in `lcsauth probe --json`.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Works { .. } => "works",
            Self::TokenRejected => "token_rejected",
            Self::NotMember { .. } => "not_member",
            Self::Throttled { .. } => "throttled",
            Self::Refused { .. } => "refused",
            Self::Unexpected { .. } => "unexpected",
        }
    }
}

/// The non-secret facts about an environment shown by the probe.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EnvironmentSummary {
    #[serde(default)]
    pub environment_name: Option<String>,
    #[serde(default)]
    pub environment_type: Option<String>,
    #[serde(default)]
    pub deployment_status_display: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope {
    #[serde(default)]
    is_success: Option<bool>,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    operation_activity_id: Option<String>,
    #[serde(default)]
    data: Option<Vec<EnvironmentSummary>>,
    #[serde(default)]
    result_has_more_pages: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("project {project} was probed {ago}s ago; LCS allows six calls a minute: wait {wait}s")]
    Cooldown { project: String, ago: u64, wait: u64 },
    #[error("cannot reach {url}: {reason}")]
    Network { url: String, reason: String },
}

/// The probe URL for a project.
pub fn probe_url(api_host: &str, project_id: &str) -> String {
    format!(
        "{}/environmentinfo/v1/detail/project/{project_id}/?page=1",
        api_host.trim_end_matches('/')
    )
}

/// The token a probe sends must outlive the call by far: `lcsauth probe` and the board's `p`.
pub const PROBE_MIN_VALID: Duration = Duration::from_secs(60);

/// The cooldown of a project's probe, shared by every lcsauth on this config: its stamp file in
/// the state directory, claimed with [`claim_slot`].
pub fn claim_probe_slot(dir: &ConfigDir, project: &ProjectId, now: Timestamp) -> Result<(), ProbeError> {
    let stamp = dir.state_dir().join(format!("probe-{}.stamp", project.as_str()));
    claim_slot(&stamp, project.as_str(), now)
}

/// Refuses a probe of the same project within [`COOLDOWN`]; records this one otherwise.
pub fn claim_slot(stamp_file: &Path, project: &str, now: Timestamp) -> Result<(), ProbeError> {
    if let Some(last) = std::fs::read_to_string(stamp_file)
        .ok()
        .and_then(|t| t.trim().parse::<Timestamp>().ok())
    {
        let ago = now.duration_since(last);
        if !ago.is_negative() && ago.unsigned_abs() < COOLDOWN {
            let ago = ago.unsigned_abs().as_secs();
            return Err(ProbeError::Cooldown {
                project: project.to_string(),
                ago,
                wait: COOLDOWN.as_secs() - ago,
            });
        }
    }
    let _ = write_private(stamp_file, now.to_string().as_bytes());
    Ok(())
}

/// Makes the call and interprets the answer.
pub async fn probe(api_host: &str, project_id: &str, token: &Secret, timeout: Duration) -> Result<Verdict, ProbeError> {
    let url = probe_url(api_host, project_id);
    let http = reqwest::Client::builder()
        .user_agent(user_agent())
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ProbeError::Network {
            url: url.clone(),
            reason: e.to_string(),
        })?;
    let response = http
        .get(&url)
        .bearer_auth(token.expose())
        .header("x-ms-version", "2017-09-15")
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ProbeError::Network {
            url: url.clone(),
            reason: crate::entra::error::innermost_cause(&e),
        })?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    // At most 1 MiB: a probe answer is a page of environments, and a hostile or broken host
    // must not make lcsauth hold gigabytes.
    let mut response = response;
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        if body.len() + chunk.len() > MAX_PROBE_BODY {
            return Ok(Verdict::Unexpected {
                status,
                detail: "the answer is larger than 1 MiB".into(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(interpret(status, retry_after, &body))
}

/// The largest probe answer read.
pub const MAX_PROBE_BODY: usize = 1024 * 1024;

/// Reads an LCS answer. Every answer is HTTP 200 with an envelope unless authentication failed.
pub fn interpret(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Verdict {
    match status {
        401 => return Verdict::TokenRejected,
        403 => {
            return Verdict::NotMember {
                message: "LCS answered 403 Forbidden".into(),
            };
        }
        429 => return Verdict::Throttled { retry_after },
        200 => {}
        _ => {
            return Verdict::Unexpected {
                status,
                detail: format!("HTTP {status}"),
            };
        }
    }
    let Ok(env) = serde_json::from_slice::<Envelope>(body) else {
        return Verdict::Unexpected {
            status,
            detail: "the answer is not the LCS JSON envelope".into(),
        };
    };
    if env.is_success == Some(true) {
        return Verdict::Works {
            environments: env.data.unwrap_or_default(),
            more_pages: env.result_has_more_pages.unwrap_or(false),
        };
    }
    let message = env.error_message.unwrap_or_else(|| "no ErrorMessage given".into());
    let lower = message.to_ascii_lowercase();
    if lower.contains("not authorized") || lower.contains("not a member") || lower.contains("access denied") {
        Verdict::NotMember { message }
    } else {
        Verdict::Refused {
            message,
            activity_id: env.operation_activity_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_envelope_lists_environments() {
        let v = interpret(
            200,
            None,
            br#"{"Data":[{"EnvironmentName":"contoso-uat","EnvironmentType":"Sandbox"}],"ResultHasMorePages":true,"IsSuccess":true}"#,
        );
        let Verdict::Works {
            environments,
            more_pages,
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!(environments[0].environment_name.as_deref(), Some("contoso-uat"));
        assert!(more_pages);
    }

    #[test]
    fn is_success_false_is_not_a_transport_error() {
        let v = interpret(
            200,
            None,
            br#"{"IsSuccess":false,"ErrorMessage":"Maximum allowed API operations are 3","OperationActivityId":"x"}"#,
        );
        assert!(matches!(v, Verdict::Refused { .. }));
        let v = interpret(
            200,
            None,
            br#"{"IsSuccess":false,"ErrorMessage":"User is not authorized to access project 42"}"#,
        );
        assert!(matches!(v, Verdict::NotMember { .. }));
    }

    #[test]
    fn status_codes_map_to_verdicts() {
        assert_eq!(interpret(401, None, b""), Verdict::TokenRejected);
        assert_eq!(
            interpret(429, Some(Duration::from_secs(7)), b""),
            Verdict::Throttled {
                retry_after: Some(Duration::from_secs(7))
            }
        );
        assert!(matches!(interpret(200, None, b"<html>"), Verdict::Unexpected { .. }));
    }

    #[test]
    fn a_second_probe_within_the_cooldown_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let stamp = dir.path().join("p.stamp");
        let t0 = Timestamp::from_second(1_000_000).unwrap();
        claim_slot(&stamp, "1", t0).unwrap();
        let err = claim_slot(&stamp, "1", Timestamp::from_second(1_000_004).unwrap()).unwrap_err();
        assert!(err.to_string().contains("wait 6s"), "{err}");
        claim_slot(&stamp, "1", Timestamp::from_second(1_000_011).unwrap()).unwrap();
    }
}
