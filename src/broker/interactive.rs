//! Interactive sign-in for accounts the password flow cannot serve (MFA, federation,
//! Conditional Access): the device-code grant and the authorization-code grant with PKCE through
//! the system browser and a loopback redirect.

use std::time::Duration;

use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::ask::BrokerError;
use crate::entra::{DevicePoll, EntraClient, EntraError, ErrorBody, Refusal, TokenResponse};
use crate::profile::Endpoint;
use crate::secret::Secret;

/// What the user must do to finish a device-code sign-in.
#[derive(Clone, Debug)]
pub struct DeviceCodeInfo {
    pub user_code: String,
    pub verification_uri: String,
    /// Entra's own sentence, in the user's language.
    pub message: String,
    pub expires_at: Timestamp,
}

/// The front end's part of an interactive sign-in.
pub trait Prompt: Send + Sync {
    /// Shows the code and where to enter it. Polling starts right after.
    fn device_code(&self, info: &DeviceCodeInfo);
    /// Opens `url` in a browser (or tells the user to); returns whether a browser was started.
    fn open_browser(&self, url: &str) -> bool;
}

/// How long a browser sign-in may take before lcsauth stops waiting.
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs the device-code grant: shows the code, then polls at Entra's interval.
pub async fn device_code(
    entra: &EntraClient,
    ep: &Endpoint,
    prompt: &dyn Prompt,
) -> Result<TokenResponse, BrokerError> {
    device_code_with_claims(entra, ep, prompt, None).await
}

/// [`device_code`] answering a claims challenge (the step-up a tenant's policy demands).
pub async fn device_code_with_claims(
    entra: &EntraClient,
    ep: &Endpoint,
    prompt: &dyn Prompt,
    claims: Option<&str>,
) -> Result<TokenResponse, BrokerError> {
    let dc = entra.device_code_with_claims(ep, claims).await?;
    let lifetime = dc.expires_in.filter(|s| *s > 0).unwrap_or(900);
    let expires_at = Timestamp::now()
        .saturating_add(SignedDuration::from_secs(lifetime))
        .unwrap_or_else(|_| Timestamp::now());
    let message = dc.message.clone().unwrap_or_else(|| {
        format!(
            "To sign in, open {} and enter the code {}.",
            dc.verification_uri, dc.user_code
        )
    });
    prompt.device_code(&DeviceCodeInfo {
        user_code: dc.user_code.clone(),
        verification_uri: dc.verification_uri.clone(),
        message,
        expires_at,
    });
    let mut interval = Duration::from_secs(dc.interval.filter(|s| *s > 0).unwrap_or(5).unsigned_abs());
    loop {
        tokio::time::sleep(interval).await;
        if Timestamp::now() > expires_at {
            return Err(local_refusal(
                "expired_token",
                70020,
                "The device code expired before the sign-in was finished.",
            ));
        }
        match entra.poll_device_code(ep, &dc.device_code).await? {
            DevicePoll::Pending => {}
            // RFC 8628: slow down by five seconds for this and every later poll.
            DevicePoll::SlowDown => interval += Duration::from_secs(5),
            DevicePoll::Done(t) => return Ok(t),
        }
    }
}

/// Runs the authorization-code grant with PKCE (S256) and a loopback redirect.
pub async fn browser(
    entra: &EntraClient,
    ep: &Endpoint,
    login_hint: Option<&str>,
    prompt: &dyn Prompt,
) -> Result<TokenResponse, BrokerError> {
    browser_with_claims(entra, ep, login_hint, prompt, None).await
}

/// [`browser`] passing a claims challenge to `/authorize`.
pub async fn browser_with_claims(
    entra: &EntraClient,
    ep: &Endpoint,
    login_hint: Option<&str>,
    prompt: &dyn Prompt,
    claims: Option<&str>,
) -> Result<TokenResponse, BrokerError> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|source| BrokerError::Io {
            what: "a loopback port for the browser redirect".into(),
            source,
        })?;
    let port = listener
        .local_addr()
        .map_err(|source| BrokerError::Io {
            what: "the loopback port".into(),
            source,
        })?
        .port();
    // Entra ignores the port of a loopback redirect URI, so `http://127.0.0.1` registered on the
    // app matches any port. The literal, not `localhost`: a name may resolve to `[::1]`, where
    // another user's listener on the same port would receive the code.
    let redirect_uri = format!("http://127.0.0.1:{port}");
    let verifier = Secret::new(random_text(64));
    let state = random_text(32);
    let mut url = authorize_url(ep, &redirect_uri, &challenge(&verifier), &state, login_hint)?;
    if let Some(c) = claims {
        url = with_claims(&url, c)?;
    }
    prompt.open_browser(&url);
    let code = tokio::time::timeout(BROWSER_TIMEOUT, receive_code(&listener, &state))
        .await
        .map_err(|_| {
            BrokerError::Unusable(format!(
                "no answer from the browser within {}s",
                BROWSER_TIMEOUT.as_secs()
            ))
        })??;
    // One good callback ends the listening: nothing else is accepted on the port.
    drop(listener);
    Ok(entra.redeem_code(ep, &code, &redirect_uri, &verifier).await?)
}

/// The authorize URL for a PKCE sign-in.
pub fn authorize_url(
    ep: &Endpoint,
    redirect_uri: &str,
    challenge: &str,
    state: &str,
    login_hint: Option<&str>,
) -> Result<String, BrokerError> {
    let base = format!(
        "{}/{}/oauth2/v2.0/authorize",
        ep.authority.trim_end_matches('/'),
        ep.tenant
    );
    let scope = format!("{} offline_access", ep.scope);
    let mut params = vec![
        ("client_id", ep.client_id.as_str()),
        ("response_type", "code"),
        ("redirect_uri", redirect_uri),
        ("response_mode", "query"),
        ("scope", scope.as_str()),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        ("prompt", "select_account"),
    ];
    if let Some(hint) = login_hint {
        params.push(("login_hint", hint));
    }
    reqwest::Url::parse_with_params(&base, params)
        .map(String::from)
        .map_err(|e| BrokerError::Unusable(format!("cannot build the sign-in URL from {base}: {e}")))
}

