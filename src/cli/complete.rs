//! Shell completion: the values the shell offers for profile names, regions and flows, read
//! when the shell asks (`COMPLETE=<shell> lcsauth …`, clap's dynamic completion). A normal run
//! never gets here: only the completion variable wakes it.

use std::ffi::OsString;

use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{CompleteEnv, EnvCompleter};

use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::ProfileStore;
use lcsauth::region::REGIONS;

use super::args::Cli;

/// The variable that asks for completions (`COMPLETE=bash lcsauth` prints the registration).
pub const VAR: &str = "COMPLETE";

/// Answers a completion request and exits, when the shell made one; returns at once otherwise.
pub fn answer_if_asked() {
    if std::env::var_os(VAR).is_none() {
        return;
    }
    CompleteEnv::with_factory(Cli::command).var(VAR).complete();
}

/// `lcsauth completions SHELL`: the script that registers the dynamic completion in SHELL.
pub fn registration(shell: clap_complete::Shell, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &clap_complete::env::Bash,
        clap_complete::Shell::Zsh => &clap_complete::env::Zsh,
        clap_complete::Shell::Fish => &clap_complete::env::Fish,
        clap_complete::Shell::PowerShell => &clap_complete::env::Powershell,
        _ => &clap_complete::env::Elvish,
    };
    let exe = std::env::args_os().next().unwrap_or_else(|| OsString::from("lcsauth"));
    completer.write_registration(VAR, "lcsauth", "lcsauth", &exe.to_string_lossy(), out)
}

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
