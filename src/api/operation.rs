//! The long operation a request started, found in its answer: LCS's `OperationActivityId` turned
//! into its `fetchstatus` URL, or the `Location` of a Power Platform 202.

use reqwest::Url;
use serde_json::Value;

use super::request::ApiRequest;
use super::target::Service;

/// An operation to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub service: Service,
    /// The status URL polled with GET.
    pub status_url: String,
}

/// The operation a request started (or reads), from its answer.
pub fn operation_after(req: &ApiRequest, status: u16, location: Option<&str>, body: &[u8]) -> Option<Operation> {
    if req.is_status_read() {
        return Some(Operation {
            service: req.service,
            status_url: req.url.clone(),
        });
    }
    match req.service {
        Service::Lcs => {
            let op = req.lcs_operation()?;
            let value: Value = serde_json::from_slice(body).ok()?;
            let id = value.get("OperationActivityId")?.as_str()?;
            if value.get("IsSuccess") == Some(&Value::Bool(false))
                || id.is_empty()
                || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                return None;
            }
            let mut url = Url::parse(&req.url).ok()?;
            url.set_query(None);
            url.set_path(&format!(
                "/databasemovement/v1/fetchstatus/project/{}/environment/{}/operationactivity/{id}",
                op.project, op.environment
            ));
            Some(Operation {
                service: Service::Lcs,
                status_url: url.to_string(),
            })
        }
        Service::PowerPlatform => {
            if status != 202 {
                return None;
            }
            let base = Url::parse(&req.url).ok()?;
            let url = base.join(location?.trim()).ok()?;
            Some(Operation {
                service: Service::PowerPlatform,
                status_url: url.to_string(),
            })
        }
    }
}
