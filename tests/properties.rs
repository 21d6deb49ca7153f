//! Properties over generated input: the parsers of everything that comes from outside (Entra's
//! JSON, JWT payloads, profiles.toml) return a value or an error and never panic, and every
//! valid config survives a trip through TOML unchanged.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use lcsauth::entra::{DeviceCodeResponse, ErrorBody, TokenResponse};
use lcsauth::profile::store::Config;
use lcsauth::profile::{BaseUrl, Flow, Profile, Settings};
use lcsauth::region::Region;
use lcsauth::token::{self, Claims};
use proptest::prelude::*;
use serde_json::Value;

fn parse_config(text: &str) -> Result<Config, lcsauth::profile::store::ConfigError> {
    Config::parse(text, Path::new("profiles.toml"))
}

/// Feeds `bytes` to every wire type's parser.
fn parse_wire(bytes: &[u8]) {
    let _ = serde_json::from_slice::<TokenResponse>(bytes);
    let _ = serde_json::from_slice::<ErrorBody>(bytes);
    let _ = serde_json::from_slice::<DeviceCodeResponse>(bytes);
}

// --- Generators -----------------------------------------------------------------------------

/// Field names the wire types and JWT payloads know, so generated objects hit real fields.
const KEYS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "token_type",
    "scope",
    "expires_in",
    "ext_expires_in",
    "expires_on",
    "error",
    "error_description",
    "error_codes",
    "suberror",
    "trace_id",
    "correlation_id",
    "timestamp",
    "error_uri",
    "device_code",
    "user_code",
    "verification_uri",
    "verification_url",
    "interval",
    "message",
    "aud",
    "iss",
    "tid",
    "upn",
    "unique_name",
    "preferred_username",
    "amr",
    "appid",
    "azp",
    "exp",
    "iat",
    "nbf",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::from),
        "-?[0-9]{1,25}(\\.[0-9]{1,4})?".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// Lines that look like profiles.toml, valid and not, to get past the TOML syntax layer.
fn toml_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "name",
        "tenant",
        "client_id",
        "region",
        "username",
        "flow",
        "authority",
        "scope",
        "api_host",
        "project_id",
        "remember_password",
        "default_profile",
        "min_valid",
        "clear_after",
        "http_timeout",
        "unknown",
    ]);
    let value = prop_oneof![
        Just("\"a\"".to_string()),
        Just("\"contoso.onmicrosoft.com\"".to_string()),
        Just("\"0a1b2c3d-4e5f-6789-abcd-ef0123456789\"".to_string()),
        Just("\"custom\"".to_string()),
        Just("\"device-code\"".to_string()),
        Just("\"http://127.0.0.1:1\"".to_string()),
        Just("\"15m\"".to_string()),
        Just("true".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        "\"[^\"\\\\]{0,16}\"",
        ".{0,8}",
    ];
    prop_oneof![
        Just("[[profile]]".to_string()),
        Just("[settings]".to_string()),
        Just("[profile]".to_string()),
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        ".{0,20}",
    ]
}

fn guid() -> impl Strategy<Value = String> {
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
}

fn base_url() -> impl Strategy<Value = BaseUrl> {
    prop_oneof![
        "https://[a-z0-9]{1,12}(\\.[a-z0-9]{1,8}){1,3}(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~-]{1,8}){0,2}/?",
        "http://(127\\.0\\.0\\.1|localhost|\\[::1\\]):[1-9][0-9]{0,4}",
    ]
    .prop_filter_map("not a base URL", |s| s.parse::<BaseUrl>().ok())
}

fn region() -> impl Strategy<Value = Region> {
    prop::sample::select(vec![
        Region::Global,
        Region::Eu,
        Region::Fr,
        Region::No,
        Region::Sa,
        Region::Ch,
        Region::Uae,
        Region::Gcc,
        Region::GccHigh,
        Region::China,
        Region::Custom,
    ])
}

