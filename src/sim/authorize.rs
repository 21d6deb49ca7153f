//! The browser flow: `GET /{tenant}/oauth2/v2.0/authorize` (acting as the
//! user already signed in to the browser; answers by redirect or by Entra's
//! auto-posting form) and the authorization-code grant with its PKCE,
//! redirect-URI and nonce handling.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{HeaderValue, LOCATION};
use axum::http::{HeaderMap, Response};

use super::aadsts::AadError;
use super::client::{check_client, check_member};
use super::issue::{self, Grant, TokenBody, parse_scope};
use super::jwt;
use super::script::{Preflight, preflight};
use super::scripted::Endpoint;
use super::state::{AUTH_CODE_LIFETIME, AuthCode, Shared};
use super::wire::{self, Fields};

/// Only `http://localhost[:port][/path]` and `http://127.0.0.1[:port][/path]`.
pub fn is_loopback_redirect(uri: &str) -> bool {
    if uri.contains('#') {
        return false;
    }
    ["http://localhost", "http://127.0.0.1"].iter().any(|prefix| {
        let Some(rest) = uri
            .get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .map(|_| &uri[prefix.len()..])
        else {
            return false;
        };
        let after_port = match rest.strip_prefix(':') {
            Some(port_and_more) => {
                let end = port_and_more.find(['/', '?']).unwrap_or(port_and_more.len());
                let port = &port_and_more[..end];
                if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                    return false;
                }
                &port_and_more[end..]
            }
            None => rest,
        };
        after_port.is_empty() || after_port.starts_with(['/', '?'])
    })
}

/// Entra's HTML error page (the browser shows it; nothing is redirected).
fn error_page(err: &AadError, correlation: &str) -> Response<Body> {
    let page = format!(
        "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>\
         <div id=\"login\"><h1>Sign in</h1><p>Sorry, but we're having trouble signing you in.</p>\
         <p id=\"error\">{}</p><p>Request Id: {}<br>Correlation Id: {correlation}<br>Timestamp: {}</p>\
         </div></body></html>",
        err.headline().replace('<', "&lt;").replace('>', "&gt;"),
        wire::new_guid(),
        wire::entra_timestamp(),
    );
    wire::raw(400, wire::HTML, page)
}

const SIGN_IN_PAGE: &str = "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><div id=\"login\"><h1>Sign in</h1><form method=\"post\"><input type=\"email\" name=\"loginfmt\" placeholder=\"Email, phone, or Skype\"><button>Next</button></form></div></body></html>";

