//! The values the shell offers for profile names, regions, audiences and flows, read when the
//! shell asks. The argument types name these; [`super::complete`] answers with them.

use clap_complete::engine::CompletionCandidate;

use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::ProfileStore;
use lcsauth::region::REGIONS;

/// The names of the profiles in `profiles.toml`, with their tenant as help.
pub fn profile_names() -> Vec<CompletionCandidate> {
    let Some(dir) = ConfigDir::from_env() else {
        return Vec::new();
    };
    let Ok(config) = ProfileStore::new(dir).load() else {
        return Vec::new();
    };
    config
        .profiles
        .iter()
        .map(|p| {
            CompletionCandidate::new(p.name.as_str()).help(Some(format!("{} · {}", p.tenant, p.region.key()).into()))
        })
        .collect()
}

/// The LCS regions, with the place each serves.
pub fn regions() -> Vec<CompletionCandidate> {
    REGIONS
        .iter()
        .map(|r| CompletionCandidate::new(r.key).help(Some(r.name.into())))
        .chain(std::iter::once(
            CompletionCandidate::new("custom").help(Some("your own --api-host (and --scope)".into())),
        ))
        .collect()
}

/// The audiences: the presets every identity has, then each audience the profiles list
/// (their Dataverse and F&O URLs).
pub fn audiences() -> Vec<CompletionCandidate> {
    let mut out: Vec<CompletionCandidate> = [
        ("lcs", "the profile's LCS region (default)"),
        ("powerplatform", "the Power Platform API"),
        ("powerapps", "the BAP / Power Apps admin API"),
        (
            "dataverse:",
            "a Dataverse organisation: dataverse:https://org.crm.dynamics.com",
        ),
        (
            "fno:",
            "a Finance and Operations environment: fno:https://env.operations.dynamics.com",
        ),
        ("custom:", "any one scope: custom:https://…/.default"),
    ]
    .into_iter()
    .map(|(v, h)| CompletionCandidate::new(v).help(Some(h.into())))
    .collect();
    let configured = ConfigDir::from_env()
        .and_then(|dir| ProfileStore::new(dir).load().ok())
        .map(|c| c.profiles)
        .unwrap_or_default();
    let mut seen = Vec::new();
    for p in &configured {
        for a in p.audiences.iter().filter(|a| !lcsauth::audience::PRESETS.contains(a)) {
            let text = a.to_string();
            if !seen.contains(&text) {
                out.push(CompletionCandidate::new(text.clone()).help(Some(format!("listed by {}", p.name).into())));
                seen.push(text);
            }
        }
    }
    out
}

/// The sign-in flows.
pub fn flows() -> Vec<CompletionCandidate> {
    [
        ("password", "the vendor article's password grant; no MFA"),
        ("device-code", "a code typed at microsoft.com/devicelogin; MFA works"),
        ("browser", "a browser on this machine; MFA works"),
        (
            "client-secret",
            "the app itself with a client secret; Power Platform and Dataverse, not LCS",
        ),
    ]
    .into_iter()
    .map(|(v, h)| CompletionCandidate::new(v).help(Some(h.into())))
    .collect()
}
