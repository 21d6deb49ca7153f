#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use serde::Deserialize;

use super::*;
use crate::entra::{ErrorBody, Refusal};

/// Entra refusal bodies taken from public issues (or built in Entra's documented shape where
/// none was public), one or more per code of the table.
const FIXTURES: &str = include_str!("../../tests/fixtures/entra-errors.toml");
const README: &str = include_str!("../../README.md");

#[derive(Deserialize)]
struct Fixtures {
    fixture: Vec<Fixture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    code: u32,
    kind: String,
    source: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    trace_id: Option<String>,
}

impl Fixture {
    /// The body as Entra sent it, or as the fixture's kind says to wrap it.
    fn body_text(&self) -> String {
        let error = || self.error.clone().expect("error");
        let description = || self.description.clone().expect("description");
        match self.kind.as_str() {
            "verbatim" => self.body.clone().expect("body"),
            "verbatim-description" => {
                serde_json::json!({ "error": error(), "error_description": description() }).to_string()
            }
            "constructed" => {
                // The sample body of the AADSTS reference, with this code and its text.
                let (trace, correlation, time) = (
                    "0000aaaa-11bb-cccc-dd33-eeeeee333333",
                    "aaaa0000-bb11-2222-33cc-444444dddddd",
                    "2016-01-09 02:02:12Z",
                );
                serde_json::json!({
                    "error": error(),
                    "error_description": format!(
                        "AADSTS{}: {}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {time}",
                        self.code,
                        description()
                    ),
                    "error_codes": [self.code],
                    "timestamp": time,
                    "trace_id": trace,
                    "correlation_id": correlation,
                    "error_uri": code_page(self.code),
                })
                .to_string()
            }
            other => panic!("fixture {} has unknown kind {other:?}", self.code),
        }
    }

    fn refusal(&self) -> Refusal {
        let text = self.body_text();
        let body: ErrorBody = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("fixture {} ({}) does not parse: {e}", self.code, self.source));
        Refusal {
            http_status: self.status.unwrap_or(400),
            body,
        }
    }
}

fn fixtures() -> Vec<Fixture> {
    toml::from_str::<Fixtures>(FIXTURES).unwrap().fixture
}

fn table_codes() -> Vec<u32> {
    entries().flat_map(|e| e.codes.iter().copied()).collect()
}

#[test]
fn every_fixture_names_its_source_honestly() {
    for f in fixtures() {
        match f.kind.as_str() {
            "verbatim" | "verbatim-description" => assert!(
                f.source.starts_with("https://"),
                "{}: a verbatim fixture names the page it was copied from",
                f.code
            ),
            "constructed" => assert!(
                f.source.starts_with("constructed, shape per https://"),
                "{}: a constructed fixture says so",
                f.code
            ),
            other => panic!("{}: unknown kind {other}", f.code),
        }
        assert!(
            f.kind != "verbatim-description" || (f.error.is_some() && f.description.is_some()),
            "{}: a quoted description needs its error class",
            f.code
        );
        assert!(f.note.as_deref().is_none_or(|n| !n.trim().is_empty()), "{}", f.code);
    }
}

#[test]
fn every_fixture_is_explained_by_the_entry_for_its_code() {
    for f in fixtures() {
        let r = f.refusal();
        let ctx = format!("fixture {} from {}", f.code, f.source);
        assert_eq!(
            r.code(),
            Some(f.code),
            "{ctx}: picked the wrong code of {:?}",
            r.codes()
        );
        assert!(r.is_explained(), "{ctx}: fell back to the error class");
        let entry = entry(f.code).unwrap();
        assert_eq!(r.diagnosis(), entry.dx, "{ctx}");
        let text = format!("{} {} {}", entry.dx.summary, entry.dx.cause, entry.dx.fix);
        for needle in &f.expect {
            assert!(text.contains(needle.as_str()), "{ctx}: {needle:?} missing in {text:?}");
        }
        if let Some(id) = &f.trace_id {
            assert_eq!(r.trace_id(), Some(id.as_str()), "{ctx}");
        }
        let shown = r.to_string();
        assert!(shown.contains(&format!("AADSTS{}", f.code)), "{ctx}: {shown}");
        assert!(shown.contains(entry.dx.summary), "{ctx}: {shown}");
        let line = r.description_line().unwrap();
        assert!(!line.contains("Trace ID") && !line.contains('\n'), "{ctx}: {line:?}");
        assert!(r.code_page().unwrap().contains("error?code="), "{ctx}");
    }
}

#[test]
fn every_code_in_the_table_has_a_fixture() {
    let covered: BTreeSet<u32> = fixtures().iter().map(|f| f.code).collect();
    let missing: Vec<u32> = table_codes().into_iter().filter(|c| !covered.contains(c)).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
    let unknown: Vec<u32> = covered.iter().copied().filter(|c| !is_known(*c)).collect();
    assert!(unknown.is_empty(), "fixtures for codes the table lacks: {unknown:?}");
}

