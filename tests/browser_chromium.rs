//! The browser sign-in with a real browser: headless Chromium is `BROWSER`. lcsauth opens the
//! simulator's authorize page in it, the simulator signs in the account already signed in to
//! the "browser", and Chromium follows the redirect to lcsauth's loopback listener, which
//! redeems the code: the path a desktop user takes. Once from `lcsauth login`, once from the
//! board's `r` in a real terminal (tmux).
//!
//! With `CI=true` a missing Chromium (or tmux, or Secret Service for the board) fails these
//! tests instead of skipping them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod tmux;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::real::{require, secret_service_running};
use common::{Harness, USER, browser_sim_config};
use lcsauth::sim::SimConfig;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Chromium's own start-up and shutdown, with a margin for a shared machine.
const BROWSER_LIMIT: Duration = Duration::from_secs(40);

/// A `BROWSER` wrapper: headless Chromium with a fresh profile, which loads the URL, follows
/// the redirects, prints the final page and exits. It records its pid so the test can end it.
struct Browser {
    dir: tempfile::TempDir,
}

impl Browser {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        let script = format!(
            "#!/bin/sh\n\
             echo $$ >> '{d}/pids'\n\
             exec '{CHROMIUM}' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
             --disable-background-networking --disable-component-update --disable-sync \
             --user-data-dir='{d}/profile' --dump-dom \"$1\" > '{d}/page.html' 2> '{d}/chromium.log'\n"
        );
        let path = dir.path().join("browser");
        std::fs::write(&path, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Self { dir }
    }

    fn script(&self) -> PathBuf {
        self.dir.path().join("browser")
    }

