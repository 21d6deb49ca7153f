//! Refreshing 100 profiles against a simulator that answers each token request in 200 ms, with
//! bounded concurrency (`Broker::fresh_all`). Target: ≤ 3.5 s.
//!
//! `cargo bench --bench refresh_many` (memory secret store; `LCSAUTH_BENCH_KEYRING=os` uses the
//! OS keyring, e.g. under the private gnome-keyring of tests/bench/all.sh).

use std::sync::Arc;
use std::time::{Duration, Instant};

use lcsauth::broker::{Broker, NetSettings};
use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::ProfileStore;
use lcsauth::profile::{Flow, Profile};
use lcsauth::region::Region;
use lcsauth::secret::{Secret, SecretStore};
use lcsauth::sim::{SimConfig, SimUser, Simulator};

const PROFILES: usize = 100;
const USER: &str = "ops@contoso.onmicrosoft.com";
const PASSWORD: &str = "bench-password";
const LIFETIME: Duration = Duration::from_secs(4);

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let mut config = SimConfig::with_users(vec![SimUser::new(USER, PASSWORD)]);
    config.request_delay = Some(Duration::from_millis(200));
    // Four-second tokens: once past half their life, every profile needs a refresh under any
    // min_valid (a min_valid longer than the lifetime asks for half of it, as Entra issues no
    // longer ones).
    config.access_token_lifetime = LIFETIME;
    let sim = Simulator::start(config).await.expect("simulator");
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = ConfigDir::new(dir.path());
    let profiles: Vec<Profile> = (0..PROFILES)
        .map(|i| Profile {
            name: format!("bench{i:03}").parse().expect("name"),
            tenant: "contoso.onmicrosoft.com".parse().expect("tenant"),
            client_id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789".parse().expect("client"),
            region: Region::Global,
            username: Some(USER.into()),
            flow: Flow::Password,
            authority: Some(sim.base_url().parse().expect("url")),
            scope: None,
            api_host: None,
            project_id: None,
            environment_id: None,
            remember_password: false,
            cloud: None,
            audiences: Vec::new(),
        })
        .collect();
    ProfileStore::new(cfg.clone())
        .update(|c| {
            for p in &profiles {
                c.add(p.clone())?;
            }
            Ok(())
        })
        .expect("profiles");
    let (store, label): (Arc<dyn SecretStore>, &str) = if std::env::var("LCSAUTH_BENCH_KEYRING").as_deref() == Ok("os")
    {
        let choice = lcsauth::secret::keyring::KeyringChoice::from_env().expect("keyring choice");
        let ns = lcsauth::secret::namespace_for(dir.path());
        (
            Arc::new(lcsauth::secret::keyring::OsKeyring::new(choice, Some(ns))),
            "OS keyring",
        )
    } else {
        (Arc::new(lcsauth::secret::memory::MemoryStore::new()), "memory store")
    };
    let broker = Broker::new(cfg, Arc::clone(&store), NetSettings::default());
    // Sign every profile in once (not measured).
    futures_util::future::join_all(profiles.iter().map(|p| broker.login(p, Some(Secret::new(PASSWORD))))).await;
    tokio::time::sleep(LIFETIME / 2 + Duration::from_millis(100)).await;
    let before = sim.token_requests();
    let started = Instant::now();
    let results = broker
        .fresh_all(
            &profiles,
            Duration::from_secs(15 * 60),
            lcsauth::broker::REFRESH_CONCURRENCY,
        )
        .await;
    let elapsed = started.elapsed();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let requests = sim.token_requests() - before;
    println!(
        "refresh_many: {PROFILES} profiles, {requests} refresh requests, concurrency {}, 200 ms per answer, {label}: {:.2} s ({ok} ok)",
        lcsauth::broker::REFRESH_CONCURRENCY,
        elapsed.as_secs_f64()
    );
    for p in &profiles {
        let _ = broker.logout(p.name.as_str(), true);
    }
    assert_eq!(
        requests, PROFILES,
        "every profile must have been refreshed once: the figure measures nothing otherwise"
    );
    sim.shutdown().await;
}
