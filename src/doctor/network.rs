//! The sign-in hosts: each reached once, and its clock compared with ours.

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::Timestamp;

use super::finding::{Finding, Level};
use crate::profile::store::Config;

/// Skew beyond which token lifetimes shown and checked locally are wrong enough to matter.
const SKEW_WARN: Duration = Duration::from_secs(60);
const SKEW_FAIL: Duration = Duration::from_secs(300);

/// Reaches every distinct sign-in host of the profiles and compares its clock with ours.
pub async fn authorities(config: &Config, timeout: Duration) -> Vec<Finding> {
    let hosts: BTreeSet<(String, String)> = config
        .profiles
        .iter()
        .map(crate::profile::Profile::endpoint)
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
}
