//! The LCS Database Movement API (list backups, refresh, export, fetchstatus, with the limit of
//! operations per environment per 24 h) and the Power Platform environment copy (202 +
//! `Location`, a pollable operation). Every request's bearer token is checked and recorded, so a
//! test can prove that each poll of a long operation carried a valid token.
//!
//! The wording of the limit's `ErrorMessage` is the simulator's own: LCS's exact text is not
//! published. LCS answers 429 with `Retry-After` (scripted through [`Endpoint::Lcs`]).

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::header::{HeaderValue, LOCATION, RETRY_AFTER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Response, Uri};
use serde_json::json;

use super::jwt;
use super::lcs::{bearer, unauthorized};
use super::script::{Preflight, preflight};
use super::scripted::Endpoint;
use super::state::{ApiAuth, Inner, Shared, SimOperation};
use super::wire;

const VERSION_EOL: &str = "9999-12-31T23:59:59.9999999";
const DAY: Duration = Duration::from_secs(24 * 3600);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    Lcs,
    PowerPlatform,
}

/// A request admitted by [`admit`]: to the Power Platform API when `PP`, else to LCS. As a
/// handler's first argument it answers for the handler when the token is not right.
pub struct Admitted<const PP: bool>;

/// A request to the LCS API with a valid LCS token.
pub type LcsCall = Admitted<false>;
/// A request to the Power Platform API with a valid Power Platform token.
pub type PowerPlatformCall = Admitted<true>;

impl<const PP: bool> FromRequestParts<Arc<Shared>> for Admitted<PP> {
    type Rejection = Response<Body>;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Self::Rejection> {
        let api = if PP { Api::PowerPlatform } else { Api::Lcs };
        admit(shared, api, &parts.method, &parts.uri, &parts.headers).await?;
        Ok(Self)
    }
}

/// Runs the scripted answers and the token check; records how the request was authenticated.
async fn admit(
    shared: &Shared,
    api: Api,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<(), Response<Body>> {
    if api == Api::Lcs {
        match preflight(shared, Endpoint::Lcs).await {
            Preflight::Continue => {}
            Preflight::Respond(response) => return Err(response),
            Preflight::Aadsts(err) => return Err(wire::error_response(&err, &wire::correlation_id(headers))),
        }
    }
    let now = jiff::Timestamp::now().as_second();
    let mut inner = shared.lock();
    let info = bearer(headers).and_then(|t| inner.access.get(t).cloned());
    let valid = info.as_ref().is_some_and(|info| {
        let pp = info.aud.to_ascii_lowercase().contains("powerplatform");
        let right_api = match api {
            Api::PowerPlatform => pp,
            Api::Lcs => {
                !pp && shared
                    .config
                    .lcs_audience
                    .as_deref()
                    .is_none_or(|aud| aud.eq_ignore_ascii_case(&info.aud))
            }
        };
        info.exp > now && right_api
    });
    inner.api_auth.push(ApiAuth {
        at: SystemTime::now(),
        method: method.to_string(),
        path: uri.path().to_string(),
        token_exp: info.map(|i| i.exp),
        valid,
    });
    drop(inner);
    if valid { Ok(()) } else { Err(unauthorized()) }
}

fn envelope(mut body: serde_json::Value, ok: bool, error: Option<&str>) -> Response<Body> {
    if let Some(map) = body.as_object_mut() {
        map.insert("IsSuccess".into(), json!(ok));
        map.insert("OperationActivityId".into(), json!(wire::new_guid()));
        map.insert("ErrorMessage".into(), json!(error));
        map.insert("VersionEOL".into(), json!(VERSION_EOL));
    }
    wire::raw(200, wire::JSON, body.to_string())
}

/// An envelope with `IsSuccess: false` and this `ErrorMessage`.
fn refusal(message: &str) -> Response<Body> {
    envelope(json!({}), false, Some(message))
}

fn not_member(project: &str) -> Response<Body> {
    refusal(&format!("User is not authorized to access project {project}"))
}

fn member(shared: &Shared, project: &str) -> bool {
    project
        .parse::<u64>()
        .is_ok_and(|p| shared.config.lcs_member_projects.contains(&p))
}

/// `GET /databasemovement/v1/databases/project/{p}`: two backups with SAS download URLs.
pub async fn list_backups(
    _: LcsCall,
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
) -> Response<Body> {
    if !member(&shared, &project) {
        return not_member(&project);
    }
    let assets: Vec<_> = ["nightly", "before-upgrade"]
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let sig = base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                jwt::stable_guid(&format!("sas:{project}:{n}")).as_bytes(),
            );
            json!({
                "Id": jwt::stable_guid(&format!("backup:{project}:{n}")).to_string(),
                "ProjectId": project.parse::<u64>().unwrap_or_default(),
                "OrganizationId": 1,
                "Name": name,
                "FileName": format!("{name}.bacpac"),
                "FileDescription": "",
                "FileLocation": format!(
                    "https://uswedpl1catalog.blob.core.windows.net/product-ax7productname/{name}.bacpac?sv=2020-08-04&se=2026-12-31T00%3A00%3A00Z&sr=b&sp=r&sig={}",
                    sig.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
                ),
                "ModifiedDateTime": "2026-11-30T02:14:07.113",
                "CreatedDateTime": "2026-11-30T01:58:41.402",
                "CreatedByName": null,
                "ModifiedByName": null,
            })
        })
        .collect();
    envelope(json!({ "DatabaseAssets": assets }), true, None)
}

