//! The real terminal UI, measured, not asserted (figures in `assets/tui-bench.md`): time from
//! process start to the first full frame, and idle CPU with 50 live countdowns. Run in release:
//! `cargo test --release --test tui_bench -- --ignored --nocapture --test-threads 1`
//! It needs `script` (util-linux) for a pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};

use lcsauth::broker::{Grant, ProfileState, StateStore, TokenMeta};
use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::ProfileStore;
use lcsauth::profile::{Flow, Profile};
use lcsauth::region::Region;

const PROFILES: usize = 50;

/// A config directory with `PROFILES` profiles whose tokens end within the next hour (no
/// refresh token, so nothing is fetched while idle).
fn config_dir(dir: &Path) {
    let config_dir = ConfigDir::new(dir);
    let store = ProfileStore::new(config_dir.clone());
    let states = StateStore::new(config_dir);
    let now = Timestamp::now();
    store
        .update(|c| {
            for i in 0..PROFILES {
                c.add(Profile {
                    name: format!("p{i:03}").parse().unwrap(),
                    tenant: "contoso.onmicrosoft.com".parse().unwrap(),
                    client_id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789".parse().unwrap(),
                    region: Region::Eu,
                    username: Some(format!("ops{i}@contoso.onmicrosoft.com")),
                    flow: Flow::Password,
                    authority: None,
                    scope: None,
                    api_host: None,
                    project_id: None,
                    remember_password: false,
                    cloud: None,
                    audiences: Vec::new(),
                })?;
            }
            Ok(())
        })
        .unwrap();
    for i in 0..PROFILES {
        let state = ProfileState {
            audiences: std::collections::BTreeMap::new(),
            token: Some(TokenMeta {
                expires_at: now
                    .saturating_add(SignedDuration::from_secs(1800 + 30 * i as i64))
                    .unwrap(),
                obtained_at: now,
                grant: Grant::Password,
                claims: lcsauth::token::Claims::default(),
                warning: None,
            }),
            ..ProfileState::default()
        };
        states.save(&format!("p{i:03}"), &state).unwrap();
    }
}

/// `script` and the program it runs; both are ended on drop, also when a measurement panics.
struct Pty {
    script: Child,
}

impl Pty {
    /// The program `script` runs (its only child).
    fn program_pid(&self) -> Option<u32> {
        let id = self.script.id();
        std::fs::read_to_string(format!("/proc/{id}/task/{id}/children"))
            .ok()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Some(pid) = self.program_pid() {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.script.kill();
        let _ = self.script.wait();
    }
}

/// `cmd` in a 120x40 pseudo-terminal; its output collects in the returned buffer.
fn in_pty(cmd: &str, dir: &Path) -> (Pty, Arc<Mutex<Vec<u8>>>) {
    let mut child = Command::new("script")
        .args(["-qfec", &format!("stty cols 120 rows 40; {cmd}"), "/dev/null"])
        .env("LCSAUTH_CONFIG_DIR", dir)
        .env("TERM", "xterm-256color")
        .env_remove("DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script (util-linux) is needed");
    let out = Arc::new(Mutex::new(Vec::new()));
    let sink = out.clone();
    let mut stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    (Pty { script: child }, out)
}

fn wait_for(out: &Mutex<Vec<u8>>, needle: &str, since: Instant) -> Duration {
    loop {
        if String::from_utf8_lossy(&out.lock().unwrap()).contains(needle) {
            return since.elapsed();
        }
        assert!(
            since.elapsed() < Duration::from_secs(10),
            "no {needle:?} on screen: {:?}",
            String::from_utf8_lossy(&out.lock().unwrap())
        );
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_lcsauth")
}

#[test]
#[ignore = "benchmark: prints figures"]
fn bench_first_full_frame_with_50_profiles() {
    let dir = tempfile::tempdir().unwrap();
    config_dir(dir.path());
    // The pty and `stty` alone, to subtract from the figures below.
    let base: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let (_pty, out) = in_pty("echo ready", dir.path());
            wait_for(&out, "ready", start)
        })
        .collect();
    let runs: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let (_pty, out) = in_pty(&format!("exec {}", bin()), dir.path());
            // The hint line is drawn last: once it is there, the whole first frame is.
            wait_for(&out, "quit", start)
        })
        .collect();
    let (base, runs) = (median(base), median(runs));
    println!(
        "first full frame, {PROFILES} profiles, 120x40: {:?} from spawn, pty + stty alone {base:?}: {:?} (target ≤ 25 ms)",
        runs,
        runs.saturating_sub(base)
    );
}

/// CPU time of every thread of `pid`, in nanoseconds (first field of each schedstat).
fn cpu_ns(pid: u32) -> u64 {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

#[test]
#[ignore = "benchmark: prints figures"]
fn bench_idle_cpu_with_50_live_countdowns() {
    let dir = tempfile::tempdir().unwrap();
    config_dir(dir.path());
    let start = Instant::now();
    let (pty, out) = in_pty(&format!("exec {}", bin()), dir.path());
    wait_for(&out, "quit", start);
    let pid = pty.program_pid().expect("lcsauth runs under script");
    std::thread::sleep(Duration::from_secs(3));
    let seconds = std::env::var("TUI_BENCH_IDLE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let (cpu0, t0, bytes0) = (cpu_ns(pid), Instant::now(), out.lock().unwrap().len());
    std::thread::sleep(Duration::from_secs(seconds));
    let (cpu1, t1, bytes1) = (cpu_ns(pid), Instant::now(), out.lock().unwrap().len());
    let share = (cpu1 - cpu0) as f64 / (t1 - t0).as_nanos() as f64 * 100.0;
    println!(
        "idle, {PROFILES} live countdowns, 120x40, {seconds} s: {share:.3} % of one core ({:.1} ms CPU; target ≤ 0.2 %), {} bytes/s to the terminal",
        (cpu1 - cpu0) as f64 / 1e6,
        (bytes1 - bytes0) as u64 / seconds
    );
}
