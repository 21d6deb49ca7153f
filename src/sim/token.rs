//! `POST /{tenant}/oauth2/v2.0/token`: parameter and client checks shared by
//! every grant, the password grant and the refresh-token grant (the
//! device-code and authorization-code grants live with their flows).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response};

use super::aadsts::{AadError, resource_app_id};
use super::client::{check_client, check_member};
use super::issue::{self, Grant, TokenBody, parse_scope};
use super::script::{Preflight, preflight};
use super::scripted::Endpoint;
use super::state::Shared;
use super::wire::{self, Fields};
use super::{authorize, device, jwt};

pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The token endpoint.
pub async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let correlation = wire::correlation_id(&headers);
    match preflight(&shared, Endpoint::Token).await {
        Preflight::Continue => {}
        Preflight::Respond(response) => return response,
        Preflight::Aadsts(err) => return wire::error_response(&err, &correlation),
    }
    let form = Fields::from_body(&headers, &body);
    match grant(&shared, &tenant, &form) {
        Ok(tokens) => wire::json_response(200, &tokens, &correlation),
        Err(err) => wire::error_response(&err, &correlation),
    }
}

fn grant(shared: &Shared, tenant: &str, form: &Fields) -> Result<TokenBody, AadError> {
    form.reject_duplicates()?;
    let grant_type = form.require("grant_type")?;
    if !matches!(
        grant_type,
        "password" | "refresh_token" | "authorization_code" | "client_credentials" | DEVICE_CODE_GRANT
    ) {
        return Err(AadError::with_text(
            70003,
            format!("The app requested an unsupported grant type '{grant_type}'."),
        ));
    }
    let client_id = check_client(shared, tenant, form)?;
    match grant_type {
        "password" => password(shared, tenant, client_id, form),
        "refresh_token" => refresh(shared, tenant, client_id, form),
        "authorization_code" => authorize::redeem(shared, tenant, client_id, form),
        "client_credentials" => super::client_credentials::redeem(shared, tenant, client_id, form),
        _ => device::redeem(shared, tenant, client_id, form),
    }
}

fn password(shared: &Shared, tenant: &str, client_id: &str, form: &Fields) -> Result<TokenBody, AadError> {
    if matches!(tenant.to_ascii_lowercase().as_str(), "common" | "consumers") {
        return Err(AadError::new(9_001_023));
    }
    let scope = parse_scope(form.require("scope")?)?;
    let username = form.require("username")?;
    let password = form.require("password")?;
    let Some(user) = shared.config.find_user(username) else {
        return Err(AadError::with_text(
            50034,
            format!(
                "The user account {{EUII Hidden}} does not exist in the {} directory. To sign into this application, the account must be added to the directory.",
                jwt::tenant_id(tenant)
            ),
        ));
    };
    check_member(user, tenant)?;
    if user.password != password {
        return Err(AadError::new(50126));
    }
    issue::check_consent(shared, client_id, &scope)?;
    if user.mfa_required {
        return Err(AadError::with_text(
            50076,
            format!(
                "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{}'.",
                resource_app_id(&scope.resource)
            ),
        ));
    }
    Ok(issue::issue(
        shared,
        &Grant {
            user,
            tenant,
            client_id,
            scope: &scope,
            amr: issue::amr_password(),
            refresh: scope.offline_access,
            client_info: form.get("client_info") == Some("1"),
            nonce: None,
        },
    ))
}

fn refresh(shared: &Shared, tenant: &str, client_id: &str, form: &Fields) -> Result<TokenBody, AadError> {
    let token = form.require("refresh_token")?;
    let scope = parse_scope(form.require("scope")?)?;
    issue::check_consent(shared, client_id, &scope)?;
    if let Some(claims) = &shared.config.claims_challenge
        && !shared.lock().claims_answered
    {
        let mut err = AadError::with_text(
            50076,
            format!(
                "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{}'.",
                scope.resource
            ),
        )
        .error("interaction_required");
        err.claims = Some(claims.clone());
        return Err(err);
    }
    let grant = {
        let mut inner = shared.lock();
        let Some(grant) = inner.refresh.get_mut(token) else {
            return Err(AadError::new(9_002_313).error("invalid_grant"));
        };
        if grant.revoked {
            return Err(AadError::new(50173));
        }
        if grant.client_id != client_id {
            return Err(AadError::with_text(
                70000,
                "Provided grant is invalid or malformed. The refresh token was issued to a different client.",
            ));
        }
        if grant.redeemed && shared.config.single_use_refresh_tokens {
            return Err(AadError::with_text(
                70000,
                "Provided grant is invalid or malformed. The refresh token has already been redeemed.",
            ));
        }
        grant.redeemed = true;
        grant.clone()
    };
    let user = shared.user_or_guest(&grant.username);
    check_member(&user, tenant)?;
    Ok(issue::issue(
        shared,
        &Grant {
            user: &user,
            tenant,
            client_id,
            scope: &scope,
            amr: grant.amr,
            refresh: true,
            client_info: form.get("client_info") == Some("1"),
            nonce: None,
        },
    ))
}
