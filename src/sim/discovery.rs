//! Entra's discovery and metadata endpoints, which clients such as MSAL read
//! before anything else: the OpenID configuration of a tenant, instance
//! discovery, the signing keys (JWKS), home-realm discovery and the
//! end-session endpoint. Every endpoint they name lies under the
//! simulator's own base URL.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{HeaderValue, LOCATION};
use axum::http::{HeaderMap, Response};
use serde_json::{Value, json};

use super::aadsts::AadError;
use super::authorize::is_loopback_redirect;
use super::client::{check_tenant, is_alias};
use super::jwt;
use super::keys::SIGNING;
use super::state::Shared;
use super::wire::{self, Fields};

/// The issuer Entra names in v2 tokens and metadata (its literal
/// `{tenantid}` placeholder for the multi-tenant aliases).
fn issuer(tenant: &str) -> String {
    let tid = if is_alias(tenant) {
        "{tenantid}".to_owned()
    } else {
        jwt::tenant_id(tenant)
    };
    format!("https://login.microsoftonline.com/{tid}/v2.0")
}

/// The path segment the metadata uses: the tenant's GUID, or the alias itself.
fn tenant_segment(tenant: &str) -> String {
    if is_alias(tenant) {
        tenant.to_ascii_lowercase()
    } else {
        jwt::tenant_id(tenant)
    }
}

/// The OpenID Provider configuration of `tenant`, as Entra publishes it.
pub fn openid_configuration(shared: &Shared, tenant: &str) -> Value {
    let base = format!("{}/{}", shared.base_url, tenant_segment(tenant));
    json!({
        "token_endpoint": format!("{base}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": issuer(tenant),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
        "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/oauth2/v2.0/logout"),
        "claims_supported": [
            "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
            "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username",
            "name", "tid", "ver", "at_hash", "c_hash", "email"
        ],
        "kerberos_endpoint": format!("{base}/kerberos"),
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
        "rbac_url": "https://pas.windows.net",
    })
}

fn json(status: u16, body: &Value, headers: &HeaderMap) -> Response<Body> {
    wire::json_response(status, body, &wire::correlation_id(headers))
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub async fn openid(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    if let Err(err) = check_tenant(&shared, &tenant) {
        return wire::error_response(&err, &wire::correlation_id(&headers));
    }
    json(200, &openid_configuration(&shared, &tenant), &headers)
}

/// `GET /{tenant}/discovery/v2.0/keys`: the key that signs every token.
pub async fn keys_v2(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    if let Err(err) = check_tenant(&shared, &tenant) {
        return wire::error_response(&err, &wire::correlation_id(&headers));
    }
    json(200, &json!({ "keys": [SIGNING.jwk(&issuer(&tenant))] }), &headers)
}

/// `GET /{tenant}/discovery/{keys|instance}`: the v1 JWKS (same key), and
/// instance discovery at `/common/discovery/instance`.
pub async fn discovery_v1(
    State(shared): State<Arc<Shared>>,
    Path((tenant, what)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response<Body> {
    match what.as_str() {
        "keys" => json(
            200,
            &json!({ "keys": [SIGNING.jwk(&format!("https://sts.windows.net/{}/", tenant_segment(&tenant)))] }),
            &headers,
        ),
        "instance" if tenant.eq_ignore_ascii_case("common") => {
            instance(&shared, &Fields::parse(query.unwrap_or_default().as_bytes()), &headers)
        }
        _ => wire::raw(404, "", ""),
    }
}

/// The public cloud's host names, as Entra's instance discovery lists them.
const PUBLIC_CLOUD: [&str; 4] = [
    "login.microsoftonline.com",
    "login.windows.net",
    "login.microsoft.com",
    "sts.windows.net",
];

/// Instance discovery: for an `authorization_endpoint` on this simulator (or
/// on the public cloud, which the simulator stands in for), where the
/// tenant's configuration is and which host names are one cloud. Any other
/// host is `invalid_instance`, as Entra answers.
fn instance(shared: &Shared, q: &Fields, headers: &HeaderMap) -> Response<Body> {
    let correlation = wire::correlation_id(headers);
    let Some(endpoint) = q.get("authorization_endpoint") else {
        return wire::error_response(&AadError::missing("authorization_endpoint"), &correlation);
    };
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, rest)| rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let tenant = path.split('/').next().unwrap_or_default();
    let netloc = shared.netloc();
    // An instance is a host: clients such as MSAL send it without the port.
    let hostname = netloc.rsplit_once(':').map_or(netloc, |(h, _)| h);
    let asked = if host.eq_ignore_ascii_case(netloc) {
        hostname
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let base = if asked.eq_ignore_ascii_case(hostname) {
        shared.base_url.clone()
    } else if host.eq_ignore_ascii_case(PUBLIC_CLOUD[0]) {
        format!("https://{}", PUBLIC_CLOUD[0])
    } else {
        return wire::error_response(&AadError::new(50049), &correlation);
    };
    if tenant.is_empty() {
        return wire::error_response(&AadError::new(50049), &correlation);
    }
    json(
        200,
        &json!({
            "tenant_discovery_endpoint": format!("{base}/{tenant}/v2.0/.well-known/openid-configuration"),
            "api-version": "1.1",
            "metadata": [
                { "preferred_network": netloc, "preferred_cache": netloc, "aliases": [netloc, hostname] },
                {
                    "preferred_network": PUBLIC_CLOUD[0],
                    "preferred_cache": PUBLIC_CLOUD[1],
                    "aliases": PUBLIC_CLOUD,
                },
            ],
        }),
        headers,
    )
}

/// `GET /common/userrealm/{upn}`: home-realm discovery. Accounts of the
/// simulator's tenants are cloud-only ("Managed"), so clients go on with the
/// password grant; other domains are "Unknown".
pub async fn userrealm(
    State(shared): State<Arc<Shared>>,
    Path((tenant, upn)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response<Body> {
    if !tenant.eq_ignore_ascii_case("common") {
        return wire::raw(404, "", "");
    }
    let domain = upn.rsplit_once('@').map_or("", |(_, d)| d);
    let managed = !domain.is_empty()
        && shared.config.users.iter().any(|u| {
            u.username
                .rsplit_once('@')
                .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain))
        });
    let body = if managed {
        json!({
            "ver": "1.0",
            "account_type": "Managed",
            "domain_name": domain.to_ascii_lowercase(),
            "cloud_instance_name": "microsoftonline.com",
            "cloud_audience_urn": "urn:federation:MicrosoftOnline",
        })
    } else {
        json!({ "ver": "1.0", "account_type": "Unknown", "cloud_instance_name": "microsoftonline.com" })
    };
    json(200, &body, &headers)
}

/// `GET /{tenant}/oauth2/v2.0/logout`: back to a loopback
/// `post_logout_redirect_uri`, else Entra's "signed out" page.
pub async fn logout(RawQuery(query): RawQuery) -> Response<Body> {
    let q = Fields::parse(query.unwrap_or_default().as_bytes());
    if let Some(target) = q.get("post_logout_redirect_uri").filter(|u| is_loopback_redirect(u)) {
        let mut response = wire::raw(302, "", "");
        if let Ok(value) = HeaderValue::from_str(target) {
            response.headers_mut().insert(LOCATION, value);
        }
        return response;
    }
    wire::raw(
        200,
        wire::HTML,
        "<!DOCTYPE html><html><head><title>Sign out</title></head><body><div id=\"login\"><h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p></div></body></html>",
    )
}
