//! Sending a form to Entra, over reqwest with rustls, and reading a bounded answer.
//!
//! Retries follow the body, not only the status: a refusal (an Entra error with an AADSTS code)
//! is never retried, whatever the status it came with. Other 429 and
//! 5xx answers are retried with bounded backoff that honours `Retry-After`, except for the
//! password grant: a password is sent again only when it provably never reached a server (the
//! connection could not be made), so a wrong password is sent once and never feeds an account
//! lockout.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap};

use super::answer::{bad, is_refusal, refusal_or_bad, retry_after};
use super::error::{self, EntraError};

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

/// The two HTTP clients and the limits every request to Entra runs within.
#[derive(Clone, Debug)]
pub(super) struct Transport {
    http: reqwest::Client,
    /// Without proxies: for loopback authorities, which a proxy must never see.
    direct: reqwest::Client,
    timeout: Duration,
    retry: RetryPolicy,
}

pub fn user_agent() -> String {
    format!("lcsauth/{}", env!("CARGO_PKG_VERSION"))
}

impl Transport {
    pub(super) fn new(timeout: Duration, retry: RetryPolicy) -> Result<Self, EntraError> {
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

    /// POSTs a form, retrying within the policy what `resend` allows. Returns the final status
    /// and body.
    pub(super) async fn send_with(
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
pub(super) enum Resend {
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
