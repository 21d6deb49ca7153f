//! Test data: profiles, token states and apps at a fixed clock.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use jiff::tz::{TimeZone, offset};

use lcsauth::broker::{BrokerError, Grant, LastError, ProfileState, RefreshMeta, TokenMeta};
use lcsauth::entra::{EntraError, ErrorBody, Refusal};
use lcsauth::profile::store::Config;
use lcsauth::profile::{Flow, Profile};
use lcsauth::region::Region;
use lcsauth::token::Claims;

use crate::tui::app::msg::{Msg, Snapshot};
use crate::tui::app::state::App;
use crate::tui::time::{earlier, later};
use crate::tui::view::theme::Theme;

/// 2026-11-26 13:00:00 UTC: the fixed "now" of every test.
pub fn now() -> Timestamp {
    "2026-11-26T13:00:00Z".parse().unwrap()
}

/// The broker's answer for a profile with nothing to sign in with (as `fresh` words it).
pub fn needs_sign_in(name: &str, reason: &str) -> BrokerError {
    BrokerError::SignInNeeded {
        profile: name.into(),
        reason: reason.into(),
        command: format!("lcsauth login {name}"),
    }
}

/// The broker's answer when Entra could not be reached.
pub fn unreachable(url: &str, reason: &str) -> BrokerError {
    BrokerError::Entra(EntraError::Network {
        url: url.into(),
        reason: reason.into(),
    })
}

/// Entra's refusal `error` (AADSTS`code`), with a claims challenge when `claims` is given.
pub fn refused(error: &str, code: u32, claims: Option<&str>) -> BrokerError {
    BrokerError::Entra(EntraError::Refused(Box::new(Refusal {
        http_status: 400,
        body: ErrorBody {
            error: error.into(),
            error_codes: vec![code],
            claims: claims.map(str::to_string),
            ..ErrorBody::default()
        },
    })))
}

pub fn profile(name: &str) -> Profile {
    Profile {
        name: name.parse().unwrap(),
        tenant: "contoso.onmicrosoft.com".parse().unwrap(),
        client_id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789".parse().unwrap(),
        region: Region::Eu,
        username: Some("ops@contoso.onmicrosoft.com".into()),
        flow: Flow::Password,
        authority: None,
        scope: None,
        api_host: None,
        project_id: None,
        environment_id: None,
        remember_password: false,
        cloud: None,
        audiences: Vec::new(),
    }
}

pub fn snapshot(profiles: Vec<Profile>) -> Snapshot {
    let states = profiles.iter().map(|_| ProfileState::default()).collect();
    Snapshot {
        config: Config {
            default_profile: profiles.first().map(|p| p.name.clone()),
            profiles,
            ..Config::default()
        },
        states,
    }
}

/// A token obtained `age` ago that lives `lifetime`, for `api_host`, with a refresh token.
pub fn token(age: Duration, lifetime: Duration, api_host: &str) -> ProfileState {
    let obtained_at = earlier(now(), age);
    let expires_at = later(obtained_at, lifetime);
    ProfileState {
        audiences: std::collections::BTreeMap::new(),
        version: 1,
        token: Some(TokenMeta {
            expires_at,
            obtained_at,
            grant: Grant::Password,
            claims: Claims {
                aud: Some(api_host.to_string()),
                iss: Some("https://sts.windows.net/6f1c7c5e-2a4b-4c1e-9f3a-1b2c3d4e5f60/".into()),
                tid: Some("6f1c7c5e-2a4b-4c1e-9f3a-1b2c3d4e5f60".into()),
                user: Some("ops@contoso.onmicrosoft.com".into()),
                scp: Some("user_impersonation".into()),
                amr: vec!["pwd".into()],
                iat: Some(obtained_at.as_second()),
                nbf: Some(obtained_at.as_second()),
                exp: Some(expires_at.as_second()),
                ..Claims::default()
            },
            warning: None,
        }),
        refresh_token: Some(RefreshMeta { obtained_at }),
        last_error: None,
        password_refused: None,
        password_for: None,
    }
}

