//! Shared harness: a simulator on loopback, a private config dir, and the real binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use lcsauth::sim::{SimConfig, SimUser, Simulator};
use tempfile::TempDir;

pub const CLIENT_ID: &str = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
pub const TENANT: &str = "contoso.onmicrosoft.com";
pub const USER: &str = "ops@contoso.onmicrosoft.com";
/// A password with every character that form encoding can break.
pub const PASSWORD: &str = "p&ss=w%rd+ with spaces";

pub struct Harness {
    pub rt: tokio::runtime::Runtime,
    pub sim: Simulator,
    pub dir: TempDir,
    /// A profile name unique to this test, so tests never share keyring entries.
    pub name: String,
}

pub fn sim_config() -> SimConfig {
    SimConfig::with_users(vec![
        SimUser::new(USER, PASSWORD),
        SimUser::new("mfa@contoso.onmicrosoft.com", PASSWORD).with_mfa(),
    ])
    .client_id(CLIENT_ID)
}

impl Harness {
    pub fn new(config: SimConfig) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sim = rt.block_on(Simulator::start(config)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let name = format!("t{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        Self { rt, sim, dir, name }
    }

    pub fn config_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The real binary with this test's config dir and nothing from the caller's environment
    /// that could change its behaviour.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("lcsauth").unwrap();
        cmd.env("LCSAUTH_CONFIG_DIR", self.dir.path())
            .env_remove("LCSAUTH_PROFILE")
            .env_remove("RUST_LOG")
            .env_remove("SSH_CONNECTION")
            .env_remove("SSH_TTY")
            .env("BROWSER", "none")
            .timeout(Duration::from_secs(60));
        cmd
    }

    /// Adds this test's profile pointing at the simulator.
    pub fn add_profile(&self, extra: &[&str]) {
        let url = self.sim.base_url();
        let mut args = vec![
            "profile",
            "add",
            &self.name,
            "--tenant",
            TENANT,
            "--client-id",
            CLIENT_ID,
            "--username",
            USER,
            "--authority",
            &url,
        ];
        args.extend_from_slice(extra);
        self.cmd().args(&args).assert().success();
    }

    pub fn login(&self) -> assert_cmd::assert::Assert {
        self.cmd()
            .args(["login", &self.name, "--password-stdin"])
            .write_stdin(format!("{PASSWORD}\n"))
            .assert()
    }

    pub fn token(&self, extra: &[&str]) -> assert_cmd::assert::Assert {
        let mut args = vec!["token", self.name.as_str()];
        args.extend_from_slice(extra);
        self.cmd().args(&args).assert()
    }

    pub fn status_json(&self) -> serde_json::Value {
        let out = self
            .cmd()
            .args(["status", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    }

    /// Every file under the config dir with its bytes.
    pub fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.dir.path(), &mut out);
        out
    }

    pub fn token_requests(&self) -> Vec<lcsauth::sim::RecordedRequest> {
        self.sim
            .requests()
            .into_iter()
            .filter(lcsauth::sim::RecordedRequest::is_token)
            .collect()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Leave nothing in the keyring (keyutils keys outlive the test process).
        let _ = self.cmd().args(["logout", &self.name, "--forget-password"]).ok();
    }
}

pub fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

pub fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}
pub mod hostile;
pub mod real;
pub mod signed;
