//! Codes the table does not know: the `error` class, `suberror`, claims challenges, and
//! what is read from the description.

use super::super::*;
use crate::entra::Refusal;

fn body(json: serde_json::Value) -> Refusal {
    Refusal {
        http_status: 400,
        body: serde_json::from_value(json).unwrap(),
    }
}

#[test]
fn each_error_class_falls_back_to_a_fitting_action() {
    let cases: [(&str, &str, Option<u8>, bool); 16] = [
        ("invalid_grant", "Sign in again", None, false),
        ("invalid_client", "Allow public client flows", Some(3), false),
        ("unauthorized_client", "client id", Some(1), false),
        ("invalid_scope", "//.default", Some(4), false),
        ("invalid_resource", "Dynamics Lifecycle services", Some(2), false),
        ("invalid_request", "tenant", Some(4), false),
        ("unsupported_grant_type", "--authority", None, false),
        ("interaction_required", "--flow device-code", None, true),
        ("login_required", "--flow device-code", None, true),
        ("consent_required", "admin consent", Some(2), false),
        ("access_denied", "Entra admin", None, false),
        ("authorization_pending", "verification page", None, false),
        ("authorization_declined", "lcsauth login NAME", None, false),
        ("expired_token", "Start again", None, false),
        ("bad_verification_code", "Start again", None, false),
        ("temporarily_unavailable", "Try again", None, false),
    ];
    for (error, needle, step, interactive) in cases {
        let dx = diagnose(Some(1_234_567), error);
        assert!(dx.fix.contains(needle), "{error}: {needle:?} not in {:?}", dx.fix);
        assert_eq!(dx.article_step, step, "{error}");
        assert_eq!(dx.needs_interactive, interactive, "{error}");
        assert_ne!(dx.summary, "Entra refused the request", "{error} has its own summary");
    }
    assert_eq!(
        diagnose(Some(1_234_567), "temporarily_unavailable").retry,
        Retry::Backoff
    );
    assert_eq!(diagnose(None, "whatever").summary, "Entra refused the request");
}

#[test]
fn suberror_refines_an_unknown_code() {
    let cases = [
        ("basic_action", true, "--flow device-code"),
        ("additional_action", true, "--flow device-code"),
        ("message_only", false, "Entra admin"),
        ("consent_required", false, "admin consent"),
        ("user_password_expired", false, "Change the password"),
        ("bad_token", false, "Sign in again"),
        ("device_authentication_failed", false, "--flow browser"),
    ];
    for (sub, interactive, needle) in cases {
        let r = body(serde_json::json!({
            "error": "invalid_grant",
            "error_description": "AADSTS1234567: Something new.",
            "suberror": sub
        }));
        let dx = r.diagnosis();
        assert_eq!(dx.needs_interactive, interactive, "{sub}");
        assert!(dx.fix.contains(needle), "{sub}: {:?}", dx.fix);
    }
}

#[test]
fn a_claims_challenge_is_named_as_such() {
    let r = body(serde_json::json!({
        "error": "invalid_grant",
        "error_description": "AADSTS1234567: Continuous access evaluation resulted in challenge.",
        "claims": "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"1700000000\"}}}"
    }));
    assert!(r.is_claims_challenge());
    let dx = r.diagnosis();
    assert_eq!(dx.summary, "Entra sent a claims challenge");
    assert!(dx.needs_interactive);
    // An empty claims field is no challenge.
    let plain = body(serde_json::json!({"error": "invalid_grant", "claims": ""}));
    assert!(!plain.is_claims_challenge());
}

#[test]
fn an_unknown_code_quotes_entras_first_sentence_and_links_its_page() {
    let r = body(serde_json::json!({
        "error": "invalid_grant",
        "error_description": "AADSTS7654321: A brand new refusal. More detail follows here.\r\nTrace ID: t-1\r\nCorrelation ID: c-1\r\nTimestamp: 2026-01-01 00:00:00Z"
    }));
    assert_eq!(r.code(), Some(7_654_321), "the code comes from the description");
    assert!(!r.is_explained());
    let shown = r.to_string();
    assert!(
        shown.contains("A brand new refusal.") && !shown.contains("More detail"),
        "{shown}"
    );
    assert!(shown.contains("AADSTS7654321, invalid_grant"), "{shown}");
    assert_eq!(
        r.code_page().as_deref(),
        Some("https://login.microsoftonline.com/error?code=7654321")
    );
    assert_eq!(r.trace_id(), Some("t-1"));
    assert_eq!(r.correlation_id(), Some("c-1"));
    assert_eq!(r.timestamp(), Some("2026-01-01 00:00:00Z"));
}

#[test]
fn fields_win_over_the_description_and_blank_fields_do_not_count() {
    let r = body(serde_json::json!({
        "error": "invalid_grant",
        "error_description": "AADSTS50126: x.\r\nTrace ID: from-text\r\nCorrelation ID: from-text-c",
        "trace_id": "from-field",
        "correlation_id": "",
        "error_codes": [50126]
    }));
    assert_eq!(r.trace_id(), Some("from-field"));
    assert_eq!(r.correlation_id(), Some("from-text-c"));
}
