//! Waiting out a long operation: LCS's `fetchstatus` for an `OperationActivityId`, or the
//! `Location` of a Power Platform 202, polled until a final state.
//!
//! The I/O is the caller's ([`WaitIo`]): it takes a fresh token for every poll, sleeps
//! (interruptibly) and shows progress. Tests drive the loop with a fake clock.

use std::time::Duration;

use reqwest::Url;
use serde_json::Value;

use super::request::ApiRequest;
use super::target::Service;
use super::verdict::{OpState, Verdict, judge, op_state};

/// An operation to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub service: Service,
    /// The status URL polled with GET.
    pub status_url: String,
}

/// The operation a request started (or reads), from its answer.
pub fn operation_after(req: &ApiRequest, status: u16, location: Option<&str>, body: &[u8]) -> Option<Operation> {
    if req.is_status_read() {
        return Some(Operation {
            service: req.service,
            status_url: req.url.clone(),
        });
    }
    match req.service {
        Service::Lcs => {
            let op = req.lcs_operation()?;
            let value: Value = serde_json::from_slice(body).ok()?;
            let id = value.get("OperationActivityId")?.as_str()?;
            if value.get("IsSuccess") == Some(&Value::Bool(false))
                || id.is_empty()
                || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                return None;
            }
            let mut url = Url::parse(&req.url).ok()?;
            url.set_query(None);
            url.set_path(&format!(
                "/databasemovement/v1/fetchstatus/project/{}/environment/{}/operationactivity/{id}",
                op.project, op.environment
            ));
            Some(Operation {
                service: Service::Lcs,
                status_url: url.to_string(),
            })
        }
        Service::PowerPlatform => {
            if status != 202 {
                return None;
            }
            let base = Url::parse(&req.url).ok()?;
            let url = base.join(location?.trim()).ok()?;
            Some(Operation {
                service: Service::PowerPlatform,
                status_url: url.to_string(),
            })
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::{Method, Placeholders, build};
    use crate::api::target::Target;

    /// Answers in order, on a clock that moves only by sleeping.
    struct Script {
        answers: Vec<Result<PollAnswer, PollError>>,
        now: Duration,
        sleeps: Vec<Duration>,
        polled: Vec<String>,
        interrupt_after: Option<usize>,
    }

    impl WaitIo for Script {
        fn poll(&mut self, url: &str) -> Result<PollAnswer, PollError> {
            self.polled.push(url.to_string());
            self.answers.remove(0)
        }
        fn sleep(&mut self, pause: Duration) -> bool {
            self.sleeps.push(pause);
            self.now += pause;
            self.interrupt_after.is_none_or(|n| self.sleeps.len() < n)
        }
        fn elapsed(&self) -> Duration {
            self.now
        }
        fn progress(&mut self, _: &Progress) {}
    }

    #[allow(clippy::unnecessary_wraps)]
    fn lcs(status: &str) -> Result<PollAnswer, PollError> {
        Ok(PollAnswer {
            status: 200,
            retry_after: None,
            body: format!(r#"{{"IsSuccess":true,"OperationStatus":"{status}"}}"#).into_bytes(),
        })
    }

    fn script(answers: Vec<Result<PollAnswer, PollError>>) -> Script {
        Script {
            answers,
            now: Duration::ZERO,
            sleeps: Vec::new(),
            polled: Vec::new(),
            interrupt_after: None,
        }
    }

    fn op() -> Operation {
        Operation {
            service: Service::Lcs,
            status_url: "https://h/databasemovement/v1/fetchstatus/project/1/environment/e/operationactivity/a".into(),
        }
    }

    #[test]
    fn polls_until_the_final_state_at_the_interval() {
        let mut io = script(vec![lcs("NotStarted"), lcs("InProgress"), lcs("Completed")]);
        let end = wait(
            &op(),
            &mut io,
            &WaitSettings {
                interval: Duration::from_secs(20),
                ..WaitSettings::default()
            },
        );
        assert!(
            matches!(end, WaitEnd::Succeeded { ref state, .. } if state == "Completed"),
            "{end:?}"
        );
        assert_eq!(io.sleeps, vec![Duration::from_secs(20); 2]);
        assert_eq!(io.polled.len(), 3);
    }

    #[test]
    fn retry_after_sets_the_pause_within_its_bound() {
        let throttled = Ok(PollAnswer {
            status: 429,
            retry_after: Some(Duration::from_secs(9000)),
            body: Vec::new(),
        });
        let mut io = script(vec![throttled, lcs("Failed")]);
        let end = wait(&op(), &mut io, &WaitSettings::default());
        assert!(matches!(end, WaitEnd::Failed { .. }), "{end:?}");
        assert_eq!(io.sleeps, vec![Duration::from_secs(300)]);
    }

    #[test]
    fn a_refusal_ends_the_wait_without_another_poll() {
        let unauthorized = Ok(PollAnswer {
            status: 401,
            retry_after: None,
            body: Vec::new(),
        });
        let mut io = script(vec![lcs("InProgress"), unauthorized, lcs("Completed")]);
        let end = wait(&op(), &mut io, &WaitSettings::default());
        assert!(matches!(end, WaitEnd::Refused(Verdict::Unauthorized(_), _)), "{end:?}");
        assert_eq!(io.polled.len(), 2);
    }

    #[test]
    fn interruption_and_the_longest_wait_end_the_loop() {
        let mut io = script(vec![lcs("InProgress"), lcs("InProgress"), lcs("InProgress")]);
        io.interrupt_after = Some(2);
        assert_eq!(wait(&op(), &mut io, &WaitSettings::default()), WaitEnd::Interrupted);
        let mut io = script(vec![lcs("InProgress"), lcs("InProgress")]);
        let s = WaitSettings {
            interval: Duration::from_secs(60),
            max_wait: Duration::from_secs(60),
            ..WaitSettings::default()
        };
        assert_eq!(
            wait(&op(), &mut io, &s),
            WaitEnd::GaveUp {
                state: "InProgress".into()
            }
        );
    }

    #[test]
    fn failed_polls_are_retried_then_given_up() {
        let fail = || Err(PollError::Failed("reset".into()));
        let mut io = script(vec![fail(), fail(), lcs("Completed")]);
        assert!(matches!(
            wait(&op(), &mut io, &WaitSettings::default()),
            WaitEnd::Succeeded { .. }
        ));
        let mut io = script((0..5).map(|_| fail()).collect());
        assert_eq!(
            wait(&op(), &mut io, &WaitSettings::default()),
            WaitEnd::Broken("reset".into())
        );
    }

    #[test]
    fn the_operation_comes_from_the_answer() {
        let target = Target {
            service: Service::Lcs,
            base: "https://lcsapi.lcs.dynamics.com".into(),
            audience: crate::audience::Audience::Lcs,
        };
        let values = Placeholders::default();
        let refresh = build(
            &target,
            Method::Post,
            "/databasemovement/v1/refresh/project/9/source/s1/target/t1",
            &[],
            None,
            &values,
        )
        .unwrap();
        let op = operation_after(
            &refresh,
            200,
            None,
            br#"{"IsSuccess":true,"OperationActivityId":"ab-12"}"#,
        )
        .unwrap();
        assert_eq!(
            op.status_url,
            "https://lcsapi.lcs.dynamics.com/databasemovement/v1/fetchstatus/project/9/environment/t1/operationactivity/ab-12"
        );
        assert_eq!(
            operation_after(
                &refresh,
                200,
                None,
                br#"{"IsSuccess":false,"OperationActivityId":"ab"}"#
            ),
            None
        );
        assert_eq!(
            operation_after(
                &refresh,
                200,
                None,
                br#"{"IsSuccess":true,"OperationActivityId":"../x"}"#
            ),
            None
        );
        let pp = Target {
            service: Service::PowerPlatform,
            base: "https://api.powerplatform.com".into(),
            audience: crate::audience::Audience::Lcs,
        };
        let copy = build(
            &pp,
            Method::Post,
            "/environmentmanagement/environments/t/copy",
            &[],
            None,
            &values,
        )
        .unwrap();
        let op = operation_after(
            &copy,
            202,
            Some("/environmentmanagement/operations/o1?api-version=1"),
            b"",
        )
        .unwrap();
        assert_eq!(
            op.status_url,
            "https://api.powerplatform.com/environmentmanagement/operations/o1?api-version=1"
        );
        assert_eq!(operation_after(&copy, 200, Some("/x"), b""), None);
    }
}
