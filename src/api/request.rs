//! One request: the URL from a path (placeholders filled from the profile) or from a full URL on
//! an allowed host, LCS's version header and `-f` fields.

use reqwest::Url;

pub use super::method::{Method, UnknownMethod};
use super::target::{Service, Target};
use super::visible::visible_line;

/// The LCS API version every LCS call names.
pub const LCS_API_VERSION: &str = "2017-09-15";

/// The Power Platform API version used when a path names none.
pub const POWER_PLATFORM_API_VERSION: &str = "2022-03-01-preview";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error(
        "refusing to send the token to {host}: it is not the {service} host of this profile ({allowed}); \
         a token goes only to the API it was issued for"
    )]
    ForeignHost {
        host: String,
        service: Service,
        allowed: String,
    },
    #[error("{0}")]
    BadPath(String),
    #[error("the path uses {{{name}}} but the profile has no {key}: {fix}")]
    MissingValue {
        name: &'static str,
        key: &'static str,
        fix: String,
    },
    #[error("unknown placeholder {{{0}}}: only {{projectId}} and {{environmentId}} are filled in")]
    UnknownPlaceholder(String),
    #[error("-f fields and --input both give a body: use one")]
    TwoBodies,
    #[error("-f {0:?} is not key=value")]
    BadField(String),
}

/// What the profile fills into placeholders.
#[derive(Clone, Debug, Default)]
pub struct Placeholders {
    pub profile: String,
    pub project_id: Option<String>,
    pub environment_id: Option<String>,
}

/// A request ready to send (the token is added by the sender, per request).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRequest {
    pub service: Service,
    pub method: Method,
    pub url: String,
    /// Name and value, without Authorization.
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
}

/// Builds a request for `path_or_url` against `target`.
pub fn build(
    target: &Target,
    method: Method,
    path_or_url: &str,
    fields: &[String],
    body: Option<Vec<u8>>,
    values: &Placeholders,
) -> Result<ApiRequest, RequestError> {
    if path_or_url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(RequestError::BadPath(format!(
            "the path {:?} holds spaces or control characters",
            visible_line(path_or_url)
        )));
    }
    let filled = fill(path_or_url, values)?;
    let mut url = if filled.starts_with("https://") || filled.starts_with("http://") {
        let url = Url::parse(&filled).map_err(|e| RequestError::BadPath(format!("{filled:?} is not a URL: {e}")))?;
        check_host(target, &url)?;
        url
    } else if filled.starts_with('/') {
        Url::parse(&format!("{}{filled}", target.base))
            .map_err(|e| RequestError::BadPath(format!("{filled:?} does not make a URL: {e}")))?
    } else {
        return Err(RequestError::BadPath(format!(
            "{filled:?} is neither a path starting with / nor an https:// URL"
        )));
    };
    let pairs = fields
        .iter()
        .map(|f| f.split_once('=').ok_or_else(|| RequestError::BadField(f.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    let mut body = body;
    if method.reads() {
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(pairs.iter().copied());
        }
    } else if !pairs.is_empty() {
        if body.is_some() {
            return Err(RequestError::TwoBodies);
        }
        let object: serde_json::Map<String, serde_json::Value> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), serde_json::Value::String((*v).to_string())))
            .collect();
        body = Some(serde_json::to_vec(&object).unwrap_or_default());
    }
    if target.service == Service::PowerPlatform && !url.query_pairs().any(|(k, _)| k == "api-version") {
        url.query_pairs_mut()
            .append_pair("api-version", POWER_PLATFORM_API_VERSION);
    }
    let mut headers = vec![("Accept", "application/json".to_string())];
    if target.service == Service::Lcs {
        headers.push(("x-ms-version", LCS_API_VERSION.to_string()));
    }
    if body.is_some() {
        headers.push(("Content-Type", "application/json".to_string()));
    }
    Ok(ApiRequest {
        service: target.service,
        method,
        url: url.to_string(),
        headers,
        body,
    })
}

/// A full URL is accepted only on the target's own scheme, host and port.
pub fn check_host(target: &Target, url: &Url) -> Result<(), RequestError> {
    if target.serves(url) {
        Ok(())
    } else {
        Err(RequestError::ForeignHost {
            host: visible_line(&format!(
                "{}://{}{}",
                url.scheme(),
                url.host_str().unwrap_or("?"),
                url.port().map(|p| format!(":{p}")).unwrap_or_default()
            )),
            service: target.service,
            allowed: target.base.clone(),
        })
    }
}

fn fill(text: &str, values: &Placeholders) -> Result<String, RequestError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return Ok(out);
        };
        let name = &after[..close];
        let value = match name {
            "projectId" => values.project_id.as_deref().ok_or_else(|| RequestError::MissingValue {
                name: "projectId",
                key: "project_id",
                fix: format!("lcsauth profile edit {} --project-id ID", values.profile),
            })?,
            "environmentId" => values
                .environment_id
                .as_deref()
                .ok_or_else(|| RequestError::MissingValue {
                    name: "environmentId",
                    key: "environment_id",
                    fix: format!("lcsauth profile edit {} --environment-id ID", values.profile),
                })?,
            other => return Err(RequestError::UnknownPlaceholder(visible_line(other))),
        };
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
