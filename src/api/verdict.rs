//! Reading an answer: LCS's envelope, the status codes that mean "wrong token" or "no role",
//! throttling, and the state of a long operation.

use std::time::Duration;

use serde_json::Value;

use super::target::Service;
use super::visible::visible_line;

/// The largest answer body read, in bytes: a backup list of thousands of entries fits.
pub const BODY_LIMIT: usize = 16 << 20;

/// What an answer means for the exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// 2xx, and for LCS `IsSuccess` is not false.
    Ok,
    /// LCS answered 200 with `IsSuccess: false`.
    Refused {
        message: String,
        activity_id: Option<String>,
    },
    /// 401: an explanation of which token was wrong.
    Unauthorized(String),
    /// 403: the token is right but the user or app lacks a role.
    Forbidden(String),
    /// 429, with the wait the server asked for.
    Throttled(Option<Duration>),
    /// Any other non-2xx status.
    Status(u16),
}

/// `Retry-After` in seconds (an HTTP date is not used by these APIs and is ignored).
pub fn retry_after(value: Option<&str>) -> Option<Duration> {
    value?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Reads an answer of `service`.
pub fn judge(service: Service, status: u16, retry: Option<Duration>, body: &[u8]) -> Verdict {
    match status {
        401 => return Verdict::Unauthorized(unauthorized(service)),
        403 => return Verdict::Forbidden(forbidden(service)),
        429 => return Verdict::Throttled(retry),
        200..=299 => {}
        other => return Verdict::Status(other),
    }
    if service == Service::Lcs
        && let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body)
        && map.get("IsSuccess") == Some(&Value::Bool(false))
    {
        let message = map
            .get("ErrorMessage")
            .and_then(Value::as_str)
            .map_or_else(|| "no ErrorMessage given".to_string(), visible_line);
        let activity_id = map.get("OperationActivityId").and_then(Value::as_str).map(visible_line);
        return Verdict::Refused { message, activity_id };
    }
    Verdict::Ok
}

fn unauthorized(service: Service) -> String {
    match service {
        Service::Lcs => "401 Unauthorized: LCS did not accept the token. It is expired, or for another audience \
                         (an LCS region other than this host's, or a Power Platform token): check the profile's \
                         region and scope"
            .into(),
        Service::PowerPlatform => "401 Unauthorized: the Power Platform API did not accept the token: it is for \
                                   another audience (the profile's scope must be the Power Platform API of its \
                                   cloud, e.g. https://api.powerplatform.com/.default) or it is expired"
            .into(),
    }
}

fn forbidden(service: Service) -> String {
    match service {
        Service::Lcs => "403 Forbidden: the token is valid but LCS refuses the user: add them to the LCS project as \
                         Project owner or Environment admin; they must accept the invitation and open the project \
                         once"
            .into(),
        Service::PowerPlatform => "403 Forbidden: the token is valid but the caller lacks a Power Platform role: a \
                                   user needs Power Platform administrator (or environment admin on both \
                                   environments); a service principal must be registered as a management \
                                   application with the Power Platform Contributor role at tenant scope"
            .into(),
    }
}

/// Where a long operation stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpState {
    Running(String),
    Succeeded(String),
    Failed(String),
}

impl OpState {
    pub fn label(&self) -> &str {
        match self {
            Self::Running(s) | Self::Succeeded(s) | Self::Failed(s) => s,
        }
    }
}

/// The state in a status answer: LCS's `OperationStatus`, or Power Platform's `state` (a
/// string or `{"id": …}`); `None` when the body names none.
pub fn op_state(service: Service, status: u16, body: &[u8]) -> Option<OpState> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let text = match service {
        Service::Lcs => {
            if value.get("IsSuccess") == Some(&Value::Bool(false)) {
                return Some(OpState::Failed("IsSuccess: false".into()));
            }
            value.get("OperationStatus")?.as_str()?.to_string()
        }
        Service::PowerPlatform => match value.get("state").or_else(|| value.get("status"))? {
            Value::String(s) => s.clone(),
            Value::Object(o) => o.get("id").and_then(Value::as_str)?.to_string(),
            _ => return None,
        },
    };
    let text = visible_line(&text);
    let lower = text.to_ascii_lowercase();
    Some(match lower.as_str() {
        "completed" | "signedoff" | "succeeded" | "success" => OpState::Succeeded(text),
        "failed" | "aborted" | "rollbackfailed" | "rollbackcompleted" | "canceled" | "cancelled" => {
            OpState::Failed(text)
        }
        _ if status == 200 || status == 202 => OpState::Running(text),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_success_false_is_a_refusal_with_its_message_made_visible() {
        let v = judge(
            Service::Lcs,
            200,
            None,
            br#"{"IsSuccess":false,"ErrorMessage":"Limit\u001b[31m reached","OperationActivityId":"a1"}"#,
        );
        assert_eq!(
            v,
            Verdict::Refused {
                message: "Limit\\e[31m reached".into(),
                activity_id: Some("a1".into())
            }
        );
        assert_eq!(judge(Service::Lcs, 200, None, br#"{"IsSuccess":true}"#), Verdict::Ok);
        assert_eq!(
            judge(Service::PowerPlatform, 200, None, br#"{"IsSuccess":false}"#),
            Verdict::Ok
        );
    }

    #[test]
    fn status_codes_are_explained_per_service() {
        assert!(
            matches!(judge(Service::PowerPlatform, 403, None, b""), Verdict::Forbidden(m) if m.contains("Power Platform Contributor"))
        );
        assert!(matches!(judge(Service::Lcs, 403, None, b""), Verdict::Forbidden(m) if m.contains("Project owner")));
        assert!(
            matches!(judge(Service::Lcs, 401, None, b""), Verdict::Unauthorized(m) if m.contains("another audience"))
        );
        assert_eq!(
            judge(Service::Lcs, 429, retry_after(Some("7")), b""),
            Verdict::Throttled(Some(Duration::from_secs(7)))
        );
        assert_eq!(judge(Service::Lcs, 500, None, b""), Verdict::Status(500));
    }

    #[test]
    fn operation_states_of_both_apis() {
        let lcs = |s: &str| {
            op_state(
                Service::Lcs,
                200,
                format!(r#"{{"IsSuccess":true,"OperationStatus":"{s}"}}"#).as_bytes(),
            )
        };
        assert_eq!(lcs("InProgress"), Some(OpState::Running("InProgress".into())));
        assert_eq!(lcs("Completed"), Some(OpState::Succeeded("Completed".into())));
        assert_eq!(
            lcs("RollbackCompleted"),
            Some(OpState::Failed("RollbackCompleted".into()))
        );
        assert_eq!(
            op_state(Service::PowerPlatform, 200, br#"{"state":{"id":"Succeeded"}}"#),
            Some(OpState::Succeeded("Succeeded".into()))
        );
        assert_eq!(
            op_state(Service::PowerPlatform, 202, br#"{"state":"Running"}"#),
            Some(OpState::Running("Running".into()))
        );
        assert_eq!(op_state(Service::Lcs, 200, b"<html>"), None);
    }
}
