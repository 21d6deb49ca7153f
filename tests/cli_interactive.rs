//! Interactive sign-in through the real binary: the device-code grant (approved, declined,
//! expired, slow_down) and the browser grant with PKCE, the test playing the browser.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{Harness, USER, browser_sim_config, sim_config};
use lcsauth::sim::{Endpoint, Scripted, SimConfig};

fn device_sim() -> SimConfig {
    let mut c = sim_config();
    c.device_code_interval = Duration::from_secs(1);
    c
}

/// Starts `lcsauth login NAME` and streams its stderr lines.
fn spawn_login(h: &Harness) -> (Child, mpsc::Receiver<String>) {
    h.spawn_login(Stdio::piped())
}

fn wait_line(rx: &mpsc::Receiver<String>, pred: impl Fn(&str) -> bool, all: &mut Vec<String>) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            all.push(line.clone());
            if pred(&line) {
                return line;
            }
        }
    }
    panic!("no such line in:\n{}", all.join("\n"));
}

fn finish(child: Child, rx: &mpsc::Receiver<String>, all: &mut Vec<String>) -> (Option<i32>, String) {
    let out = child.wait_with_output().unwrap();
    all.extend(rx.try_iter());
    std::thread::sleep(Duration::from_millis(50));
    all.extend(rx.try_iter());
    (out.status.code(), all.join("\n"))
}

fn user_code(h: &Harness) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(c) = h.sim.user_codes().into_iter().next() {
            return c;
        }
        assert!(Instant::now() < deadline, "no device code was requested");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn device_code_approved_signs_in_and_the_token_is_cached() {
    let h = Harness::new(device_sim());
    h.add_profile(&["--flow", "device-code"]);
    let (child, rx) = spawn_login(&h);
    let mut all = Vec::new();
    let code = user_code(&h);
    wait_line(&rx, |l| l.contains(&code), &mut all);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(h.sim.approve_device_code(&code, USER));
    let (status, err) = finish(child, &rx, &mut all);
    assert_eq!(status, Some(0), "{err}");
    assert!(err.contains("Signed in to"), "{err}");
    let polls = h.sim.device_polls(&code);
    assert!(polls.len() >= 2, "it polled until approved");
    for w in polls.windows(2) {
        let gap = w[1].duration_since(w[0]).unwrap();
        assert!(gap >= Duration::from_millis(950), "polls respect the interval: {gap:?}");
    }
    let cached = common::stdout(&h.token(&[]).success());
    assert_eq!(cached.trim(), h.sim.last_access_token().unwrap());
    let dc = h
        .token_requests()
        .into_iter()
        .find(|r| r.field("grant_type") == Some("urn:ietf:params:oauth:grant-type:device_code"));
    assert!(dc.is_some());
}

#[test]
fn device_code_declined_is_explained_and_stops_polling() {
    let h = Harness::new(device_sim());
    h.add_profile(&["--flow", "device-code"]);
    let (child, rx) = spawn_login(&h);
    let mut all = Vec::new();
    let code = user_code(&h);
    assert!(h.sim.decline_device_code(&code));
    let (status, err) = finish(child, &rx, &mut all);
    assert_eq!(status, Some(3), "{err}");
    assert!(err.contains("declined"), "{err}");
}

#[test]
fn device_code_expired_is_explained() {
    let mut c = device_sim();
    c.device_code_expires_in = Duration::from_secs(2);
    let h = Harness::new(c);
    h.add_profile(&["--flow", "device-code"]);
    let (child, rx) = spawn_login(&h);
    let mut all = Vec::new();
    let (status, err) = finish(child, &rx, &mut all);
    assert_eq!(status, Some(3), "{err}");
    assert!(err.contains("expired"), "{err}");
}

