//! The board with identities that have several audiences: Tab chooses the audience, `c` and
//! `r` act on it, the detail pane lists each audience, and the background refresh plans all.

use std::time::Duration;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use lcsauth::audience::Audience;
use lcsauth::broker::AudienceState;

use super::fixtures::{app_with, ch, key, needs_sign_in, now, profile, refused, snapshot, token, unreachable};
use crate::tui::app::msg::{Command, FetchJob, Msg};
use crate::tui::app::state::App;
use crate::tui::autorefresh;

const DATAVERSE: &str = "dataverse:https://contoso.crm4.dynamics.com";

/// One identity with LCS (45 min left), Power Platform (10 min left) and a Dataverse
/// audience that has no token yet.
fn identity() -> App {
    let mut p = profile("contoso-prod");
    p.audiences = vec![Audience::PowerPlatform, DATAVERSE.parse().unwrap()];
    let mut snap = snapshot(vec![p]);
    let mut state = token(
        Duration::from_secs(15 * 60),
        Duration::from_secs(60 * 60),
        "https://lcsapi.eu.lcs.dynamics.com",
    );
    let pp = token(
        Duration::from_secs(50 * 60),
        Duration::from_secs(60 * 60),
        "https://api.powerplatform.com",
    );
    state.set_slot(
        &Audience::PowerPlatform,
        AudienceState {
            token: pp.token,
            last_error: None,
        },
    );
    snap.states = vec![state];
    app_with(snap, 100, 40)
}

fn fetch(cmd: Option<Command>) -> FetchJob {
    match cmd {
        Some(Command::Fetch(job)) => job,
        other => panic!("expected a fetch, got {other:?}"),
    }
}

