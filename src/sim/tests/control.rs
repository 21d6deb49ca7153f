//! The `/_sim/` control surface and JSON configuration.

use std::time::Duration;

use serde_json::{Value, json};

use super::super::{SimConfig, Simulator, demo_config};
use super::{CLIENT_ID, LCS_SCOPE, PASSWORD, TENANT, USER, http, password_grant, post_form};

async fn control(sim: &Simulator, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}/_sim/{path}", sim.base_url());
    let request = match method {
        "GET" => http().get(url),
        "DELETE" => http().delete(url),
        _ => http().post(url),
    };
    let request = match body {
        Some(body) => request.body(body.to_string()),
        None => request,
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn health_script_and_requests_over_http() {
    let sim = Simulator::start(super::config()).await.unwrap();
    assert_eq!(
        control(&sim, "GET", "health", None).await,
        (200, json!({"status":"ok"}))
    );
    let (status, queued) = control(
        &sim,
        "POST",
        "script",
        Some(json!({"endpoint":"token","count":2,"failure":{"kind":"aadsts","code":50126}})),
    )
    .await;
    assert_eq!((status, queued), (200, json!({"queued":2})));
    control(
        &sim,
        "POST",
        "script",
        Some(json!({"endpoint":"token","failure":{"kind":"status","status":503,"retry_after":4}})),
    )
    .await;
    control(
        &sim,
        "POST",
        "script",
        Some(json!({"endpoint":"token","failure":{"kind":"delay","ms":50}})),
    )
    .await;
    password_grant(&sim, USER, PASSWORD)
        .await
        .assert_error("invalid_grant", 50126);
    password_grant(&sim, USER, PASSWORD)
        .await
        .assert_error("invalid_grant", 50126);
    let unavailable = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(
        (unavailable.status, unavailable.header("retry-after")),
        (503, Some("4"))
    );
    assert_eq!(password_grant(&sim, USER, PASSWORD).await.status, 200);

    let (status, bad) = control(&sim, "POST", "script", Some(json!({"endpoint":"nowhere"}))).await;
    assert_eq!(status, 400);
    assert!(bad["error"].as_str().is_some());

    let (_, requests) = control(&sim, "GET", "requests", None).await;
    let requests = requests.as_array().unwrap();
    assert_eq!(requests.len(), 4, "control requests are not recorded");
    assert_eq!(requests[0]["status"], 400);
    assert_eq!(requests[3]["status"], 200);
    assert_eq!(requests[0]["form"][0], json!(["client_id", CLIENT_ID]));
    assert_eq!(requests[0]["tenant"], TENANT);
    assert!(requests[0]["at"].as_f64().unwrap() > 1.7e9);

    let (_, tokens) = control(&sim, "GET", "tokens", None).await;
    assert_eq!(tokens["token_requests"], 4);
    assert_eq!(tokens["issued_refresh_tokens"].as_array().unwrap().len(), 1);

    control(&sim, "DELETE", "requests", None).await;
    assert!(sim.requests().is_empty());
    assert_eq!(password_grant(&sim, USER, PASSWORD).await.status, 200);
    assert_eq!(sim.requests().len(), 1);
    assert_eq!(sim.requests()[0].status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn device_approval_decline_and_revoke_over_http() {
    let config = SimConfig {
        device_code_interval: Duration::from_secs(1),
        ..super::config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let path = format!("/{TENANT}/oauth2/v2.0/devicecode");
    let form = [("client_id", CLIENT_ID), ("scope", LCS_SCOPE)];
    let first = post_form(&sim, &path, &form).await.json;
    let second = post_form(&sim, &path, &form).await.json;
    let (_, codes) = control(&sim, "GET", "device/codes", None).await;
    assert_eq!(codes[0]["user_code"], first["user_code"]);
    assert_eq!(codes[1]["status"], "pending");

    let approve = json!({"user_code": first["user_code"], "username": USER});
    assert_eq!(
        control(&sim, "POST", "device/approve", Some(approve.clone())).await.0,
        200
    );
    assert_eq!(control(&sim, "POST", "device/approve", Some(approve)).await.0, 404);
    let decline = json!({"user_code": second["user_code"]});
    assert_eq!(control(&sim, "POST", "device/decline", Some(decline)).await.0, 200);

    let grant = "urn:ietf:params:oauth:grant-type:device_code";
    let poll = |code: Value| {
        let sim = sim.clone();
        async move {
            let code = code.as_str().unwrap().to_owned();
            super::token(
                &sim,
                &[("grant_type", grant), ("client_id", CLIENT_ID), ("device_code", &code)],
            )
            .await
        }
    };
    let approved = poll(first["device_code"].clone()).await;
    assert_eq!(approved.status, 200);
    assert_eq!(
        poll(second["device_code"].clone()).await.json["error"],
        "authorization_declined"
    );

    let (status, revoked) = control(&sim, "POST", "revoke", None).await;
    assert_eq!((status, revoked), (200, json!({"revoked": 1})));
    let rt = approved.json["refresh_token"].as_str().unwrap();
    super::refresh_grant(&sim, rt)
        .await
        .assert_error("invalid_grant", 50173);
    sim.shutdown().await;
}

#[tokio::test]
async fn config_loads_from_json() {
    let config = SimConfig::from_json(
        r#"{
            "users": [{"username": "a@b.onmicrosoft.com", "password": "pw", "mfa_required": true}],
            "allowed_client_ids": ["51f81489-12ee-4a9e-aaae-a2591f45987d"],
            "access_token_lifetime": "90m",
            "device_code_interval": 1,
            "device_code_expires_in": 0.5,
            "request_delay": "200ms",
            "device_auto_approve": {"after_polls": 1, "username": "a@b.onmicrosoft.com"},
            "lcs_member_projects": [7]
        }"#,
    )
    .unwrap();
    assert!(config.users[0].mfa_required);
    assert_eq!(config.access_token_lifetime, Duration::from_secs(5400));
    assert_eq!(config.device_code_interval, Duration::from_secs(1));
    assert_eq!(config.device_code_expires_in, Duration::from_millis(500));
    assert_eq!(config.request_delay, Some(Duration::from_millis(200)));
    assert_eq!(config.lcs_member_projects, vec![7]);
    assert!(!config.numbers_as_strings, "missing fields take defaults");
    assert!(SimConfig::from_json(r#"{"no_such_field": 1}"#).is_err());
    assert!(SimConfig::from_json(r#"{"request_delay": "soon"}"#).is_err());
}

#[tokio::test]
async fn demo_config_serves_its_users() {
    let config = demo_config();
    assert_eq!(config.users.len(), 3);
    assert!(config.find_user("ADMIN@fabrikam.onmicrosoft.com").unwrap().mfa_required);
    let sim = Simulator::start(config).await.unwrap();
    assert!(sim.base_url().starts_with("http://127.0.0.1:"));
    let reply = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(reply.status, 200);
    let lifetime = reply.json["expires_in"].as_u64().unwrap();
    assert!((300..=360).contains(&lifetime), "{lifetime}");
    let fabrikam = post_form(
        &sim,
        "/fabrikam.onmicrosoft.com/oauth2/v2.0/token",
        &[
            ("client_id", CLIENT_ID),
            ("scope", LCS_SCOPE),
            ("grant_type", "password"),
            ("username", "admin@fabrikam.onmicrosoft.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    fabrikam.assert_error("invalid_grant", 50076);
    // The same account is not a member of contoso.
    password_grant(&sim, "admin@fabrikam.onmicrosoft.com", PASSWORD)
        .await
        .assert_error("invalid_grant", 50034);
    sim.shutdown().await;
}
