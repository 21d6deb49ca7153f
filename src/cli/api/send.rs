//! Sending: each request with a token fresh by the broker's rule, the answer read with the
//! body bound, 429s waited out, and Ctrl-C seen by every request and pause.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use lcsauth::api::{ApiRequest, BODY_LIMIT, verdict};
use lcsauth::profile::Profile;
use lcsauth::time::duration;

use crate::cli::token_cmd;
use crate::front::Ctx;
use crate::front::failure::{Exit, Failure};

/// How long 429s are waited out in all before giving up.
const THROTTLE_BUDGET: Duration = Duration::from_secs(120);

/// The client every request of `api` goes out on: lcsauth's user agent, the configured
/// timeout, and no redirect followed.
pub(super) fn http_client(timeout: Duration) -> Result<reqwest::Client, Failure> {
    reqwest::Client::builder()
        .user_agent(lcsauth::entra::user_agent())
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot build the HTTP client: {e}")))
}

/// Ctrl-C, seen by every wait and request after it arrives.
#[derive(Clone)]
pub(super) struct Interrupt(Arc<watch::Sender<bool>>);

impl Interrupt {
    pub(super) fn new() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }

    pub(super) fn listen(&self, rt: &tokio::runtime::Runtime) {
        let tx = self.0.clone();
        rt.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                tx.send_replace(true);
            }
        });
    }

    async fn wait(&self) {
        let mut rx = self.0.subscribe();
        let _ = rx.wait_for(|stop| *stop).await;
    }

    pub(super) fn raised(&self) -> bool {
        *self.0.borrow()
    }
}

/// An answer as it came: status, the headers the wait and the printer need, and the body.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) retry_after: Option<Duration>,
    pub(super) location: Option<String>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

/// Why a request got no answer.
pub(super) enum SendError {
    Interrupted,
    Network(String),
    Token(Failure),
}

/// Sends requests, each with a token that is fresh by the broker's rule.
pub(super) struct Caller<'a> {
    pub(super) ctx: &'a Ctx,
    pub(super) profile: &'a Profile,
    /// Whose token every request carries.
    pub(super) audience: lcsauth::audience::Audience,
    pub(super) min_valid: Option<Duration>,
    pub(super) http: reqwest::Client,
    pub(super) rt: &'a tokio::runtime::Runtime,
    pub(super) interrupt: Interrupt,
}

impl Caller<'_> {
    pub(super) fn send(&self, req: &ApiRequest) -> Result<Answer, SendError> {
        let (_, _, issued) = token_cmd::fresh_for(
            self.ctx,
            Some(self.profile.name.as_str()),
            Some(&self.audience),
            self.min_valid,
            false,
            false,
        )
        .map_err(SendError::Token)?;
        let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut builder = self
            .http
            .request(method, &req.url)
            .bearer_auth(issued.access_token.expose());
        for (name, value) in &req.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        } else if !req.method.reads() {
            builder = builder.header("Content-Length", "0");
        }
        let interrupt = self.interrupt.clone();
        self.rt.block_on(async move {
            tokio::select! {
                () = interrupt.wait() => Err(SendError::Interrupted),
                answer = read(builder) => answer.map_err(SendError::Network),
            }
        })
    }

    /// [`Caller::send`], waiting out 429s within [`THROTTLE_BUDGET`].
    pub(super) fn send_throttled(&mut self, req: &ApiRequest) -> Result<Answer, Failure> {
        let mut waited = Duration::ZERO;
        loop {
            let answer = match self.send(req) {
                Ok(a) => a,
                Err(SendError::Token(f)) => return Err(f),
                Err(SendError::Interrupted) => return Err(Failure::new(Exit::Failure, "interrupted")),
                Err(SendError::Network(e)) => return Err(Failure::new(Exit::Unavailable, e)),
            };
            if answer.status != 429 {
                return Ok(answer);
            }
            let pause = answer
                .retry_after
                .unwrap_or(Duration::from_secs(10))
                .max(Duration::from_secs(1));
            if waited + pause > THROTTLE_BUDGET {
                return Err(Failure::new(
                    Exit::Unavailable,
                    format!(
                        "throttled (429): waited {} in all; the API asks for {} more: try again later",
                        duration::text(waited),
                        duration::text(pause)
                    ),
                ));
            }
            eprintln!(
                "throttled (429): waiting {} as the API asks (Retry-After)",
                duration::text(pause)
            );
            if !self.sleep(pause) {
                return Err(Failure::new(Exit::Failure, "interrupted"));
            }
            waited += pause;
        }
    }

    pub(super) fn sleep(&self, pause: Duration) -> bool {
        let interrupt = self.interrupt.clone();
        self.rt.block_on(async move {
            tokio::select! {
                () = interrupt.wait() => false,
                () = tokio::time::sleep(pause) => true,
            }
        })
    }
}

/// Sends and reads the answer with the body bound.
async fn read(builder: reqwest::RequestBuilder) -> Result<Answer, String> {
    let mut response = builder
        .send()
        .await
        .map_err(|e| format!("no answer: {}", lcsauth::entra::error::innermost_cause(&e)))?;
    let status = response.status().as_u16();
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let retry_after = verdict::retry_after(header(reqwest::header::RETRY_AFTER).as_deref());
    let location = header(reqwest::header::LOCATION);
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("the answer broke off: {}", lcsauth::entra::error::innermost_cause(&e)))?
    {
        if body.len() + chunk.len() > BODY_LIMIT {
            return Err(format!("the answer is larger than {} MiB", BODY_LIMIT >> 20));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        retry_after,
        location,
        headers,
        body,
    })
}
