//! The Entra v2 client: the token endpoint (password, refresh token, device code, authorization
//! code grants) and the device-code endpoint, over reqwest with rustls.
//!
//! Forms are encoded exactly as the vendor article shows, plus `offline_access` in the scope so a
//! refresh token comes back. Retries follow the body, not only the status: a refusal (an Entra
//! error with an AADSTS code) is never retried, whatever the status it came with. Other 429 and
//! 5xx answers are retried with bounded backoff that honours `Retry-After`, except for the
//! password grant: a password is sent again only when it provably never reached a server (the
//! connection could not be made), so a wrong password is sent once and never feeds an account
//! lockout.

pub mod description;
pub mod error;
pub mod wire;

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};

pub use error::{EntraError, Refusal};
pub use wire::{DeviceCodeResponse, ErrorBody, TokenResponse};

use crate::profile::Endpoint;
use crate::secret::Secret;

/// Larger answers are refused: a token response is a few kilobytes.
const MAX_BODY: usize = 1024 * 1024;

/// How hard to try when Entra is throttling or failing.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Total attempts, the first included.
    pub attempts: u32,
    /// Wait before the first retry when no `Retry-After` is given; doubles each time.
    pub first_backoff: Duration,
    /// Never wait longer than this in one go, nor in total.
    pub max_wait: Duration,
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            first_backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(30),
            budget: Duration::from_secs(60),
        }
    }
}

/// A cheap-to-clone Entra client.
#[derive(Clone, Debug)]
pub struct EntraClient {
    http: reqwest::Client,
    /// Without proxies: for loopback authorities, which a proxy must never see.
    direct: reqwest::Client,
    timeout: Duration,
    retry: RetryPolicy,
}

/// One poll of the device-code grant.
#[derive(Debug)]
pub enum DevicePoll {
    Pending,
    SlowDown,
    Done(TokenResponse),
}

pub fn user_agent() -> String {
    format!("lcsauth/{}", env!("CARGO_PKG_VERSION"))
}

