//! `api`: one call to the LCS or Power Platform API with the right host and a fresh token per
//! request, and `--wait` for the operation it starts. The rules live in `lcsauth::api`; this
//! module parses, asks, sends and prints.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use lcsauth::api::mask::mask_sas;
use lcsauth::api::request::{self, Placeholders};
use lcsauth::api::verdict::{self, Verdict, judge};
use lcsauth::api::wait::{self, Operation, PollAnswer, PollError, Progress, WaitEnd, WaitIo, WaitSettings};
use lcsauth::api::{ApiRequest, BODY_LIMIT, Method, Target, target, visible, visible_line};
use lcsauth::profile::Profile;
use lcsauth::time::duration;

use super::args::ApiArgs;
use super::token_cmd;
use crate::front::failure::{Exit, Failure};
use crate::front::{Ctx, runtime};

/// How long 429s are waited out in all before giving up.
const THROTTLE_BUDGET: Duration = Duration::from_secs(120);

/// The exit code of a wait stopped by Ctrl-C, as shells report SIGINT.
const INTERRUPTED: u8 = 130;

pub fn run(ctx: &Ctx, a: &ApiArgs) -> Result<(), Failure> {
    let (name, path) = match a.args.as_slice() {
        [path] => (None, path.as_str()),
        [name, path] => (Some(name.as_str()), path.as_str()),
        _ => return Err(Failure::usage("api takes [NAME] PATH")),
    };
    let config = ctx.config()?;
    let profile = ctx.select(&config, name)?.clone();
    let by_url = (a.audience.is_none() && (path.starts_with("https://") || path.starts_with("http://")))
        .then(|| target::resolve_for_url(&profile, path))
        .flatten();
    let target = match by_url {
        Some(t) => t,
        None => target::resolve(&profile, a.audience.as_deref()).map_err(|e| Failure::usage(e.to_string()))?,
    };
    let body = read_input(a.input.as_deref())?;
    let method = a.method.unwrap_or(if body.is_some() || !a.fields.is_empty() {
        Method::Post
    } else {
        Method::Get
    });
    let values = Placeholders {
        profile: profile.name.to_string(),
        project_id: profile.project_id.as_ref().map(|p| p.as_str().to_string()),
        environment_id: profile.environment_id.as_ref().map(|e| e.as_str().to_string()),
    };
    let req =
        request::build(&target, method, path, &a.fields, body, &values).map_err(|e| Failure::usage(e.to_string()))?;
    if let Some(op) = req.lcs_operation() {
        eprintln!(
            "note: LCS allows 3 refresh/export operations per environment per rolling 24 h (the portal's count \
             too); its API does not report how many are used, so lcsauth cannot say how many of {}'s remain",
            op.environment
        );
    }
    if a.dry_run {
        let mut out = std::io::stdout().lock();
        out.write_all(req.render().as_bytes())?;
        return Ok(());
    }
    if req.needs_confirmation() && !a.yes {
        confirm(&req)?;
    }
    let interrupt = Interrupt::new();
    let rt = runtime()?;
    interrupt.listen(&rt);
    let mut caller = Caller {
        ctx,
        profile: &profile,
        audience: target.audience.clone(),
        min_valid: a.min_valid,
        http: http_client(config.settings.http_timeout)?,
        rt: &rt,
        interrupt: interrupt.clone(),
    };
    let answer = caller.send_throttled(&req)?;
    let terminal = std::io::stdout().is_terminal();
    print_answer(&answer, Show::of(a, terminal))?;
    let verdict = judge(req.service, answer.status, answer.retry_after, &answer.body);
    if verdict != Verdict::Ok {
        return Err(failure_of(&verdict, &target));
    }
    if !a.wait {
        return Ok(());
    }
    let Some(op) = wait::operation_after(&req, answer.status, answer.location.as_deref(), &answer.body) else {
        eprintln!("nothing to wait for: the answer names no operation");
        return Ok(());
    };
    if let Ok(url) = reqwest::Url::parse(&op.status_url) {
        request::check_host(&target, &url)
            .map_err(|e| Failure::new(Exit::Refused, format!("not following the operation: {e}")))?;
    }
    let settings = WaitSettings {
        interval: a.interval.unwrap_or(WaitSettings::default().interval),
        ..WaitSettings::default()
    };
    let mut io = CliWait {
        caller,
        service: op.service,
        started: Instant::now(),
        tty: std::io::stderr().is_terminal(),
        last_state: String::new(),
        last_line: Instant::now(),
    };
    let end = wait::wait(&op, &mut io, &settings);
    if io.tty {
        eprintln!();
    }
    finish(end, &op, &profile, a, &target, terminal)
}

