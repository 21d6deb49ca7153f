//! The board speaks in its own keys: a fix says `r`, `i` or `e` rather than a command line;
//! "r gets one" only where `r` would; `c` on a profile refused for MFA offers `i` instead of
//! asking for a password bound to be refused; a signed-in user other than the profile's is named.

use super::fixtures::{app_with, board_snapshot, ch, detail_text, mfa_refused, needs_sign_in, now};
use crate::tui::app::msg::{Command, Msg};
use crate::tui::app::state::App;
use crate::tui::view::detail::in_keys;

/// The board on fabrikam-ops, a password profile refused with AADSTS50076.
fn on_mfa_refusal() -> App {
    let mut app = app_with(board_snapshot(), 100, 40);
    app.update(ch('j'), now());
    app.update(ch('j'), now());
    assert_eq!(app.roster.selected().unwrap().name().as_str(), "fabrikam-ops");
    app
}

#[test]
fn a_fix_on_the_board_names_keys_not_command_lines() {
    let app = on_mfa_refusal();
    let detail = detail_text(&app, now());
    assert!(!detail.contains("lcsauth login"), "{detail}");
    assert!(!detail.contains("lcsauth profile edit"), "{detail}");
    assert!(detail.contains("press i"), "{detail}");
    assert!(
        !detail.contains("r gets one"),
        "a refused profile is not told r gets a token:\n{detail}"
    );
    assert_eq!(
        in_keys(
            "run `lcsauth login x --password-stdin`; then `lcsauth profile edit x --tenant t`; see `lcsauth regions`",
            false
        ),
        "run press r (sign in again); then press e (edit the profile); see `lcsauth regions`"
    );
    assert_eq!(
        in_keys("`lcsauth profile edit x --flow browser`", true),
        "press i (switch to an interactive sign-in)"
    );
    assert_eq!(
        in_keys("`lcsauth profile edit x --flow browser`", false),
        "press e (edit the profile)"
    );
}

#[test]
fn c_on_a_profile_refused_for_mfa_offers_i_and_asks_for_no_password() {
    let mut app = on_mfa_refusal();
    let Some(Command::Fetch(job)) = app.update(ch('c'), now()) else {
        panic!("c starts a fetch")
    };
    assert!(job.copy.is_some());
    let detail = detail_text(&app, now());
    assert!(detail.contains("getting a token"), "while it runs:\n{detail}");
    assert!(!detail.contains("r gets one"), "{detail}");
    let answer = Msg::Fetched {
        name: "fabrikam-ops".parse().unwrap(),
        state: Box::new(mfa_refused()),
        outcome: Err(needs_sign_in("fabrikam-ops", "there is no refresh token").into()),
    };
    assert!(app.update(answer, now()).is_none());
    assert!(app.prompt.is_none(), "no password prompt for an account behind MFA");
    let notice = &app.notice.as_ref().unwrap().text;
    assert!(notice.contains("press i"), "{notice}");
}

#[test]
fn a_token_for_another_user_than_the_profiles_is_named_in_the_detail_pane() {
    let mut snap = board_snapshot();
    if let Some(t) = snap.states[0].token.as_mut() {
        t.claims.user = Some("someone.else@contoso.onmicrosoft.com".into());
    }
    let app = app_with(snap, 100, 40);
    let detail = detail_text(&app, now());
    assert!(
        detail.contains("signed in as someone.else@contoso.onmicrosoft.com, not the profile's username"),
        "{detail}"
    );
}