/// The state after Entra refused a password sign-in with AADSTS50076 (MFA required).
pub fn mfa_refused() -> ProfileState {
    ProfileState {
        audiences: std::collections::BTreeMap::new(),
        version: 1,
        last_error: Some(LastError {
            at: earlier(now(), Duration::from_secs(42)),
            message: "Entra refused the sign-in: multi-factor authentication required (AADSTS50076, invalid_grant)".into(),
            code: Some(50076),
            error: Some("invalid_grant".into()),
            description: Some("AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0'.".into()),
            cause: Some("Conditional Access, security defaults or per-user MFA require a second factor, which the password flow cannot provide.".into()),
            fix: Some("The password flow cannot satisfy this. Switch the profile to an interactive flow: `lcsauth profile edit fabrikam-ops --flow device-code` (or `--flow browser`), then `lcsauth login fabrikam-ops`.".into()),
            article_step: Some(3),
            trace_id: Some("0c2d7a3e-5b1f-4e8a-9c6d-2f4b8a1e7d30".into()),
            correlation_id: Some("7e9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b".into()),
            claims: None,
        }),
        ..ProfileState::default()
    }
}

/// Four profiles across regions: valid, expiring, refused (MFA), never signed in.
pub fn board_snapshot() -> Snapshot {
    let mut prod = profile("contoso-prod");
    prod.remember_password = true;
    let mut test = profile("contoso-test");
    test.region = Region::Global;
    let mut fab = profile("fabrikam-ops");
    fab.region = Region::Fr;
    fab.tenant = "fabrikam.onmicrosoft.com".parse().unwrap();
    fab.username = Some("admin@fabrikam.onmicrosoft.com".into());
    let mut nw = profile("northwind-dev");
    nw.region = Region::Ch;
    nw.tenant = "northwind.onmicrosoft.com".parse().unwrap();
    nw.username = Some("dev@northwind.onmicrosoft.com".into());
    nw.flow = Flow::DeviceCode;
    let states = vec![
        token(
            Duration::from_secs(600),
            Duration::from_secs(4199),
            "https://lcsapi.eu.lcs.dynamics.com",
        ),
        token(
            Duration::from_secs(3000),
            Duration::from_secs(3599),
            "https://lcsapi.lcs.dynamics.com",
        ),
        mfa_refused(),
        ProfileState::default(),
    ];
    Snapshot {
        config: Config {
            default_profile: Some(prod.name.clone()),
            profiles: vec![prod, test, fab, nw],
            ..Config::default()
        },
        states,
    }
}

/// An app of `width` × `height` in UTC+01:00, without colour, loaded with `snapshot`.
pub fn app_with(snapshot: Snapshot, width: u16, height: u16) -> App {
    let tz = TimeZone::fixed(offset(1));
    let mut app = App::new(Theme { color: false }, tz, (width, height));
    let cmd = app.update(Msg::Loaded(Ok(snapshot)), now());
    assert!(cmd.is_none());
    app
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Types `text` key by key.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        assert!(app.update(ch(c), now()).is_none(), "typing {c:?} started a command");
    }
}

/// The whole screen of `app` drawn at `at`, as text.
pub fn screen_text(app: &App, at: Timestamp) -> String {
    let (w, h) = app.size;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| crate::tui::view::screen::render(app, at, f)).unwrap();
    terminal.backend().to_string()
}

/// The hint line (the last line) of the screen.
pub fn hint_line(app: &App) -> String {
    let text = screen_text(app, now());
    text.lines().last().unwrap_or_default().to_string()
}

/// The lines of a screen without TestBackend's quotes.
pub fn rows(screen: &str) -> Vec<String> {
    screen.lines().map(|l| l.trim_matches('"').to_string()).collect()
}

/// The text inside the sign-in dialog at `at`, its lines joined by spaces.
pub fn dialog_text(app: &App, at: Timestamp) -> String {
    let rows = rows(&screen_text(app, at));
    let top = rows
        .iter()
        .position(|l| l.contains("┌ Sign in"))
        .unwrap_or_else(|| panic!("no sign-in dialog:\n{}", rows.join("\n")));
    let chars: Vec<char> = rows[top].chars().collect();
    let left = chars.iter().position(|c| *c == '┌').unwrap();
    let right = chars.iter().rposition(|c| *c == '┐').unwrap();
    rows[top + 1..]
        .iter()
        .take_while(|l| l.chars().nth(left) != Some('└'))
        .map(|l| {
            l.chars()
                .skip(left + 1)
                .take(right - left - 1)
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text inside the detail pane, its lines joined by spaces.
pub fn detail_text(app: &App, at: Timestamp) -> String {
    let rows = rows(&screen_text(app, at));
    let top = rows.iter().rposition(|l| l.starts_with('┌')).unwrap();
    rows[top + 1..]
        .iter()
        .take_while(|l| !l.starts_with('└'))
        .map(|l| l.trim_start_matches('│').trim_end_matches('│').trim().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}
