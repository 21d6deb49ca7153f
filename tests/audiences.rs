//! One identity, every admin API: a single interactive sign-in (device code, behind MFA) serves
//! LCS, the Power Platform API and a Dataverse organisation through the one refresh token, each
//! audience cached and refreshed on its own, against the simulator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;

use lcsauth::audience::Audience;
use lcsauth::broker::{Ask, Broker, DeviceCodeInfo, Grant, NetSettings, Prompt, Source};
use lcsauth::entra::RetryPolicy;
use lcsauth::paths::ConfigDir;
use lcsauth::profile::Profile;
use lcsauth::secret::memory::MemoryStore;
use lcsauth::secret::{SecretKind, SecretStore};
use lcsauth::sim::{DeviceAutoApprove, SimConfig, SimUser, Simulator, token_claims};

const USER: &str = "admin@fabrikam.onmicrosoft.com";
const DATAVERSE: &str = "dataverse:https://fabrikam.crm4.dynamics.com";

/// Counts the interactive steps the user is asked for.
#[derive(Default)]
struct CountingPrompt {
    device_codes: Mutex<u32>,
}

impl Prompt for CountingPrompt {
    fn device_code(&self, _info: &DeviceCodeInfo) {
        *self.device_codes.lock().unwrap() += 1;
    }
    fn open_browser(&self, _url: &str) -> bool {
        false
    }
}

fn sim_config(consented: &[&str]) -> SimConfig {
    SimConfig {
        users: vec![SimUser::new(USER, "Demo-Pass-1").with_mfa()],
        device_code_interval: Duration::from_secs(1),
        device_auto_approve: Some(DeviceAutoApprove {
            after_polls: 0,
            username: USER.to_owned(),
        }),
        consented_resources: consented.iter().map(|s| (*s).to_owned()).collect(),
        ..SimConfig::default()
    }
}

fn profile(sim: &Simulator) -> Profile {
    let text = format!(
        r#"
[[profile]]
name = "fabrikam"
tenant = "fabrikam.onmicrosoft.com"
client_id = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
region = "eu"
username = "{USER}"
flow = "device-code"
authority = "{}"
audiences = ["powerplatform", "{DATAVERSE}"]
"#,
        sim.base_url()
    );
    let config = lcsauth::profile::store::Config::parse(&text, std::path::Path::new("profiles.toml")).unwrap();
    config.profiles[0].clone()
}

fn broker(dir: &std::path::Path, store: Arc<MemoryStore>) -> Broker {
    let net = NetSettings {
        timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            attempts: 1,
            ..RetryPolicy::default()
        },
        ..NetSettings::default()
    };
    Broker::new(ConfigDir::new(dir), store, net)
}

fn ask(audience: &Audience) -> Ask {
    Ask {
        min_valid: Duration::from_secs(60),
        audience: audience.clone(),
        ..Ask::default()
    }
}

