//! Password and refresh-token grants, Entra's error bodies and the natural
//! refusals.

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::{SimConfig, SimUser, Simulator, token_claims};
use super::{CLIENT_ID, PASSWORD, TENANT, USER, http, password_grant, start, token};

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn password_grant_returns_entra_success_shape() {
    let sim = start().await;
    let reply = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json; charset=utf-8"));
    let expected: BTreeSet<String> = [
        "token_type",
        "scope",
        "expires_in",
        "ext_expires_in",
        "access_token",
        "refresh_token",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(keys(&reply.json), expected);
    assert_eq!(reply.json["token_type"], "Bearer");
    assert_eq!(
        reply.json["scope"],
        "https://lcsapi.lcs.dynamics.com//user_impersonation https://lcsapi.lcs.dynamics.com//.default"
    );
    assert_eq!(reply.json["expires_in"], 3600);
    assert_eq!(reply.json["ext_expires_in"], 3600);
    assert_eq!(
        sim.issued_refresh_tokens(),
        vec![reply.json["refresh_token"].as_str().unwrap()]
    );
    assert_eq!(sim.last_access_token().as_deref(), reply.json["access_token"].as_str());
    sim.shutdown().await;
}

#[tokio::test]
async fn access_token_is_a_jwt_with_v1_claims() {
    let sim = start().await;
    let reply = password_grant(&sim, USER, PASSWORD).await;
    let access = reply.json["access_token"].as_str().unwrap();
    let segments: Vec<&str> = access.split('.').collect();
    assert_eq!(segments.len(), 3);
    assert!(segments.iter().all(|s| !s.is_empty() && !s.contains('=')));
    let (header, claims) = super::super::jwt::decode(access).unwrap();
    let key_id = &super::super::keys::SIGNING.key_id;
    assert_eq!(
        header,
        serde_json::json!({"typ":"JWT","alg":"RS256","x5t":key_id,"kid":key_id})
    );
    assert_eq!(claims["aud"], "https://lcsapi.lcs.dynamics.com");
    assert_eq!(claims["upn"], USER);
    assert_eq!(claims["unique_name"], USER);
    assert_eq!(claims["appid"], CLIENT_ID);
    assert_eq!(claims["appidacr"], "0");
    assert_eq!(claims["scp"], "user_impersonation");
    assert_eq!(claims["ver"], "1.0");
    assert_eq!(claims["amr"], serde_json::json!(["pwd"]));
    assert_eq!(claims["name"], "Olivia Ops");
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["exp"].as_i64().unwrap() - iat, 3600);
    assert_eq!(claims["nbf"].as_i64().unwrap(), iat);
    let now = jiff::Timestamp::now().as_second();
    assert!((now - iat).abs() < 5);
    let tid = claims["tid"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(tid).is_ok());
    assert_eq!(claims["iss"], format!("https://sts.windows.net/{tid}/"));
    assert!(uuid::Uuid::parse_str(claims["oid"].as_str().unwrap()).is_ok());
    // Same tenant name, same GUID; every token unique.
    let again = password_grant(&sim, USER, PASSWORD).await;
    let again_access = again.json["access_token"].as_str().unwrap();
    assert_ne!(access, again_access);
    assert_eq!(token_claims(again_access).unwrap()["tid"], tid);
    sim.shutdown().await;
}

