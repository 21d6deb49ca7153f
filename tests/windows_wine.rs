//! The Windows build, run under Wine against the simulator on loopback: sign-in, cache,
//! refresh and removal of 16 KiB tokens through Wine's Credential Manager (`CredWriteW` and
//! friends, the same calls Windows answers), `doctor`, and PowerShell completions.
//!
//! Needs `target/x86_64-pc-windows-gnu/debug/lcsauth.exe` (`.ci/run` builds it with
//! `cargo build --target x86_64-pc-windows-gnu`), mingw-w64 for the test-only
//! `bcryptprimitives.dll` (see `tests/windows/process_prng.c`) and Wine. With `CI=true` a
//! missing piece fails the test; elsewhere the test is skipped with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::real::{has_command, require};
use common::{CLIENT_ID, PASSWORD, TENANT, USER, sim_config};
use lcsauth::sim::Simulator;
use tempfile::TempDir;

/// The Windows binary cargo built for the GNU target.
fn windows_exe() -> PathBuf {
    if let Some(path) = std::env::var_os("LCSAUTH_WINDOWS_EXE") {
        return path.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    target.join("x86_64-pc-windows-gnu/debug/lcsauth.exe")
}

/// A private Wine prefix with lcsauth.exe and the ProcessPrng shim side by side.
struct Wine {
    root: TempDir,
    exe: PathBuf,
    config: PathBuf,
}

impl Wine {
    /// `None` (test skipped) when a tool is missing outside CI; panics in CI.
    fn start() -> Option<Self> {
        let exe = windows_exe();
        if !require(
            exe.is_file(),
            &format!("{} (cargo build --target x86_64-pc-windows-gnu)", exe.display()),
        ) || !require(
            has_command("x86_64-w64-mingw32-gcc"),
            "mingw-w64 (x86_64-w64-mingw32-gcc)",
        ) || !require(has_command("wine") && has_command("wineboot"), "wine")
        {
            return None;
        }
        let root = tempfile::tempdir().unwrap();
        let bin = root.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::copy(&exe, bin.join("lcsauth.exe")).unwrap();
        // The loader looks in the program's own directory first, so the shim is found there.
        let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/windows/process_prng.c");
        let built = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-shared", "-O2", "-o"])
            .arg(bin.join("bcryptprimitives.dll"))
            .arg(&shim)
            .arg("-ladvapi32")
            .output()
            .unwrap();
        assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
        let config = root.path().join("config");
        std::fs::create_dir(&config).unwrap();
        let wine = Self {
            exe: bin.join("lcsauth.exe"),
            config,
            root,
        };
        // The first boot of a prefix takes tens of seconds; a hung one fails the test.
        let boot = wait(
            wine.command("wineboot")
                .arg("-i")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
            Duration::from_secs(180),
        );
        assert!(
            boot.status.success(),
            "wineboot: {}",
            String::from_utf8_lossy(&boot.stderr)
        );
        Some(wine)
    }

    fn prefix(&self) -> PathBuf {
        self.root.path().join("prefix")
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("WINEPREFIX", self.prefix())
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("LCSAUTH_PROFILE")
            .env_remove("LCSAUTH_KEYRING")
            .env_remove("RUST_LOG")
            .env("BROWSER", "none")
            .stdin(Stdio::null());
        cmd
    }

    /// A Windows path for a file under the test's root (Wine maps `Z:` to `/`).
    fn windows_path(path: &Path) -> String {
        format!("Z:{}", path.display()).replace('/', "\\")
    }

    /// Runs `lcsauth.exe` with `args`, the config dir set, and `stdin` piped in.
    fn lcsauth(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = self.command("wine");
        cmd.arg(&self.exe)
            .args(args)
            .env("LCSAUTH_CONFIG_DIR", Self::windows_path(&self.config))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if stdin.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        }
        wait(child, Duration::from_secs(120))
    }

    fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.lcsauth(args, stdin);
        assert!(
            out.status.success(),
            "lcsauth.exe {args:?} failed ({:?}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The targets of every credential in Wine's Credential Manager (`<user>.<service>`).
    fn credentials(&self) -> Vec<String> {
        let out = self
            .command("wine")
            .args(["reg", "query", r"HKCU\Software\Wine\Credential Manager"])
            .stdout(Stdio::piped())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                l.trim()
                    .strip_prefix(r"HKEY_CURRENT_USER\Software\Wine\Credential Manager\")
            })
            .map(|target| target.strip_prefix("Generic: ").unwrap_or(target).to_owned())
            .collect()
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        let _ = self.command("wineserver").arg("-k").status();
    }
}

