//! Microsoft's MSAL for Python, a client we did not write, against the simulator over TLS:
//! discovery, the password grant, silent refresh with rotation, the device code in every
//! state, the authorization code with PKCE and nonce (query and form_post), and the error
//! shapes MSAL passes on. The checks live in `tests/msal/conformance.py`; any mismatch fails.
//! With `CI=true` a missing python3 or msal fails the test instead of skipping it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::real::{has_command, require};
use lcsauth::sim::{SimConfig, SimUser, Simulator, TLS_CA_PEM};

const CLIENT_ID: &str = "51f81489-12ee-4a9e-aaae-a2591f45987d";
const OTHER_CLIENT_ID: &str = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const USER: &str = "ops@contoso.onmicrosoft.com";
const PASSWORD: &str = "Demo-Pass-1";

/// The whole run takes a few seconds; this bounds a hung client.
const LIMIT: Duration = Duration::from_secs(90);

fn msal_available() -> bool {
    has_command("python3")
        && std::process::Command::new("python3")
            .args(["-c", "import msal, jwt, requests"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// The accounts and timing the script expects: two contoso accounts (one behind MFA), a
/// northwind account, two registered clients, one-second device-code polling with
/// slow_down enforced, and the contoso account signed in to the "browser".
fn config() -> SimConfig {
    SimConfig {
        users: vec![
            SimUser::new(USER, PASSWORD),
            SimUser::new("mfa@contoso.onmicrosoft.com", "Mfa-Pass-1").with_mfa(),
            SimUser::new("dev@northwind.onmicrosoft.com", PASSWORD),
        ],
        allowed_client_ids: vec![CLIENT_ID.to_owned(), OTHER_CLIENT_ID.to_owned()],
        known_tenants: vec![
            "contoso.onmicrosoft.com".to_owned(),
            "northwind.onmicrosoft.com".to_owned(),
        ],
        device_code_interval: Duration::from_secs(1),
        enforce_slow_down: true,
        auto_approve_user: Some(USER.to_owned()),
        ..SimConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn msal_python_accepts_the_simulator() {
    if !require(msal_available(), "python3 with msal (pip install msal)") {
        return;
    }
    let sim = Simulator::start_tls(config()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, TLS_CA_PEM).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/msal/conformance.py");
    let child = tokio::process::Command::new("python3")
        .arg(script)
        .arg(sim.base_url())
        .arg(&ca)
        // MSAL's own proxies and CA settings must not redirect it elsewhere.
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("REQUESTS_CA_BUNDLE")
        .env_remove("CURL_CA_BUNDLE")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(LIMIT, child)
        .await
        .expect("the MSAL run finishes")
        .unwrap();
    sim.shutdown().await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "MSAL conformance failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(" checks, 0 failed"), "{stdout}");
}
