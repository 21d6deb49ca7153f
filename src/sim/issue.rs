//! Scope interpretation and token issuance: the v1 access-token claims, the
//! optional id token and client_info, refresh-token rotation, and the JSON
//! success body.

use std::time::Duration;

use serde::Serialize;
use serde_json::json;

use super::aadsts::AadError;
use super::claims::AccessClaims;
use super::config::SimUser;
use super::jwt;
use super::state::{AccessInfo, RefreshGrant, Shared};
use super::wire::Num;

const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// A requested `scope` parameter, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The resource the access token is for (`aud`).
    pub resource: String,
    /// The `scope` echoed in the response.
    pub echo: String,
    pub offline_access: bool,
    pub openid: bool,
}

/// Splits a scope list into its single resource and the OIDC extras.
pub fn parse_scope(raw: &str) -> Result<Scope, AadError> {
    let mut resource: Option<String> = None;
    let mut echo: Vec<String> = Vec::new();
    let words: Vec<&str> = raw.split_whitespace().collect();
    for word in &words {
        if OIDC_SCOPES.contains(word) {
            continue;
        }
        let (aud, granted) = if let Some(prefix) = word.strip_suffix(".default") {
            (
                prefix.trim_end_matches('/'),
                vec![format!("{prefix}user_impersonation"), (*word).to_owned()],
            )
        } else if let Some(cut) = word.rfind('/') {
            (word[..cut].trim_end_matches('/'), vec![(*word).to_owned()])
        } else {
            ("https://graph.microsoft.com", vec![(*word).to_owned()])
        };
        match &resource {
            Some(existing) if !existing.eq_ignore_ascii_case(aud) => {
                return Err(AadError::with_text(
                    28000,
                    format!(
                        "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {raw} is not valid."
                    ),
                ));
            }
            _ => resource = Some(aud.to_owned()),
        }
        for scope in granted {
            if !echo.contains(&scope) {
                echo.push(scope);
            }
        }
    }
    let resource = resource.filter(|r| !r.is_empty()).ok_or_else(|| {
        AadError::with_text(
            70011,
            format!(
                "The provided value for the input parameter 'scope' is not valid. The scope '{raw}' does not name a resource."
            ),
        )
    })?;
    Ok(Scope {
        resource,
        echo: echo.join(" "),
        offline_access: words.contains(&"offline_access"),
        openid: words.contains(&"openid"),
    })
}

/// The JSON body of a successful token response, in Entra's field order.
#[derive(Debug, Serialize)]
pub struct TokenBody {
    pub token_type: &'static str,
    pub scope: String,
    pub expires_in: Num,
    pub ext_expires_in: Num,
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_info: Option<String>,
}

/// Everything needed to mint tokens for one successful grant.
pub struct Grant<'a> {
    pub user: &'a SimUser,
    pub tenant: &'a str,
    pub client_id: &'a str,
    pub scope: &'a Scope,
    pub amr: Vec<String>,
    /// Issue a refresh token (offline_access requested, or a refresh grant).
    pub refresh: bool,
    /// The client sent `client_info=1`.
    pub client_info: bool,
    /// The `nonce` of the authorize request, copied into the id token.
    pub nonce: Option<&'a str>,
}

/// The tenant a token names: the path tenant, or the user's home directory
/// for the multi-tenant aliases.
fn home_tenant<'a>(tenant: &'a str, user: &'a SimUser) -> &'a str {
    if matches!(
        tenant.to_ascii_lowercase().as_str(),
        "common" | "organizations" | "consumers"
    ) {
        user.home_tenant()
    } else {
        tenant
    }
}

pub fn lifetime(shared: &Shared) -> u64 {
    let base = shared.config.access_token_lifetime;
    let extra = shared
        .config
        .access_token_lifetime_jitter
        .map_or(Duration::ZERO, |jitter| {
            let millis = u64::try_from(jitter.as_millis()).unwrap_or(u64::MAX);
            Duration::from_millis(fastrand::u64(0..=millis))
        });
    (base + extra).as_secs()
}

