//! One LCS API endpoint, enough for a probe:
//! `GET /environmentinfo/v1/detail/project/{projectId}/?page=1`, which checks
//! the bearer token and answers LCS's paged result envelope.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{AUTHORIZATION, HeaderValue, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, Response};
use serde::Serialize;

use super::jwt;
use super::script::{Preflight, preflight};
use super::scripted::Endpoint;
use super::state::Shared;
use super::wire::{self, Fields};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Link {
    display_name: &'static str,
    navigation_uri: String,
    navigation_uri_type: &'static str,
}

/// One environment, field for field as LCS names them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(clippy::struct_field_names, clippy::struct_excessive_bools)]
struct Environment {
    environment_id: String,
    environment_name: String,
    project_id: u64,
    environment_infrastructure: &'static str,
    environment_type: &'static str,
    environment_group: &'static str,
    environment_product: &'static str,
    environment_endpoint_base_url: String,
    deployment_state: &'static str,
    topology_display_name: &'static str,
    current_application_build_version: &'static str,
    current_application_release_name: &'static str,
    current_platform_release_name: &'static str,
    current_platform_version: &'static str,
    deployed_on: &'static str,
    created_on: &'static str,
    created_by_user_alias: &'static str,
    deployment_status_display: &'static str,
    can_start: bool,
    can_stop: bool,
    can_deploy: bool,
    can_delete: bool,
    is_disaster_recovery_enabled: bool,
    disaster_recovery_location: Option<String>,
    navigation_links: Vec<Link>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope {
    result_page_current: u32,
    result_has_more_pages: bool,
    data: Option<Vec<Environment>>,
    is_success: bool,
    operation_activity_id: String,
    error_message: Option<String>,
    #[serde(rename = "VersionEOL")]
    version_eol: &'static str,
}

/// The environments of a member project: a sandbox and production.
fn environments(project_id: u64) -> Vec<Environment> {
    [
        ("UAT", "Sandbox", "Sandbox", "sandbox."),
        ("PROD", "Production", "Production", ""),
    ]
    .into_iter()
    .enumerate()
    .map(|(n, (suffix, kind, group, host_part))| {
        let id = jwt::stable_guid(&format!("lcs-env:{project_id}:{n}"))
            .simple()
            .to_string();
        let name = format!("contoso-{}", suffix.to_ascii_lowercase());
        Environment {
            navigation_links: vec![Link {
                display_name: "Environment details",
                navigation_uri: format!(
                    "https://lcs.dynamics.com/v2/EnvironmentDetailsV3New/{project_id}?EnvironmentId={id}"
                ),
                navigation_uri_type: "LCS",
            }],
            environment_id: id,
            environment_endpoint_base_url: format!("https://{name}.{host_part}operations.dynamics.com/"),
            environment_name: name,
            project_id,
            environment_infrastructure: "MicrosoftManaged",
            environment_type: kind,
            environment_group: group,
            environment_product: "Finance and Operations",
            deployment_state: "Finished",
            topology_display_name: if n == 0 {
                "Finance and Operations - Standard Acceptance Test"
            } else {
                "Finance and Operations - Production"
            },
            current_application_build_version: "10.0.2095.45",
            current_application_release_name: "10.0.43",
            current_platform_release_name: "Update67",
            current_platform_version: "7.0.7521.67",
            deployed_on: "2026-03-14T09:12:44.817Z",
            created_on: "2024-05-02T14:03:11.203Z",
            created_by_user_alias: "ops@contoso.onmicrosoft.com",
            deployment_status_display: "Deployed",
            can_start: false,
            can_stop: n == 0,
            can_deploy: false,
            can_delete: false,
            is_disaster_recovery_enabled: n == 1,
            disaster_recovery_location: (n == 1).then(|| "West Europe".to_owned()),
        }
    })
    .collect()
}

pub(super) fn unauthorized() -> Response<Body> {
    let mut response = wire::raw(401, "", "");
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// The token after `Bearer ` in the Authorization header.
pub(super) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Whether this simulator issued `token`, it has not expired and its
/// audience is the configured one.
fn accepted(shared: &Shared, token: &str) -> bool {
    let now = jiff::Timestamp::now().as_second();
    shared.lock().access.get(token).is_some_and(|info| {
        info.exp > now
            && shared
                .config
                .lcs_audience
                .as_deref()
                .is_none_or(|aud| aud.eq_ignore_ascii_case(&info.aud))
    })
}

/// `GET /environmentinfo/v1/detail/project/{projectId}/`.
pub async fn environment_detail(
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response<Body> {
    let correlation = wire::correlation_id(&headers);
    match preflight(&shared, Endpoint::Lcs).await {
        Preflight::Continue => {}
        Preflight::Respond(response) => return response,
        Preflight::Aadsts(err) => return wire::error_response(&err, &correlation),
    }
    if !bearer(&headers).is_some_and(|token| accepted(&shared, token)) {
        return unauthorized();
    }
    let Ok(project_id) = project.parse::<u64>() else {
        return wire::raw(404, "", "");
    };
    let page = Fields::parse(query.unwrap_or_default().as_bytes())
        .get("page")
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1);
    let member = shared.config.lcs_member_projects.contains(&project_id);
    let envelope = Envelope {
        result_page_current: page,
        result_has_more_pages: false,
        data: member.then(|| {
            if page == 1 {
                environments(project_id)
            } else {
                Vec::new()
            }
        }),
        is_success: member,
        operation_activity_id: wire::new_guid(),
        error_message: (!member).then(|| format!("User is not authorized to access project {project_id}")),
        version_eol: "9999-12-31T23:59:59.9999999",
    };
    let body = serde_json::to_string(&envelope).unwrap_or_default();
    wire::raw(200, wire::JSON, body)
}
