//! A private tmux server running `lcsauth demo`, for the end-to-end tests of the terminal UI:
//! keys in, screens out, and the files the wrapper shell leaves behind.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const WIDTH: u16 = 100;
const HEIGHT: u16 = 32;
pub const TIMEOUT: Duration = Duration::from_secs(15);

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
pub fn ready(clipboard: bool) -> Option<String> {
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
pub struct Session {
    dir: tempfile::TempDir,
    sock: PathBuf,
}

impl Session {
    /// Starts the demo on X display `display` (`""`: no display, as over SSH).
    pub fn start(display: &str) -> Session {
        Self::start_with(display, "demo", &[])
    }

    /// Starts `lcsauth ARGS` (ARGS as shell words) with `env` added, on X display `display`.
    pub fn start_with(display: &str, lcsauth_args: &str, env: &[(&str, String)]) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("sock");
        let d = dir.path().display().to_string();
        let bin = env!("CARGO_BIN_EXE_lcsauth");
        // The inner shell records its pid and becomes lcsauth (exec), so the test can signal it;
        // the outer one records the exit status and the terminal modes left behind.
        let script = format!(
            "sh -c 'echo $$ > {d}/pid; exec \"{bin}\" {lcsauth_args}'; echo $? > {d}/rc; stty -a > {d}/stty; exec sleep 600"
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
            // Only the X display (or none) the test chose.
            ("WAYLAND_DISPLAY", String::new()),
            ("TERM", "xterm-256color".into()),
            // Pointed at empty places: the demo must write to none of them.
            ("LCSAUTH_CONFIG_DIR", format!("{d}/user-config")),
            ("XDG_CONFIG_HOME", format!("{d}/xdg-config")),
        ]
        .into_iter()
        .filter(|(k, _)| env.iter().all(|(own, _)| own != k))
        .chain(env.iter().map(|(k, v)| (*k, v.clone())))
        {
            args.push("-e".into());
            args.push(format!("{k}={v}"));
        }
        args.push(script);
        let out = s.tmux(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
        s
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.sock)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .output()
            .unwrap()
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    pub fn format(&self, f: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "t", f]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    /// Polls the screen until `ok` holds; fails with the last screen after the timeout.
    pub fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
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
    pub fn wait_file(&self, name: &str) -> String {
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
    pub fn assert_restored(&self) {
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
pub fn row<'s>(screen: &'s str, name: &str) -> &'s str {
    screen
        .lines()
        .find(|l| l.contains(&format!(" {name} ")) && l.starts_with('│'))
        .unwrap_or_else(|| panic!("no row for {name}:\n{screen}"))
}

/// The first time left on a line, as the board writes it: `40s`, `4m 59s`, `1h 05m 09s`.
pub fn countdown(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let unit = |w: &str, u: char| {
        w.strip_suffix(u)
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    let end = words.iter().position(|w| unit(w, 's'))?;
    let mut start = end;
    for u in ['m', 'h'] {
        if start > 0 && unit(words[start - 1], u) {
            start -= 1;
        }
    }
    Some(words[start..=end].join(" "))
}

pub fn board_is_up(s: &str) -> bool {
    s.contains("northwind-dev") && s.contains("AADSTS") || s.contains("northwind-dev") && s.contains("contoso-prod")
}

/// The simulator's address, from the demo's title bar.
pub fn simulator_url(screen: &str) -> String {
    let at = screen.find("http://127.0.0.1:").expect("the title names the simulator");
    screen[at..].split_whitespace().next().unwrap().to_string()
}

/// POSTs JSON to the simulator's control surface (plain HTTP/1.1 over loopback).
pub fn post(url: &str, path: &str, body: &str) -> String {
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

pub fn xclip_read(display: &str) -> String {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .env("DISPLAY", display)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}
