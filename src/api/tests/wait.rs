//! The wait loop on a scripted clock, and the operation an answer started.

use std::time::Duration;

use super::fixtures::{lcs, power_platform, request};
use crate::api::request::Method;
use crate::api::target::Service;
use crate::api::verdict::Verdict;
use crate::api::wait::{
    Operation, PollAnswer, PollError, Progress, WaitEnd, WaitIo, WaitSettings, operation_after, wait,
};

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
fn lcs_status(status: &str) -> Result<PollAnswer, PollError> {
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
    let mut io = script(vec![
        lcs_status("NotStarted"),
        lcs_status("InProgress"),
        lcs_status("Completed"),
    ]);
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
    let mut io = script(vec![throttled, lcs_status("Failed")]);
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
    let mut io = script(vec![lcs_status("InProgress"), unauthorized, lcs_status("Completed")]);
    let end = wait(&op(), &mut io, &WaitSettings::default());
    assert!(matches!(end, WaitEnd::Refused(Verdict::Unauthorized(_), _)), "{end:?}");
    assert_eq!(io.polled.len(), 2);
}

#[test]
fn interruption_and_the_longest_wait_end_the_loop() {
    let mut io = script(vec![
        lcs_status("InProgress"),
        lcs_status("InProgress"),
        lcs_status("InProgress"),
    ]);
    io.interrupt_after = Some(2);
    assert_eq!(wait(&op(), &mut io, &WaitSettings::default()), WaitEnd::Interrupted);
    let mut io = script(vec![lcs_status("InProgress"), lcs_status("InProgress")]);
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
    let mut io = script(vec![fail(), fail(), lcs_status("Completed")]);
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
    let refresh = request(
        &lcs(),
        Method::Post,
        "/databasemovement/v1/refresh/project/9/source/s1/target/t1",
    );
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
    let copy = request(
        &power_platform(),
        Method::Post,
        "/environmentmanagement/environments/t/copy",
    );
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