#[test]
fn device_code_slow_down_adds_five_seconds_between_polls() {
    let h = Harness::new(device_sim());
    h.add_profile(&["--flow", "device-code"]);
    h.sim.script(
        Endpoint::Token,
        Scripted::Aadsts {
            code: 70016,
            error: Some("slow_down".into()),
            suberror: None,
            status: None,
        },
    );
    let (child, rx) = spawn_login(&h);
    let mut all = Vec::new();
    let code = user_code(&h);
    let deadline = Instant::now() + Duration::from_secs(15);
    while h.sim.device_polls(&code).len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    h.sim.approve_device_code(&code, USER);
    let (status, err) = finish(child, &rx, &mut all);
    assert_eq!(status, Some(0), "{err}");
    let polls = h.sim.device_polls(&code);
    let gap = polls[1].duration_since(polls[0]).unwrap();
    assert!(
        gap >= Duration::from_millis(5900),
        "after slow_down the interval grew by 5 s: {gap:?}"
    );
}

/// Plays the browser: follows the authorize URL to Entra (the simulator), which redirects to the
/// loopback listener; `tamper` may change the redirect before it is followed.
fn play_browser(h: &Harness, url: &str, tamper: impl Fn(String) -> String) -> (u16, String) {
    h.rt.block_on(async {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = http.get(url).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 302, "Entra redirects back to the app");
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("http://127.0.0.1:"), "{location}");
        let target = tamper(location);
        let page = http.get(target).send().await.unwrap();
        (page.status().as_u16(), page.text().await.unwrap())
    })
}

/// A browser profile's `login` running: the harness, the child, its stderr lines, the lines
/// read so far and the authorize URL it printed.
fn start_browser_login() -> (Harness, Child, mpsc::Receiver<String>, Vec<String>, String) {
    let h = Harness::new(browser_sim_config());
    h.add_profile(&["--flow", "browser"]);
    let (child, rx) = spawn_login(&h);
    let mut all = Vec::new();
    let url = wait_line(&rx, |l| l.trim_start().starts_with("http"), &mut all)
        .trim()
        .to_string();
    (h, child, rx, all, url)
}

#[test]
fn browser_pkce_sign_in_redeems_the_code_with_its_verifier() {
    let (h, child, rx, mut all, url) = start_browser_login();
    assert!(
        url.contains("code_challenge_method=S256") && url.contains("state="),
        "{url}"
    );
    let (status, page) = play_browser(&h, &url, |l| l);
    assert_eq!(status, 200);
    assert!(page.contains("You can close this tab"), "{page}");
    let (code, err) = finish(child, &rx, &mut all);
    assert_eq!(code, Some(0), "{err}");
    let redeem = h
        .token_requests()
        .into_iter()
        .find(|r| r.field("grant_type") == Some("authorization_code"))
        .unwrap();
    assert!(redeem.field("code_verifier").is_some_and(|v| v.len() >= 43));
    assert!(redeem.field("redirect_uri").unwrap().starts_with("http://127.0.0.1:"));
    assert!(
        redeem.field("client_secret").is_none(),
        "a public client sends no secret"
    );
    assert_eq!(
        common::stdout(&h.token(&[]).success()).trim(),
        h.sim.last_access_token().unwrap()
    );
}

#[test]
fn browser_answer_with_a_wrong_state_is_ignored_and_the_real_one_still_signs_in() {
    let (h, child, rx, mut all, url) = start_browser_login();
    let (status, page) = play_browser(&h, &url, |l| {
        let (head, _) = l.split_once("state=").unwrap();
        format!(
            "{head}state=forged&{}",
            l.split_once("code=")
                .map(|(_, c)| format!("code={}", c.split('&').next().unwrap()))
                .unwrap()
        )
    });
    assert_eq!(status, 400);
    assert!(page.contains("still waiting"), "{page}");
    assert!(
        !h.token_requests()
            .iter()
            .any(|r| r.field("grant_type") == Some("authorization_code")),
        "the code of a forged answer was not redeemed"
    );
    let (status, _) = play_browser(&h, &url, |l| l);
    assert_eq!(status, 200);
    let (code, err) = finish(child, &rx, &mut all);
    assert_eq!(code, Some(0), "{err}");
}
