//! `lcsauth demo` in a real terminal (a private tmux server) with a real X clipboard (Xvfb via
//! `DISPLAY`, read back with xclip).
//!
//! Outside CI a missing tmux, DISPLAY or xclip skips these tests with a printed reason; with
//! `CI=true` it fails them, so the pipeline can never pass without running them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use lcsauth::token::Claims;

const WIDTH: u16 = 100;
const HEIGHT: u16 = 32;
const TIMEOUT: Duration = Duration::from_secs(15);

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The display to use, or why the tests cannot run here.
fn prerequisites(clipboard: bool) -> Result<String, String> {
    if !runs("tmux", "-V") {
        return Err("tmux is not installed".into());
    }
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if clipboard {
        if display.is_empty() {
            return Err("DISPLAY is not set (run under Xvfb)".into());
        }
        if !runs("xclip", "-version") {
            return Err("xclip is not installed".into());
        }
    }
    Ok(display)
}

/// `Some(display)` when the test can run; panics in CI when it cannot; `None` (skip) elsewhere.
fn ready(clipboard: bool) -> Option<String> {
    match prerequisites(clipboard) {
        Ok(display) => Some(display),
        Err(why) if in_ci() => panic!("CI=true, but this end-to-end test cannot run: {why}"),
        Err(why) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// A private tmux server running `lcsauth demo`; killed on drop, even when an assertion fails.
struct Session {
    dir: tempfile::TempDir,
    sock: PathBuf,
}

impl Session {
    fn start(display: &str) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("sock");
        let d = dir.path().display().to_string();
        let bin = env!("CARGO_BIN_EXE_lcsauth");
        // The inner shell records its pid and becomes lcsauth (exec), so the test can signal it;
        // the outer one records the exit status and the terminal modes left behind.
        let script = format!(
            "sh -c 'echo $$ > {d}/pid; exec \"{bin}\" demo'; echo $? > {d}/rc; stty -a > {d}/stty; exec sleep 600"
        );
        let s = Session { dir, sock };
        let mut args = vec![
            "new-session".to_string(),
            "-d".into(),
            "-s".into(),
            "t".into(),
            "-x".into(),
            WIDTH.to_string(),
            "-y".into(),
            HEIGHT.to_string(),
        ];
        for (k, v) in [
            ("DISPLAY", display.to_string()),
            ("TERM", "xterm-256color".into()),
            // Pointed at empty places: the demo must write to none of them.
            ("LCSAUTH_CONFIG_DIR", format!("{d}/user-config")),
            ("XDG_CONFIG_HOME", format!("{d}/xdg-config")),
        ] {
            args.push("-e".into());
            args.push(format!("{k}={v}"));
        }
        args.push(script);
        let out = s.tmux(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
        s
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.sock)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .output()
            .unwrap()
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn format(&self, f: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "t", f]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    /// Polls the screen until `ok` holds; fails with the last screen after the timeout.
    fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls for a file the wrapper shell writes.
    fn wait_file(&self, name: &str) -> String {
        let start = Instant::now();
        let path = self.path(name);
        loop {
            if let Ok(text) = std::fs::read_to_string(&path)
                && text.ends_with('\n')
            {
                return text;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {}:\n{}",
                path.display(),
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// After lcsauth ended: exit status 0, cooked mode, main screen, visible cursor, no board.
    fn assert_restored(&self) {
        assert_eq!(self.wait_file("rc").trim(), "0", "lcsauth exit status");
        let stty = self.wait_file("stty");
        let modes: Vec<&str> = stty.split_whitespace().collect();
        for mode in ["icanon", "echo", "isig"] {
            assert!(modes.contains(&mode), "terminal left without {mode}: {stty}");
        }
        assert_eq!(self.format("#{alternate_on}"), "0", "still on the alternate screen");
        assert_eq!(self.format("#{cursor_flag}"), "1", "cursor left hidden");
        assert!(!self.screen().contains("Profiles"), "the board is still on screen");
        let left: Vec<_> = ["user-config", "xdg-config"]
            .iter()
            .filter(|d| self.path(d).exists())
            .collect();
        assert!(left.is_empty(), "the demo wrote into {left:?}");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The board row of `name`.
fn row<'s>(screen: &'s str, name: &str) -> &'s str {
    screen
        .lines()
        .find(|l| l.contains(&format!(" {name} ")) && l.starts_with('│'))
        .unwrap_or_else(|| panic!("no row for {name}:\n{screen}"))
}

/// The first `mm:ss` or `h:mm:ss` on a line.
fn countdown(line: &str) -> Option<String> {
    line.split_whitespace()
        .find(|w| {
            let parts: Vec<&str> = w.split(':').collect();
            (2..=3).contains(&parts.len())
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        })
        .map(str::to_string)
}

fn board_is_up(s: &str) -> bool {
    s.contains("northwind-dev") && s.contains("AADSTS") || s.contains("northwind-dev") && s.contains("contoso-prod")
}

#[test]
fn demo_counts_down_moves_with_j_and_k_and_q_restores_the_terminal() {
    let Some(display) = ready(false) else { return };
    let s = Session::start(&display);
    let first = s.wait("the demo board", |t| {
        board_is_up(t) && countdown(row(t, "contoso-prod")).is_some()
    });
    assert!(
        row(&first, "contoso-prod").starts_with("│▸*"),
        "the default starts selected:\n{first}"
    );
    assert!(
        row(&first, "fabrikam-ops").contains("error"),
        "the MFA account fails:\n{first}"
    );
    let before = countdown(row(&first, "contoso-prod")).unwrap();
    s.wait("the countdown to move", |t| {
        countdown(row(t, "contoso-prod")).is_some_and(|c| c != before)
    });

    s.keys(&["j"]);
    s.wait("j to select contoso-test", |t| row(t, "contoso-test").starts_with("│▸"));
    s.keys(&["j"]);
    let on_error = s.wait("j to select fabrikam-ops", |t| row(t, "fabrikam-ops").starts_with("│▸"));
    assert!(
        on_error.contains("AADSTS50076"),
        "the detail pane explains the refusal:\n{on_error}"
    );
    s.keys(&["k"]);
    let back = s.wait("k to go back", |t| row(t, "contoso-test").starts_with("│▸"));
    assert!(!row(&back, "fabrikam-ops").starts_with("│▸"));

    s.keys(&["q"]);
    s.assert_restored();
}

#[test]
fn sigterm_ends_the_demo_and_restores_the_terminal() {
    let Some(display) = ready(false) else { return };
    let s = Session::start(&display);
    s.wait("the demo board", board_is_up);
    let pid = s.wait_file("pid");
    let killed = Command::new("kill").args(["-TERM", pid.trim()]).status().unwrap();
    assert!(killed.success());
    s.assert_restored();
}

/// The simulator's address, from the demo's title bar.
fn simulator_url(screen: &str) -> String {
    let at = screen.find("http://127.0.0.1:").expect("the title names the simulator");
    screen[at..].split_whitespace().next().unwrap().to_string()
}

/// POSTs JSON to the simulator's control surface (plain HTTP/1.1 over loopback).
fn post(url: &str, path: &str, body: &str) -> String {
    use std::io::{Read as _, Write as _};
    let host = url.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(host).unwrap();
    write!(
        conn,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn keys_are_answered_and_countdowns_move_while_a_token_request_hangs() {
    let Some(display) = ready(false) else { return };
    let s = Session::start(&display);
    let first = s.wait("the demo board", board_is_up);
    let answer = post(
        &simulator_url(&first),
        "/_sim/script",
        r#"{"endpoint":"token","failure":{"kind":"hang"}}"#,
    );
    assert!(answer.starts_with("HTTP/1.1 2"), "{answer}");
    s.keys(&["j"]);
    s.wait("j to select contoso-test", |t| row(t, "contoso-test").starts_with("│▸"));
    s.keys(&["r"]);
    let hanging = s.wait("the refresh in flight", |t| {
        row(t, "contoso-test").contains("refreshing")
    });
    let before = countdown(row(&hanging, "contoso-prod")).unwrap();
    s.keys(&["j"]);
    s.wait("j while the request hangs", |t| {
        row(t, "fabrikam-ops").starts_with("│▸")
    });
    s.keys(&["k"]);
    s.wait("k while the request hangs", |t| {
        row(t, "contoso-test").starts_with("│▸")
    });
    let later = s.wait("the countdown to keep moving", |t| {
        countdown(row(t, "contoso-prod")).is_some_and(|c| c != before)
    });
    assert!(
        row(&later, "contoso-test").contains("refreshing"),
        "still in flight:\n{later}"
    );
    s.keys(&["r"]);
    s.wait("a second r to be refused while one is in flight", |t| {
        t.contains("already running")
    });
    let started = Instant::now();
    s.keys(&["q"]);
    s.assert_restored();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "quitting waited for the hanging request"
    );
}

fn xclip_read(display: &str) -> String {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .env("DISPLAY", display)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every clipboard assertion lives here: there is one X selection, and parallel tests would
/// take it from each other.
#[test]
fn c_copies_the_token_the_simulator_issued_to_the_x_clipboard() {
    let Some(display) = ready(true) else { return };
    let s = Session::start(&display);
    let screen = s.wait("the demo board with claims", |t| {
        board_is_up(t) && t.contains("iat nbf exp")
    });
    s.keys(&["c"]);
    let copied = s.wait("the copy notice", |t| t.contains("Copied 'contoso-prod'"));
    assert!(
        copied.contains("clipboard clears in 00:4"),
        "the clear countdown runs:\n{copied}"
    );

    let token = xclip_read(&display);
    assert_eq!(token.split('.').count(), 3, "not a JWT: {} chars", token.len());
    let claims = Claims::decode(token.trim()).expect("the clipboard holds a JWT");
    assert_eq!(
        claims.aud.as_deref().map(|a| a.trim_end_matches('/')),
        Some("https://lcsapi.eu.lcs.dynamics.com"),
        "aud is contoso-prod's API host (eu)"
    );
    assert_eq!(claims.user.as_deref(), Some("ops@contoso.onmicrosoft.com"));
    // The very token the board shows: same tenant and end as in its detail pane.
    let exp = jiff::Timestamp::from_second(claims.exp.unwrap())
        .unwrap()
        .strftime("%H:%M:%S UTC")
        .to_string();
    assert!(
        screen.contains(&exp),
        "exp {exp} is not the one on the board:\n{screen}"
    );
    assert!(
        screen.contains(claims.tid.as_deref().unwrap()),
        "tid differs from the board's"
    );
    assert!(!screen.contains(token.trim()), "the token itself is never on screen");

    s.keys(&["q"]);
    s.assert_restored();
    // Still pasteable after quitting: handed to the clipboard server until the clear deadline.
    assert_eq!(
        xclip_read(&display),
        token,
        "the copied token did not outlive the board"
    );
    // Taking the selection ends that server at once (xclip -i would linger, holding this
    // test's output pipe).
    let mut own = arboard::Clipboard::new().unwrap();
    own.set_text("done").unwrap();
    assert_eq!(xclip_read(&display), "done");
}