/// How the answer travels back to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A 302 with the parameters in the query (`response_mode=query`, the default).
    Query,
    /// Entra's auto-posting HTML form (`response_mode=form_post`).
    FormPost,
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The parameters sent back to `redirect_uri`, in `mode`.
fn respond(redirect_uri: &str, mode: Mode, pairs: &[(&str, &str)]) -> Response<Body> {
    if mode == Mode::FormPost {
        // Entra's page: the browser posts the hidden form at once; without
        // scripts the user presses Submit.
        let mut inputs = String::new();
        for (n, v) in pairs {
            let _ = write!(
                inputs,
                "<input type=\"hidden\" name=\"{}\" value=\"{}\" />",
                html_escape(n),
                html_escape(v)
            );
        }
        let page = format!(
            "<html><head><title>Working...</title></head><body><form method=\"POST\" name=\"hiddenform\" action=\"{}\">{inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\" /></noscript></form><script language=\"javascript\">document.forms[0].submit();</script></body></html>",
            html_escape(redirect_uri)
        );
        return wire::raw(200, wire::HTML, page);
    }
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{redirect_uri}{separator}{}", wire::encode_pairs(pairs));
    let mut response = wire::raw(302, "", "");
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn error_redirect(
    redirect_uri: &str,
    mode: Mode,
    state: Option<&str>,
    err: &AadError,
    correlation: &str,
) -> Response<Body> {
    let description = wire::description(err, &wire::new_guid(), correlation, &wire::entra_timestamp());
    let mut pairs = vec![("error", err.error.as_str())];
    if let Some(sub) = err.suberror.as_deref() {
        pairs.push(("error_subcode", sub));
    }
    pairs.push(("error_description", description.as_str()));
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    respond(redirect_uri, mode, &pairs)
}

/// The authorization endpoint.
pub async fn authorize(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response<Body> {
    let correlation = wire::correlation_id(&headers);
    let scripted = match preflight(&shared, Endpoint::Authorize).await {
        Preflight::Continue => None,
        Preflight::Respond(response) => return response,
        Preflight::Aadsts(err) => Some(err),
    };
    let q = Fields::parse(query.unwrap_or_default().as_bytes());
    let client_id = match check_client(&shared, &tenant, &q) {
        Ok(id) => id.to_owned(),
        Err(err) => return error_page(&err, &correlation),
    };
    let redirect_uri = match q.require("redirect_uri") {
        Ok(uri) => uri.to_owned(),
        Err(err) => return error_page(&err, &correlation),
    };
    if !is_loopback_redirect(&redirect_uri) {
        let err = AadError::with_text(
            50011,
            format!(
                "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this."
            ),
        );
        return error_page(&err, &correlation);
    }
    let state = q.get("state");
    let mode = match q.get("response_mode") {
        None | Some("query") => Mode::Query,
        Some("form_post") => Mode::FormPost,
        Some(other) => {
            let err = AadError::with_text(
                9_002_313,
                format!("Invalid request. The value '{other}' of the parameter 'response_mode' is not supported."),
            );
            return error_page(&err, &correlation);
        }
    };
    let fail = |err: AadError| error_redirect(&redirect_uri, mode, state, &err, &correlation);
    if let Some(err) = scripted {
        return fail(err);
    }
    match q.get("response_type") {
        Some("code") => {}
        Some(other) => {
            return fail(
                AadError::with_text(
                    700_054,
                    format!("response_type '{other}' is not enabled for the application."),
                )
                .error("unsupported_response_type"),
            );
        }
        None => return fail(AadError::missing("response_type")),
    }
    let scope = match q.require("scope").and_then(|s| parse_scope(s).map(|_| s)) {
        Ok(scope) => scope.to_owned(),
        Err(err) => return fail(err),
    };
    super::device::answer_claims(&shared, q.get("claims"));
    let challenge = match (q.get("code_challenge"), q.get("code_challenge_method")) {
        (None, _) => None,
        (Some(c), None | Some("plain")) => Some((c.to_owned(), "plain".to_owned())),
        (Some(c), Some("S256")) => Some((c.to_owned(), "S256".to_owned())),
        (Some(_), Some(other)) => {
            return fail(AadError::with_text(
                501_491,
                format!("Invalid code_challenge_method '{other}'. Supported values are 'S256' and 'plain'."),
            ));
        }
    };
    let Some(username) = shared.config.auto_approve_user.clone() else {
        if q.get("prompt") == Some("none") {
            return fail(AadError::new(50058));
        }
        return wire::raw(200, wire::HTML, SIGN_IN_PAGE);
    };
    let user = shared.user_or_guest(&username);
    if let Err(err) = check_member(&user, &tenant) {
        // Entra keeps a signed-in user of another directory on its own page.
        return error_page(&err, &correlation);
    }
    let code = jwt::authorization_code();
    shared.lock().codes.insert(
        code.clone(),
        AuthCode {
            client_id,
            redirect_uri: redirect_uri.clone(),
            challenge,
            username,
            scope,
            nonce: q.get("nonce").map(str::to_owned),
            issued: Instant::now(),
            redeemed: false,
        },
    );
    let session_state = wire::new_guid();
    let client_info = issue::client_info_of(&user, &tenant);
    let mut pairs = vec![("code", code.as_str())];
    if q.get("client_info") == Some("1") {
        pairs.push(("client_info", client_info.as_str()));
    }
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    pairs.push(("session_state", session_state.as_str()));
    respond(&redirect_uri, mode, &pairs)
}

/// The authorization-code grant at the token endpoint.
pub fn redeem(shared: &Shared, tenant: &str, client_id: &str, form: &Fields) -> Result<TokenBody, AadError> {
    let code = form.require("code")?;
    let redirect_uri = form.require("redirect_uri")?;
    let (username, stored_scope, nonce) = {
        let mut inner = shared.lock();
        let entry = inner
            .codes
            .get_mut(code)
            .ok_or_else(|| AadError::new(9_002_313).error("invalid_grant"))?;
        if entry.redeemed {
            return Err(AadError::new(54005));
        }
        if entry.issued.elapsed() > AUTH_CODE_LIFETIME {
            return Err(AadError::new(70008));
        }
        if entry.client_id != client_id {
            return Err(AadError::with_text(
                70000,
                "Provided grant is invalid or malformed. The authorization code was issued to a different client.",
            ));
        }
        if entry.redirect_uri != redirect_uri {
            return Err(AadError::with_text(
                500_112,
                format!(
                    "The reply address '{redirect_uri}' does not match the reply address '{}' provided when requesting Authorization code.",
                    entry.redirect_uri
                ),
            ));
        }
        if let Some((challenge, method)) = &entry.challenge {
            let verifier = form.get("code_verifier").unwrap_or_default();
            let computed = if method == "S256" {
                jwt::s256_challenge(verifier)
            } else {
                verifier.to_owned()
            };
            if verifier.is_empty() || computed != *challenge {
                return Err(AadError::new(501_481));
            }
        }
        entry.redeemed = true;
        (entry.username.clone(), entry.scope.clone(), entry.nonce.clone())
    };
    let scope = parse_scope(form.get("scope").unwrap_or(&stored_scope))?;
    issue::check_consent(shared, client_id, &scope)?;
    let user = shared.user_or_guest(&username);
    check_member(&user, tenant)?;
    Ok(issue::issue(
        shared,
        &Grant {
            user: &user,
            tenant,
            client_id,
            scope: &scope,
            amr: issue::amr_interactive(),
            refresh: scope.offline_access,
            client_info: form.get("client_info") == Some("1"),
            nonce: nonce.as_deref(),
        },
    ))
}