#[test]
fn each_code_has_exactly_one_entry_and_every_entry_a_source() {
    let codes = table_codes();
    let unique: BTreeSet<u32> = codes.iter().copied().collect();
    assert_eq!(unique.len(), codes.len(), "a code appears in two entries");
    for e in entries() {
        assert!(
            e.source.starts_with("REF") || e.source.starts_with("https://"),
            "{:?}: source {:?}",
            e.codes,
            e.source
        );
        assert!(!e.dx.summary.is_empty() && !e.dx.cause.is_empty() && !e.dx.fix.is_empty());
        assert!(!e.error.is_empty());
    }
}

#[test]
fn refusals_that_need_an_interactive_flow_point_at_no_setup_step() {
    // An MFA or Conditional Access refusal is not fixed by any step of the app registration.
    for e in entries().filter(|e| e.dx.needs_interactive) {
        assert_eq!(e.dx.article_step, None, "{:?} {}", e.codes, e.dx.summary);
    }
    for code in [50076, 50079, 50074, 50078, 50158, 53003, 530035, 53000, 50155] {
        assert_eq!(entry(code).unwrap().dx.article_step, None, "{code}");
    }
    assert_eq!(entry(7000218).unwrap().dx.article_step, Some(3));
    assert_eq!(entry(65001).unwrap().dx.article_step, Some(2));
    assert_eq!(entry(700016).unwrap().dx.article_step, Some(1));
    assert_eq!(entry(70011).unwrap().dx.article_step, Some(4));
}

#[test]
fn device_compliance_does_not_offer_an_interactive_flow_as_the_cure() {
    let dx = entry(53000).unwrap().dx;
    assert!(!dx.needs_interactive);
    assert!(dx.cause.contains("interactive flow alone does not help"));
    assert!(dx.fix.contains("compliant"));
}

#[test]
fn every_article_step_is_one_of_the_readme_steps() {
    let section = README
        .split("## Set up Entra once")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has the setup section");
    // The README's numbered step N and ARTICLE_STEPS[N-1] speak of the same thing.
    let keys = [
        "registration",
        "API permissions",
        "public client",
        "Request an access token",
    ];
    for (i, key) in keys.iter().enumerate() {
        let n = i + 1;
        let item = section
            .lines()
            .find(|l| l.starts_with(&format!("{n}. ")))
            .unwrap_or_else(|| panic!("README step {n} missing"));
        let item_text: String = section
            .split(item)
            .nth(1)
            .map(|rest| format!("{item}{}", rest.split(&format!("\n{}. ", n + 1)).next().unwrap_or("")))
            .unwrap();
        assert!(
            item_text.contains(key),
            "README step {n} should be about {key:?}: {item_text}"
        );
        assert!(ARTICLE_STEPS[i].starts_with(&format!("Step {n}.")));
        assert!(ARTICLE_STEPS[i].contains(key), "{}", ARTICLE_STEPS[i]);
    }
    for e in entries() {
        if let Some(step) = e.dx.article_step {
            assert!((1..=4).contains(&step), "{:?}", e.codes);
            assert!(e.dx.article_step_text().is_some());
        }
    }
}

#[test]
fn readme_states_how_many_codes_are_explained() {
    let n = table_codes().len();
    let section = README
        .split("### What an error looks like")
        .nth(1)
        .expect("README has the error section");
    assert!(
        section.contains(&format!("{n} AADSTS codes")),
        "README's error section should say \"{n} AADSTS codes\""
    );
}

#[test]
fn wrappers_are_chosen_last() {
    assert_eq!(pick_code(&[70002, 50126]), Some(50126));
    assert_eq!(pick_code(&[50000, 53003]), Some(53003));
    assert_eq!(pick_code(&[70002]), Some(70002));
    // An unknown code does not hide a known one; alone, it is still named.
    assert_eq!(pick_code(&[1, 50076]), Some(50076));
    assert_eq!(pick_code(&[1, 2]), Some(1));
    assert_eq!(pick_code(&[]), None);
}

#[test]
fn public_client_error_points_to_step_three() {
    let dx = diagnose(Some(7000218), "invalid_client");
    assert_eq!(dx.article_step, Some(3));
    assert!(dx.fix.contains("Allow public client flows"));
    assert!(dx.article_step_text().unwrap().starts_with("Step 3."));
}

#[test]
fn mfa_codes_ask_for_an_interactive_flow() {
    for code in [50076, 50079, 50072, 50074, 50078, 50158, 53003, 530035] {
        assert!(diagnose(Some(code), "invalid_grant").needs_interactive, "{code}");
    }
    assert!(!diagnose(Some(50126), "invalid_grant").needs_interactive);
}

#[test]
fn lockout_codes_are_never_retried() {
    for code in NO_AUTO_RETRY {
        assert_eq!(diagnose(Some(code), "invalid_grant").retry, Retry::Never);
    }
    assert_eq!(diagnose(Some(90006), "temporarily_unavailable").retry, Retry::Backoff);
}

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