fn refresh_requests(sim: &Simulator) -> Vec<String> {
    sim.requests()
        .iter()
        .filter(|r| r.is_token() && r.field("grant_type") == Some("refresh_token"))
        .map(|r| r.field("scope").unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_device_code_sign_in_serves_lcs_power_platform_and_dataverse_with_one_refresh_each() {
    let sim = Simulator::start(sim_config(&[])).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    let broker = broker(dir.path(), store.clone());
    let p = profile(&sim);
    let prompt = CountingPrompt::default();

    let signed_in = broker.login_interactive(&p, &prompt).await.unwrap();
    assert_eq!(signed_in.source, Source::Fetched(Grant::DeviceCode));
    assert_eq!(*prompt.device_codes.lock().unwrap(), 1);
    let amr = token_claims(signed_in.access_token.expose()).unwrap()["amr"].to_string();
    assert!(amr.contains("mfa"), "the sign-in passed MFA: {amr}");
    sim.clear_requests();

    let lcs = Audience::Lcs;
    let pp = Audience::PowerPlatform;
    let dv: Audience = DATAVERSE.parse().unwrap();
    for audience in [&lcs, &pp, &dv] {
        let mut a = ask(audience);
        a.force = audience.is_lcs(); // the sign-in left a fresh LCS token: ask for a new one
        let t = broker.fresh(&p, a).await.unwrap();
        assert_eq!(t.source, Source::Fetched(Grant::RefreshToken), "{audience}");
        let claims = token_claims(t.access_token.expose()).unwrap();
        assert_eq!(claims["aud"], p.resource_for(audience), "{audience}");
        assert_eq!(claims["upn"], USER);
    }
    assert_eq!(
        refresh_requests(&sim),
        vec![
            "https://lcsapi.eu.lcs.dynamics.com//.default offline_access".to_string(),
            "https://api.powerplatform.com/.default offline_access".to_string(),
            "https://fabrikam.crm4.dynamics.com/.default offline_access".to_string(),
        ],
        "one refresh request per audience"
    );
    assert_eq!(sim.token_requests(), 3, "no other token request");
    assert_eq!(*prompt.device_codes.lock().unwrap(), 1, "no further interactive step");

    // Each audience is cached on its own: asking again makes no request.
    sim.clear_requests();
    for audience in [&lcs, &pp, &dv] {
        let t = broker.fresh(&p, ask(audience)).await.unwrap();
        assert_eq!(t.source, Source::Cache, "{audience}");
    }
    assert_eq!(sim.token_requests(), 0);

    // The rotated refresh token is the one the last audience's refresh returned.
    let kept = store.get("fabrikam", SecretKind::RefreshToken).unwrap().unwrap();
    assert_eq!(sim.issued_refresh_tokens().last().unwrap(), kept.expose());

    // The LCS token stays where it always was; the others under their own entries.
    assert!(store.get("fabrikam", SecretKind::AccessToken).unwrap().is_some());
    assert!(
        store
            .get("fabrikam#powerplatform", SecretKind::AccessToken)
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .get("fabrikam#dataverse-fabrikam.crm4.dynamics.com", SecretKind::AccessToken)
            .unwrap()
            .is_some()
    );
    let statuses = broker.audience_statuses(&p, Timestamp::now(), Duration::from_secs(60));
    let names: Vec<String> = statuses.iter().map(|(a, _)| a.name()).collect();
    assert_eq!(names, ["lcs", "powerplatform", "dataverse:fabrikam.crm4.dynamics.com"]);
    assert!(statuses.iter().all(|(_, s)| s.token_state.key() == "valid"));

    // Logging out removes every audience's token with the refresh token.
    broker.logout("fabrikam", false).unwrap();
    assert!(store.is_empty(), "no entry left behind");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refreshed_with_single_use_refresh_tokens_each_audience_keeps_the_rotated_one() {
    let mut config = sim_config(&[]);
    config.single_use_refresh_tokens = true;
    let sim = Simulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let broker = broker(dir.path(), Arc::new(MemoryStore::new()));
    let p = profile(&sim);
    broker.login_interactive(&p, &CountingPrompt::default()).await.unwrap();
    // Every redemption spends the refresh token; a lost rotation would fail the next audience.
    for audience in ["powerplatform", DATAVERSE, "powerapps", "lcs", "powerplatform"] {
        let mut a = ask(&audience.parse().unwrap());
        a.force = true;
        broker.fresh(&p, a).await.unwrap_or_else(|e| panic!("{audience}: {e}"));
    }
    assert_eq!(refresh_requests(&sim).len(), 5);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audience_without_consent_is_refused_with_the_permission_to_add_and_others_still_work() {
    let sim = Simulator::start(sim_config(&["https://lcsapi.eu.lcs.dynamics.com"]))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let broker = broker(dir.path(), Arc::new(MemoryStore::new()));
    let p = profile(&sim);
    broker.login_interactive(&p, &CountingPrompt::default()).await.unwrap();
    let err = broker.fresh(&p, ask(&Audience::PowerPlatform)).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("AADSTS65001"), "{text}");
    let lcsauth::broker::BrokerError::Entra(lcsauth::entra::EntraError::Refused(r)) = &err else {
        panic!("not a refusal: {err:?}")
    };
    let said = r.description_line().unwrap_or_default();
    assert!(said.contains("has not consented to use the application"), "{said}");
    let state = broker.states().load("fabrikam");
    let slot = state.slot(&Audience::PowerPlatform);
    let fix = slot.last_error.unwrap().fix.unwrap();
    assert!(fix.contains("8578e004-a5c6-46e7-913e-12f58912df43"), "{fix}");
    // The failure belongs to that audience: LCS is untouched, and a refusal kills no refresh token.
    assert!(state.last_error.is_none());
    assert!(state.refresh_token.is_some());
    let mut a = ask(&Audience::Lcs);
    a.force = true;
    broker.fresh(&p, a).await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_for_one_audience_make_one_refresh_request() {
    let sim = Simulator::start(sim_config(&[])).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let broker = Arc::new(broker(dir.path(), Arc::new(MemoryStore::new())));
    let p = profile(&sim);
    broker.login_interactive(&p, &CountingPrompt::default()).await.unwrap();
    sim.clear_requests();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (b, p) = (broker.clone(), p.clone());
            tokio::spawn(async move { b.fresh(&p, ask(&Audience::PowerPlatform)).await.map(|t| t.source) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(refresh_requests(&sim).len(), 1, "single flight per identity");
    sim.shutdown().await;
}

/// A state file and keyring entries written before audiences existed still serve the cached
/// LCS token, and status reads them as before.
#[test]
fn caches_written_before_audiences_still_serve_the_lcs_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    let broker = broker(dir.path(), store.clone());
    let text = r#"
[[profile]]
name = "contoso-prod"
tenant = "contoso.onmicrosoft.com"
client_id = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
region = "eu"
username = "ops@contoso.com"
"#;
    let config = lcsauth::profile::store::Config::parse(text, std::path::Path::new("profiles.toml")).unwrap();
    let p = &config.profiles[0];
    let now = Timestamp::now();
    let exp = now + jiff::SignedDuration::from_secs(3000);
    let state = format!(
        r#"{{"version":1,"token":{{"expires_at":"{exp}","obtained_at":"{now}","grant":"password","claims":{{}}}},"refresh_token":{{"obtained_at":"{now}"}}}}"#
    );
    let state_file = ConfigDir::new(dir.path()).state_file("contoso-prod");
    std::fs::create_dir_all(state_file.parent().unwrap()).unwrap();
    std::fs::write(&state_file, state).unwrap();
    let token = lcsauth::secret::Secret::new("cached-before-audiences");
    store.set("contoso-prod", SecretKind::AccessToken, &token).unwrap();
    let cached = broker.cached(p, Duration::from_secs(60), now).unwrap().unwrap();
    assert_eq!(cached.access_token.expose(), "cached-before-audiences");
    assert_eq!(cached.expires_at, exp);
    let st = broker.status(p, now, Duration::from_secs(60));
    assert_eq!(st.token_state.key(), "valid");
    let per_audience = broker.audience_statuses(p, now, Duration::from_secs(60));
    assert_eq!(per_audience.len(), 1);
    assert_eq!(per_audience[0].1.expires_at, Some(exp));
    assert!(
        broker
            .cached_for(p, &Audience::PowerPlatform, Duration::from_secs(60), now)
            .unwrap()
            .is_none()
    );
}

/// A Conditional Access step-up: the refresh grant answers `interaction_required` with a
/// claims challenge; the next interactive sign-in passes those claims to Entra, and refreshing
/// works again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claims_challenge_is_answered_by_the_next_interactive_sign_in_passing_the_claims() {
    const CHALLENGE: &str =
        r#"{"access_token":{"capolids":{"essential":true,"values":["c1f8e0a4-5d2b-4c38-9a5e-0f7d3b2a1c6e"]}}}"#;
    let mut config = sim_config(&[]);
    config.claims_challenge = Some(CHALLENGE.to_owned());
    let sim = Simulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let broker = broker(dir.path(), Arc::new(MemoryStore::new()));
    let p = profile(&sim);
    let prompt = CountingPrompt::default();
    broker.login_interactive(&p, &prompt).await.unwrap();

    let err = broker.fresh(&p, ask(&Audience::PowerPlatform)).await.unwrap_err();
    let lcsauth::broker::BrokerError::Entra(lcsauth::entra::EntraError::Refused(r)) = &err else {
        panic!("not a refusal: {err:?}")
    };
    assert_eq!(r.body.error, "interaction_required");
    assert!(r.is_claims_challenge());
    let state = broker.states().load("fabrikam");
    assert_eq!(
        state
            .slot(&Audience::PowerPlatform)
            .last_error
            .unwrap()
            .claims
            .as_deref(),
        Some(CHALLENGE)
    );
    assert!(
        state.refresh_token.is_none(),
        "a refused refresh token is never sent again: the step-up signs in afresh"
    );

    sim.clear_requests();
    broker
        .login_interactive_for(&p, &Audience::PowerPlatform, &prompt)
        .await
        .unwrap();
    let begun = sim
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/oauth2/v2.0/devicecode"))
        .unwrap();
    assert_eq!(begun.field("claims"), Some(CHALLENGE), "the sign-in carried the claims");
    let mut a = ask(&Audience::Lcs);
    a.force = true;
    broker.fresh(&p, a).await.unwrap();
    assert!(
        broker
            .states()
            .load("fabrikam")
            .slot(&Audience::PowerPlatform)
            .last_error
            .is_none(),
        "answered: the audience's error is gone"
    );
    sim.shutdown().await;
}

#[test]
fn the_browser_sign_in_url_carries_the_claims_challenge() {
    let p = Profile::clone(
        &lcsauth::profile::store::Config::parse(
            "[[profile]]\nname = \"a\"\ntenant = \"organizations\"\nclient_id = \"0a1b2c3d-4e5f-6789-abcd-ef0123456789\"\nflow = \"browser\"\n",
            std::path::Path::new("p.toml"),
        )
        .unwrap()
        .profiles[0],
    );
    let ep = p.endpoint_for(&Audience::PowerPlatform);
    let url = lcsauth::broker::interactive::authorize_url(&ep, "http://localhost:1", "ch", "st", None).unwrap();
    let url =
        lcsauth::broker::interactive::with_claims(&url, r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#)
            .unwrap();
    let parsed = reqwest::Url::parse(&url).unwrap();
    let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(
        q["claims"],
        r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#
    );
    assert_eq!(q["scope"], "https://api.powerplatform.com/.default offline_access");
}