/// The body of `--input`, read with the size bound.
fn read_input(input: Option<&str>) -> Result<Option<Vec<u8>>, Failure> {
    let Some(input) = input else { return Ok(None) };
    let mut data = Vec::new();
    let limit = u64::try_from(BODY_LIMIT).unwrap_or(u64::MAX) + 1;
    let read = if input == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut data)
    } else {
        std::fs::File::open(input).and_then(|f| f.take(limit).read_to_end(&mut data))
    };
    read.map_err(|e| Failure::usage(format!("cannot read --input {input}: {e}")))?;
    if data.len() > BODY_LIMIT {
        return Err(Failure::usage(format!(
            "--input {input} is larger than {} MiB",
            BODY_LIMIT >> 20
        )));
    }
    Ok(Some(data))
}

/// Asks on a terminal; refuses without one.
fn confirm(req: &ApiRequest) -> Result<(), Failure> {
    let what = format!("{} {}", req.method, visible_line(&req.url));
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Failure::usage(format!(
            "{what} changes something: confirm with --yes (or run it on a terminal), or see it with --dry-run"
        )));
    }
    eprint!("{what}\nThis changes the environment and cannot be undone from here. Go ahead? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the answer: {e}")))?;
    if matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(Failure::usage("not confirmed: nothing was sent"))
    }
}

fn http_client(timeout: Duration) -> Result<reqwest::Client, Failure> {
    reqwest::Client::builder()
        .user_agent(lcsauth::entra::user_agent())
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot build the HTTP client: {e}")))
}

/// Ctrl-C, seen by every wait and request after it arrives.
#[derive(Clone)]
struct Interrupt(Arc<watch::Sender<bool>>);

impl Interrupt {
    fn new() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }

    fn listen(&self, rt: &tokio::runtime::Runtime) {
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

    fn raised(&self) -> bool {
        *self.0.borrow()
    }
}

struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    location: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

enum SendError {
    Interrupted,
    Network(String),
    Token(Failure),
}

/// Sends requests, each with a token that is fresh by the broker's rule.
struct Caller<'a> {
    ctx: &'a Ctx,
    profile: &'a Profile,
    /// Whose token every request carries.
    audience: lcsauth::audience::Audience,
    min_valid: Option<Duration>,
    http: reqwest::Client,
    rt: &'a tokio::runtime::Runtime,
    interrupt: Interrupt,
}

