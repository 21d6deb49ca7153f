//! `--wait`: the operation an answer started, followed with a fresh token per poll, a progress
//! line, Ctrl-C that leaves the operation running, and the exit it ends with.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use lcsauth::api::request;
use lcsauth::api::wait::{self, Operation, PollAnswer, PollError, Progress, WaitEnd, WaitIo, WaitSettings};
use lcsauth::api::{ApiRequest, Method, Target, visible_line};
use lcsauth::profile::Profile;
use lcsauth::time::duration;

use super::print::{Show, failure_of, print_answer};
use super::send::{Answer, Caller, SendError};
use crate::cli::args::ApiArgs;
use crate::front::failure::{Exit, Failure};

/// The exit code of a wait stopped by Ctrl-C, as shells report SIGINT.
const INTERRUPTED: u8 = 130;

/// Follows the operation `answer` to `req` started, if it names one, and ends as it ends.
pub(super) fn follow(
    caller: Caller<'_>,
    req: &ApiRequest,
    answer: &Answer,
    a: &ApiArgs,
    target: &Target,
    terminal: bool,
) -> Result<(), Failure> {
    let Some(op) = wait::operation_after(req, answer.status, answer.location.as_deref(), &answer.body) else {
        eprintln!("nothing to wait for: the answer names no operation");
        return Ok(());
    };
    if let Ok(url) = reqwest::Url::parse(&op.status_url) {
        request::check_host(target, &url)
            .map_err(|e| Failure::new(Exit::Refused, format!("not following the operation: {e}")))?;
    }
    let settings = WaitSettings {
        interval: a.interval.unwrap_or(WaitSettings::default().interval),
        ..WaitSettings::default()
    };
    let profile = caller.profile;
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
    finish(end, &op, profile, a, target, terminal)
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
    let show = Show::of(a, terminal).without_head();
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
