//! Drawing cost, measured, not asserted (figures in `assets/tui-bench.md`). Run in release:
//! `cargo test --release --bin lcsauth tui::tests::bench -- --ignored --nocapture --test-threads 1`

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use lcsauth::broker::{ProfileState, StateStore};
use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::{Config, ProfileStore};

use super::fixtures::{app_with, now, profile, token};
use crate::tui::app::msg::{Msg, Snapshot};
use crate::tui::app::state::App;
use crate::tui::shell::worker::load;
use crate::tui::time::later;
use crate::tui::view::screen;
use crate::tui::view::theme::Theme;

fn states(n: usize) -> Vec<ProfileState> {
    (0..n)
        .map(|i| {
            let age = Duration::from_secs(60 * (i as u64 % 50));
            token(
                age,
                Duration::from_secs(3600 + i as u64 % 1800),
                "https://lcsapi.eu.lcs.dynamics.com",
            )
        })
        .collect()
}

fn big(n: usize) -> Snapshot {
    let profiles = (0..n).map(|i| profile(&format!("p{i:05}"))).collect();
    Snapshot {
        config: Config {
            profiles,
            ..Config::default()
        },
        states: states(n),
    }
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "{what}: median {:?}, p99 {:?}, max {:?} over {} frames",
        pick(0.5),
        pick(0.99),
        times[times.len() - 1],
        times.len()
    );
}

fn frames(app: &App, width: u16, height: u16, count: u64) -> Vec<Duration> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    for s in 0..50 {
        terminal
            .draw(|f| screen::render(app, later(now(), Duration::from_secs(s)), f))
            .unwrap();
    }
    (0..count)
        .map(|s| {
            // A new second each frame: every countdown and bar changes, as in the real loop.
            let at = later(now(), Duration::from_secs(50 + s));
            let start = Instant::now();
            terminal.draw(|f| screen::render(app, at, f)).unwrap();
            start.elapsed()
        })
        .collect()
}

#[test]
#[ignore = "benchmark: prints figures"]
fn bench_render_one_frame_with_10000_profiles() {
    let mut app = app_with(big(10_000), 120, 40);
    app.theme = Theme { color: true };
    app.roster.move_by(5_000, app.board_rows());
    report(
        "one frame, 10,000 profiles, 120x40 (target ≤ 1 ms)",
        frames(&app, 120, 40, 2_000),
    );
    let mut app = app_with(big(10_000), 80, 24);
    app.theme = Theme { color: true };
    report(
        "one frame, 10,000 profiles, 80x24 (target ≤ 1 ms)",
        frames(&app, 80, 24, 2_000),
    );
}

#[test]
#[ignore = "benchmark: prints figures"]
fn bench_first_frame_with_50_profiles_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let config_dir = ConfigDir::new(dir.path());
    let store = ProfileStore::new(config_dir.clone());
    let states_store = StateStore::new(config_dir);
    let snapshot = big(50);
    store
        .update(|c| {
            for p in snapshot.config.profiles.clone() {
                c.add(p)?;
            }
            Ok(())
        })
        .unwrap();
    for (p, s) in snapshot.config.profiles.iter().zip(&snapshot.states) {
        states_store.save(p.name.as_str(), s).unwrap();
    }
    let mut times = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        let loaded = load(&store, &states_store);
        let mut app = App::new(Theme { color: true }, jiff::tz::TimeZone::UTC, (120, 40));
        app.update(Msg::Loaded(loaded), now());
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| screen::render(&app, now(), f)).unwrap();
        times.push(start.elapsed());
        assert_eq!(app.roster.entries().len(), 50);
    }
    report("read 50 profiles + state files, build the app, first frame", times);
}
