//! `i`: a password profile that Entra refused for MFA or Conditional Access is switched to the
//! interactive flow that suits the session, then signed in. Offered only where it applies.

use lcsauth::profile::store::ConfigError;
use lcsauth::profile::{Flow, Profile};

use super::fixtures::{app_with, board_snapshot, ch, hint_line, mfa_refused, now, screen_text};
use crate::tui::app::edit::EditError;
use crate::tui::app::msg::{Command, FetchJob, Msg};
use crate::tui::app::state::App;

fn board() -> App {
    app_with(board_snapshot(), 100, 30)
}

fn fetch(cmd: Option<Command>) -> FetchJob {
    match cmd {
        Some(Command::Fetch(job)) => job,
        other => panic!("expected a fetch, got {other:?}"),
    }
}

/// The board on fabrikam-ops, a password profile refused with AADSTS50076.
fn on_mfa_refusal() -> App {
    let mut app = board();
    app.update(ch('j'), now());
    app.update(ch('j'), now());
    assert_eq!(app.roster.selected().unwrap().name().as_str(), "fabrikam-ops");
    app
}

#[test]
fn i_is_offered_only_for_a_password_profile_refused_for_mfa() {
    let mut app = board();
    assert!(app.switch_flow_offer().is_none(), "contoso-prod works");
    assert!(!hint_line(&app).contains("i interactive"), "{}", hint_line(&app));
    assert!(app.update(ch('i'), now()).is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("refused for MFA"));

    let app = on_mfa_refusal();
    assert_eq!(app.switch_flow_offer(), Some(Flow::Browser));
    assert!(hint_line(&app).contains("i interactive"), "{}", hint_line(&app));
    assert!(screen_text(&app, now()).contains("press i: switch to the browser flow"));

    // A wrong password is not something an interactive flow fixes.
    let mut snap = board_snapshot();
    let mut wrong = mfa_refused();
    let last = wrong.last_error.as_mut().unwrap();
    last.code = Some(50126);
    snap.states[2] = wrong;
    let mut app = app_with(snap, 100, 30);
    app.update(ch('j'), now());
    app.update(ch('j'), now());
    assert!(app.switch_flow_offer().is_none());
    assert!(!screen_text(&app, now()).contains("press i"));

    // A profile already on an interactive flow has nothing to switch.
    let mut snap = board_snapshot();
    snap.states[3] = mfa_refused();
    let mut app = app_with(snap, 100, 30);
    app.update(ch('G'), now());
    assert!(app.switch_flow_offer().is_none());
}

#[test]
fn i_switches_the_flow_the_session_suits_then_signs_in() {
    let mut app = on_mfa_refusal();
    app.interactive_flow = Flow::DeviceCode;
    assert!(screen_text(&app, now()).contains("press i: switch to the device-code flow"));
    let original = match app.update(ch('i'), now()) {
        Some(Command::SwitchFlow { original, flow }) => {
            assert_eq!(flow, Flow::DeviceCode);
            assert_eq!(original.name.as_str(), "fabrikam-ops");
            assert_eq!(original.flow, Flow::Password);
            original
        }
        other => panic!("expected a switch of flow, got {other:?}"),
    };
    let switched = Profile {
        flow: Flow::DeviceCode,
        ..original
    };
    let job = fetch(app.update(
        Msg::FlowSwitched {
            name: "fabrikam-ops".parse().unwrap(),
            result: Ok(switched),
        },
        now(),
    ));
    assert!(job.sign_in);
    assert_eq!(job.profile.flow, Flow::DeviceCode);
    assert_eq!(app.roster.get("fabrikam-ops").unwrap().profile.flow, Flow::DeviceCode);
    assert!(app.sign_in.is_some(), "the sign-in dialog opens");
    assert!(app.switch_flow_offer().is_none(), "no longer a password profile");
}

#[test]
fn a_refused_switch_of_flow_says_why_and_starts_nothing() {
    let mut app = on_mfa_refusal();
    app.update(ch('i'), now());
    let cmd = app.update(
        Msg::FlowSwitched {
            name: "fabrikam-ops".parse().unwrap(),
            result: Err(EditError::Config(ConfigError::Rejected(
                "'fabrikam-ops' was changed in profiles.toml (by another lcsauth or an editor) since you opened it"
                    .into(),
            ))),
        },
        now(),
    );
    assert!(cmd.is_none());
    assert!(app.sign_in.is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("was not changed"));
}
