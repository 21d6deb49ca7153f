//! The profiles' own sanity: the scope's form, the region against the API host, the tenant.

use super::finding::{Finding, Level};
use crate::profile::store::Config;
use crate::region::Region;

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
}