impl EntraClient {
    pub fn new(timeout: Duration, retry: RetryPolicy) -> Result<Self, EntraError> {
        let builder = || {
            reqwest::Client::builder()
                .user_agent(user_agent())
                .timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(10)))
                .redirect(reqwest::redirect::Policy::none())
        };
        let http = builder().build().map_err(|e| EntraError::Client(e.to_string()))?;
        let direct = builder()
            .no_proxy()
            .build()
            .map_err(|e| EntraError::Client(e.to_string()))?;
        Ok(Self {
            http,
            direct,
            timeout,
            retry,
        })
    }

    pub fn token_url(ep: &Endpoint) -> String {
        format!("{}/{}/oauth2/v2.0/token", ep.authority.trim_end_matches('/'), ep.tenant)
    }

    pub fn device_code_url(ep: &Endpoint) -> String {
        format!(
            "{}/{}/oauth2/v2.0/devicecode",
            ep.authority.trim_end_matches('/'),
            ep.tenant
        )
    }

    fn scope(ep: &Endpoint) -> String {
        format!("{} offline_access", ep.scope)
    }

    /// The password grant (ROPC), as in the vendor article.
    pub async fn password(
        &self,
        ep: &Endpoint,
        username: &str,
        password: &Secret,
    ) -> Result<TokenResponse, EntraError> {
        let scope = Self::scope(ep);
        let form = [
            ("client_id", ep.client_id.as_str()),
            ("scope", scope.as_str()),
            ("username", username),
            ("password", password.expose()),
            ("grant_type", "password"),
        ];
        self.token_with(&Self::token_url(ep), &form, Resend::OnlyUnsent).await
    }

    /// The client-credentials grant with a client secret: a token for the app itself.
    pub async fn client_credentials(&self, ep: &Endpoint, client_secret: &Secret) -> Result<TokenResponse, EntraError> {
        let form = [
            ("client_id", ep.client_id.as_str()),
            ("client_secret", client_secret.expose()),
            ("scope", ep.scope.as_str()),
            ("grant_type", "client_credentials"),
        ];
        self.token(&Self::token_url(ep), &form).await
    }

    /// Redeems a refresh token; the answer carries a new one that replaces it.
    pub async fn refresh(&self, ep: &Endpoint, refresh_token: &Secret) -> Result<TokenResponse, EntraError> {
        let scope = Self::scope(ep);
        let form = [
            ("client_id", ep.client_id.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
            ("scope", scope.as_str()),
        ];
        self.token(&Self::token_url(ep), &form).await
    }

    /// Redeems an authorization code with its PKCE verifier (no secret: public client).
    pub async fn redeem_code(
        &self,
        ep: &Endpoint,
        code: &Secret,
        redirect_uri: &str,
        verifier: &Secret,
    ) -> Result<TokenResponse, EntraError> {
        let scope = Self::scope(ep);
        let form = [
            ("client_id", ep.client_id.as_str()),
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
            ("scope", scope.as_str()),
        ];
        self.token(&Self::token_url(ep), &form).await
    }

    /// Starts the device-code flow.
    pub async fn device_code(&self, ep: &Endpoint) -> Result<DeviceCodeResponse, EntraError> {
        self.device_code_with_claims(ep, None).await
    }

    /// Starts the device-code flow, passing a claims challenge Entra asked for (a step-up).
    pub async fn device_code_with_claims(
        &self,
        ep: &Endpoint,
        claims: Option<&str>,
    ) -> Result<DeviceCodeResponse, EntraError> {
        let scope = Self::scope(ep);
        let mut form = vec![("client_id", ep.client_id.as_str()), ("scope", scope.as_str())];
        if let Some(c) = claims {
            form.push(("claims", c));
        }
        let url = Self::device_code_url(ep);
        let (status, headers, body) = self.send(&url, &form).await?;
        if status == 200 {
            return serde_json::from_slice(&body).map_err(|_| bad(&url, status, &headers, "not a device-code answer"));
        }
        Err(refusal_or_bad(&url, status, &headers, &body))
    }

    /// One poll of the token endpoint for a device code.
    pub async fn poll_device_code(&self, ep: &Endpoint, device_code: &Secret) -> Result<DevicePoll, EntraError> {
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", ep.client_id.as_str()),
            ("device_code", device_code.expose()),
        ];
        match self.token(&Self::token_url(ep), &form).await {
            Ok(t) => Ok(DevicePoll::Done(t)),
            Err(EntraError::Refused(r)) if r.body.error == "authorization_pending" => Ok(DevicePoll::Pending),
            Err(EntraError::Refused(r)) if r.body.error == "slow_down" => Ok(DevicePoll::SlowDown),
            Err(e) => Err(e),
        }
    }

    async fn token(&self, url: &str, form: &[(&str, &str)]) -> Result<TokenResponse, EntraError> {
        self.token_with(url, form, Resend::Transient).await
    }

    async fn token_with(&self, url: &str, form: &[(&str, &str)], resend: Resend) -> Result<TokenResponse, EntraError> {
        let (status, headers, body) = self.send_with(url, form, resend).await?;
        if status == 200 {
            return parse_token(url, status, &headers, &body);
        }
        Err(refusal_or_bad(url, status, &headers, &body))
    }

    async fn send(&self, url: &str, form: &[(&str, &str)]) -> Result<(u16, HeaderMap, Vec<u8>), EntraError> {
        self.send_with(url, form, Resend::Transient).await
    }

    /// POSTs a form, retrying within the policy what `resend` allows. Returns the final status
    /// and body.
    async fn send_with(
        &self,
        url: &str,
        form: &[(&str, &str)],
        resend: Resend,
    ) -> Result<(u16, HeaderMap, Vec<u8>), EntraError> {
        let started = tokio::time::Instant::now();
        let mut backoff = self.retry.first_backoff;
        let mut attempt = 1;
        // Encoded once; every attempt shares the buffer, which is wiped when the last one drops.
        let form = form_body(form);
        loop {
            let (outcome, unsent) = match self.send_once(url, &form).await {
                Ok(answer) => (Ok(answer), false),
                Err(Failed { error, unsent }) => (Err(error), unsent),
            };
            let wait = match &outcome {
                // A refusal is a refusal whatever the status: sending it again changes nothing
                // and a refused password counts towards the account's lockout.
                Ok((_, _, body)) if is_refusal(body) => return outcome,
                Ok((status, headers, _)) if resend == Resend::Transient && (*status == 429 || *status >= 500) => {
                    retry_after(headers).unwrap_or(backoff)
                }
                // Nothing reached a server: one quick retry covers a blip; more only delays the
                // message when the host is down or the address is wrong.
                Err(EntraError::Network { .. }) if attempt == 1 && (unsent || resend == Resend::Transient) => backoff,
                _ => return outcome,
            };
            let spent = started.elapsed();
            if attempt >= self.retry.attempts || wait > self.retry.max_wait || spent + wait > self.retry.budget {
                return match outcome {
                    Ok((status, headers, body)) => Err(if status == 429 || status >= 500 {
                        EntraError::Unavailable {
                            url: url.to_string(),
                            status,
                            retry_after: retry_after(&headers),
                        }
                    } else {
                        refusal_or_bad(url, status, &headers, &body)
                    }),
                    Err(e) => Err(e),
                };
            }
            tracing::debug!(
                url,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying token request"
            );
            tokio::time::sleep(wait).await;
            backoff = (backoff * 2).min(self.retry.max_wait);
            attempt += 1;
        }
    }

    async fn send_once(&self, url: &str, form: &bytes::Bytes) -> Result<(u16, HeaderMap, Vec<u8>), Failed> {
        let request_id = uuid::Uuid::new_v4().to_string();
        // A proxy from the environment is for the internet: a loopback authority's form (a
        // password, a refresh token) goes straight to it.
        let http = if is_loopback(url) { &self.direct } else { &self.http };
        let response = http
            .post(url)
            .header("Accept", "application/json")
            .header("client-request-id", &request_id)
            .header("return-client-request-id", "true")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form.clone())
            .send()
            .await
            .map_err(|e| Failed {
                // Only a failed connect proves the form never left this machine.
                unsent: e.is_connect(),
                error: self.transport_error(url, &e),
            })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = read_capped(response).await.map_err(|e| Failed {
            unsent: false,
            error: match e {
                Capped::TooLarge => bad(url, status, &headers, "the answer is larger than 1 MiB"),
                Capped::Transport(e) => self.transport_error(url, &e),
            },
        })?;
        tracing::debug!(url, status, bytes = body.len(), "token endpoint answered");
        Ok((status, headers, body))
    }

    fn transport_error(&self, url: &str, e: &reqwest::Error) -> EntraError {
        if e.is_timeout() {
            return EntraError::Timeout {
                url: url.to_string(),
                timeout: self.timeout,
            };
        }
        let reason = error::innermost_cause(e);
        EntraError::Network {
            url: url.to_string(),
            reason,
        }
    }
}