    /// The page Chromium ended on, once it has written it.
    fn final_page(&self) -> String {
        let path = self.dir.path().join("page.html");
        let start = Instant::now();
        loop {
            if let Ok(page) = std::fs::read_to_string(&path)
                && page.contains("</html>")
            {
                return page;
            }
            assert!(
                start.elapsed() < BROWSER_LIMIT,
                "Chromium wrote no page; its log:\n{}",
                std::fs::read_to_string(self.dir.path().join("chromium.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Browser {
    /// A wrapper that leaves Chromium running in the background (a caller such as Python's
    /// webbrowser waits for the command to return), accepting exactly the key pinned in
    /// `CHROMIUM_SPKI`.
    fn background() -> Self {
        let b = Self::new();
        let d = b.dir.path().display();
        let script = format!(
            "#!/bin/sh\n\
             '{CHROMIUM}' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
             --disable-background-networking --disable-component-update --disable-sync \
             --user-data-dir='{d}/profile' --ignore-certificate-errors-spki-list=\"$CHROMIUM_SPKI\" \
             \"$1\" > '{d}/chromium.log' 2>&1 &\n\
             echo $! >> '{d}/pids'\n"
        );
        std::fs::write(b.script(), script).unwrap();
        b
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Only the Chromium processes this test started, by their pid.
        let pids = std::fs::read_to_string(self.dir.path().join("pids")).unwrap_or_default();
        for pid in pids.split_whitespace() {
            let _ = std::process::Command::new("kill").arg(pid).status();
        }
    }
}

fn chromium_ready() -> bool {
    require(Path::new(CHROMIUM).exists(), "chromium (Debian package `chromium`)")
}

/// The authorize request reached the simulator from Chromium itself, not from a test client.
fn assert_authorize_came_from_chromium(h: &Harness) {
    let authorize = h
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/oauth2/v2.0/authorize"))
        .expect("the browser opened the authorize page");
    let agent = authorize.user_agent.unwrap_or_default();
    assert!(agent.contains("HeadlessChrome"), "user agent: {agent}");
}

#[test]
fn lcsauth_login_in_headless_chromium_receives_the_token() {
    if !chromium_ready() {
        return;
    }
    let h = Harness::new(browser_sim_config());
    h.add_profile(&["--flow", "browser"]);
    let browser = Browser::new();
    let login = h
        .cmd()
        .env("BROWSER", browser.script())
        .args(["login", &h.name])
        .timeout(BROWSER_LIMIT)
        .assert();
    let err = common::stderr(&login);
    login.success();
    assert!(err.contains(&format!("Signed in to '{}'", h.name)), "{err}");
    assert_authorize_came_from_chromium(&h);
    // Chromium ended on lcsauth's own loopback page.
    let page = browser.final_page();
    assert!(page.contains("You can close this tab"), "{page}");
    let redeem = h
        .token_requests()
        .into_iter()
        .find(|r| r.field("grant_type") == Some("authorization_code"))
        .expect("the code was redeemed");
    assert!(redeem.field("code_verifier").is_some());
    // The token is cached: `token` answers without another sign-in.
    let before = h.sim.token_requests();
    assert_eq!(
        common::stdout(&h.token(&[]).success()).trim(),
        h.sim.last_access_token().unwrap()
    );
    assert_eq!(h.sim.token_requests(), before);
}

#[test]
fn r_on_a_browser_profile_signs_in_through_headless_chromium() {
    if !chromium_ready() {
        return;
    }
    let Some(display) = tmux::ready(false) else { return };
    // The board runs under the tmux server, outside this process's kernel-keyring session;
    // its secrets go to the Secret Service, as on a desktop.
    if !require(
        secret_service_running(),
        "a Secret Service (run under .ci/run or testenv)",
    ) {
        return;
    }
    let h = Harness::new(browser_sim_config());
    h.add_profile(&["--flow", "browser"]);
    let browser = Browser::new();
    let s = tmux::Session::start_with(
        &display,
        "",
        &[
            ("LCSAUTH_CONFIG_DIR", h.config_dir().display().to_string()),
            ("BROWSER", browser.script().display().to_string()),
        ],
    );
    let name = h.name.clone();
    let before = s.wait("the board with the browser profile", |t| {
        t.contains(&name)
            && t.lines()
                .any(|l| l.contains(&format!(" {name} ")) && l.starts_with('│'))
    });
    assert!(tmux::row(&before, &name).contains("none"), "{before}");
    s.keys(&["r"]);
    let done = s.wait("the row to turn valid", |t| {
        tmux::row(t, &name).contains("valid") && t.contains(&format!("Signed in to '{name}'"))
    });
    assert!(done.contains("by authorization_code"), "{done}");
    assert_authorize_came_from_chromium(&h);
    assert!(browser.final_page().contains("You can close this tab"));
    s.keys(&["q"]);
    assert_eq!(s.wait_file("rc").trim(), "0", "lcsauth exit status");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn msal_interactive_sign_in_posts_the_form_through_chromium() {
    let msal = std::process::Command::new("python3")
        .args(["-c", "import msal, cryptography"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !chromium_ready() || !require(msal, "python3 with msal (pip install msal)") {
        return;
    }
    let config = SimConfig {
        users: vec![lcsauth::sim::SimUser::new(USER, "Demo-Pass-1")],
        auto_approve_user: Some(USER.into()),
        ..SimConfig::default()
    };
    let sim = lcsauth::sim::Simulator::start_tls(config).await.unwrap();
    let browser = Browser::background();
    let ca = browser.dir.path().join("ca.pem");
    std::fs::write(&ca, lcsauth::sim::TLS_CA_PEM).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/msal/interactive.py");
    let run = tokio::process::Command::new("python3")
        .arg(script)
        .arg(sim.base_url())
        .arg(&ca)
        .arg(browser.script())
        .env_remove("CURL_CA_BUNDLE")
        .env_remove("REQUESTS_CA_BUNDLE")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(BROWSER_LIMIT, run)
        .await
        .expect("MSAL finishes")
        .unwrap();
    let requests = sim.requests();
    sim.shutdown().await;
    let log = std::fs::read_to_string(browser.dir.path().join("chromium.log")).unwrap_or_default();
    assert!(
        output.status.success(),
        "{}\n{}\nChromium:\n{log}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let authorize = requests
        .iter()
        .find(|r| r.path.ends_with("/oauth2/v2.0/authorize"))
        .expect("Chromium opened the authorize page");
    assert!(
        authorize
            .query
            .iter()
            .any(|(n, v)| n == "response_mode" && v == "form_post")
    );
    assert!(
        authorize
            .user_agent
            .as_deref()
            .unwrap_or_default()
            .contains("HeadlessChrome")
    );
}
