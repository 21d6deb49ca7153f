//! `kill -9` in the middle of a save leaves the old profiles.toml or the new one, never a partial
//! one, and no leftover a later load would read; state files carry their format version.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Harness, sim_config};
use lcsauth::profile::store::Config;

const PROFILES: usize = 400;

/// A profiles.toml with `PROFILES` profiles, as the program itself writes it.
fn big_config(dir: &Path) {
    let mut text = String::from("[settings]\nmin_valid = \"15m\"\n");
    for i in 0..PROFILES {
        let _ = write!(
            text,
            "\n[[profile]]\nname = \"customer-{i:04}\"\ntenant = \"tenant{i}.onmicrosoft.com\"\n\
             client_id = \"0a1b2c3d-4e5f-6789-abcd-{i:012}\"\nregion = \"eu\"\n\
             username = \"ops{i}@tenant{i}.onmicrosoft.com\"\nproject_id = \"{i}\"\n"
        );
    }
    let config = Config::parse(&text, Path::new("profiles.toml")).unwrap();
    std::fs::write(dir.join("profiles.toml"), config.render()).unwrap();
}

fn edit(dir: &Path, profile: &str, project_id: usize) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("lcsauth"));
    cmd.args(["profile", "edit", profile, "--project-id", &project_id.to_string()])
        .env("LCSAUTH_CONFIG_DIR", dir)
        .env_remove("LCSAUTH_PROFILE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// The text a completed edit writes.
fn edited(old: &str, profile: &str, project_id: usize) -> String {
    let mut config = Config::parse(old, Path::new("profiles.toml")).unwrap();
    let p = config.profiles.iter_mut().find(|p| p.name.as_str() == profile).unwrap();
    p.project_id = Some(project_id.to_string().parse().unwrap());
    config.render()
}

/// Files in the config dir other than profiles.toml and the locks and state directories.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !matches!(n.as_str(), "profiles.toml" | "locks" | "state"))
        .collect()
}

#[test]
fn kill_9_during_profile_edit_leaves_the_old_or_the_new_file_never_a_partial_one() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    big_config(dir);

    // How long one edit takes on this machine, now: kills are spread around that.
    let mut runs: Vec<Duration> = (0..5)
        .map(|i| {
            let started = Instant::now();
            assert!(edit(dir, "customer-0000", 100_000 + i).status().unwrap().success());
            started.elapsed()
        })
        .collect();
    runs.sort();
    let typical = runs[2];

    let (mut old_seen, mut new_seen, mut temp_left, mut in_save) = (0, 0, 0, 0);
    let mut iteration = 0;
    while iteration < 50 || ((old_seen == 0 || new_seen == 0) && iteration < 300) {
        let profile = format!("customer-{:04}", iteration % PROFILES);
        let old = std::fs::read_to_string(dir.join("profiles.toml")).unwrap();
        let project_id = 1_000_000 + iteration; // differs from every id the file holds
        let new = edited(&old, &profile, project_id);
        assert_ne!(new, old);
        let mut child = edit(dir, &profile, project_id).spawn().unwrap();
        if iteration % 2 == 0 {
            // Anywhere in the process's life.
            std::thread::sleep(typical.mul_f64(0.2 + 1.3 * fastrand::f64()));
        } else {
            // Inside the save: once its temporary file exists, within the next two milliseconds.
            let deadline = Instant::now() + Duration::from_secs(30);
            while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
                if !leftovers(dir).is_empty() {
                    in_save += 1;
                    std::thread::sleep(Duration::from_micros(fastrand::u64(0..2000)));
                    break;
                }
            }
        }
        let _ = child.kill(); // SIGKILL; an error only means it already exited
        child.wait().unwrap();

        let now = std::fs::read_to_string(dir.join("profiles.toml")).unwrap();
        if now == old {
            old_seen += 1;
        } else if now == new {
            new_seen += 1;
        } else {
            panic!(
                "iteration {iteration}: profiles.toml is neither the old nor the new content \
                 ({} bytes; old {}, new {})",
                now.len(),
                old.len(),
                new.len()
            );
        }
        let parsed = Config::parse(&now, Path::new("profiles.toml")).unwrap();
        assert_eq!(parsed.profiles.len(), PROFILES);
        // A killed save may leave its temporary file; it is hidden, named apart, and never read.
        for name in leftovers(dir) {
            assert!(
                name.starts_with(".profiles.toml.") && Path::new(&name).extension().is_some_and(|e| e == "tmp"),
                "unexpected file {name}"
            );
            temp_left += 1;
            std::fs::remove_file(dir.join(&name)).unwrap();
        }
        iteration += 1;
    }
    eprintln!(
        "{iteration} kills around a {typical:?} edit ({in_save} while its temporary file existed): \
         {old_seen} left the old file, {new_seen} the new one, {temp_left} a temporary file"
    );
    assert!(old_seen > 0 && new_seen > 0, "the kills did not land around the save");

    // The lock of a killed process is gone with it: the next edit and load go through.
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin("lcsauth"))
        .args(["profile", "edit", "customer-0001", "--project-id", "424242"])
        .env("LCSAUTH_CONFIG_DIR", dir)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    assert!(!String::from_utf8_lossy(&out.get_output().stderr).contains("panicked"));
    let list = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin("lcsauth"))
        .args(["profile", "list", "--json"])
        .env("LCSAUTH_CONFIG_DIR", dir)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let listed: serde_json::Value = serde_json::from_slice(&list.get_output().stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), PROFILES);
}

#[test]
fn a_temporary_file_left_by_a_killed_save_is_never_read() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let dir = h.config_dir();
    // What a save killed before its rename leaves: a half-written hidden sibling.
    std::fs::write(
        dir.join(".profiles.toml.4242.0badc0de.tmp"),
        b"[[profile]]\nname = \"half",
    )
    .unwrap();
    let list = h.cmd().args(["profile", "list", "--json"]).assert().success();
    let listed: serde_json::Value = serde_json::from_slice(&list.get_output().stdout).unwrap();
    assert_eq!(listed[0]["name"], h.name.as_str());
    h.edit(&["--project-id", "9"]).success();
    let text = std::fs::read_to_string(dir.join("profiles.toml")).unwrap();
    assert!(text.contains("project_id = \"9\""), "{text}");
}

fn state_version(h: &Harness) -> serde_json::Value {
    let path = h.config_dir().join("state").join(format!("{}.json", h.name));
    let state: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    state["version"].clone()
}

#[test]
fn state_files_carry_format_version_1_after_sign_in_refresh_and_failure() {
    let h = Harness::signed_in(sim_config(), &[]);
    assert_eq!(state_version(&h), 1, "after a sign-in");
    h.token(&["--force"]).success();
    assert_eq!(state_version(&h), 1, "after a refresh");
    h.sim
        .script(lcsauth::sim::Endpoint::Token, lcsauth::sim::Scripted::Html200);
    h.token(&["--force"]).code(4);
    assert_eq!(state_version(&h), 1, "after a recorded failure");
}

#[test]
fn a_state_file_of_a_future_version_is_not_misread() {
    let h = Harness::signed_in(sim_config(), &[]);
    let path = h.config_dir().join("state").join(format!("{}.json", h.name));
    let mut state: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    state["version"] = 2.into();
    state["token"]["expires_at"] = "2999-01-01T00:00:00Z".into();
    std::fs::write(&path, serde_json::to_vec(&state).unwrap()).unwrap();
    // Its fields may mean something else now: the board shows no token rather than guessing.
    let status = h.status_json();
    assert_eq!(status[0]["state"], "none");
    assert!(status[0]["expires_at"].is_null());
}