/// Waits for `child`, killing it after `limit` so a hung Wine never hangs the suite. Its
/// output is read while it runs, so a full pipe never stalls it.
fn wait(mut child: std::process::Child, limit: Duration) -> Output {
    fn drain(pipe: Option<impl std::io::Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("a Wine process did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_windows_build_signs_in_caches_refreshes_and_removes_16_kib_tokens_in_the_credential_manager() {
    let Some(wine) = Wine::start() else { return };
    let rt = runtime();
    // 320 group claims: an access token past 16 KiB, six times what one credential holds.
    let sim = rt.block_on(Simulator::start(sim_config().groups(320))).unwrap();
    let url = sim.base_url();
    let name = "contoso-prod";
    let token_requests = || {
        sim.requests()
            .into_iter()
            .filter(lcsauth::sim::RecordedRequest::is_token)
            .collect::<Vec<_>>()
    };

    wine.ok(
        &[
            "profile",
            "add",
            name,
            "--tenant",
            TENANT,
            "--client-id",
            CLIENT_ID,
            "--username",
            USER,
            "--authority",
            &url,
        ],
        None,
    );
    wine.ok(&["login", name, "--password-stdin"], Some(&format!("{PASSWORD}\n")));
    assert_eq!(token_requests().len(), 1);
    let first = sim.last_access_token().unwrap();
    assert!(first.len() > 16 * 1024, "access token of {} bytes", first.len());
    let first_rt = sim.issued_refresh_tokens()[0].clone();
    assert!(first_rt.len() > 1280, "refresh token of {} bytes", first_rt.len());

    // The secrets are in the Credential Manager, in pieces no larger than a credential holds.
    let creds = wine.credentials();
    let pieces = |kind: &str| {
        creds
            .iter()
            .filter(|c| c.starts_with(&format!("{name}/{kind}#")))
            .count()
    };
    assert!(pieces("access_token") >= 7, "{creds:?}");
    assert!(pieces("refresh_token") >= 1, "{creds:?}");
    assert!(
        creds.iter().any(|c| c.starts_with(&format!("{name}/access_token@"))),
        "the manifest: {creds:?}"
    );
    // Nothing secret in a plain file.
    for entry in walk(&wine.config) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        assert!(
            !text.contains(&first[..200]) && !text.contains(&first_rt[..200]),
            "{}",
            entry.display()
        );
    }

    // Cached: read back whole from its pieces, no request.
    let cached = wine.ok(&["token", name], None);
    assert_eq!(cached.trim_end(), first, "the 16 KiB token read back whole");
    assert_eq!(token_requests().len(), 1, "a cached token costs no request");

    // --force goes through the refresh grant with the stored refresh token ...
    let second = wine.ok(&["token", name, "--force"], None);
    let reqs = token_requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].field("grant_type"), Some("refresh_token"));
    assert_eq!(reqs[1].field("refresh_token"), Some(first_rt.as_str()));
    assert_eq!(second.trim_end(), sim.last_access_token().unwrap());
    assert_ne!(second.trim_end(), first);
    // ... and keeps the rotated one: the next refresh sends it.
    wine.ok(&["token", name, "--force"], None);
    let reqs = token_requests();
    assert_eq!(reqs.len(), 3);
    let rotated = sim.issued_refresh_tokens()[1].clone();
    assert_eq!(reqs[2].field("refresh_token"), Some(rotated.as_str()));

    let status: serde_json::Value = serde_json::from_str(&wine.ok(&["status", "--json"], None)).unwrap();
    assert_eq!(status[0]["name"], name);
    assert_eq!(status[0]["state"], "valid");
    assert!(status[0]["remaining_seconds"].as_i64().unwrap() > 3000);

    // exec hands the child the token in its environment (18 KiB fit a Windows variable).
    let env = wine.ok(&["exec", name, "--", "cmd.exe", "/c", "set", "LCS_"], None);
    let current = sim.last_access_token().unwrap();
    assert!(
        env.lines()
            .any(|l| l.trim_end() == format!("LCS_ACCESS_TOKEN={current}")),
        "{}",
        &env[..200.min(env.len())]
    );
    assert!(
        env.lines().any(|l| l.starts_with("LCS_API_URL=https://")),
        "no LCS_API_URL"
    );
    assert_eq!(token_requests().len(), 3, "exec used the cached token");

    wine.ok(&["logout", name], None);
    let left: Vec<String> = wine
        .credentials()
        .into_iter()
        .filter(|c| c.contains("_token"))
        .collect();
    assert!(left.is_empty(), "logout leaves no piece behind: {left:?}");
    let status: serde_json::Value = serde_json::from_str(&wine.ok(&["status", "--json"], None)).unwrap();
    assert_eq!(status[0]["state"], "none");

    wine.ok(&["login", name, "--password-stdin"], Some(&format!("{PASSWORD}\n")));
    assert!(!wine.credentials().is_empty());
    wine.ok(&["profile", "remove", name], None);
    assert_eq!(
        wine.credentials(),
        Vec::<String>::new(),
        "profile remove removes every piece"
    );
    rt.block_on(sim.shutdown());
}

#[test]
fn doctor_under_wine_finds_the_credential_manager_the_clipboard_and_the_windows_config_dir() {
    let Some(wine) = Wine::start() else { return };
    // No LCSAUTH_CONFIG_DIR: doctor names the default config dir.
    let out = wait(
        wine.command("wine")
            .arg(&wine.exe)
            .arg("doctor")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
        Duration::from_secs(120),
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = |check: &str| {
        text.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(check))
            .unwrap_or_else(|| panic!("no {check} line in:\n{text}"))
            .to_owned()
    };
    let keyring = line("keyring");
    assert!(keyring.starts_with("ok"), "{text}");
    assert!(keyring.contains("Windows Credential Manager"), "{keyring}");
    assert!(keyring.contains("16 KiB"), "{keyring}");
    let clipboard = line("clipboard");
    assert!(clipboard.contains("Windows clipboard"), "{clipboard}");
    // The default config dir: %APPDATA%\lcsauth\config, as directories::ProjectDirs puts it.
    let config = line("config");
    assert!(
        config.contains(r"\AppData\Roaming\lcsauth\config\profiles.toml"),
        "{config}"
    );
    assert_eq!(
        wine.credentials(),
        Vec::<String>::new(),
        "the probe leaves nothing behind"
    );

    let completions = wine.ok(&["completions", "powershell"], None);
    assert!(completions.contains("Register-ArgumentCompleter"), "{completions}");
    // The registration asks the Windows binary itself for candidates, by its Windows path.
    assert!(completions.contains("-CommandName lcsauth"), "{completions}");
    assert!(completions.contains(r"\\lcsauth.exe"), "{completions}");
    assert!(completions.contains(r#"$env:COMPLETE = "powershell""#), "{completions}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
