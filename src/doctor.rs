//! Health checks behind `lcsauth doctor`: each finding says what was checked, what was found,
//! and how to fix it.

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use crate::profile::store::Config;
use crate::region::Region;
use crate::secret::{Secret, SecretKind, SecretStore};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub check: String,
    pub level: Level,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Finding {
    fn new(check: impl Into<String>, level: Level, detail: impl Into<String>, fix: Option<String>) -> Self {
        Self {
            check: check.into(),
            level,
            detail: detail.into(),
            fix,
        }
    }
}

/// Whether another user could change the config directory (and so redirect a sign-in).
pub fn trust(dir: &crate::paths::ConfigDir) -> Finding {
    match crate::trust::check(dir) {
        Ok(()) => Finding::new(
            "config permissions",
            Level::Ok,
            format!("{} and its files are yours alone", dir.root().display()),
            None,
        ),
        Err(e) => Finding::new(
            "config permissions",
            Level::Fail,
            format!(
                "{} is {}; lcsauth signs in nowhere until this is fixed",
                e.path.display(),
                e.why
            ),
            Some(e.fix),
        ),
    }
}

/// Skew beyond which token lifetimes shown and checked locally are wrong enough to matter.
const SKEW_WARN: Duration = Duration::from_secs(60);
const SKEW_FAIL: Duration = Duration::from_secs(300);

/// The profiles' own sanity: scope form, region against API host, tenant.
pub fn profiles(config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in &config.profiles {
        let ep = p.endpoint();
        let check = format!("profile {}", p.name);
        let mut problems = Vec::new();
        let lcs_scope = ep.scope.contains("lcs.dynamics") || ep.scope.contains("lcs.microsoftdynamics");
        if lcs_scope && !ep.scope.ends_with("//.default") {
            problems.push(Finding::new(
                &check,
                Level::Warn,
                format!("scope {} lacks the double slash of LCS scopes", ep.scope),
                Some(format!(
                    "lcsauth profile edit {} --scope \"\" (the default is {}//.default)",
                    p.name, ep.api_host
                )),
            ));
        }
        if let Some(host_region) = Region::for_api_host(&ep.api_host) {
            if p.region != Region::Custom && host_region != p.region {
                problems.push(Finding::new(
                    &check,
                    Level::Warn,
                    format!(
                        "api_host {} belongs to region {host_region}, but the profile says {}",
                        ep.api_host, p.region
                    ),
                    Some(format!(
                        "lcsauth profile edit {} --region {host_region} --api-host \"\"",
                        p.name
                    )),
                ));
            }
        } else if ep.api_host.contains(".lcsapi.") {
            problems.push(Finding::new(
                &check,
                Level::Fail,
                format!(
                    "api_host {} puts the region before lcsapi; Entra answers AADSTS500011 for it",
                    ep.api_host
                ),
                Some("use https://lcsapi.<region>.lcs.dynamics.com (see `lcsauth regions`)".into()),
            ));
        }
        let scope_host = ep
            .scope
            .split("//.default")
            .next()
            .unwrap_or_default()
            .trim_end_matches("/.default");
        if lcs_scope && scope_host.trim_end_matches('/') != ep.api_host.trim_end_matches('/') {
            problems.push(Finding::new(
                &check,
                Level::Warn,
                format!(
                    "the scope is for {scope_host} but API calls go to {}: LCS will answer 401",
                    ep.api_host
                ),
                Some(format!("lcsauth profile edit {} --scope \"\"", p.name)),
            ));
        }
        if problems.is_empty() {
            out.push(Finding::new(
                &check,
                Level::Ok,
                format!("{} · {} · {} · tenant {}", p.region, ep.api_host, ep.scope, p.tenant),
                None,
            ));
        }
        out.extend(problems);
    }
    out
}

/// The size of the doctor's probe secret: an access token with many group claims. On Windows
/// it takes seven Credential Manager entries, so the check covers secrets kept in pieces.
const PROBE_BYTES: usize = 16 * 1024;

