//! A whole session at trace level: the password, refresh tokens and access tokens appear in no
//! file the program wrote, no log line, no `--json` output and no stderr (the access token on
//! the stdout of `token` excepted: that is its job).
#![allow(clippy::unwrap_used)]

mod common;

use common::{Harness, PASSWORD, sim_config};
use lcsauth::sim::{Endpoint, Scripted};

#[test]
fn no_secret_leaks_into_files_logs_json_or_stderr() {
    let h = Harness::new(sim_config());
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut run = |label: &str, args: &[&str], stdin: Option<&str>, keep_stdout: bool| {
        let mut cmd = h.cmd();
        cmd.env("RUST_LOG", "trace").args(args);
        if let Some(input) = stdin {
            cmd.write_stdin(input.to_string());
        }
        let out = cmd.output().unwrap();
        outputs.push((format!("{label} stderr"), out.stderr));
        if !keep_stdout {
            outputs.push((format!("{label} stdout"), out.stdout));
        }
    };
    let url = h.sim.base_url();
    let name = h.name.clone();
    run(
        "add",
        &[
            "profile",
            "add",
            &name,
            "--tenant",
            common::TENANT,
            "--client-id",
            common::CLIENT_ID,
            "--username",
            common::USER,
            "--authority",
            &url,
            "--remember-password",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
        false,
    );
    run("token", &["token", &name], None, true);
    run(
        "token json",
        &["token", &name, "--format", "json", "--force"],
        None,
        true,
    );
    run("refresh", &["token", &name, "--force"], None, true);
    // The copy path (a display is there in CI; without one, copy fails and its stderr is
    // scanned all the same).
    run("copy", &["copy", &name, "--clear-after", "1s"], None, false);
    h.sim.script(Endpoint::Token, Scripted::aadsts(50126));
    run(
        "error",
        &["login", &name, "--password-stdin"],
        Some("wrong-password\n"),
        false,
    );
    h.sim.script(Endpoint::Token, Scripted::Garbage);
    run("garbage", &["token", &name, "--force"], None, false);
    run("status", &["status", "--json"], None, false);
    run("status text", &["status"], None, false);
    run("show", &["profile", "show", &name, "--json"], None, false);
    run("list", &["profile", "list", "--json"], None, false);

    let mut secrets: Vec<String> = vec![PASSWORD.to_string(), "wrong-password".to_string()];
    secrets.extend(h.sim.issued_refresh_tokens());
    secrets.extend(
        h.sim
            .requests()
            .iter()
            .filter_map(|r| r.field("refresh_token").map(str::to_string)),
    );
    let tokens = h.sim.requests().len();
    assert!(tokens >= 4, "the session made its requests");
    // Access tokens: every one the simulator issued is a JWT; keep their signature parts,
    // which are unique per token and never appear in metadata.
    let last = h.sim.last_access_token().unwrap();
    secrets.push(last.clone());
    secrets.push(last.rsplit('.').next().unwrap().to_string());

    for (path, bytes) in h.files() {
        let text = String::from_utf8_lossy(&bytes);
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "a secret leaked into {}", path.display());
        }
    }
    for (label, bytes) in &outputs {
        let text = String::from_utf8_lossy(bytes);
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "a secret leaked into {label}:\n{text}");
        }
    }
    // Trace logging was really on, so the scan covered log lines.
    assert!(
        outputs
            .iter()
            .any(|(l, b)| l.starts_with("token") && String::from_utf8_lossy(b).contains("TRACE"))
    );
}
