//! Request recording and form encoding round trips.

use super::super::wire::{Fields, encode_pairs};
use super::super::{SimConfig, SimUser, Simulator};
use super::{CLIENT_ID, LCS_SCOPE, TENANT, http};

#[tokio::test]
async fn requests_are_recorded_with_form_fields_in_order() {
    let tricky = "p&ss=w%rd+ plus é";
    let config = SimConfig::default().user(SimUser::new("odd@contoso.onmicrosoft.com", tricky));
    let sim = Simulator::start(config).await.unwrap();
    let response = http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", sim.base_url()))
        .header("user-agent", "lcsauth/0.1.0")
        .header("client-request-id", "c0ffee00-0000-4000-8000-000000000000")
        .form(&[
            ("client_id", CLIENT_ID),
            ("scope", LCS_SCOPE),
            ("grant_type", "password"),
            ("username", "odd@contoso.onmicrosoft.com"),
            ("password", tricky),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let recorded = sim.requests();
    assert_eq!(recorded.len(), 1);
    let request = &recorded[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("/{TENANT}/oauth2/v2.0/token"));
    assert_eq!(request.tenant.as_deref(), Some(TENANT));
    let names: Vec<&str> = request.form.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["client_id", "scope", "grant_type", "username", "password"]);
    assert_eq!(request.field("password"), Some(tricky));
    assert_eq!(request.field("scope"), Some(LCS_SCOPE));
    assert_eq!(request.user_agent.as_deref(), Some("lcsauth/0.1.0"));
    assert_eq!(
        request.client_request_id.as_deref(),
        Some("c0ffee00-0000-4000-8000-000000000000")
    );
    assert!(!request.has_authorization);
    assert_eq!(request.status, 200);
    assert!(request.at <= std::time::SystemTime::now());
    assert_eq!(sim.token_requests(), 1);
    sim.shutdown().await;
}

#[test]
fn form_decoding_round_trips_reserved_characters() {
    let fields = Fields::parse(b"a=%26%3D%25%2B+x&b=&c=1+2%2B3&d");
    assert_eq!(
        fields.0,
        vec![
            ("a".to_owned(), "&=%+ x".to_owned()),
            ("b".to_owned(), String::new()),
            ("c".to_owned(), "1 2+3".to_owned()),
            ("d".to_owned(), String::new()),
        ]
    );
    let encoded = encode_pairs(&[("state", "a b&c=d/é")]);
    assert_eq!(encoded, "state=a%20b%26c%3Dd%2F%C3%A9");
}
