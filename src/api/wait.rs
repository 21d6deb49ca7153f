//! Waiting out a long operation: LCS's `fetchstatus` for an `OperationActivityId`, or the
//! `Location` of a Power Platform 202, polled until a final state.
//!
//! The I/O is the caller's ([`WaitIo`]): it takes a fresh token for every poll, sleeps
//! (interruptibly) and shows progress. Tests drive the loop with a fake clock.

use std::time::Duration;

pub use super::operation::{Operation, operation_after};
use super::target::Service;
use super::verdict::{OpState, Verdict, judge, op_state};

/// One poll's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollAnswer {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollError {
    /// Ctrl-C while the poll was under way.
    Interrupted,
    /// No answer (network): retried a few times.
    Failed(String),
    /// No token, or another refusal before the request: not retried.
    Fatal(String),
}

/// Where a wait stands, for the progress line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub elapsed: Duration,
    pub state: String,
    pub polls: u32,
    /// The next poll is this far away.
    pub next: Duration,
}

/// The caller's side of the loop.
pub trait WaitIo {
    /// GET `url` with a fresh token.
    fn poll(&mut self, url: &str) -> Result<PollAnswer, PollError>;
    /// Sleeps; false when interrupted (Ctrl-C).
    fn sleep(&mut self, pause: Duration) -> bool;
    /// Time since the wait began.
    fn elapsed(&self) -> Duration;
    fn progress(&mut self, progress: &Progress);
}

/// How a wait ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitEnd {
    Succeeded {
        state: String,
        body: Vec<u8>,
    },
    Failed {
        state: String,
        body: Vec<u8>,
    },
    /// Ctrl-C: the operation goes on.
    Interrupted,
    /// The answer was a refusal (401, 403, `IsSuccess: false`, another status): not retried.
    Refused(Verdict, Vec<u8>),
    /// Still running after the longest wait.
    GaveUp {
        state: String,
    },
    /// Polls kept failing.
    Broken(String),
}

#[derive(Clone, Debug)]
pub struct WaitSettings {
    /// Between polls when the server names no `Retry-After`.
    pub interval: Duration,
    /// The longest `Retry-After` honoured (a longer one is cut to this).
    pub max_retry_after: Duration,
    /// Give up after this long (LCS operations take up to 24 h).
    pub max_wait: Duration,
    /// Failed polls in a row before giving up.
    pub max_failures: u32,
}

impl Default for WaitSettings {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(300),
            max_wait: Duration::from_secs(26 * 3600),
            max_failures: 5,
        }
    }
}

/// Polls `op` until it ends, is interrupted, or the wait runs out.
pub fn wait(op: &Operation, io: &mut dyn WaitIo, settings: &WaitSettings) -> WaitEnd {
    let mut polls = 0u32;
    let mut failures = 0u32;
    let mut state = String::from("started");
    loop {
        let mut pause = settings.interval;
        match io.poll(&op.status_url) {
            Err(PollError::Interrupted) => return WaitEnd::Interrupted,
            Err(PollError::Fatal(reason)) => return WaitEnd::Broken(reason),
            Err(PollError::Failed(reason)) => {
                failures += 1;
                if failures >= settings.max_failures {
                    return WaitEnd::Broken(reason);
                }
                state = format!("{state} (poll failed: {reason}; retrying)");
            }
            Ok(answer) => {
                failures = 0;
                polls += 1;
                if let Some(r) = answer.retry_after {
                    pause = r;
                }
                match judge(op.service, answer.status, answer.retry_after, &answer.body) {
                    Verdict::Throttled(_) => state = "throttled (429)".into(),
                    Verdict::Ok => match op_state(op.service, answer.status, &answer.body) {
                        Some(OpState::Running(s)) => state = s,
                        Some(OpState::Succeeded(s)) => {
                            return WaitEnd::Succeeded {
                                state: s,
                                body: answer.body,
                            };
                        }
                        Some(OpState::Failed(s)) => {
                            return WaitEnd::Failed {
                                state: s,
                                body: answer.body,
                            };
                        }
                        // A Power Platform operation URL that answers 200 without a state is done.
                        None if op.service == Service::PowerPlatform && answer.status == 200 => {
                            return WaitEnd::Succeeded {
                                state: "done".into(),
                                body: answer.body,
                            };
                        }
                        None if answer.status == 202 => state = "accepted".into(),
                        None => {
                            return WaitEnd::Broken(format!("status answer {} names no state", answer.status));
                        }
                    },
                    refusal => return WaitEnd::Refused(refusal, answer.body),
                }
            }
        }
        let pause = pause.clamp(Duration::from_secs(1), settings.max_retry_after);
        let elapsed = io.elapsed();
        if elapsed >= settings.max_wait {
            return WaitEnd::GaveUp { state };
        }
        io.progress(&Progress {
            elapsed,
            state: state.clone(),
            polls,
            next: pause,
        });
        if !io.sleep(pause) {
            return WaitEnd::Interrupted;
        }
    }
}