/// The authorize URL with a `claims` parameter (a claims challenge to answer).
pub fn with_claims(url: &str, claims: &str) -> Result<String, BrokerError> {
    let mut u = reqwest::Url::parse(url).map_err(|e| BrokerError::Unusable(format!("bad sign-in URL: {e}")))?;
    u.query_pairs_mut().append_pair("claims", claims);
    Ok(u.into())
}

/// The S256 code challenge of a verifier.
pub fn challenge(verifier: &Secret) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()))
}

/// Unpredictable text from the OS random source (through uuid v4), in the PKCE alphabet.
fn random_text(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    let bytes: Vec<u8> = std::iter::repeat_with(|| *uuid::Uuid::new_v4().as_bytes())
        .flatten()
        .take(len)
        .collect();
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// How long one connection to the loopback listener may take to send its request.
const CALLBACK_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// What one request to the loopback listener brought.
enum Callback {
    /// Nothing for this sign-in (another path, another `state`, an idle or garbled connection).
    Ignored,
    Code(Secret),
    Refused(BrokerError),
}

/// Serves the loopback redirect until a request carries a code (or an error) for our state.
/// Connections are served concurrently, each with a read timeout, so an idle connection cannot
/// hold back the browser's; a request without our `state` is answered and ignored, so a stray
/// or forged request cannot end the sign-in; the listener closes after the one good callback.
async fn receive_code(listener: &TcpListener, state: &str) -> Result<Secret, BrokerError> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Callback>(16);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let (tx, state) = (tx.clone(), state.to_string());
                tasks.spawn(async move {
                    let outcome = tokio::time::timeout(CALLBACK_READ_TIMEOUT, serve_callback(stream, &state))
                        .await
                        .unwrap_or(Callback::Ignored);
                    let _ = tx.send(outcome).await;
                });
            }
            Some(outcome) = rx.recv() => match outcome {
                Callback::Ignored => {}
                Callback::Code(code) => return Ok(code),
                Callback::Refused(e) => return Err(e),
            },
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
}

/// Reads one request and answers it.
async fn serve_callback(mut stream: tokio::net::TcpStream, state: &str) -> Callback {
    let mut buf = vec![0u8; 16 * 1024];
    let mut len = 0;
    while len < buf.len() {
        let Ok(n) = stream.read(&mut buf[len..]).await else {
            return Callback::Ignored;
        };
        if n == 0 {
            return Callback::Ignored;
        }
        len += n;
        if buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&buf[..len]);
    let target = head.lines().next().and_then(|l| l.split(' ').nth(1)).unwrap_or("/");
    let Ok(url) = reqwest::Url::parse(&format!("http://127.0.0.1{target}")) else {
        let _ = stream
            .write_all(&page(400, "Nothing to do", "This page expects a sign-in answer."))
            .await;
        return Callback::Ignored;
    };
    if url.path() != "/" {
        let _ = stream.write_all(&page(404, "Not found", "")).await;
        return Callback::Ignored;
    }
    let get = |k: &str| url.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned());
    if get("state").as_deref() != Some(state) {
        let _ = stream
            .write_all(&page(400, "Not this sign-in", "The answer did not carry the state lcsauth sent, so it was ignored. lcsauth is still waiting for the sign-in it started."))
            .await;
        return Callback::Ignored;
    }
    if let Some(error) = get("error") {
        let description = get("error_description");
        let _ = stream
            .write_all(&page(200, "Sign-in failed", "Return to the terminal for the details."))
            .await;
        let code = description.as_deref().and_then(|d| {
            d.strip_prefix("AADSTS")?
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        });
        return Callback::Refused(
            EntraError::Refused(Box::new(Refusal {
                http_status: 200,
                body: ErrorBody {
                    error,
                    error_description: description,
                    error_codes: code.into_iter().collect(),
                    ..ErrorBody::default()
                },
            }))
            .into(),
        );
    }
    if let Some(code) = get("code") {
        let _ = stream
            .write_all(&page(
                200,
                "Signed in",
                "lcsauth has the sign-in. You can close this tab.",
            ))
            .await;
        return Callback::Code(Secret::new(code));
    }
    let _ = stream
        .write_all(&page(400, "Nothing to do", "This page expects a sign-in answer."))
        .await;
    Callback::Ignored
}

fn page(status: u16, title: &str, text: &str) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>lcsauth: {title}</title>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p></body>"
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    response.into_bytes()
}

fn local_refusal(error: &str, code: u32, description: &str) -> BrokerError {
    EntraError::Refused(Box::new(Refusal {
        http_status: 400,
        body: ErrorBody {
            error: error.to_string(),
            error_description: Some(format!("AADSTS{code}: {description}")),
            error_codes: vec![code],
            ..ErrorBody::default()
        },
    }))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_is_unpadded_base64url_of_sha256() {
        // Expected value from `printf %s VERIFIER | openssl dgst -sha256 -binary | base64url`.
        let v = Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gXk2aItgs");
        assert_eq!(challenge(&v), "s1VoCf_25ENRn7zTRlWAHKU26FYz7PnN6hHd5FQErPQ");
    }

    #[test]
    fn random_text_is_long_and_varies() {
        let a = random_text(64);
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_text(64));
    }
}