/// `client_info`: base64url of `{"uid":oid,"utid":tid}`, the account's home ids.
pub fn client_info(oid: &str, tid: &str) -> String {
    jwt::b64(json!({ "uid": oid, "utid": tid }).to_string().as_bytes())
}

/// The `client_info` of `user` signing in at `tenant`.
pub fn client_info_of(user: &SimUser, tenant: &str) -> String {
    client_info(
        &jwt::object_id(&user.username),
        &jwt::tenant_id(home_tenant(tenant, user)),
    )
}

/// Mints and records the tokens for `grant`.
/// Refuses a resource the app registration has no consented permission for (AADSTS65001,
/// with the sentence Entra sends).
pub fn check_consent(shared: &Shared, client_id: &str, scope: &Scope) -> Result<(), AadError> {
    let consented = &shared.config.consented_resources;
    let norm = |s: &str| s.trim_end_matches('/').to_ascii_lowercase();
    if consented.is_empty() || consented.iter().any(|r| norm(r) == norm(&scope.resource)) {
        return Ok(());
    }
    Err(AadError::with_text(
        65001,
        format!(
            "The user or administrator has not consented to use the application with ID '{client_id}' named 'lcsauth'. Send an interactive authorization request for this user and resource."
        ),
    ))
}

pub fn issue(shared: &Shared, grant: &Grant<'_>) -> TokenBody {
    let user = grant.user;
    let tid = jwt::tenant_id(home_tenant(grant.tenant, user));
    let oid = jwt::object_id(&user.username);
    // Pairwise, as in Entra: the same for one user and app on every token.
    let sub = jwt::pairwise_subject(&oid, grant.client_id);
    let expires_in = lifetime(shared);
    let iat = jiff::Timestamp::now().as_second();
    let exp = iat + i64::try_from(expires_in).unwrap_or(i64::MAX / 2);
    let access_claims = AccessClaims {
        user,
        tid: &tid,
        oid: &oid,
        sub: &sub,
        aud: &grant.scope.resource,
        client_id: grant.client_id,
        amr: &grant.amr,
        iat,
        exp,
        groups: shared.config.access_token_groups,
    }
    .to_json();
    let access_token = jwt::encode(&access_claims);
    let id_token = grant.scope.openid.then(|| {
        let mut claims = json!({
            "aud": grant.client_id,
            "iss": format!("https://login.microsoftonline.com/{tid}/v2.0"),
            "iat": iat,
            "nbf": iat,
            "exp": exp,
            "name": user.name(),
            "oid": oid,
            "preferred_username": user.username,
            "sub": sub,
            "tid": tid,
            "uti": jwt::random_b64(16),
            "ver": "2.0",
        });
        if let Some(nonce) = grant.nonce {
            claims["nonce"] = json!(nonce);
        }
        jwt::encode(&claims)
    });
    let client_info = grant.client_info.then(|| client_info(&oid, &tid));
    let refresh_token = grant.refresh.then(jwt::refresh_token);

    let mut inner = shared.lock();
    inner.access.insert(
        access_token.clone(),
        AccessInfo {
            exp,
            aud: grant.scope.resource.clone(),
        },
    );
    inner.last_access = Some(access_token.clone());
    if let Some(token) = &refresh_token {
        inner.refresh.insert(
            token.clone(),
            RefreshGrant {
                username: user.username.clone(),
                client_id: grant.client_id.to_owned(),
                amr: grant.amr.clone(),
                revoked: false,
                redeemed: false,
            },
        );
        inner.refresh_order.push(token.clone());
    }
    drop(inner);

    let strings = shared.config.numbers_as_strings;
    TokenBody {
        token_type: "Bearer",
        scope: grant.scope.echo.clone(),
        expires_in: Num::new(expires_in, strings),
        ext_expires_in: Num::new(expires_in, strings),
        access_token,
        refresh_token,
        id_token,
        client_info,
    }
}

/// `amr` for the password grant.
pub fn amr_password() -> Vec<String> {
    vec!["pwd".to_owned()]
}

/// `amr` for interactive sign-ins (browser, device code).
pub fn amr_interactive() -> Vec<String> {
    vec!["pwd".to_owned(), "mfa".to_owned()]
}
