//! The browser sign-in's loopback listener cannot be jammed or hijacked: an idle connection, a
//! bare connect and a request without the right `state` are all shrugged off, the redirect URI
//! names 127.0.0.1, and the port closes after the one good callback.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{Harness, browser_sim_config};

fn browser_harness() -> Harness {
    let h = Harness::new(browser_sim_config());
    h.add_profile(&["--flow", "browser"]);
    h
}

/// Starts `lcsauth login` and returns it with the authorize URL it printed. (A test that fails
/// before waiting leaves the child to end with its 300 s browser timeout.)
#[allow(clippy::zombie_processes)]
fn start_login(h: &Harness) -> (std::process::Child, String, mpsc::Receiver<String>) {
    let (child, rx) = h.spawn_login(Stdio::null());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
        if line.trim_start().starts_with("http") {
            return (child, line.trim().to_string(), rx);
        }
        assert!(Instant::now() < deadline, "no sign-in URL was printed");
    }
}

fn redirect_port(url: &str) -> u16 {
    let url = reqwest::Url::parse(url).unwrap();
    let redirect = url.query_pairs().find(|(k, _)| k == "redirect_uri").unwrap().1;
    assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
    redirect.rsplit(':').next().unwrap().parse().unwrap()
}

/// The simulator's redirect back to lcsauth, as a browser would get it.
fn callback(h: &Harness, url: &str) -> String {
    h.rt.block_on(async {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = http.get(url).send().await.unwrap();
        r.headers()["location"].to_str().unwrap().to_string()
    })
}

fn get(target: &str) -> (u16, String) {
    let url = reqwest::Url::parse(target).unwrap();
    let mut s = TcpStream::connect(("127.0.0.1", url.port().unwrap())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let path = format!("{}?{}", url.path(), url.query().unwrap_or(""));
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let status = out.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, out)
}

#[test]
fn idle_and_bare_connections_and_stray_requests_do_not_stop_the_real_callback() {
    let h = browser_harness();
    let (child, url, _rx) = start_login(&h);
    let port = redirect_port(&url);

    // An idle connection that never sends a byte, held open throughout.
    let _idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A bare connect, closed at once.
    drop(TcpStream::connect(("127.0.0.1", port)).unwrap());
    // Requests without our state: another path, no state, a forged state.
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(get(&format!("{base}/favicon.ico")).0, 404);
    assert_eq!(get(&format!("{base}/?code=stolen")).0, 400);
    assert_eq!(get(&format!("{base}/?code=stolen&state=forged")).0, 400);
    assert_eq!(
        get(&format!("{base}/?error=access_denied&state=forged")).0,
        400,
        "a forged error does not end the sign-in either"
    );

    // The browser's callback gets through at once, idle connection or not.
    let started = Instant::now();
    let (status, page) = get(&callback(&h, &url));
    assert_eq!(status, 200, "{page}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the idle connection held the callback back"
    );
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let redeemed: Vec<_> = h
        .token_requests()
        .into_iter()
        .filter(|r| r.field("grant_type") == Some("authorization_code"))
        .collect();
    assert_eq!(redeemed.len(), 1);
    assert_ne!(redeemed[0].field("code"), Some("stolen"));

    // After the one good callback the port is closed.
    assert!(
        TcpStream::connect_timeout(&format!("127.0.0.1:{port}").parse().unwrap(), Duration::from_secs(1)).is_err(),
        "the listener still accepts connections"
    );
}