/// Starts an operation on `environment` unless its 24-hour budget is spent.
fn start(shared: &Shared, kind: &'static str, project: &str, environment: &str) -> Response<Body> {
    if !member(shared, project) {
        return not_member(project);
    }
    let limit = shared.config.lcs_operations_per_day;
    let mut inner = shared.lock();
    let used = inner
        .operations
        .iter()
        .filter(|o| o.environment.eq_ignore_ascii_case(environment) && o.started.elapsed() < DAY && o.kind != "copy")
        .count();
    if used >= limit as usize {
        drop(inner);
        return refusal(&format!(
            "The maximum of {limit} database movement operations for environment {environment} in 24 hours has been reached. Try again later."
        ));
    }
    let id = record_operation(&mut inner, kind, environment);
    drop(inner);
    // The envelope's activity id is the operation's.
    let body = json!({"IsSuccess": true, "OperationActivityId": id, "ErrorMessage": null, "VersionEOL": VERSION_EOL});
    wire::raw(200, wire::JSON, body.to_string())
}

/// Records a new operation of `kind` on `environment`, started now, and returns its id.
fn record_operation(inner: &mut Inner, kind: &'static str, environment: &str) -> String {
    let id = wire::new_guid();
    inner.operations.push(SimOperation {
        id: id.clone(),
        kind,
        environment: environment.to_string(),
        started: Instant::now(),
        started_at: SystemTime::now(),
    });
    id
}

/// `POST /databasemovement/v1/refresh/project/{p}/source/{s}/target/{t}`.
pub async fn refresh(
    _: LcsCall,
    State(shared): State<Arc<Shared>>,
    Path((project, _source, target)): Path<(String, String, String)>,
) -> Response<Body> {
    start(&shared, "refresh", &project, &target)
}

/// `POST /databasemovement/v1/export/project/{p}/environment/{e}/backupName/{n}`.
pub async fn export(
    _: LcsCall,
    State(shared): State<Arc<Shared>>,
    Path((project, environment, _name)): Path<(String, String, String)>,
) -> Response<Body> {
    start(&shared, "export", &project, &environment)
}

/// The state of an operation after `elapsed`: not started for the first tenth, then in
/// progress, then the configured outcome.
fn state_after(shared: &Shared, elapsed: Duration) -> &str {
    let total = shared.config.lcs_operation_duration;
    if elapsed >= total {
        &shared.config.lcs_operation_outcome
    } else if elapsed < total / 10 {
        "NotStarted"
    } else {
        "InProgress"
    }
}

/// `GET /databasemovement/v1/fetchstatus/project/{p}/environment/{e}/operationactivity/{a}`.
pub async fn fetchstatus(
    _: LcsCall,
    State(shared): State<Arc<Shared>>,
    Path((project, environment, activity)): Path<(String, String, String)>,
) -> Response<Body> {
    if !member(&shared, &project) {
        return not_member(&project);
    }
    let op = shared
        .lock()
        .operations
        .iter()
        .find(|o| o.id == activity && o.environment.eq_ignore_ascii_case(&environment))
        .cloned();
    let Some(op) = op else {
        return refusal(&format!("Operation activity {activity} was not found"));
    };
    let elapsed = op.started.elapsed();
    let status = state_after(&shared, elapsed);
    let done = elapsed >= shared.config.lcs_operation_duration;
    let completion = done.then(|| {
        jiff::Timestamp::try_from(op.started_at + shared.config.lcs_operation_duration)
            .map(|t| t.to_string())
            .unwrap_or_default()
    });
    envelope(
        json!({
            "ProjectId": project.parse::<u64>().unwrap_or_default(),
            "EnvironmentId": environment,
            "ActivityId": activity,
            "CompletionDate": completion,
            "OperationStatus": status,
        }),
        true,
        None,
    )
}

/// `POST /environmentmanagement/environments/{target}/copy`: 202 with `Location`.
pub async fn pp_copy(
    _: PowerPlatformCall,
    State(shared): State<Arc<Shared>>,
    Path(target): Path<String>,
) -> Response<Body> {
    let id = record_operation(&mut shared.lock(), "copy", &target);
    let mut response = wire::raw(202, "", "");
    if let Ok(location) = HeaderValue::from_str(&format!(
        "{}/environmentmanagement/operations/{id}?api-version=2022-03-01-preview",
        shared.base_url
    )) {
        response.headers_mut().insert(LOCATION, location);
    }
    response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(1));
    response
}

/// `GET /environmentmanagement/operations/{id}`: 202 while running, 200 with the final state.
pub async fn pp_operation(
    _: PowerPlatformCall,
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Response<Body> {
    let op = shared.lock().operations.iter().find(|o| o.id == id).cloned();
    let Some(op) = op else {
        return wire::raw(
            404,
            wire::JSON,
            json!({"error": {"code": "NotFound", "message": "operation not found"}}).to_string(),
        );
    };
    let elapsed = op.started.elapsed();
    let done = elapsed >= shared.config.lcs_operation_duration;
    let state = match (done, state_after(&shared, elapsed)) {
        (false, "NotStarted") => "NotStarted",
        (false, _) => "Running",
        (true, "Completed") => "Succeeded",
        (true, _) => "Failed",
    };
    let body = json!({"id": op.id, "state": state, "operationType": "Copy", "environmentId": op.environment});
    let mut response = wire::raw(if done { 200 } else { 202 }, wire::JSON, body.to_string());
    if !done {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(1));
    }
    response
}