prop_compose! {
    fn profile()(
        name in "[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}",
        tenant in prop_oneof![
            Just("organizations".to_string()),
            guid(),
            "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?(\\.[a-z0-9]{1,10}){1,3}",
        ],
        client_id in guid(),
        region in region(),
        // Any text without whitespace, control characters and quotes included.
        username in proptest::option::of("[^\\s]{1,30}"),
        flow in prop::sample::select(vec![Flow::Password, Flow::DeviceCode, Flow::Browser]),
        authority in proptest::option::of(base_url()),
        scope in proptest::option::of("[^\\s]{1,40}"),
        api_host in proptest::option::of(base_url()),
        fallback_host in base_url(),
        project_id in proptest::option::of("[0-9]{1,20}"),
        remember in any::<bool>(),
    ) -> Profile {
        let username = match (flow, username) {
            (Flow::Password, None) => Some("ops@contoso.com".to_string()),
            (_, u) => u,
        };
        let api_host = match region {
            Region::Custom => api_host.or(Some(fallback_host)),
            _ => api_host,
        };
        Profile {
            name: name.parse().unwrap(),
            tenant: tenant.parse().unwrap(),
            client_id: client_id.parse().unwrap(),
            region,
            username,
            flow,
            authority,
            scope,
            api_host,
            project_id: project_id.map(|p| p.parse().unwrap()),
            remember_password: remember && flow == Flow::Password,
            cloud: None,
            audiences: Vec::new(),
        }
    }
}

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (0u64..200_000).prop_map(Duration::from_secs),
        (0u64..200_000_000).prop_map(Duration::from_millis),
    ]
}

prop_compose! {
    fn config()(
        profiles in prop::collection::vec(profile(), 0..6),
        min_valid in duration(),
        clear_after in duration(),
        http_timeout in duration(),
        default_pick in any::<prop::sample::Index>(),
        has_default in any::<bool>(),
    ) -> Config {
        let mut unique: Vec<Profile> = Vec::new();
        for p in profiles {
            if !unique.iter().any(|u| u.name == p.name) {
                unique.push(p);
            }
        }
        let default_profile = (has_default && !unique.is_empty())
            .then(|| unique[default_pick.index(unique.len())].name.clone());
        Config {
            default_profile,
            settings: Settings { min_valid, clear_after, http_timeout, lock_wait: None },
            profiles: unique,
            warnings: Vec::new(),
        }
    }
}

// --- Properties -----------------------------------------------------------------------------

// 256 cases each by default (fast enough for every test run); `PROPTEST_CASES=20000` searches longer.
proptest! {
    #[test]
    fn config_parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = parse_config(&text);
    }

    #[test]
    fn config_parse_never_panics_on_profile_like_lines(lines in prop::collection::vec(toml_line(), 0..24)) {
        let text = lines.join("\n");
        if let Ok(config) = parse_config(&text) {
            // Whatever loads is valid: every profile passes its own checks.
            for p in &config.profiles {
                prop_assert!(p.validate().is_ok());
            }
        }
    }

    #[test]
    fn valid_configs_round_trip_through_toml(config in config()) {
        let text = config.render();
        let again = parse_config(&text);
        prop_assert!(again.is_ok(), "{:?}\n{}", again.err(), text);
        prop_assert_eq!(again.unwrap(), config);
    }

    #[test]
    fn wire_parsers_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        parse_wire(&bytes);
    }

    #[test]
    fn wire_parsers_never_panic_on_json_of_any_shape(value in json_value()) {
        parse_wire(&serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn token_responses_with_any_lifetime_give_a_bounded_end_or_an_error(
        expires_in in json_value(),
        exp in proptest::option::of(any::<i64>()),
    ) {
        let body = serde_json::json!({ "access_token": "t", "expires_in": expires_in });
        let Ok(resp) = serde_json::from_value::<TokenResponse>(body) else { return Ok(()) };
        let now = jiff::Timestamp::now();
        let claims = Claims { exp, ..Claims::default() };
        if let Ok((end, _)) = token::expiry(now, resp.expires_in, Some(&claims)) {
            // A lifetime from expires_in is capped; only an exp claim can set a later end.
            if claims.exp_time().is_none() {
                prop_assert!(end.duration_since(now) <= jiff::SignedDuration::from_hours(30));
            }
        }
    }

    #[test]
    fn claims_decode_never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = Claims::decode(&text);
    }

    #[test]
    fn claims_decode_never_panics_on_any_json_payload(payload in json_value(), raw in any::<bool>()) {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let body = if raw { serde_json::to_vec(&payload).unwrap() } else { payload.to_string().into_bytes() };
        let token = format!("eyJ0eXAiOiJKV1QifQ.{}.sig", e.encode(body));
        if let Ok(claims) = Claims::decode(&token) {
            let _ = claims.exp_time();
            let _ = claims.audience_mismatch("https://lcsapi.lcs.dynamics.com");
        }
    }
}
