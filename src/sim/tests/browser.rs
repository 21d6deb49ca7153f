//! The browser flow: `/authorize` redirects and the authorization-code grant
//! with PKCE.

use super::super::jwt::s256_challenge;
use super::super::wire::{Fields, encode_pairs};
use super::super::{Endpoint, Scripted, SimConfig, Simulator, token_claims};
use super::{CLIENT_ID, LCS_SCOPE, Reply, TENANT, USER, http, token};

const REDIRECT: &str = "http://localhost:53682/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9aB3sPxqA0fg7lN2vWu1E-5zaWq4cKxW5YtsLq";

fn browser_config() -> SimConfig {
    SimConfig {
        auto_approve_user: Some(USER.to_owned()),
        ..super::config()
    }
}

async fn authorize(sim: &Simulator, redirect: &str, extra: &[(&str, &str)]) -> Reply {
    let challenge = s256_challenge(VERIFIER);
    let mut query = vec![
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", redirect),
        ("response_mode", "query"),
        ("scope", LCS_SCOPE),
        ("state", "st&te=42"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    query.extend_from_slice(extra);
    let response = http()
        .get(format!(
            "{}/{TENANT}/oauth2/v2.0/authorize?{}",
            sim.base_url(),
            encode_pairs(&query)
        ))
        .send()
        .await
        .unwrap();
    Reply::read(response).await
}

/// The query of the redirect's Location, decoded.
fn location_query(reply: &Reply, redirect: &str) -> Fields {
    let location = reply.header("location").unwrap();
    let rest = location.strip_prefix(redirect).unwrap();
    Fields::parse(rest.trim_start_matches('?').as_bytes())
}

async fn redeem(sim: &Simulator, code: &str, redirect: &str, verifier: &str) -> Reply {
    token(
        sim,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
            ("scope", LCS_SCOPE),
        ],
    )
    .await
}

#[tokio::test]
async fn authorize_redirects_with_code_and_pkce_redeem_works() {
    let sim = Simulator::start(browser_config()).await.unwrap();
    let reply = authorize(&sim, REDIRECT, &[("prompt", "select_account")]).await;
    assert_eq!(reply.status, 302);
    let query = location_query(&reply, REDIRECT);
    assert_eq!(query.get("state"), Some("st&te=42"));
    let code = query.get("code").unwrap().to_owned();
    let recorded = &sim.requests()[0];
    assert_eq!(recorded.query.iter().find(|(n, _)| n == "state").unwrap().1, "st&te=42");

    let tokens = redeem(&sim, &code, REDIRECT, VERIFIER).await;
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    assert!(tokens.json["refresh_token"].as_str().is_some());
    let claims = token_claims(tokens.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["upn"], USER);
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "mfa"]));

    // Codes are single use.
    redeem(&sim, &code, REDIRECT, VERIFIER)
        .await
        .assert_error("invalid_grant", 54005);
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_verifier_or_redirect_is_refused() {
    let sim = Simulator::start(browser_config()).await.unwrap();
    let code = location_query(&authorize(&sim, REDIRECT, &[]).await, REDIRECT)
        .get("code")
        .unwrap()
        .to_owned();
    let wrong_verifier = redeem(&sim, &code, REDIRECT, "not-the-verifier-not-the-verifier-not-the-verif").await;
    assert_eq!(wrong_verifier.status, 400);
    wrong_verifier.assert_error("invalid_grant", 501_481);
    let wrong_redirect = redeem(&sim, &code, "http://localhost:9999/other", VERIFIER).await;
    wrong_redirect.assert_error("invalid_grant", 500_112);
    // Failed attempts do not burn the code.
    assert_eq!(redeem(&sim, &code, REDIRECT, VERIFIER).await.status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn non_loopback_redirect_gets_an_html_error_page() {
    let sim = Simulator::start(browser_config()).await.unwrap();
    for bad in [
        "https://localhost:8080/",
        "http://localhost.evil.example/",
        "http://example.com/cb",
        "http://127.0.0.1:abc/",
    ] {
        let reply = authorize(&sim, bad, &[]).await;
        assert_eq!(reply.status, 400, "{bad}");
        assert!(reply.header("location").is_none());
        assert!(reply.header("content-type").unwrap().starts_with("text/html"));
        assert!(reply.text.contains("AADSTS50011"), "{}", reply.text);
    }
    for good in ["http://127.0.0.1:1234", "http://localhost", "http://127.0.0.1:80/x?y=1"] {
        assert_eq!(authorize(&sim, good, &[]).await.status, 302, "{good}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn scripted_denial_redirects_with_access_denied() {
    let sim = Simulator::start(browser_config()).await.unwrap();
    sim.script(Endpoint::Authorize, Scripted::aadsts(65004));
    let reply = authorize(&sim, REDIRECT, &[]).await;
    assert_eq!(reply.status, 302);
    let query = location_query(&reply, REDIRECT);
    assert_eq!(query.get("error"), Some("access_denied"));
    assert!(query.get("error_description").unwrap().starts_with("AADSTS65004: "));
    assert_eq!(query.get("state"), Some("st&te=42"));
    assert!(query.get("code").is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn without_a_signed_in_user_the_sign_in_page_is_shown() {
    let sim = Simulator::start(super::config()).await.unwrap();
    let page = authorize(&sim, REDIRECT, &[]).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Sign in"));
    let silent = authorize(&sim, REDIRECT, &[("prompt", "none")]).await;
    assert_eq!(silent.status, 302);
    assert_eq!(location_query(&silent, REDIRECT).get("error"), Some("login_required"));
    sim.shutdown().await;
}
