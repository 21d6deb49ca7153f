//! `p`: the probe's request and every verdict in the detail pane, from messages built here.

use std::time::Duration;

use lcsauth::broker::BrokerError;
use lcsauth::lcs::{EnvironmentSummary, ProbeError, Verdict};

use super::fixtures::{app_with, board_snapshot, ch, detail_text, now, screen_text, token};
use crate::tui::app::msg::{Command, Msg, ProbeJob, ProbeOutcome};
use crate::tui::app::state::App;
use crate::tui::time::later;

/// The board with project 1234567 on contoso-prod (selected).
fn board() -> App {
    let mut snap = board_snapshot();
    snap.config.profiles[0].project_id = Some("1234567".parse().unwrap());
    app_with(snap, 100, 30)
}

fn probe(cmd: Option<Command>) -> ProbeJob {
    match cmd {
        Some(Command::Probe(job)) => job,
        other => panic!("expected a probe, got {other:?}"),
    }
}

fn probed(outcome: ProbeOutcome) -> Msg {
    Msg::Probed {
        name: "contoso-prod".parse().unwrap(),
        project: "1234567".parse().unwrap(),
        outcome,
        state: None,
    }
}

fn env(name: &str, kind: &str) -> EnvironmentSummary {
    EnvironmentSummary {
        environment_name: Some(name.into()),
        environment_type: Some(kind.into()),
        deployment_status_display: Some("Deployed".into()),
    }
}

#[test]
fn p_without_a_project_id_says_how_to_set_it_and_sends_nothing() {
    let mut app = app_with(board_snapshot(), 100, 30);
    assert!(app.update(ch('p'), now()).is_none());
    let text = &app.notice.as_ref().unwrap().text;
    assert!(text.contains("no LCS project id"), "{text}");
    assert!(text.contains("--project-id"), "{text}");
    assert!(text.contains("/V2/ProjectOverview/"), "{text}");
}

#[test]
fn p_probes_the_profiles_project_and_a_second_p_waits_for_the_first() {
    let mut app = board();
    let job = probe(app.update(ch('p'), now()));
    assert_eq!(job.profile.name.as_str(), "contoso-prod");
    assert_eq!(job.project.as_str(), "1234567");
    assert_eq!(job.timeout, app.roster.settings.http_timeout);
    assert!(screen_text(&app, now()).contains("project 1234567: asking LCS"));
    assert!(app.update(ch('p'), now()).is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("already running"));
}

#[test]
fn a_working_token_shows_the_environments_and_never_a_url_from_the_answer() {
    let mut app = board();
    probe(app.update(ch('p'), now()));
    let works = Verdict::Works {
        environments: vec![
            env("contoso-uat", "Sandbox"),
            env("https://contoso-prod.operations.dynamics.com", "Production"),
        ],
        more_pages: false,
    };
    app.update(probed(ProbeOutcome::Verdict(works)), now());
    let shown = screen_text(&app, later(now(), Duration::from_secs(12)));
    for needle in [
        "LCS probe",
        "works: the token reads project 1234567 (2 environments) (12s ago)",
        "contoso-uat · Sandbox · Deployed",
        "<address hidden> · Production · Deployed",
    ] {
        assert!(shown.contains(needle), "{needle} is missing:\n{shown}");
    }
    assert!(!shown.contains("operations.dynamics.com"), "{shown}");
    assert!(app.notice.as_ref().unwrap().text.contains("works, 2 environments"));
}

#[test]
fn each_refusal_of_lcs_reads_as_the_cli_words_it() {
    let cases = [
        (Verdict::TokenRejected, "token rejected (401)"),
        (
            Verdict::NotMember {
                message: "User is not a member of the project, see https://lcs.dynamics.com/x?sig=abc".into(),
            },
            "not a member of project 1234567: User is not a member of the project, see <address hidden>",
        ),
        (
            Verdict::Throttled {
                retry_after: Some(Duration::from_secs(30)),
            },
            "retry after 30s",
        ),
        (
            Verdict::Refused {
                message: "Maximum allowed API operations are 3".into(),
                activity_id: Some("abc".into()),
            },
            "IsSuccess: false: Maximum allowed API operations are 3 (activity id abc)",
        ),
        (
            Verdict::Unexpected {
                status: 502,
                detail: "Bad Gateway".into(),
            },
            "unexpected answer (status 502): Bad Gateway",
        ),
    ];
    for (verdict, words) in cases {
        let mut app = board();
        probe(app.update(ch('p'), now()));
        app.update(probed(ProbeOutcome::Verdict(verdict)), now());
        // Compared without the line breaks of the wrap.
        let shown = detail_text(&app, now());
        assert!(shown.contains(words), "{words} is missing:\n{shown}");
        assert!(!shown.contains("sig=abc"));
    }
}

#[test]
fn a_cooldown_keeps_the_last_verdict_and_says_how_long_to_wait() {
    let mut app = board();
    probe(app.update(ch('p'), now()));
    app.update(probed(ProbeOutcome::Verdict(Verdict::TokenRejected)), now());
    probe(app.update(ch('p'), now()));
    assert!(
        screen_text(&app, now()).contains("asking again"),
        "the last verdict stays while asking"
    );
    app.update(
        probed(ProbeOutcome::Cooldown(ProbeError::Cooldown {
            project: "1234567".into(),
            ago: 3,
            wait: 7,
        })),
        now(),
    );
    assert!(app.notice.as_ref().unwrap().text.contains("wait 7s"));
    let shown = screen_text(&app, now());
    assert!(shown.contains("token rejected (401)"), "{shown}");
    assert!(!shown.contains("asking again"), "{shown}");
}

#[test]
fn a_probe_without_a_token_says_so_and_one_that_fetched_a_token_updates_the_row() {
    let mut app = board();
    probe(app.update(ch('p'), now()));
    app.update(
        probed(ProbeOutcome::NoToken(BrokerError::SignInNeeded {
            profile: "contoso-prod".into(),
            reason: "there is no refresh token".into(),
            command: "lcsauth login contoso-prod".into(),
        })),
        now(),
    );
    let shown = detail_text(&app, now());
    assert!(shown.contains("not probed: there is no token to probe with"), "{shown}");

    probe(app.update(ch('p'), later(now(), Duration::from_secs(11))));
    let fresh = token(
        Duration::ZERO,
        Duration::from_secs(3000),
        "https://lcsapi.eu.lcs.dynamics.com",
    );
    app.update(
        Msg::Probed {
            name: "contoso-prod".parse().unwrap(),
            project: "1234567".parse().unwrap(),
            outcome: ProbeOutcome::Verdict(Verdict::Works {
                environments: Vec::new(),
                more_pages: false,
            }),
            state: Some(Box::new(fresh)),
        },
        now(),
    );
    let shown = screen_text(&app, now());
    let row = shown.lines().find(|l| l.contains("│▸* contoso-prod ")).unwrap();
    assert!(row.contains("50m 00s"), "{row}");
}
