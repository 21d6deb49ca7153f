//! Discovery and metadata, token signatures, the TLS listener, and the wire
//! details clients check: nonce, client_info, form_post, pairwise `sub` and
//! tenant membership.

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::super::jwt::{decode, s256_challenge};
use super::super::wire::{Fields, encode_pairs};
use super::super::{SimConfig, SimUser, Simulator, TLS_CA_PEM};
use super::{CLIENT_ID, LCS_SCOPE, PASSWORD, Reply, TENANT, USER, http, password_grant, post_form, start};

async fn get(sim: &Simulator, path: &str) -> Reply {
    Reply::read(http().get(format!("{}{path}", sim.base_url())).send().await.unwrap()).await
}

/// Verifies `token`'s RS256 signature against the keys in `jwks`.
fn verify(token: &str, jwks: &Value) {
    let (header, _) = decode(token).unwrap();
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("the token's kid is published");
    let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap();
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
        .expect("signature verifies");
    let mut tampered = signed.to_owned();
    tampered.push('x');
    assert!(
        RsaPublicKeyComponents { n: &n, e: &e }
            .verify(&RSA_PKCS1_2048_8192_SHA256, tampered.as_bytes(), &signature)
            .is_err()
    );
}

#[tokio::test]
async fn openid_configuration_points_under_the_base_url() {
    let sim = start().await;
    let reply = get(&sim, &format!("/{TENANT}/v2.0/.well-known/openid-configuration")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let tid = super::super::jwt::tenant_id(TENANT);
    let base = format!("{}/{tid}", sim.base_url());
    let doc = &reply.json;
    assert_eq!(doc["token_endpoint"], format!("{base}/oauth2/v2.0/token"));
    assert_eq!(doc["authorization_endpoint"], format!("{base}/oauth2/v2.0/authorize"));
    assert_eq!(
        doc["device_authorization_endpoint"],
        format!("{base}/oauth2/v2.0/devicecode")
    );
    assert_eq!(doc["end_session_endpoint"], format!("{base}/oauth2/v2.0/logout"));
    assert_eq!(doc["jwks_uri"], format!("{base}/discovery/v2.0/keys"));
    assert_eq!(doc["issuer"], format!("https://login.microsoftonline.com/{tid}/v2.0"));
    assert!(
        doc["response_modes_supported"]
            .as_array()
            .unwrap()
            .contains(&"form_post".into())
    );
    let organizations = get(&sim, "/organizations/v2.0/.well-known/openid-configuration").await;
    assert_eq!(
        organizations.json["issuer"],
        "https://login.microsoftonline.com/{tenantid}/v2.0"
    );
    assert!(
        organizations.json["token_endpoint"]
            .as_str()
            .unwrap()
            .ends_with("/organizations/oauth2/v2.0/token")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_tenant_has_no_configuration() {
    let config = SimConfig {
        known_tenants: vec![TENANT.to_owned()],
        ..super::config()
    };
    let sim = Simulator::start(config).await.unwrap();
    get(&sim, "/nope.onmicrosoft.com/v2.0/.well-known/openid-configuration")
        .await
        .assert_error("invalid_request", 90002);
    sim.shutdown().await;
}

#[tokio::test]
async fn tokens_verify_against_the_published_keys() {
    let sim = start().await;
    let jwks = get(&sim, &format!("/{TENANT}/discovery/v2.0/keys")).await.json;
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert_eq!(key["kid"], key["x5t"]);
    let reply = post_form(
        &sim,
        &format!("/{TENANT}/oauth2/v2.0/token"),
        &[
            ("client_id", CLIENT_ID),
            ("scope", &format!("{LCS_SCOPE} openid profile")),
            ("grant_type", "password"),
            ("username", USER),
            ("password", PASSWORD),
        ],
    )
    .await;
    verify(reply.json["access_token"].as_str().unwrap(), &jwks);
    verify(reply.json["id_token"].as_str().unwrap(), &jwks);
    let v1 = get(&sim, "/common/discovery/keys").await.json;
    assert_eq!(v1["keys"][0]["n"], key["n"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn instance_discovery_knows_only_this_host() {
    let sim = start().await;
    let endpoint = format!("{}/{TENANT}/oauth2/v2.0/authorize", sim.base_url());
    let reply = get(
        &sim,
        &format!(
            "/common/discovery/instance?{}",
            encode_pairs(&[("api-version", "1.1"), ("authorization_endpoint", &endpoint)])
        ),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json["tenant_discovery_endpoint"],
        format!("{}/{TENANT}/v2.0/.well-known/openid-configuration", sim.base_url())
    );
    let netloc = sim.base_url().split_once("://").unwrap().1.to_owned();
    let hostname = netloc.split(':').next().unwrap();
    assert_eq!(
        reply.json["metadata"][0]["aliases"],
        serde_json::json!([netloc, hostname])
    );
    let elsewhere = get(
        &sim,
        "/common/discovery/instance?authorization_endpoint=https%3A%2F%2Fevil.example%2Fx%2Foauth2%2Fv2.0%2Fauthorize",
    )
    .await;
    elsewhere.assert_error("invalid_instance", 50049);
    sim.shutdown().await;
}

#[tokio::test]
async fn userrealm_says_managed_for_the_simulated_domains() {
    let sim = start().await;
    let managed = get(&sim, &format!("/common/userrealm/{USER}?api-version=1.0")).await;
    assert_eq!(managed.json["account_type"], "Managed");
    assert_eq!(managed.json["domain_name"], TENANT);
    let unknown = get(&sim, "/common/userrealm/someone@elsewhere.example?api-version=1.0").await;
    assert_eq!(unknown.json["account_type"], "Unknown");
    sim.shutdown().await;
}

#[tokio::test]
async fn sub_is_stable_per_user_and_app() {
    let sim = start().await;
    let sub = |reply: &Reply| {
        super::super::token_claims(reply.json["access_token"].as_str().unwrap()).unwrap()["sub"].clone()
    };
    let first = password_grant(&sim, USER, PASSWORD).await;
    let second = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(sub(&first), sub(&second));
    assert_eq!(sub(&first).as_str().unwrap().len(), 43);
    let other_app = post_form(
        &sim,
        &format!("/{TENANT}/oauth2/v2.0/token"),
        &[
            ("client_id", "0a1b2c3d-4e5f-6789-abcd-ef0123456789"),
            ("scope", LCS_SCOPE),
            ("grant_type", "password"),
            ("username", USER),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_ne!(sub(&first), sub(&other_app));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_user_of_another_tenant_gets_50034() {
    let sim = Simulator::start(super::config().user(SimUser::new("dev@northwind.onmicrosoft.com", PASSWORD)))
        .await
        .unwrap();
    let reply = password_grant(&sim, "dev@northwind.onmicrosoft.com", PASSWORD).await;
    reply.assert_error("invalid_grant", 50034);
    let tid = super::super::jwt::tenant_id(TENANT);
    assert!(
        reply.json["error_description"]
            .as_str()
            .unwrap()
            .contains(&format!("does not exist in the {tid} directory")),
        "{}",
        reply.text
    );
    // Its own tenant, by name or by GUID, and the organizations alias accept it.
    for tenant in [
        "northwind.onmicrosoft.com".to_owned(),
        super::super::jwt::tenant_id("northwind.onmicrosoft.com"),
        "organizations".to_owned(),
    ] {
        let own = post_form(
            &sim,
            &format!("/{tenant}/oauth2/v2.0/token"),
            &[
                ("client_id", CLIENT_ID),
                ("scope", LCS_SCOPE),
                ("grant_type", "password"),
                ("username", "dev@northwind.onmicrosoft.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(own.status, 200, "{tenant}: {}", own.text);
    }
    sim.shutdown().await;
}

const REDIRECT: &str = "http://127.0.0.1:53682/";
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9aB3sPxqA0fg7lN2vWu1E-5zaWq4cKxW5YtsLq";

async fn authorize(sim: &Simulator, extra: &[(&str, &str)]) -> Reply {
    let challenge = s256_challenge(VERIFIER);
    let mut query = vec![
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        (
            "scope",
            "https://lcsapi.lcs.dynamics.com//.default openid profile offline_access",
        ),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    query.extend_from_slice(extra);
    if !extra.iter().any(|(n, _)| *n == "state") {
        query.push(("state", "s1"));
    }
    get(
        sim,
        &format!("/{TENANT}/oauth2/v2.0/authorize?{}", encode_pairs(&query)),
    )
    .await
}

fn browser_sim_config() -> SimConfig {
    SimConfig {
        auto_approve_user: Some(USER.to_owned()),
        ..super::config()
    }
}

#[tokio::test]
async fn nonce_and_client_info_come_back() {
    let sim = Simulator::start(browser_sim_config()).await.unwrap();
    let reply = authorize(&sim, &[("nonce", "n-0S6_WzA2Mj"), ("client_info", "1")]).await;
    assert_eq!(reply.status, 302);
    let location = reply.header("location").unwrap();
    let query = Fields::parse(
        location
            .strip_prefix(REDIRECT)
            .unwrap()
            .trim_start_matches('?')
            .as_bytes(),
    );
    let info = URL_SAFE_NO_PAD.decode(query.get("client_info").unwrap()).unwrap();
    let info: Value = serde_json::from_slice(&info).unwrap();
    assert_eq!(info["utid"], super::super::jwt::tenant_id(TENANT));
    assert_eq!(info["uid"], super::super::jwt::object_id(USER));
    let tokens = post_form(
        &sim,
        &format!("/{TENANT}/oauth2/v2.0/token"),
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", query.get("code").unwrap()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    let id = super::super::token_claims(tokens.json["id_token"].as_str().unwrap()).unwrap();
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(id["aud"], CLIENT_ID);
    // Without client_info=1 the redirect carries none.
    let plain = authorize(&sim, &[]).await;
    assert!(!plain.header("location").unwrap().contains("client_info="));
    sim.shutdown().await;
}

#[tokio::test]
async fn form_post_answers_with_an_auto_posting_form() {
    let sim = Simulator::start(browser_sim_config()).await.unwrap();
    let reply = authorize(&sim, &[("response_mode", "form_post"), ("state", "a\"<b>")]).await;
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").unwrap().starts_with("text/html"));
    let page = &reply.text;
    assert!(
        page.contains(&format!(
            "<form method=\"POST\" name=\"hiddenform\" action=\"{REDIRECT}\">"
        )),
        "{page}"
    );
    assert!(page.contains("<input type=\"hidden\" name=\"code\" value=\""), "{page}");
    assert!(page.contains("name=\"state\" value=\"a&quot;&lt;b&gt;\""), "{page}");
    assert!(page.contains("document.forms[0].submit();"));
    assert!(reply.header("location").is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn tls_listener_serves_the_same_routes() {
    let sim = Simulator::start_tls(super::config()).await.unwrap();
    assert!(sim.base_url().starts_with("https://127.0.0.1:"));
    let ca = reqwest::Certificate::from_pem(TLS_CA_PEM.as_bytes()).unwrap();
    let client = reqwest::Client::builder().tls_certs_only([ca]).build().unwrap();
    let doc: Value = client
        .get(format!(
            "{}/{TENANT}/v2.0/.well-known/openid-configuration",
            sim.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        doc["token_endpoint"]
            .as_str()
            .unwrap()
            .starts_with("https://127.0.0.1:")
    );
    let tokens = client
        .post(doc["token_endpoint"].as_str().unwrap())
        .form(&[
            ("client_id", CLIENT_ID),
            ("scope", LCS_SCOPE),
            ("grant_type", "password"),
            ("username", USER),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(tokens.status(), 200);
    // A client that does not trust the test CA is refused at the handshake.
    let untrusting = reqwest::Client::new()
        .get(format!("{}/_sim/health", sim.base_url()))
        .send()
        .await;
    assert!(untrusting.is_err());
    sim.shutdown().await;
}