/// True for `localhost` and loopback addresses.
pub fn is_loopback(url: &str) -> bool {
    let Some(host) = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare == "localhost" || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A form body that wipes its buffer when the last reference to it drops: the form of a
/// password or refresh-token grant does not linger in freed memory.
struct WipedOnDrop(zeroize::Zeroizing<Vec<u8>>);

impl AsRef<[u8]> for WipedOnDrop {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// `application/x-www-form-urlencoded`, as browsers and reqwest's `form` encode it, into one
/// buffer sized up front (a growing buffer would leave unwiped copies behind).
fn form_body(form: &[(&str, &str)]) -> bytes::Bytes {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let worst: usize = form.iter().map(|(k, v)| 3 * (k.len() + v.len()) + 2).sum();
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(worst));
    for (i, (k, v)) in form.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        for (j, part) in [k, v].iter().enumerate() {
            if j == 1 {
                out.push(b'=');
            }
            for &b in part.as_bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b),
                    b' ' => out.push(b'+'),
                    _ => out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]),
                }
            }
        }
    }
    bytes::Bytes::from_owner(WipedOnDrop(out))
}

/// Which failures a request may be sent again after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resend {
    /// 429, 5xx without a refusal, and one network failure.
    Transient,
    /// Only a connection that could not be made: the password grant.
    OnlyUnsent,
}

