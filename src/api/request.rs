//! One request: the URL from a path (placeholders filled from the profile) or from a full URL on
//! an allowed host, LCS's version header, `-f` fields, and whether it changes something.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use reqwest::Url;

use super::target::{Service, Target};
use super::{LCS_API_VERSION, visible_line};

/// The Power Platform API version used when a path names none.
pub const POWER_PLATFORM_API_VERSION: &str = "2022-03-01-preview";

/// The HTTP methods a call may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Head => "HEAD",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// GET and HEAD read; the others may change something.
    pub fn reads(self) -> bool {
        matches!(self, Self::Get | Self::Head)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_uppercase().as_str() {
            "GET" => Self::Get,
            "HEAD" => Self::Head,
            "POST" => Self::Post,
            "PUT" => Self::Put,
            "PATCH" => Self::Patch,
            "DELETE" => Self::Delete,
            _ => {
                return Err(format!(
                    "unknown method {s:?}: use GET, HEAD, POST, PUT, PATCH or DELETE"
                ));
            }
        })
    }
}

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

/// The LCS operations that count towards the 3 per environment per 24 h.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LcsOperation {
    /// `refresh` or `export`.
    pub kind: &'static str,
    pub project: String,
    /// The environment the operation runs on (a refresh's target).
    pub environment: String,
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
    let base = Url::parse(&target.base).ok();
    let same = base.as_ref().is_some_and(|b| {
        b.scheme() == url.scheme()
            && b.host_str().map(str::to_ascii_lowercase) == url.host_str().map(str::to_ascii_lowercase)
            && b.port_or_known_default() == url.port_or_known_default()
    });
    if same && url.username().is_empty() && url.password().is_none() {
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

impl ApiRequest {
    /// The URL's path, lowercased.
    fn path(&self) -> String {
        Url::parse(&self.url)
            .map(|u| u.path().to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// Changes something on LCS's Database Movement, environment or Power Platform
    /// environment-management paths: asks first.
    pub fn needs_confirmation(&self) -> bool {
        let path = self.path();
        !self.method.reads()
            && ["/databasemovement/", "/environment/", "/environmentmanagement/"]
                .iter()
                .any(|p| path.starts_with(p))
    }

    /// A refresh or export: one of the 3 per environment per 24 h.
    pub fn lcs_operation(&self) -> Option<LcsOperation> {
        if self.service != Service::Lcs || self.method != Method::Post {
            return None;
        }
        let url = Url::parse(&self.url).ok()?;
        let seg: Vec<&str> = url.path_segments()?.collect();
        match seg.as_slice() {
            [d, "v1", k, "project", p, "source", _, "target", t]
                if d.eq_ignore_ascii_case("databasemovement") && k.eq_ignore_ascii_case("refresh") =>
            {
                Some(LcsOperation {
                    kind: "refresh",
                    project: (*p).to_string(),
                    environment: (*t).to_string(),
                })
            }
            [d, "v1", k, "project", p, "environment", e, "backupName", _]
                if d.eq_ignore_ascii_case("databasemovement") && k.eq_ignore_ascii_case("export") =>
            {
                Some(LcsOperation {
                    kind: "export",
                    project: (*p).to_string(),
                    environment: (*e).to_string(),
                })
            }
            _ => None,
        }
    }

    /// When the request itself reads an operation's status (`…/fetchstatus/…` on LCS, an
    /// operation URL on Power Platform): waiting polls it again.
    pub fn is_status_read(&self) -> bool {
        let path = self.path();
        self.method == Method::Get
            && (path.starts_with("/databasemovement/v1/fetchstatus/")
                || path.starts_with("/environmentmanagement/operations/")
                || path.contains("/operations/"))
    }

    /// The request as `--dry-run` prints it: no token.
    pub fn render(&self) -> String {
        let mut text = format!("{} {}\n", self.method, self.url);
        for (name, value) in &self.headers {
            let _ = writeln!(text, "{name}: {value}");
        }
        text.push_str("Authorization: Bearer <a fresh token, not shown>\n");
        if let Some(body) = &self.body {
            text.push('\n');
            text.push_str(&String::from_utf8_lossy(body));
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcs() -> Target {
        Target {
            service: Service::Lcs,
            base: "https://lcsapi.lcs.dynamics.com".into(),
            audience: crate::audience::Audience::Lcs,
        }
    }

    fn values() -> Placeholders {
        Placeholders {
            profile: "prod".into(),
            project_id: Some("1234567".into()),
            environment_id: None,
        }
    }

    #[test]
    fn placeholders_come_from_the_profile_and_lcs_gets_its_version_header() {
        let r = build(
            &lcs(),
            Method::Get,
            "/databasemovement/v1/databases/project/{projectId}",
            &[],
            None,
            &values(),
        )
        .unwrap();
        assert_eq!(
            r.url,
            "https://lcsapi.lcs.dynamics.com/databasemovement/v1/databases/project/1234567"
        );
        assert!(r.headers.contains(&("x-ms-version", "2017-09-15".into())));
        let err = build(&lcs(), Method::Get, "/x/{environmentId}", &[], None, &values()).unwrap_err();
        assert!(
            err.to_string().contains("lcsauth profile edit prod --environment-id"),
            "{err}"
        );
        assert!(matches!(
            build(&lcs(), Method::Get, "/x/{who}", &[], None, &values()),
            Err(RequestError::UnknownPlaceholder(_))
        ));
    }

    #[test]
    fn a_full_url_must_be_on_the_profiles_own_host() {
        let ok = build(
            &lcs(),
            Method::Get,
            "https://lcsapi.lcs.dynamics.com/a",
            &[],
            None,
            &values(),
        );
        assert!(ok.is_ok());
        for foreign in [
            "https://evil.example/a",
            "https://lcsapi.lcs.dynamics.com.evil.example/a",
            "http://lcsapi.lcs.dynamics.com/a",
            "https://lcsapi.lcs.dynamics.com:8443/a",
            "https://user@lcsapi.lcs.dynamics.com/a",
            "https://lcsapi.eu.lcs.dynamics.com/a",
        ] {
            let err = build(&lcs(), Method::Get, foreign, &[], None, &values()).unwrap_err();
            assert!(matches!(err, RequestError::ForeignHost { .. }), "{foreign}: {err}");
        }
    }

    #[test]
    fn fields_are_a_query_for_reads_and_a_json_body_otherwise() {
        let r = build(&lcs(), Method::Get, "/e", &["page=2".into()], None, &values()).unwrap();
        assert!(r.url.ends_with("/e?page=2"));
        let r = build(&lcs(), Method::Post, "/e", &["a=b c".into()], None, &values()).unwrap();
        assert_eq!(r.body.as_deref(), Some(br#"{"a":"b c"}"#.as_slice()));
        assert_eq!(
            build(
                &lcs(),
                Method::Post,
                "/e",
                &["a=b".into()],
                Some(b"{}".to_vec()),
                &values()
            ),
            Err(RequestError::TwoBodies)
        );
    }

    #[test]
    fn db_movement_and_environment_management_mutations_need_confirmation() {
        let post = |p: &str| build(&lcs(), Method::Post, p, &[], None, &values()).unwrap();
        let r = post("/databasemovement/v1/refresh/project/1/source/a/target/b");
        assert!(r.needs_confirmation());
        assert_eq!(r.lcs_operation().unwrap().environment, "b");
        let e = post("/databasemovement/v1/export/project/1/environment/e1/backupName/nightly");
        assert_eq!(e.lcs_operation().unwrap().kind, "export");
        let get = build(
            &lcs(),
            Method::Get,
            "/databasemovement/v1/databases/project/1",
            &[],
            None,
            &values(),
        )
        .unwrap();
        assert!(!get.needs_confirmation());
        let pp = Target {
            service: Service::PowerPlatform,
            base: "https://api.powerplatform.com".into(),
            audience: crate::audience::Audience::Lcs,
        };
        let copy = build(
            &pp,
            Method::Post,
            "/environmentmanagement/environments/t/copy",
            &[],
            None,
            &values(),
        )
        .unwrap();
        assert!(copy.needs_confirmation());
        assert!(copy.url.ends_with("?api-version=2022-03-01-preview"));
        assert!(!copy.headers.iter().any(|(n, _)| *n == "x-ms-version"));
    }

    #[test]
    fn the_dry_run_rendering_never_holds_a_token() {
        let r = build(
            &lcs(),
            Method::Post,
            "/databasemovement/v1/refresh/project/1/source/a/target/b",
            &[],
            None,
            &values(),
        )
        .unwrap();
        let text = r.render();
        assert!(text.starts_with("POST https://lcsapi.lcs.dynamics.com/databasemovement/"));
        assert!(text.contains("Authorization: Bearer <a fresh token, not shown>"));
    }
}
