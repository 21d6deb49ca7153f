//! The table against refusal bodies: every fixture is explained by its code's entry, and every
//! code of the table has a fixture.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::super::*;
use super::table_codes;
use crate::entra::{ErrorBody, Refusal};

/// Entra refusal bodies taken from public issues (or built in Entra's documented shape where
/// none was public), one or more per code of the table.
const FIXTURES: &str = include_str!("../../../tests/fixtures/entra-errors.toml");

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
