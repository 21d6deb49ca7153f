//! The device-code flow: issue, pending, approval, decline, expiry,
//! slow_down and automatic approval.

use std::time::Duration;

use super::super::{DeviceAutoApprove, SimConfig, Simulator, token_claims};
use super::{CLIENT_ID, LCS_SCOPE, Reply, TENANT, USER, post_form, token};

const GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

async fn begin(sim: &Simulator) -> Reply {
    post_form(
        sim,
        &format!("/{TENANT}/oauth2/v2.0/devicecode"),
        &[("client_id", CLIENT_ID), ("scope", LCS_SCOPE)],
    )
    .await
}

async fn poll(sim: &Simulator, device_code: &str) -> Reply {
    token(
        sim,
        &[
            ("grant_type", GRANT),
            ("client_id", CLIENT_ID),
            ("device_code", device_code),
        ],
    )
    .await
}

fn fast_config() -> SimConfig {
    SimConfig {
        device_code_interval: Duration::from_secs(1),
        ..super::config()
    }
}

#[tokio::test]
async fn devicecode_response_has_entra_shape() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let reply = begin(&sim).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = &reply.json;
    let user_code = body["user_code"].as_str().unwrap();
    assert!((8..=9).contains(&user_code.len()));
    assert!(user_code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    assert!(body["device_code"].as_str().unwrap().len() > 100);
    assert_eq!(body["verification_uri"], "https://microsoft.com/devicelogin");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["interval"], 5);
    assert_eq!(
        body["message"],
        format!(
            "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code {user_code} to authenticate."
        )
    );
    assert_eq!(sim.user_codes(), vec![user_code.to_owned()]);
    sim.shutdown().await;
}

#[tokio::test]
async fn pending_until_approved_then_tokens_for_the_approver() {
    let sim = Simulator::start(fast_config()).await.unwrap();
    let started = begin(&sim).await;
    let device_code = started.json["device_code"].as_str().unwrap();
    let user_code = started.json["user_code"].as_str().unwrap();

    let pending = poll(&sim, device_code).await;
    assert_eq!(pending.status, 400);
    pending.assert_error("authorization_pending", 70016);

    assert!(sim.approve_device_code(user_code, USER));
    let done = poll(&sim, device_code).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.json["refresh_token"].as_str().is_some());
    let claims = token_claims(done.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["upn"], USER);
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "mfa"]));

    // A redeemed code cannot be redeemed again, nor approved again.
    poll(&sim, device_code).await.assert_error("invalid_grant", 70000);
    assert!(!sim.approve_device_code(user_code, USER));
    assert_eq!(sim.device_polls(user_code).len(), 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn declined_code_answers_authorization_declined() {
    let sim = Simulator::start(fast_config()).await.unwrap();
    let started = begin(&sim).await;
    let device_code = started.json["device_code"].as_str().unwrap();
    assert!(sim.decline_device_code(started.json["user_code"].as_str().unwrap()));
    let reply = poll(&sim, device_code).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json["error"], "authorization_declined");
    sim.shutdown().await;
}

#[tokio::test]
async fn expired_code_answers_expired_token() {
    let config = SimConfig {
        device_code_expires_in: Duration::from_millis(300),
        ..fast_config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let started = begin(&sim).await;
    assert_eq!(started.json["expires_in"], 1);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let reply = poll(&sim, started.json["device_code"].as_str().unwrap()).await;
    reply.assert_error("expired_token", 70020);
    assert!(
        reply.json["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.\r\nTrace ID: "),
        "{}",
        reply.text
    );
    assert!(!sim.approve_device_code(started.json["user_code"].as_str().unwrap(), USER));
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_device_code_is_bad_verification_code() {
    let sim = Simulator::start(fast_config()).await.unwrap();
    poll(&sim, "DAQABnotreal")
        .await
        .assert_error("bad_verification_code", 70018);
    sim.shutdown().await;
}

#[tokio::test]
async fn polling_faster_than_interval_gets_slow_down() {
    let config = SimConfig {
        enforce_slow_down: true,
        ..fast_config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let started = begin(&sim).await;
    let device_code = started.json["device_code"].as_str().unwrap();
    let user_code = started.json["user_code"].as_str().unwrap();
    poll(&sim, device_code)
        .await
        .assert_error("authorization_pending", 70016);
    let fast = poll(&sim, device_code).await;
    assert_eq!(fast.status, 400);
    assert_eq!(fast.json["error"], "slow_down");
    tokio::time::sleep(Duration::from_millis(1050)).await;
    poll(&sim, device_code)
        .await
        .assert_error("authorization_pending", 70016);

    let polls = sim.device_polls(user_code);
    assert_eq!(polls.len(), 3);
    let last_gap = polls[2].duration_since(polls[1]).unwrap();
    assert!(last_gap >= Duration::from_secs(1), "{last_gap:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn slow_down_is_not_sent_unless_enforced() {
    let sim = Simulator::start(fast_config()).await.unwrap();
    let started = begin(&sim).await;
    let device_code = started.json["device_code"].as_str().unwrap();
    for _ in 0..3 {
        poll(&sim, device_code)
            .await
            .assert_error("authorization_pending", 70016);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn auto_approve_after_n_polls() {
    let config = SimConfig {
        device_auto_approve: Some(DeviceAutoApprove {
            after_polls: 2,
            username: "dev@contoso.onmicrosoft.com".to_owned(),
        }),
        ..fast_config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let started = begin(&sim).await;
    let device_code = started.json["device_code"].as_str().unwrap();
    poll(&sim, device_code)
        .await
        .assert_error("authorization_pending", 70016);
    poll(&sim, device_code)
        .await
        .assert_error("authorization_pending", 70016);
    let done = poll(&sim, device_code).await;
    assert_eq!(done.status, 200);
    let claims = token_claims(done.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["upn"], "dev@contoso.onmicrosoft.com");
    sim.shutdown().await;
}

#[tokio::test]
async fn devicecode_numbers_as_strings_and_short_interval() {
    let config = SimConfig {
        numbers_as_strings: true,
        device_code_interval: Duration::from_millis(200),
        ..super::config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let started = begin(&sim).await;
    assert_eq!(started.json["interval"], "1");
    assert_eq!(started.json["expires_in"], "900");
    sim.shutdown().await;
}