/// Writes, reads back and deletes a throwaway secret of real size in the keyring.
pub fn keyring(store: &dyn SecretStore) -> Finding {
    let probe = "lcsauth-doctor-probe";
    let mut text = format!("doctor-{}-", uuid::Uuid::new_v4());
    while text.len() < PROBE_BYTES {
        text.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    text.truncate(PROBE_BYTES);
    let value = Secret::new(text);
    let result = store
        .set(probe, SecretKind::RefreshToken, &value)
        .and_then(|()| store.get(probe, SecretKind::RefreshToken))
        .and_then(|got| {
            store.delete(probe, SecretKind::RefreshToken)?;
            Ok(got)
        });
    match result {
        Ok(Some(got)) if got == value => {
            let note = store.persistence_note().map(|n| format!(" ({n})")).unwrap_or_default();
            let level = if note.is_empty() { Level::Ok } else { Level::Warn };
            Finding::new(
                "keyring",
                level,
                format!(
                    "{} stores, reads and deletes a {} KiB secret{note}",
                    store.describe(),
                    PROBE_BYTES / 1024
                ),
                None,
            )
        }
        Ok(_) => Finding::new(
            "keyring",
            Level::Fail,
            format!("{} did not return what was stored", store.describe()),
            None,
        ),
        Err(e) => Finding::new("keyring", Level::Fail, e.to_string(), e.fix().map(str::to_string)),
    }
}

/// Entries of each profile that another program's item in the keyring also matches.
pub fn keyring_conflicts(store: &dyn SecretStore, config: &crate::profile::store::Config) -> Vec<Finding> {
    config
        .profiles
        .iter()
        .flat_map(|p| store.conflicts(p.name.as_str()))
        .map(|detail| {
            Finding::new(
                "keyring conflict",
                Level::Warn,
                detail,
                Some(
                    "lcsauth keeps using the item it wrote; remove the other program's item (Seahorse, or \
                     `secret-tool search --all service lcsauth` to find it) if it is not needed"
                        .into(),
                ),
            )
        })
        .collect()
}

/// Which clipboard `copy` can use here. `terminal` is whether stderr is a terminal (for OSC 52).
pub fn clipboard(terminal: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some();
    if crate::clipboard::display_present() {
        match arboard::Clipboard::new() {
            Ok(_) => out.push(Finding::new(
                "clipboard",
                Level::Ok,
                if cfg!(target_os = "windows") {
                    "Windows clipboard reachable"
                } else if wayland {
                    "Wayland session (served through XWayland)"
                } else {
                    "system clipboard reachable"
                },
                None,
            )),
            Err(e) => out.push(Finding::new(
                "clipboard",
                Level::Fail,
                if cfg!(target_os = "windows") {
                    format!("the Windows clipboard is not reachable: {e}")
                } else {
                    format!("a display is set but the clipboard is not reachable: {e}")
                },
                Some(if cfg!(target_os = "windows") {
                    "another program may hold the clipboard open; close it and try again".into()
                } else {
                    "check DISPLAY / WAYLAND_DISPLAY, or unset them to use OSC 52".into()
                }),
            )),
        }
    } else if terminal {
        let tmux = std::env::var_os("TMUX").is_some();
        out.push(Finding::new(
            "clipboard",
            Level::Warn,
            "no display: `copy` sends the token to your terminal with OSC 52",
            Some(if tmux {
                "inside tmux, enable it with `tmux set -s set-clipboard on`".into()
            } else {
                "use a terminal that accepts OSC 52 (most do: iTerm2, kitty, WezTerm, Windows Terminal, foot)".into()
            }),
        ));
    } else {
        out.push(Finding::new(
            "clipboard",
            Level::Warn,
            "no display and no terminal: `copy` cannot work here",
            Some("use `lcsauth token` and pipe the token instead".into()),
        ));
    }
    out
}

/// Reaches every distinct sign-in host of the profiles and compares its clock with ours.
pub async fn authorities(config: &Config, timeout: Duration) -> Vec<Finding> {
    let hosts: BTreeSet<(String, String)> = config
        .profiles
        .iter()
        .map(super::profile::Profile::endpoint)
        .map(|e| (e.authority, e.tenant))
        .collect();
    let Ok(http) = reqwest::Client::builder()
        .user_agent(crate::entra::user_agent())
        .timeout(timeout)
        .build()
    else {
        return vec![Finding::new(
            "network",
            Level::Fail,
            "cannot start the HTTP client",
            None,
        )];
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (authority, tenant) in hosts {
        if !seen.insert(authority.clone()) {
            continue;
        }
        let url = format!("{authority}/{tenant}/v2.0/.well-known/openid-configuration");
        let check = format!("authority {authority}");
        let sent = Timestamp::now();
        match http.get(&url).send().await {
            Err(e) => out.push(Finding::new(
                &check,
                Level::Fail,
                format!("not reachable: {}", crate::entra::error::innermost_cause(&e)),
                Some("check the network, proxy and firewall, or the profile's --authority".into()),
            )),
            Ok(r) => {
                let elapsed = Timestamp::now().duration_since(sent);
                out.push(Finding::new(
                    &check,
                    Level::Ok,
                    format!("reachable (HTTP {}, {} ms)", r.status().as_u16(), elapsed.as_millis()),
                    None,
                ));
                if let Some(date) = r.headers().get(reqwest::header::DATE).and_then(|d| d.to_str().ok()) {
                    out.push(clock(&check, date, sent));
                }
            }
        }
    }
    out
}

/// Compares the server's `Date` header with the local clock.
pub fn clock(check: &str, date_header: &str, local: Timestamp) -> Finding {
    let Ok(server) = jiff::fmt::rfc2822::parse(date_header).map(|z| z.timestamp()) else {
        return Finding::new(
            format!("clock ({check})"),
            Level::Warn,
            format!("unreadable Date header {date_header:?}"),
            None,
        );
    };
    let skew = local.duration_since(server);
    let abs = skew.unsigned_abs();
    let (level, fix) = if abs > SKEW_FAIL {
        (
            Level::Fail,
            Some(
                "set the clock (enable NTP: `timedatectl set-ntp true`); countdowns and expiry checks are off"
                    .to_string(),
            ),
        )
    } else if abs > SKEW_WARN {
        (Level::Warn, Some("enable NTP so expiry checks stay exact".to_string()))
    } else {
        (Level::Ok, None)
    };
    let direction = if skew.is_negative() { "behind" } else { "ahead of" };
    Finding::new(
        "clock",
        level,
        format!("local clock is {}s {direction} the sign-in host", abs.as_secs()),
        fix,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::store::Config;

    fn config(extra: &str) -> Config {
        let text = format!(
            "[[profile]]\nname = \"a\"\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"0a1b2c3d-4e5f-6789-abcd-ef0123456789\"\nusername = \"u@c.com\"\n{extra}"
        );
        Config::parse(&text, std::path::Path::new("p.toml")).unwrap()
    }

    #[test]
    fn a_plain_profile_is_fine() {
        let f = profiles(&config("region = \"eu\"\n"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].level, Level::Ok);
    }

    #[test]
    fn single_slash_lcs_scope_is_flagged() {
        let f = profiles(&config("scope = \"https://lcsapi.lcs.dynamics.com/.default\"\n"));
        assert!(
            f.iter()
                .any(|x| x.level == Level::Warn && x.detail.contains("double slash")),
            "{f:?}"
        );
    }

    #[test]
    fn api_host_of_another_region_is_flagged() {
        let f = profiles(&config(
            "region = \"eu\"\napi_host = \"https://lcsapi.fr.lcs.dynamics.com\"\n",
        ));
        assert!(f.iter().any(|x| x.detail.contains("belongs to region fr")), "{f:?}");
    }

    #[test]
    fn region_before_lcsapi_is_a_failure() {
        let f = profiles(&config(
            "region = \"custom\"\napi_host = \"https://eu.lcsapi.lcs.dynamics.com\"\n",
        ));
        assert!(
            f.iter()
                .any(|x| x.level == Level::Fail && x.detail.contains("AADSTS500011")),
            "{f:?}"
        );
    }

    #[test]
    fn clock_skew_levels() {
        let server = "Thu, 26 Nov 2026 04:00:00 GMT";
        let at = |s: i64| Timestamp::from_second(1_795_665_600 + s).unwrap();
        assert_eq!(clock("x", server, at(10)).level, Level::Ok);
        assert_eq!(clock("x", server, at(-120)).level, Level::Warn);
        let f = clock("x", server, at(601));
        assert_eq!(f.level, Level::Fail);
        assert!(f.detail.contains("601s ahead"), "{f:?}");
    }

    #[test]
    fn keyring_round_trip_uses_the_store() {
        let store = crate::secret::memory::MemoryStore::new();
        assert_eq!(
            keyring(&store).level,
            Level::Warn,
            "memory is not persistent: a warning"
        );
        store.fail("locked");
        assert_eq!(keyring(&store).level, Level::Fail);
    }
}
