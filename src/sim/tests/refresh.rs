//! Refresh-token rotation, reuse and revocation, and the response options
//! (numbers as strings, id token and client_info).

use super::super::{SimConfig, Simulator, token_claims};
use super::{CLIENT_ID, PASSWORD, USER, password_grant, refresh_grant, start, token};

#[tokio::test]
async fn refresh_rotates_and_old_token_works_until_revoked() {
    let sim = start().await;
    let first = password_grant(&sim, USER, PASSWORD).await;
    let rt1 = first.json["refresh_token"].as_str().unwrap().to_owned();
    let second = refresh_grant(&sim, &rt1).await;
    assert_eq!(second.status, 200, "{}", second.text);
    let rt2 = second.json["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(rt1, rt2);
    assert_ne!(first.json["access_token"], second.json["access_token"]);
    assert_eq!(sim.issued_refresh_tokens(), vec![rt1.clone(), rt2.clone()]);
    let claims = token_claims(second.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["upn"], USER);

    // Entra keeps the old refresh token valid after rotation.
    let reuse = refresh_grant(&sim, &rt1).await;
    assert_eq!(reuse.status, 200);

    sim.revoke_refresh_tokens();
    for rt in [&rt1, &rt2] {
        let revoked = refresh_grant(&sim, rt).await;
        assert_eq!(revoked.status, 400);
        revoked.assert_error("invalid_grant", 50173);
    }
    let garbage = refresh_grant(&sim, "not-a-refresh-token").await;
    garbage.assert_error("invalid_grant", 9_002_313);
    sim.shutdown().await;
}

#[tokio::test]
async fn single_use_refresh_tokens_refuse_reuse() {
    let config = SimConfig {
        single_use_refresh_tokens: true,
        ..super::config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let rt = password_grant(&sim, USER, PASSWORD).await.json["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(refresh_grant(&sim, &rt).await.status, 200);
    refresh_grant(&sim, &rt).await.assert_error("invalid_grant", 70000);
    sim.shutdown().await;
}

#[tokio::test]
async fn numbers_as_strings_mode_sends_strings() {
    let config = SimConfig {
        numbers_as_strings: true,
        access_token_lifetime: std::time::Duration::from_secs(4228),
        ..super::config()
    };
    let sim = Simulator::start(config).await.unwrap();
    let reply = password_grant(&sim, USER, PASSWORD).await;
    assert_eq!(reply.json["expires_in"], "4228");
    assert_eq!(reply.json["ext_expires_in"], "4228");
    assert!(reply.text.contains(r#""expires_in":"4228""#));
    sim.shutdown().await;
}

#[tokio::test]
async fn openid_scope_adds_id_token_and_client_info() {
    let sim = start().await;
    let reply = token(
        &sim,
        &[
            ("client_id", CLIENT_ID),
            (
                "scope",
                "https://lcsapi.lcs.dynamics.com//.default openid profile offline_access",
            ),
            ("grant_type", "password"),
            ("username", USER),
            ("password", PASSWORD),
            ("client_info", "1"),
        ],
    )
    .await;
    assert_eq!(reply.status, 200);
    let id = token_claims(reply.json["id_token"].as_str().unwrap()).unwrap();
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["preferred_username"], USER);
    assert_eq!(id["ver"], "2.0");
    assert!(reply.json["client_info"].as_str().is_some());
    assert_eq!(
        reply.json["scope"],
        "https://lcsapi.lcs.dynamics.com//user_impersonation https://lcsapi.lcs.dynamics.com//.default"
    );
    sim.shutdown().await;
}
