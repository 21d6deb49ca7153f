//! `lcsauth demo`: the board on the built-in Entra simulator, with four sample profiles in a
//! temporary config directory and in-memory secrets. Nothing of the user's is read or written.
//!
//! The simulator also answers as LCS (project 1234567, so `p` works) and approves device codes
//! on its own after two polls (northwind-dev signs in with a device code on `r`).

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;

use lcsauth::audience::Audience;
use lcsauth::broker::{Broker, NetSettings};
use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::ProfileStore;
use lcsauth::profile::{BadValue, BaseUrl, Flow, Profile, ProjectId};
use lcsauth::region::Region;
use lcsauth::secret::memory::MemoryStore;
use lcsauth::secret::{Secret, SecretStore};
use lcsauth::sim::{self, Simulator};

use super::shell::session::{Session, board};
use crate::front::failure::{Exit, Failure};
use crate::front::runtime;

/// The password of every account of the simulator's demo tenant.
const PASSWORD: &str = "Demo-Pass-1";

/// Short enough that a token is "valid", then "expiring", then refreshed within minutes.
const MIN_VALID: Duration = Duration::from_secs(120);

/// The LCS project of every sample profile: the simulator's users are members of it.
const PROJECT: &str = "1234567";

/// (name, region, user, tenant): the fabrikam account is behind MFA, so its password sign-in
/// is refused with AADSTS50076, as a real tenant with Conditional Access would.
const SAMPLES: [(&str, Region, &str, &str); 4] = [
    (
        "contoso-prod",
        Region::Eu,
        "ops@contoso.onmicrosoft.com",
        "contoso.onmicrosoft.com",
    ),
    (
        "contoso-test",
        Region::Global,
        "ops@contoso.onmicrosoft.com",
        "contoso.onmicrosoft.com",
    ),
    (
        "fabrikam-ops",
        Region::Fr,
        "admin@fabrikam.onmicrosoft.com",
        "fabrikam.onmicrosoft.com",
    ),
    (
        "northwind-dev",
        Region::Ch,
        "dev@northwind.onmicrosoft.com",
        "northwind.onmicrosoft.com",
    ),
];

fn failure<E: std::fmt::Display>(what: &str) -> impl Fn(E) -> Failure + '_ {
    move |e| Failure::new(Exit::Failure, format!("demo: {what}: {e}"))
}

/// The sample profiles; the last one signs in with a device code. The simulator is their
/// sign-in host and their LCS API.
fn samples(simulator: &BaseUrl) -> Result<Vec<Profile>, BadValue> {
    let project: ProjectId = PROJECT.parse()?;
    SAMPLES
        .iter()
        .enumerate()
        .map(|(i, (name, region, user, tenant))| {
            Ok(Profile {
                name: name.parse()?,
                tenant: tenant.parse()?,
                client_id: format!("0a1b2c3d-4e5f-6789-abcd-ef012345678{i}").parse()?,
                region: *region,
                username: Some((*user).to_string()),
                flow: if i == SAMPLES.len() - 1 {
                    Flow::DeviceCode
                } else {
                    Flow::Password
                },
                authority: Some(simulator.clone()),
                scope: None,
                api_host: Some(simulator.clone()),
                project_id: Some(project.clone()),
                environment_id: None,
                remember_password: i == 0,
                cloud: None,
                // The first identity also serves the Power Platform API from the same sign-in.
                audiences: if i == 0 {
                    vec![Audience::PowerPlatform]
                } else {
                    Vec::new()
                },
            })
        })
        .collect()
}

pub fn run() -> Result<(), Failure> {
    let dir = tempfile::Builder::new()
        .prefix("lcsauth-demo-")
        .tempdir()
        .map_err(|e| failure("cannot create a temporary directory")(e.to_string()))?;
    let rt = runtime()?;
    let result = rt.block_on(async {
        let simulator = Simulator::start(sim::demo_config())
            .await
            .map_err(|e| failure("cannot start the simulator")(e.to_string()))?;
        let result = demo_board(&simulator, ConfigDir::new(dir.path())).await;
        simulator.shutdown().await;
        result
    });
    rt.shutdown_background();
    drop(dir);
    result
}

async fn demo_board(simulator: &Simulator, dir: ConfigDir) -> Result<(), Failure> {
    let authority: BaseUrl = simulator.base_url().parse().map_err(failure("simulator address"))?;
    let profiles = samples(&authority).map_err(failure("sample profiles"))?;
    let store = ProfileStore::new(dir.clone());
    let list = profiles.clone();
    store
        .update(|config| {
            for p in list {
                config.add(p)?;
            }
            config.default_profile = Some(config.profiles[0].name.clone());
            config.settings.min_valid = MIN_VALID;
            Ok(())
        })
        .map_err(|e| failure("cannot write the sample profiles")(e.to_string()))?;
    let secrets: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
    let net = NetSettings {
        timeout: Duration::from_secs(10),
        ..NetSettings::default()
    };
    let broker = Arc::new(Broker::new(dir, secrets, net));
    // Failures are recorded in each profile's state: the board shows and explains them.
    join_all(profiles.iter().map(|p| broker.login(p, Some(Secret::new(PASSWORD))))).await;
    let banner = format!("DEMO · simulator {} · nothing is saved", simulator.base_url());
    board(Session {
        broker,
        store,
        banner: Some(banner),
        // A profile added with `a` signs in against the simulator too, never the real host.
        new_profile_host: Some(simulator.base_url()),
    })
    .await
}
