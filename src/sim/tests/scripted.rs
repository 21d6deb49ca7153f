//! Scripted failures: AADSTS codes, 5xx, 429, captive-portal HTML, garbage,
//! delays, hangs, raw JSON, FIFO order and the global delay.

use std::time::{Duration, Instant};

use super::super::{Endpoint, Scripted, SimConfig, Simulator};
use super::{PASSWORD, TENANT, USER, http, password_grant, start};

#[tokio::test]
async fn scripted_aadsts_code_uses_the_table_and_overrides() {
    let sim = start().await;
    sim.script(Endpoint::Token, Scripted::aadsts(53003));
    sim.script(
        Endpoint::Token,
        Scripted::Aadsts {
            code: 50076,
            error: Some("interaction_required".to_owned()),
            suberror: Some("basic_action".to_owned()),
            status: Some(400),
        },
    );
    sim.script(Endpoint::Token, Scripted::aadsts(7_000_218));
    sim.script(Endpoint::Token, Scripted::aadsts(65001));
    let blocked = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(blocked.status, 400);
    blocked.assert_error("invalid_grant", 53003);
    let mfa = password_grant(&sim, USER, PASSWORD).await;
    mfa.assert_error("interaction_required", 50076);
    assert_eq!(mfa.json["suberror"], "basic_action");
    let client = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(client.status, 401);
    client.assert_error("invalid_client", 7_000_218);
    let consent = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(consent.json["suberror"], "consent_required");
    // Queue drained: natural behaviour again.
    assert_eq!(password_grant(&sim, USER, PASSWORD).await.status, 200);
    assert_eq!(sim.token_requests(), 5);
    sim.shutdown().await;
}

#[tokio::test]
async fn scripted_503_and_429_carry_retry_after() {
    let sim = start().await;
    sim.script(Endpoint::Token, Scripted::service_unavailable(Some(7)));
    sim.script(Endpoint::Token, Scripted::too_many_requests(3));
    sim.script(
        Endpoint::Token,
        Scripted::Status {
            status: 502,
            retry_after: None,
            body: String::new(),
            content_type: String::new(),
        },
    );
    let unavailable = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(unavailable.status, 503);
    assert_eq!(unavailable.header("retry-after"), Some("7"));
    assert!(unavailable.header("content-type").unwrap().starts_with("text/html"));
    let throttled = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(throttled.status, 429);
    assert_eq!(throttled.header("retry-after"), Some("3"));
    assert!(throttled.text.is_empty());
    let bad_gateway = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(bad_gateway.status, 502);
    assert!(bad_gateway.header("retry-after").is_none());
    assert_eq!(
        sim.requests().iter().map(|r| r.status).collect::<Vec<_>>(),
        [503, 429, 502]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn scripted_html_garbage_and_raw_json() {
    let sim = start().await;
    sim.script(Endpoint::Token, Scripted::Html200);
    sim.script(Endpoint::Token, Scripted::Garbage);
    sim.script(
        Endpoint::Token,
        Scripted::RawJson(200, r#"{"token_type":"Bearer"}"#.to_owned()),
    );
    let html = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(html.status, 200);
    assert!(html.header("content-type").unwrap().starts_with("text/html"));
    assert!(html.text.contains("<html"));
    let garbage = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(garbage.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&garbage.text).is_err());
    let raw = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(raw.text, r#"{"token_type":"Bearer"}"#);
    assert_eq!(raw.header("content-type"), Some("application/json; charset=utf-8"));
    sim.shutdown().await;
}

#[tokio::test]
async fn scripted_delay_then_normal_answer() {
    let sim = start().await;
    sim.script(Endpoint::Token, Scripted::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    let reply = password_grant(&sim, USER, PASSWORD).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn global_delay_applies_to_every_token_request() {
    let config = SimConfig {
        request_delay: Some(Duration::from_millis(200)),
        ..super::config()
    };
    let sim = Simulator::start(config).await.unwrap();
    for _ in 0..2 {
        let started = Instant::now();
        assert_eq!(password_grant(&sim, USER, PASSWORD).await.status, 200);
        assert!(started.elapsed() >= Duration::from_millis(200));
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn hang_holds_the_connection_until_shutdown() {
    let sim = start().await;
    sim.script(Endpoint::Token, Scripted::Hang);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let result = client
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", sim.base_url()))
        .form(&[("grant_type", "password")])
        .send()
        .await;
    assert!(result.unwrap_err().is_timeout());
    assert_eq!(sim.requests()[0].status, 0, "still held");
    // A second request on another connection is answered normally.
    assert_eq!(password_grant(&sim, USER, PASSWORD).await.status, 200);

    let other = sim.clone();
    sim.script(Endpoint::Token, Scripted::Hang);
    let held = tokio::spawn(async move { password_grant(&other, USER, PASSWORD).await.status });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    sim.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(held.await.unwrap(), 503);
}

#[tokio::test]
async fn scripts_are_per_endpoint() {
    let sim = start().await;
    sim.script(Endpoint::DeviceCode, Scripted::too_many_requests(1));
    assert_eq!(password_grant(&sim, USER, PASSWORD).await.status, 200);
    let device = http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/devicecode", sim.base_url()))
        .form(&[("client_id", super::CLIENT_ID), ("scope", super::LCS_SCOPE)])
        .send()
        .await
        .unwrap();
    assert_eq!(device.status().as_u16(), 429);
    sim.shutdown().await;
}
