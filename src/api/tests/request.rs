//! Building a request: placeholders, the host allowlist, fields, the mutation rule, the dry run.

use super::fixtures::{lcs, power_platform, request, values};
use crate::api::request::{Method, RequestError, build};

#[test]
fn placeholders_come_from_the_profile_and_lcs_gets_its_version_header() {
    let r = request(
        &lcs(),
        Method::Get,
        "/databasemovement/v1/databases/project/{projectId}",
    );
    assert_eq!(
        r.url,
        "https://lcsapi.lcs.dynamics.com/databasemovement/v1/databases/project/1234567"
    );
    assert!(r.headers.contains(&("x-ms-version", "2017-09-15".into())));
    let err = build(&lcs(), Method::Get, "/x/{environmentId}", &[], None, &values()).unwrap_err();
    assert!(
        err.to_string().contains("lcsauth profile edit prod --environment-id"),
        "{err}"
    );
    assert!(matches!(
        build(&lcs(), Method::Get, "/x/{who}", &[], None, &values()),
        Err(RequestError::UnknownPlaceholder(_))
    ));
}

#[test]
fn a_full_url_must_be_on_the_profiles_own_host() {
    let ok = build(
        &lcs(),
        Method::Get,
        "https://lcsapi.lcs.dynamics.com/a",
        &[],
        None,
        &values(),
    );
    assert!(ok.is_ok());
    for foreign in [
        "https://evil.example/a",
        "https://lcsapi.lcs.dynamics.com.evil.example/a",
        "http://lcsapi.lcs.dynamics.com/a",
        "https://lcsapi.lcs.dynamics.com:8443/a",
        "https://user@lcsapi.lcs.dynamics.com/a",
        "https://lcsapi.eu.lcs.dynamics.com/a",
    ] {
        let err = build(&lcs(), Method::Get, foreign, &[], None, &values()).unwrap_err();
        assert!(matches!(err, RequestError::ForeignHost { .. }), "{foreign}: {err}");
    }
}

#[test]
fn fields_are_a_query_for_reads_and_a_json_body_otherwise() {
    let r = build(&lcs(), Method::Get, "/e", &["page=2".into()], None, &values()).unwrap();
    assert!(r.url.ends_with("/e?page=2"));
    let r = build(&lcs(), Method::Post, "/e", &["a=b c".into()], None, &values()).unwrap();
    assert_eq!(r.body.as_deref(), Some(br#"{"a":"b c"}"#.as_slice()));
    assert_eq!(
        build(
            &lcs(),
            Method::Post,
            "/e",
            &["a=b".into()],
            Some(b"{}".to_vec()),
            &values()
        ),
        Err(RequestError::TwoBodies)
    );
}

#[test]
fn db_movement_and_environment_management_mutations_need_confirmation() {
    let post = |p: &str| request(&lcs(), Method::Post, p);
    let r = post("/databasemovement/v1/refresh/project/1/source/a/target/b");
    assert!(r.needs_confirmation());
    assert_eq!(r.lcs_operation().unwrap().environment, "b");
    let e = post("/databasemovement/v1/export/project/1/environment/e1/backupName/nightly");
    assert_eq!(e.lcs_operation().unwrap().kind, "export");
    let get = request(&lcs(), Method::Get, "/databasemovement/v1/databases/project/1");
    assert!(!get.needs_confirmation());
    let copy = request(
        &power_platform(),
        Method::Post,
        "/environmentmanagement/environments/t/copy",
    );
    assert!(copy.needs_confirmation());
    assert!(copy.url.ends_with("?api-version=2022-03-01-preview"));
    assert!(!copy.headers.iter().any(|(n, _)| *n == "x-ms-version"));
}

#[test]
fn the_dry_run_rendering_never_holds_a_token() {
    let r = request(
        &lcs(),
        Method::Post,
        "/databasemovement/v1/refresh/project/1/source/a/target/b",
    );
    let text = r.render();
    assert!(text.starts_with("POST https://lcsapi.lcs.dynamics.com/databasemovement/"));
    assert!(text.contains("Authorization: Bearer <a fresh token, not shown>"));
}