#[tokio::test]
async fn guid_tenant_is_used_as_tid() {
    let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    let sim = Simulator::start(super::config().user(SimUser::new("ops@contoso.com", PASSWORD).with_tenant(tenant)))
        .await
        .unwrap();
    let reply = super::post_form(
        &sim,
        &format!("/{tenant}/oauth2/v2.0/token"),
        &[
            ("client_id", CLIENT_ID),
            ("scope", "https://lcsapi.lcs.dynamics.com//.default"),
            ("grant_type", "password"),
            ("username", "ops@contoso.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.json.get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );
    let claims = token_claims(reply.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["tid"], tenant);
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_password_gives_50126_with_trace_fields() {
    let sim = start().await;
    let response = http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", sim.base_url()))
        .header("client-request-id", "0b5a1c3e-1111-4222-8333-944445555666")
        .form(&[
            ("client_id", CLIENT_ID),
            ("scope", super::LCS_SCOPE),
            ("grant_type", "password"),
            ("username", USER),
            ("password", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    let reply = super::Reply::read(response).await;
    assert_eq!(reply.status, 400);
    reply.assert_error("invalid_grant", 50126);
    let body = &reply.json;
    let trace = body["trace_id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(trace).is_ok());
    assert_eq!(body["correlation_id"], "0b5a1c3e-1111-4222-8333-944445555666");
    assert_eq!(body["error_uri"], "https://login.microsoftonline.com/error?code=50126");
    let timestamp = body["timestamp"].as_str().unwrap();
    assert_eq!(timestamp.len(), 20);
    assert_eq!(&timestamp[10..11], " ");
    assert!(timestamp.ends_with('Z'));
    assert_eq!(
        body["error_description"].as_str().unwrap(),
        format!(
            "AADSTS50126: Error validating credentials due to invalid username or password.\r\nTrace ID: {trace}\r\nCorrelation ID: 0b5a1c3e-1111-4222-8333-944445555666\r\nTimestamp: {timestamp}"
        )
    );
    assert!(body.get("suberror").is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn mfa_user_gets_50076_basic_action() {
    let sim = start().await;
    let reply = password_grant(&sim, "mfa@contoso.onmicrosoft.com", "Mfa-Pass-1").await;
    assert_eq!(reply.status, 400);
    reply.assert_error("invalid_grant", 50076);
    assert_eq!(reply.json["suberror"], "basic_action");
    sim.shutdown().await;
}

#[tokio::test]
async fn common_and_consumers_refuse_the_password_grant() {
    let sim = start().await;
    for tenant in ["common", "consumers"] {
        let reply = super::post_form(
            &sim,
            &format!("/{tenant}/oauth2/v2.0/token"),
            &[
                ("client_id", CLIENT_ID),
                ("scope", super::LCS_SCOPE),
                ("grant_type", "password"),
                ("username", USER),
                ("password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(reply.status, 400);
        reply.assert_error("invalid_request", 9_001_023);
    }
    let organizations = super::post_form(
        &sim,
        "/organizations/oauth2/v2.0/token",
        &[
            ("client_id", CLIENT_ID),
            ("scope", super::LCS_SCOPE),
            ("grant_type", "password"),
            ("username", USER),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(organizations.status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn natural_refusals_use_entra_codes() {
    let config = SimConfig::default().client_id(CLIENT_ID);
    let sim = Simulator::start(config).await.unwrap();
    let unknown_user = password_grant(&sim, "ghost@contoso.onmicrosoft.com", PASSWORD).await;
    unknown_user.assert_error("invalid_grant", 50034);

    let unknown_client = token(
        &sim,
        &[
            ("client_id", "00000000-0000-0000-0000-000000000001"),
            ("scope", super::LCS_SCOPE),
            ("grant_type", "password"),
            ("username", USER),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(unknown_client.status, 400);
    unknown_client.assert_error("unauthorized_client", 700_016);

    let missing = token(&sim, &[("client_id", CLIENT_ID), ("grant_type", "password")]).await;
    missing.assert_error("invalid_request", 900_144);
    assert!(missing.json["error_description"].as_str().unwrap().contains("'scope'"));

    let no_grant = token(&sim, &[("client_id", CLIENT_ID)]).await;
    no_grant.assert_error("invalid_request", 900_144);

    let weird = token(&sim, &[("client_id", CLIENT_ID), ("grant_type", "client_magic")]).await;
    weird.assert_error("unsupported_grant_type", 70003);

    let with_secret = token(
        &sim,
        &[
            ("client_id", CLIENT_ID),
            ("client_secret", "s3cret"),
            ("scope", super::LCS_SCOPE),
            ("grant_type", "password"),
            ("username", USER),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(with_secret.status, 401);
    with_secret.assert_error("invalid_client", 700_025);
    sim.shutdown().await;
}