fn screen_text(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal
        .draw(|f| crate::tui::view::screen::render(app, now(), f))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn c_copies_the_lcs_token_until_tab_chooses_another_audience() {
    let mut app = identity();
    let job = fetch(app.update(ch('c'), now()));
    assert_eq!(job.audience, Audience::Lcs);
    assert!(job.copy.is_some());
    app.update(
        Msg::Fetched {
            name: "contoso-prod".parse().unwrap(),
            state: Box::new(app.roster.selected().unwrap().state.clone()),
            outcome: Err(unreachable("https://login.microsoftonline.com", "connection reset").into()),
        },
        now(),
    );
    app.update(key(KeyCode::Tab), now());
    assert_eq!(app.selected_audience(), Audience::PowerPlatform);
    let job = fetch(app.update(ch('c'), now()));
    assert_eq!(job.audience, Audience::PowerPlatform);
    assert!(job.copy.is_some(), "c copies that audience's token");
}

#[test]
fn tab_cycles_through_every_audience_and_back_to_lcs() {
    let mut app = identity();
    let mut seen = vec![app.selected_audience().name()];
    for _ in 0..3 {
        app.update(key(KeyCode::Tab), now());
        seen.push(app.selected_audience().name());
    }
    assert_eq!(
        seen,
        ["lcs", "powerplatform", "dataverse:contoso.crm4.dynamics.com", "lcs"]
    );
    app.update(key(KeyCode::Tab), now());
    let job = fetch(app.update(ch('r'), now()));
    assert_eq!(job.audience, Audience::PowerPlatform, "r refreshes the chosen audience");
}

#[test]
fn the_detail_pane_lists_each_audience_with_state_and_countdown() {
    let app = identity();
    let text = screen_text(&app);
    assert!(
        text.contains("Audiences     ▸ lcs · valid · 45m 00s left ███████▌░░"),
        "{text}"
    );
    assert!(
        text.contains("powerplatform · expiring · 10m 00s left █▋░░░░░░░░"),
        "{text}"
    );
    assert!(text.contains("dataverse:contoso.crm4.dynamics.com · none "), "{text}");
    assert!(text.contains("Tab chooses the audience"), "{text}");
}

#[test]
fn background_refresh_plans_the_audience_that_ends_first_and_fills_new_ones_at_once() {
    let app = identity();
    let e = app.roster.selected().unwrap();
    // Dataverse is configured and has no token: due as soon as the refresh token exists.
    assert_eq!(e.auto_audience.name(), "dataverse:contoso.crm4.dynamics.com");
    assert!(e.auto_at.unwrap() <= now());
    // Without it, Power Platform (10 min left, under min_valid) comes before LCS.
    let mut p = e.profile.clone();
    p.audiences.truncate(1);
    let (at, audience) = autorefresh::plan(&p, &e.state, Duration::from_secs(15 * 60));
    assert_eq!(audience, Audience::PowerPlatform);
    let (lcs_at, _) = autorefresh::plan(
        &super::fixtures::profile("contoso-prod"),
        &e.state.view(&Audience::Lcs),
        Duration::from_secs(15 * 60),
    );
    assert!(at.unwrap() < lcs_at.unwrap());
}

#[test]
fn the_tick_starts_the_background_refresh_of_the_due_audience() {
    let mut app = identity();
    let job = fetch(app.update(Msg::Tick, now()));
    assert_eq!(job.audience.name(), "dataverse:contoso.crm4.dynamics.com");
    assert!(job.force && !job.sign_in && job.copy.is_none());
}

#[test]
fn the_edit_form_adds_an_audience_and_refuses_an_unknown_one_under_its_field() {
    use crate::tui::form::state::FieldId;
    let mut app = identity();
    app.update(ch('e'), now());
    let form = app.form.as_mut().unwrap();
    assert!(
        form.fields().contains(&FieldId::Audiences),
        "shown: the profile has audiences"
    );
    assert_eq!(form.audiences.value(), format!("powerplatform, {DATAVERSE}"));
    form.focus = FieldId::Audiences;
    super::fixtures::type_text(&mut app, ", graph");
    let errors = app.form.as_ref().unwrap().visible_errors();
    assert!(
        errors
            .iter()
            .any(|(f, m)| *f == FieldId::Audiences && m.contains("unknown audience \"graph\"")),
        "{errors:?}"
    );
    for _ in 0..", graph".len() {
        app.update(key(KeyCode::Backspace), now());
    }
    super::fixtures::type_text(&mut app, ", powerapps");
    match app.update(key(KeyCode::Enter), now()) {
        Some(Command::Save(job)) => {
            let names: Vec<String> = job.profile.audiences.iter().map(Audience::name).collect();
            assert_eq!(
                names,
                ["powerplatform", "dataverse:contoso.crm4.dynamics.com", "powerapps"]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_step_up_refusal_of_r_starts_the_interactive_sign_in_that_answers_it() {
    let mut p = profile("contoso-prod");
    p.flow = lcsauth::profile::Flow::DeviceCode;
    let mut app = app_with(snapshot(vec![p]), 100, 40);
    let job = fetch(app.update(ch('r'), now()));
    assert!(!job.sign_in);
    let cmd = app.update(
        Msg::Fetched {
            name: "contoso-prod".parse().unwrap(),
            state: Box::default(),
            outcome: Err(refused(
                "interaction_required",
                50076,
                Some(r#"{"access_token":{"capolids":{"essential":true,"values":["1"]}}}"#),
            )
            .into()),
        },
        now(),
    );
    let job = fetch(cmd);
    assert!(job.sign_in, "the sign-in starts at once");
}

#[test]
fn a_client_secret_profile_without_its_secret_asks_for_it_like_a_password() {
    let mut p = profile("contoso-ci");
    p.flow = lcsauth::profile::Flow::ClientSecret;
    p.username = None;
    p.audiences = vec![Audience::PowerPlatform];
    let mut app = app_with(snapshot(vec![p]), 100, 40);
    let job = fetch(app.update(ch('r'), now()));
    assert_eq!(
        job.audience,
        Audience::PowerPlatform,
        "LCS is not an audience of an app"
    );
    let cmd = app.update(
        Msg::Fetched {
            name: "contoso-ci".parse().unwrap(),
            state: Box::default(),
            outcome: Err(needs_sign_in("contoso-ci", "no client secret is stored").into()),
        },
        now(),
    );
    assert!(cmd.is_none());
    assert!(
        matches!(app.prompt, Some(crate::tui::prompt::state::Prompt::SignIn { .. })),
        "{:?}",
        app.prompt
    );
    assert!(app.sign_in.is_none(), "no interactive sign-in for an app");
}
