//! The LCS environment-detail endpoint: data, non-member projects, bearer
//! checks and throttling.

use std::time::Duration;

use super::super::{Endpoint, Scripted, SimConfig, Simulator};
use super::{PASSWORD, Reply, USER, http, password_grant};

async fn probe(sim: &Simulator, path: &str, token: Option<&str>) -> Reply {
    let mut request = http()
        .get(format!("{}{path}", sim.base_url()))
        .header("x-ms-version", "2017-09-15");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    Reply::read(request.send().await.unwrap()).await
}

async fn access_token(sim: &Simulator) -> String {
    password_grant(sim, USER, PASSWORD).await.json["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn member_project_returns_environments() {
    let sim = Simulator::start(super::config()).await.unwrap();
    let token = access_token(&sim).await;
    for path in [
        "/environmentinfo/v1/detail/project/1234567/?page=1",
        "/environmentinfo/v1/detail/project/1234567?page=1",
    ] {
        let reply = probe(&sim, path, Some(&token)).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert_eq!(reply.header("content-type"), Some("application/json; charset=utf-8"));
        let body = &reply.json;
        assert_eq!(body["IsSuccess"], true);
        assert_eq!(body["ResultPageCurrent"], 1);
        assert_eq!(body["ResultHasMorePages"], false);
        assert_eq!(body["ErrorMessage"], serde_json::Value::Null);
        assert_eq!(body["VersionEOL"], "9999-12-31T23:59:59.9999999");
        assert!(uuid::Uuid::parse_str(body["OperationActivityId"].as_str().unwrap()).is_ok());
        let data = body["Data"].as_array().unwrap();
        assert!(!data.is_empty());
        assert_eq!(data[0]["ProjectId"], 1_234_567);
        assert_eq!(data[0]["EnvironmentType"], "Sandbox");
        assert_eq!(data[0]["DeploymentStatusDisplay"], "Deployed");
        assert!(data[0]["EnvironmentName"].as_str().is_some());
    }
    let recorded = sim.requests();
    let last = recorded.last().unwrap();
    assert_eq!(last.x_ms_version.as_deref(), Some("2017-09-15"));
    assert!(last.has_authorization);
    assert_eq!(last.tenant, None);
    assert_eq!(last.query, vec![("page".to_owned(), "1".to_owned())]);
    sim.shutdown().await;
}

#[tokio::test]
async fn non_member_project_is_200_with_is_success_false() {
    let sim = Simulator::start(super::config()).await.unwrap();
    let token = access_token(&sim).await;
    let reply = probe(&sim, "/environmentinfo/v1/detail/project/42/?page=1", Some(&token)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["IsSuccess"], false);
    assert_eq!(
        reply.json["ErrorMessage"],
        "User is not authorized to access project 42"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn missing_unknown_or_expired_token_is_401() {
    let config = SimConfig {
        access_token_lifetime: Duration::ZERO,
        ..super::config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let path = "/environmentinfo/v1/detail/project/1234567/?page=1";
    let expired = access_token(&sim).await;
    let forged = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln";
    for token in [None, Some(forged), Some(expired.as_str())] {
        let reply = probe(&sim, path, token).await;
        assert_eq!(reply.status, 401);
        assert!(reply.text.is_empty());
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn scripted_429_on_lcs() {
    let sim = Simulator::start(super::config()).await.unwrap();
    let token = access_token(&sim).await;
    sim.script(Endpoint::Lcs, Scripted::too_many_requests(12));
    let path = "/environmentinfo/v1/detail/project/1234567/?page=1";
    let throttled = probe(&sim, path, Some(&token)).await;
    assert_eq!(throttled.status, 429);
    assert_eq!(throttled.header("retry-after"), Some("12"));
    assert_eq!(probe(&sim, path, Some(&token)).await.status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn audience_is_checked_when_configured() {
    let config = SimConfig {
        lcs_audience: Some("https://lcsapi.lcs.dynamics.com".to_owned()),
        ..super::config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let other = super::token(
        &sim,
        &[
            ("client_id", super::CLIENT_ID),
            ("scope", "https://management.azure.com//.default"),
            ("grant_type", "password"),
            ("username", USER),
            ("password", PASSWORD),
        ],
    )
    .await;
    let token = other.json["access_token"].as_str().unwrap();
    let path = "/environmentinfo/v1/detail/project/1234567/?page=1";
    assert_eq!(probe(&sim, path, Some(token)).await.status, 401);
    assert_eq!(probe(&sim, path, Some(&access_token(&sim).await)).await.status, 200);
    sim.shutdown().await;
}