/// A request that got no answer, and whether it provably never reached a server.
struct Failed {
    error: EntraError,
    unsent: bool,
}

/// True when a body is Entra saying no: an `error` with an AADSTS code. Such an answer is never
/// retried, even with a 429 or 5xx status; Entra's own "try again later" errors are not refusals.
pub fn is_refusal(body: &[u8]) -> bool {
    let Ok(err) = serde_json::from_slice::<ErrorBody>(body) else {
        return false;
    };
    let transient = matches!(err.error.as_str(), "temporarily_unavailable" | "server_error" | "");
    let coded = !err.error_codes.is_empty()
        || err
            .error_description
            .as_deref()
            .is_some_and(|d| d.trim_start().starts_with("AADSTS"));
    coded && !transient
}

enum Capped {
    TooLarge,
    Transport(reqwest::Error),
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, Capped> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Capped::Transport)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Capped::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    v.parse::<u64>().ok().map(Duration::from_secs)
}

fn content_type(headers: &HeaderMap) -> String {
    headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map_or_else(
        || "no content type".to_string(),
        |s| s.split(';').next().unwrap_or(s).trim().to_string(),
    )
}

/// Describes an unusable answer without quoting it: a body may hold a token.
fn bad(url: &str, status: u16, headers: &HeaderMap, detail: &str) -> EntraError {
    EntraError::BadResponse {
        url: url.to_string(),
        status,
        content_type: content_type(headers),
        detail: detail.to_string(),
    }
}

fn parse_token(url: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Result<TokenResponse, EntraError> {
    if body.trim_ascii_start().starts_with(b"<") {
        return Err(bad(
            url,
            status,
            headers,
            "an HTML page instead of JSON (a proxy, captive portal or wrong authority?)",
        ));
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Err(_) => Err(bad(url, status, headers, "the body is not valid JSON")),
        Ok(value) => match serde_json::from_value::<TokenResponse>(value) {
            Ok(t) => Ok(t),
            Err(_) => Err(bad(url, status, headers, "JSON without a usable access_token")),
        },
    }
}

fn refusal_or_bad(url: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> EntraError {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(mut err) if !err.error.is_empty() => {
            if err.correlation_id.is_none() {
                err.correlation_id = headers
                    .get("client-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
            }
            EntraError::Refused(Box::new(Refusal {
                http_status: status,
                body: err,
            }))
        }
        _ if status == 429 || status >= 500 => EntraError::Unavailable {
            url: url.to_string(),
            status,
            retry_after: retry_after(headers),
        },
        _ if body.trim_ascii_start().starts_with(b"<") => {
            bad(url, status, headers, "an HTML page instead of an Entra error")
        }
        _ => bad(url, status, headers, "not an Entra error body"),
    }
}

#[cfg(test)]
mod loopback_tests {
    use super::{form_body, is_loopback};

    #[test]
    fn form_bodies_are_encoded_as_the_url_standard_encodes_forms() {
        let form = [
            ("username", "ops@contoso.onmicrosoft.com"),
            ("password", "p&ss=w%rd+ with spaces ünï €"),
            ("scope", "https://lcsapi.lcs.dynamics.com//.default offline_access"),
            ("x", "*-._~!'()"),
        ];
        let mut reference = reqwest::Url::parse("http://x/").unwrap();
        reference.query_pairs_mut().extend_pairs(form);
        assert_eq!(
            std::str::from_utf8(&form_body(&form)).unwrap(),
            reference.query().unwrap()
        );
    }

    #[test]
    fn loopback_hosts_are_recognised_and_lookalikes_are_not() {
        for url in [
            "http://127.0.0.1:8080/t",
            "http://localhost/x",
            "http://[::1]:9/",
            "http://127.8.9.1/",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://login.microsoftonline.com/",
            "http://localhost.evil.example/",
            "http://10.0.0.1/",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }
}