impl Caller<'_> {
    fn send(&self, req: &ApiRequest) -> Result<Answer, SendError> {
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
    fn send_throttled(&mut self, req: &ApiRequest) -> Result<Answer, Failure> {
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

    fn sleep(&self, pause: Duration) -> bool {
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

/// How answers are printed.
#[derive(Clone, Copy)]
struct Show {
    include: bool,
    silent: bool,
    secrets: bool,
    /// Standard output is a terminal.
    terminal: bool,
}

impl Show {
    fn of(a: &ApiArgs, terminal: bool) -> Self {
        Self {
            include: a.include,
            silent: a.silent,
            secrets: a.show_secrets,
            terminal,
        }
    }
}

impl Answer {
    fn body_only(body: Vec<u8>) -> Self {
        Self {
            status: 200,
            retry_after: None,
            location: None,
            headers: Vec::new(),
            body,
        }
    }
}

/// Writes the answer: pretty, visible and masked on a terminal; as it came otherwise.
fn print_answer(answer: &Answer, a: Show) -> Result<(), Failure> {
    let terminal = a.terminal;
    let mut out = std::io::stdout().lock();
    let shown = |text: &str| {
        let text = if terminal { visible(text) } else { text.to_string() };
        if terminal && !a.secrets { mask_sas(&text) } else { text }
    };
    if a.include {
        let mut head = format!("HTTP {}\n", answer.status);
        for (n, v) in &answer.headers {
            let _ = writeln!(head, "{n}: {}", if terminal { visible_line(v) } else { v.clone() });
        }
        head.push('\n');
        out.write_all(shown(&head).as_bytes())?;
    }
    if a.silent || answer.body.is_empty() {
        return Ok(());
    }
    if terminal {
        // JSON keeps its exact value (the core's JSON escapes); other text has its controls shown.
        let pretty = serde_json::from_slice::<serde_json::Value>(&answer.body)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok());
        let text = match pretty {
            Some(json) => lcsauth::sanitize::json(&json).into_owned(),
            None => visible(&String::from_utf8_lossy(&answer.body)),
        };
        let text = if a.secrets { text } else { mask_sas(&text) };
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
    } else {
        out.write_all(&answer.body)?;
    }
    out.flush()?;
    Ok(())
}

/// A verdict other than OK as the failure to exit with.
fn failure_of(v: &Verdict, target: &Target) -> Failure {
    match v {
        Verdict::Ok => Failure::new(Exit::Failure, String::new()),
        Verdict::Refused { message, activity_id } => Failure::new(
            Exit::Refused,
            format!(
                "LCS answered IsSuccess: false: {message}{}",
                activity_id
                    .as_ref()
                    .map(|a| format!(" (activity id {a})"))
                    .unwrap_or_default()
            ),
        ),
        Verdict::Unauthorized(text) | Verdict::Forbidden(text) => Failure::new(Exit::Refused, text.clone()),
        Verdict::Throttled(retry) => Failure::new(
            Exit::Unavailable,
            format!(
                "throttled (429) by {}: retry after {}",
                target.base,
                duration::text(retry.unwrap_or(Duration::from_secs(60)))
            ),
        ),
        Verdict::Status(status) => Failure::new(
            if *status >= 500 {
                Exit::Unavailable
            } else {
                Exit::Failure
            },
            format!("{} answered HTTP {status}", target.base),
        ),
    }
}

/// The CLI's side of the wait loop: a fresh token per poll, Ctrl-C, the progress line.
struct CliWait<'a> {
    caller: Caller<'a>,
    service: lcsauth::api::Service,
    started: Instant,
    tty: bool,
    last_state: String,
    last_line: Instant,
}

impl WaitIo for CliWait<'_> {
    fn poll(&mut self, url: &str) -> Result<PollAnswer, PollError> {
        if self.caller.interrupt.raised() {
            return Err(PollError::Interrupted);
        }
        let req = ApiRequest {
            service: self.caller_service(),
            method: Method::Get,
            url: url.to_string(),
            headers: self.headers(),
            body: None,
        };
        match self.caller.send(&req) {
            Ok(a) => Ok(PollAnswer {
                status: a.status,
                retry_after: a.retry_after,
                body: a.body,
            }),
            Err(SendError::Interrupted) => Err(PollError::Interrupted),
            Err(SendError::Network(e)) => Err(PollError::Failed(e)),
            Err(SendError::Token(f)) => Err(PollError::Fatal(f.message)),
        }
    }

    fn sleep(&mut self, pause: Duration) -> bool {
        self.caller.sleep(pause)
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn progress(&mut self, p: &Progress) {
        let elapsed = duration::text(Duration::from_secs(p.elapsed.as_secs()));
        if self.tty {
            eprint!(
                "\r\x1b[2Kwaiting {elapsed}: {} (poll {}, next in {})",
                p.state,
                p.polls,
                duration::text(p.next)
            );
            let _ = std::io::stderr().flush();
        } else if p.state != self.last_state || self.last_line.elapsed() >= Duration::from_secs(300) {
            eprintln!("waiting {elapsed}: {}", p.state);
            self.last_line = Instant::now();
        }
        self.last_state.clone_from(&p.state);
    }
}

impl CliWait<'_> {
    fn caller_service(&self) -> lcsauth::api::Service {
        self.service
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        let mut h = vec![("Accept", "application/json".to_string())];
        if self.caller_service() == lcsauth::api::Service::Lcs {
            h.push(("x-ms-version", lcsauth::api::LCS_API_VERSION.to_string()));
        }
        h
    }
}

/// The exit of a wait, with the final answer printed.
fn finish(
    end: WaitEnd,
    op: &Operation,
    profile: &Profile,
    a: &ApiArgs,
    target: &Target,
    terminal: bool,
) -> Result<(), Failure> {
    let show = Show {
        include: false,
        ..Show::of(a, terminal)
    };
    let print = |body: Vec<u8>| print_answer(&Answer::body_only(body), show);
    match end {
        WaitEnd::Succeeded { state, body } => {
            print(body)?;
            eprintln!("operation ended: {state}");
            Ok(())
        }
        WaitEnd::Failed { state, body } => {
            print(body)?;
            Err(Failure::new(Exit::Failure, format!("operation ended: {state}")))
        }
        WaitEnd::Refused(v, body) => {
            print(body)?;
            Err(failure_of(&v, target))
        }
        WaitEnd::Interrupted => {
            let resume = reqwest::Url::parse(&op.status_url).map_or_else(
                |_| op.status_url.clone(),
                |u| format!("{}{}", u.path(), u.query().map(|q| format!("?{q}")).unwrap_or_default()),
            );
            let audience = if a.audience.is_some() {
                format!(" --audience {}", op.service)
            } else {
                String::new()
            };
            eprintln!(
                "stopped waiting; the operation goes on (nothing was sent to stop it). Resume the wait with:\n  \
                 lcsauth api {} '{}'{audience} --wait",
                profile.name,
                visible_line(&resume)
            );
            Err(Failure::passthrough(INTERRUPTED))
        }
        WaitEnd::GaveUp { state } => Err(Failure::new(
            Exit::Unavailable,
            format!("gave up waiting: still {state} after the longest wait"),
        )),
        WaitEnd::Broken(reason) => Err(Failure::new(
            Exit::Unavailable,
            format!("cannot follow the operation: {reason}"),
        )),
    }
}
