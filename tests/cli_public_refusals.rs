//! The real binary explains refusal bodies people posted publicly: the simulator answers a
//! password sign-in with each body of `tests/fixtures/entra-errors.toml` that came from a
//! public source, and stderr must name the code, the cause, the fix, the setup step only when
//! one applies, the ids (also when they sit only in the description) and the code's page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, sim_config, stderr};
use lcsauth::diagnose;
use lcsauth::sim::{Endpoint, Scripted};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixtures {
    fixture: Vec<Fixture>,
}

#[derive(Deserialize)]
struct Fixture {
    code: u32,
    kind: String,
    source: String,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    trace_id: Option<String>,
}

fn public_fixtures() -> Vec<Fixture> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/entra-errors.toml")).unwrap();
    toml::from_str::<Fixtures>(&text)
        .unwrap()
        .fixture
        .into_iter()
        .filter(|f| f.kind != "constructed")
        .collect()
}

fn body_of(f: &Fixture) -> String {
    match f.kind.as_str() {
        "verbatim" => f.body.clone().unwrap(),
        _ => serde_json::json!({"error": f.error, "error_description": f.description}).to_string(),
    }
}

fn refused_with(h: &Harness, status: u16, body: String) -> String {
    h.sim.script(Endpoint::Token, Scripted::RawJson(status, body));
    stderr(&h.login().code(3))
}

/// A profile of its own refused once with this 400 body: the harness and stderr.
fn refused_once(body: &serde_json::Value) -> (Harness, String) {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let err = refused_with(&h, 400, body.to_string());
    (h, err)
}

#[test]
fn every_publicly_posted_refusal_is_explained_with_its_ids_and_page() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let fixtures = public_fixtures();
    assert!(fixtures.len() >= 30, "only {} public fixtures", fixtures.len());
    for f in &fixtures {
        let err = refused_with(&h, f.status.unwrap_or(400), body_of(f));
        let ctx = format!("AADSTS{} from {}:\n{err}", f.code, f.source);
        let dx = diagnose::entry(f.code).unwrap().dx;
        assert!(err.contains(&format!("AADSTS{}", f.code)), "{ctx}");
        assert!(err.contains(dx.summary), "{ctx}");
        assert!(err.contains(&format!("cause: {}", dx.cause)), "{ctx}");
        assert!(err.contains("fix:   "), "{ctx}");
        match dx.article_step {
            Some(n) => assert!(err.contains(&format!("setup: revisit Step {n}.")), "{ctx}"),
            None => assert!(!err.contains("setup: "), "{ctx}"),
        }
        if let Some(id) = &f.trace_id {
            assert!(err.contains(&format!("trace id {id}")), "{ctx}");
        }
        assert!(err.contains("more: https://login.microsoft"), "{ctx}");
        assert!(
            !err.contains("\nTrace ID"),
            "the description is shown without its trace lines: {ctx}"
        );
    }
    assert_eq!(h.token_requests().len(), fixtures.len(), "no refusal was retried");
}

#[test]
fn a_wrapper_first_body_without_error_codes_is_explained_by_the_specific_code() {
    // https://github.com/fuel9/DisplayMonkey/issues/50: no error_codes, no id fields.
    let (_h, err) = refused_once(&serde_json::json!({
        "error": "invalid_grant",
        "error_description": "AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or password, Trace ID: c738f926-5ca3-40e3-9beb-21ce8f4f2000, Correlation ID: 968cca79-936b-4330-81c2-c1d4799d741b, Timestamp: 2018-06-15 15:17:01Z"
    }));
    assert!(
        err.contains("wrong username or password (AADSTS50126, invalid_grant)"),
        "{err}"
    );
    assert!(
        err.contains("quote to your admin: trace id c738f926-5ca3-40e3-9beb-21ce8f4f2000, correlation id 968cca79-936b-4330-81c2-c1d4799d741b, time 2018-06-15 15:17:01Z"),
        "{err}"
    );
    assert!(
        err.contains("more: https://login.microsoftonline.com/error?code=50126"),
        "{err}"
    );
}

#[test]
fn an_unknown_code_quotes_entra_and_acts_on_its_error_class() {
    let (h, err) = refused_once(&serde_json::json!({
        "error": "interaction_required",
        "error_description": "AADSTS5550001: Something Entra added after this release. Details follow. Trace ID: 11111111-2222-3333-4444-555555555555 Correlation ID: 66666666-7777-8888-9999-000000000000 Timestamp: 2026-11-30 10:00:00Z",
        "error_codes": [5_550_001]
    }));
    assert!(
        err.contains(
            "Entra refused the sign-in: Something Entra added after this release. (AADSTS5550001, interaction_required)"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!("lcsauth profile edit {} --flow", h.name)),
        "{err}"
    );
    assert!(err.contains("trace id 11111111-2222-3333-4444-555555555555"), "{err}");
    assert!(
        err.contains("more: https://login.microsoftonline.com/error?code=5550001"),
        "{err}"
    );
}

#[test]
fn a_claims_challenge_is_named_and_sends_the_user_to_an_interactive_flow() {
    let (_h, err) = refused_once(&serde_json::json!({
        "error": "invalid_grant",
        "error_description": "AADSTS5550002: Continuous access evaluation resulted in challenge with result: InteractionRequired.",
        "claims": "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"1764500000\"}}}"
    }));
    assert!(err.contains("claims: Entra sent a claims challenge"), "{err}");
    assert!(
        err.contains("cause: Conditional Access or continuous access evaluation"),
        "{err}"
    );
    assert!(err.contains("--flow"), "{err}");
}
