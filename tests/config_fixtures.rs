//! One fixture per kind of broken `profiles.toml`: the error names path, line and column, the
//! exit code is 8, and the file is byte-identical afterwards, whatever the command.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use assert_cmd::Command;

fn check(fixture: &str, line_col: &str, needle: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/profiles")
        .join(fixture);
    let original = std::fs::read(&src).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("profiles.toml");
    std::fs::write(&file, &original).unwrap();
    let commands: [&[&str]; 5] = [
        &["status"],
        &["profile", "list"],
        &["token", "a"],
        &["use", "a"],
        &[
            "profile",
            "add",
            "b",
            "--tenant",
            "organizations",
            "--client-id",
            "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
            "--flow",
            "device-code",
        ],
    ];
    for args in commands {
        let out = Command::cargo_bin("lcsauth")
            .unwrap()
            .env("LCSAUTH_CONFIG_DIR", dir.path())
            .env_remove("LCSAUTH_PROFILE")
            .args(args)
            .assert()
            .code(8);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let expected = format!("error: {}:{line_col}: ", file.display());
        assert!(
            err.starts_with(&expected),
            "{fixture} {args:?}: expected {expected:?} in\n{err}"
        );
        assert!(
            err.contains(needle),
            "{fixture} {args:?}: expected {needle:?} in\n{err}"
        );
        assert!(err.contains("left unchanged"), "{err}");
        assert!(out.get_output().stdout.is_empty(), "nothing on stdout");
        assert_eq!(
            std::fs::read(&file).unwrap(),
            original,
            "{fixture}: the file was rewritten by {args:?}"
        );
    }
}

#[test]
fn toml_syntax_error_points_at_the_unclosed_string() {
    check("syntax_error.toml", "3:34", "invalid basic string");
}

#[test]
fn truncated_file_points_at_the_cut() {
    check("truncated.toml", "5:6", "expected `=`");
}

#[test]
fn unknown_key_is_named_with_the_keys_that_exist() {
    check("unknown_key.toml", "6:1", "unknown field `regoin`");
}

#[test]
fn client_id_that_is_not_a_guid_says_where_to_copy_it_from() {
    check("client_id_not_guid.toml", "4:13", "is not a GUID");
}

#[test]
fn tenant_common_is_refused_with_the_aadsts_reason() {
    check("tenant_common.toml", "3:10", "AADSTS9001023");
}

#[test]
fn unknown_region_lists_the_regions() {
    check("unknown_region.toml", "6:10", "gcc-high");
}

#[test]
fn custom_region_without_api_host_is_refused() {
    check("custom_without_api_host.toml", "1:1", "needs api_host");
}

#[test]
fn http_authority_that_is_not_loopback_is_refused() {
    check("http_authority_not_loopback.toml", "6:13", "not loopback");
}

#[test]
fn duplicate_profile_name_points_at_the_second_table() {
    check("duplicate_name.toml", "7:1", "duplicate profile name 'a'");
}

#[test]
fn ill_formed_name_names_the_bad_character() {
    check("bad_name.toml", "2:8", "contains ' '");
}

#[test]
fn password_flow_without_username_is_refused() {
    check("password_flow_without_username.toml", "1:1", "needs a username");
}

#[test]
fn wrong_type_says_what_was_expected() {
    check("wrong_type.toml", "6:21", "expected a boolean");
}

#[test]
fn missing_required_key_is_named() {
    check("missing_required_key.toml", "1:1", "missing field `client_id`");
}

#[test]
fn unknown_flow_lists_the_flows() {
    check("unknown_flow.toml", "6:8", "device-code");
}

#[test]
fn bad_duration_setting_shows_the_expected_form() {
    check("bad_setting.toml", "2:13", "not a duration like 15m");
}

#[test]
fn unknown_audience_lists_the_audiences_that_exist() {
    check(
        "unknown_audience.toml",
        "6:13",
        "powerplatform, powerapps, dataverse:<org url>",
    );
}

/// Profiles written before audiences existed load to the same endpoints, show only the `lcs`
/// audience, and are written back without a new key.
#[test]
fn readme_profiles_from_before_audiences_load_and_resolve_as_before() {
    use lcsauth::audience::Audience;
    use lcsauth::profile::store::Config;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/profiles/readme_example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let config = Config::parse(&text, &path).unwrap();
    let prod = config.get("contoso-prod").unwrap();
    let e = prod.endpoint();
    assert_eq!(e.scope, "https://lcsapi.eu.lcs.dynamics.com//.default");
    assert_eq!(e.api_host, "https://lcsapi.eu.lcs.dynamics.com");
    assert_eq!(e.authority, "https://login.microsoftonline.com");
    let pp = config.get("contoso-pp").unwrap();
    assert_eq!(pp.endpoint().scope, "https://api.powerplatform.com/.default");
    for p in &config.profiles {
        assert_eq!(p.endpoint_for(&Audience::Lcs), p.endpoint(), "{}", p.name);
        assert_eq!(p.audience_list(), vec![Audience::Lcs]);
        assert_eq!(Audience::Lcs.secret_owner(p.name.as_str()), p.name.as_str());
    }
    let rendered = config.render();
    assert!(
        !rendered.contains("audiences") && !rendered.contains("cloud"),
        "{rendered}"
    );
    assert_eq!(Config::parse(&rendered, &path).unwrap(), config);
}
