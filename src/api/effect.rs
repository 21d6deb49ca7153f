//! What a built request does: whether it changes something (and so asks first), which LCS
//! operation it starts, whether it reads an operation's status, and how `--dry-run` shows it.

use std::fmt::Write as _;

use reqwest::Url;

use super::method::Method;
use super::request::ApiRequest;
use super::target::Service;

/// The LCS operations that count towards the 3 per environment per 24 h.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LcsOperation {
    /// `refresh` or `export`.
    pub kind: &'static str,
    pub project: String,
    /// The environment the operation runs on (a refresh's target).
    pub environment: String,
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
