//! The client-credentials grant with a client secret: an app-only token (`idtyp` app, no user,
//! no refresh token) for the app registrations the configuration gives a secret.

use serde_json::json;

use super::aadsts::AadError;
use super::issue::{TokenBody, check_consent, lifetime, parse_scope};
use super::jwt;
use super::state::{AccessInfo, Shared};
use super::wire::{Fields, Num};

/// Whether `client_id` is a confidential client (it has a secret in the configuration).
pub fn is_confidential(shared: &Shared, client_id: &str) -> bool {
    shared
        .config
        .client_secrets
        .iter()
        .any(|c| c.client_id.eq_ignore_ascii_case(client_id))
}

pub fn redeem(shared: &Shared, tenant: &str, client_id: &str, form: &Fields) -> Result<TokenBody, AadError> {
    let secret = form.require("client_secret")?;
    let known = shared
        .config
        .client_secrets
        .iter()
        .find(|c| c.client_id.eq_ignore_ascii_case(client_id));
    if known.is_none_or(|c| c.secret != secret) {
        return Err(AadError::with_text(
            7_000_215,
            format!(
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
            ),
        )
        .error("invalid_client"));
    }
    let raw = form.require("scope")?;
    if !raw.split_whitespace().all(|w| w.ends_with("/.default")) {
        return Err(AadError::with_text(
            1_002_012,
            format!(
                "The provided value for scope {raw} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        )
        .error("invalid_scope"));
    }
    let scope = parse_scope(raw)?;
    check_consent(shared, client_id, &scope)?;
    let tid = jwt::tenant_id(tenant);
    let oid = jwt::object_id(&format!("sp:{client_id}"));
    let expires_in = lifetime(shared);
    let iat = jiff::Timestamp::now().as_second();
    let exp = iat + i64::try_from(expires_in).unwrap_or(i64::MAX / 2);
    let access_token = jwt::encode(&json!({
        "aud": scope.resource,
        "iss": format!("https://sts.windows.net/{tid}/"),
        "iat": iat,
        "nbf": iat,
        "exp": exp,
        "appid": client_id,
        "appidacr": "1",
        "idtyp": "app",
        "oid": oid,
        "roles": [],
        "sub": oid,
        "tid": tid,
        "uti": jwt::random_b64(16),
        "ver": "1.0",
    }));
    let mut inner = shared.lock();
    inner.access.insert(
        access_token.clone(),
        AccessInfo {
            exp,
            aud: scope.resource.clone(),
        },
    );
    inner.last_access = Some(access_token.clone());
    drop(inner);
    let strings = shared.config.numbers_as_strings;
    Ok(TokenBody {
        token_type: "Bearer",
        scope: scope.echo,
        expires_in: Num::new(expires_in, strings),
        ext_expires_in: Num::new(expires_in, strings),
        access_token,
        refresh_token: None,
        id_token: None,
        client_info: None,
    })
}
