//! Shared harness: a simulator on loopback, a private config dir, and the real binary, with
//! the setup the tests share (a profile added, signed in, edited; completion; the config file
//! edited by hand). Beside it: `signed.rs`, a signed-in profile and the tokens it holds;
//! `hostile.rs`, a token endpoint that misbehaves on purpose; `real.rs`, guards and readers
//! for real backends.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod hostile;
pub mod real;
pub mod signed;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use lcsauth::sim::{SimConfig, SimUser, Simulator};
use tempfile::TempDir;

pub const CLIENT_ID: &str = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
pub const TENANT: &str = "contoso.onmicrosoft.com";
pub const USER: &str = "ops@contoso.onmicrosoft.com";
/// A user the simulator refuses a password sign-in without multi-factor authentication.
pub const MFA_USER: &str = "mfa@contoso.onmicrosoft.com";
/// A password with every character that form encoding can break.
pub const PASSWORD: &str = "p&ss=w%rd+ with spaces";

/// The real binary on the config dir `dir`, with nothing from the caller's environment that
/// could change its behaviour, killed after `timeout`.
pub fn lcsauth_in(dir: &Path, timeout: Duration) -> Command {
    let mut cmd = Command::cargo_bin("lcsauth").unwrap();
    cmd.env("LCSAUTH_CONFIG_DIR", dir)
        .env_remove("LCSAUTH_PROFILE")
        .env_remove("RUST_LOG")
        .env_remove("SSH_CONNECTION")
        .env_remove("SSH_TTY")
        .env("BROWSER", "none")
        .timeout(timeout);
    cmd
}

/// `profile add NAME` with the tenant and client id every test uses.
pub fn profile_add(name: &str) -> [&str; 7] {
    ["profile", "add", name, "--tenant", TENANT, "--client-id", CLIENT_ID]
}

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
        SimUser::new(MFA_USER, PASSWORD).with_mfa(),
    ])
    .client_id(CLIENT_ID)
}

/// [`sim_config`] with the browser sign-in of [`USER`] approved at once, as a signed-in
/// browser session would.
pub fn browser_sim_config() -> SimConfig {
    let mut c = sim_config();
    c.auto_approve_user = Some(USER.into());
    c
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

    /// A simulator with `config` and this test's profile (with `extra` flags), signed in.
    pub fn signed_in(config: SimConfig, extra: &[&str]) -> Self {
        let h = Self::new(config);
        h.add_profile(extra);
        h.login().success();
        h
    }

    pub fn config_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The real binary with this test's config dir and nothing from the caller's environment
    /// that could change its behaviour.
    pub fn cmd(&self) -> Command {
        lcsauth_in(self.dir.path(), Duration::from_secs(60))
    }

    /// `profile add NAME` with the tenant and client id every test uses; the caller adds the
    /// rest and runs it.
    pub fn add_cmd(&self, name: &str) -> Command {
        let mut cmd = self.cmd();
        cmd.args(profile_add(name));
        cmd
    }

    /// Adds this test's profile pointing at the simulator.
    pub fn add_profile(&self, extra: &[&str]) {
        self.add_profile_as(USER, extra);
    }

    /// Adds this test's profile pointing at the simulator, signing in as `user`.
    pub fn add_profile_as(&self, user: &str, extra: &[&str]) {
        self.add_cmd(&self.name)
            .args(["--username", user, "--authority", &self.sim.base_url()])
            .args(extra)
            .assert()
            .success();
    }

    /// `profile edit` of this test's profile with `extra` flags.
    pub fn edit(&self, extra: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd().args(["profile", "edit", &self.name]).args(extra).assert()
    }

    /// What `profile show` prints for this test's profile.
    pub fn show(&self) -> String {
        stdout(&self.cmd().args(["profile", "show", &self.name]).assert().success())
    }

    /// Starts `lcsauth login NAME` in the background, with no stdin and `stdout` as given, and
    /// streams its stderr lines.
    pub fn spawn_login(&self, stdout: std::process::Stdio) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
        use std::io::BufRead as _;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lcsauth"))
            .args(["login", &self.name])
            .env("LCSAUTH_CONFIG_DIR", self.dir.path())
            .env("BROWSER", "none")
            .env_remove("SSH_CONNECTION")
            .env_remove("SSH_TTY")
            .stdin(std::process::Stdio::null())
            .stdout(stdout)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        (child, rx)
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

    /// [`replace_in_config`] in this test's config dir.
    pub fn replace_in_config(&self, from: &str, to: &str) {
        replace_in_config(self.dir.path(), from, to);
    }

    /// [`set_http_timeout`] in this test's config dir.
    pub fn set_http_timeout(&self, value: &str) {
        set_http_timeout(self.dir.path(), value);
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

    /// The grant type of every token request, in order.
    pub fn grant_types(&self) -> Vec<String> {
        self.token_requests()
            .iter()
            .map(|r| r.field("grant_type").unwrap_or_default().to_string())
            .collect()
    }

    /// What shell completion offers for `words`, the last being the word being completed.
    pub fn complete(&self, shell: &str, words: &[&str]) -> String {
        let mut cmd = self.cmd();
        cmd.env("COMPLETE", shell).arg("--").arg("lcsauth").args(words);
        // bash, zsh and PowerShell pass the index of the word being completed.
        cmd.env("_CLAP_COMPLETE_INDEX", words.len().to_string())
            .env("_CLAP_IFS", "\n");
        stdout(&cmd.assert().success())
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Leave nothing in the keyring (keyutils keys outlive the test process).
        let _ = self.cmd().args(["logout", &self.name, "--forget-password"]).ok();
    }
}

/// Replaces `from` (which must be there) with `to` in the profiles.toml of `dir`, as a person
/// editing the file would: no command runs.
pub fn replace_in_config(dir: &Path, from: &str, to: &str) {
    let file = dir.join("profiles.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{text}");
    std::fs::write(&file, text.replace(from, to)).unwrap();
}

/// Sets `http_timeout` in the profiles.toml of `dir` (from the default 30s) to `value`.
pub fn set_http_timeout(dir: &Path, value: &str) {
    replace_in_config(dir, "http_timeout = \"30s\"", &format!("http_timeout = \"{value}\""));
}

/// A loopback URL nothing listens on: the port was free a moment ago and is closed again.
pub fn dead_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

pub fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

pub fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}
