//! The audiences read back what they write, resolve to the published hosts and name safe slots.

use super::*;
use crate::region::Region;

#[test]
fn every_form_parses_back_from_its_display() {
    for text in [
        "lcs",
        "powerplatform",
        "powerapps",
        "dataverse:https://contoso.crm4.dynamics.com",
        "fno:https://contoso.operations.dynamics.com",
        "custom:https://graph.microsoft.com/.default",
    ] {
        let a: Audience = text.parse().unwrap();
        assert_eq!(a.to_string(), text);
    }
    let bare: Audience = "dataverse:contoso.crm.dynamics.com".parse().unwrap();
    assert_eq!(bare.to_string(), "dataverse:https://contoso.crm.dynamics.com");
}

#[test]
fn lists_read_back_what_they_write() {
    let list = parse_list(" powerplatform, ,dataverse:contoso.crm.dynamics.com ").unwrap();
    assert_eq!(
        format_list(&list),
        "powerplatform, dataverse:https://contoso.crm.dynamics.com"
    );
    assert_eq!(parse_list(&format_list(&list)).unwrap(), list);
    assert!(
        parse_list("powerplatform, graph")
            .unwrap_err()
            .to_string()
            .contains("\"graph\"")
    );
}

#[test]
fn bad_audiences_say_what_is_expected() {
    assert!(
        "graph"
            .parse::<Audience>()
            .unwrap_err()
            .to_string()
            .contains("powerplatform")
    );
    assert!(
        "dataverse:"
            .parse::<Audience>()
            .unwrap_err()
            .to_string()
            .contains("organisation URL")
    );
    assert!(
        "dataverse:http://contoso.crm.dynamics.com"
            .parse::<Audience>()
            .unwrap_err()
            .to_string()
            .contains("https://")
    );
    assert!(
        "fno:https://x.operations.dynamics.com/data"
            .parse::<Audience>()
            .unwrap_err()
            .to_string()
            .contains("without a path")
    );
    assert!("custom:a b".parse::<Audience>().is_err());
    assert!("custom:https://x/\u{1b}[2J.default".parse::<Audience>().is_err());
    assert!("lcs:eu".parse::<Audience>().is_err());
}

#[test]
fn presets_resolve_per_cloud_to_the_published_hosts() {
    let pp = |c| Audience::PowerPlatform.resource(c).unwrap();
    assert_eq!(pp(Cloud::Public).1, "https://api.powerplatform.com/.default");
    assert_eq!(pp(Cloud::Gcc).1, "https://api.gov.powerplatform.microsoft.us/.default");
    assert_eq!(pp(Cloud::GccHigh).0, "https://api.high.powerplatform.microsoft.us");
    assert_eq!(pp(Cloud::Dod).0, "https://api.appsplatform.us");
    assert_eq!(
        pp(Cloud::China).0,
        "https://api.powerplatform.partner.microsoftonline.cn"
    );
    assert_eq!(
        Audience::PowerApps.resource(Cloud::Public).unwrap().1,
        "https://service.powerapps.com/.default"
    );
    assert_eq!(
        Audience::PowerApps.api_host(Cloud::Public).unwrap(),
        "https://api.bap.microsoft.com"
    );
    let dv: Audience = "dataverse:https://contoso.crm.dynamics.com".parse().unwrap();
    assert_eq!(
        dv.resource(Cloud::Public).unwrap(),
        (
            "https://contoso.crm.dynamics.com".to_string(),
            "https://contoso.crm.dynamics.com/.default".to_string()
        )
    );
    assert_eq!(Cloud::for_region(Region::GccHigh), Cloud::GccHigh);
    assert_eq!(Cloud::for_region(Region::Eu), Cloud::Public);
}

#[test]
fn slots_and_env_vars_use_only_safe_characters() {
    assert_eq!(Audience::Lcs.secret_owner("prod"), "prod");
    assert_eq!(Audience::PowerPlatform.secret_owner("prod"), "prod#powerplatform");
    let dv: Audience = "dataverse:contoso.crm.dynamics.com".parse().unwrap();
    assert_eq!(dv.slot().unwrap(), "dataverse-contoso.crm.dynamics.com");
    assert_eq!(dv.env_var(), "LCSAUTH_TOKEN_DATAVERSE_CONTOSO_CRM_DYNAMICS_COM");
    let custom: Audience = "custom:https://graph.microsoft.com/.default".parse().unwrap();
    let slot = custom.slot().unwrap();
    assert!(slot.starts_with("custom-") && slot.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    assert!(custom.env_var().starts_with("LCSAUTH_TOKEN_CUSTOM_"));
}

#[test]
fn the_consent_fix_names_the_power_platform_api_app_id() {
    let fix = Audience::PowerPlatform.consent_fix();
    assert!(fix.contains("Power Platform API"), "{fix}");
    assert!(fix.contains("8578e004-a5c6-46e7-913e-12f58912df43"), "{fix}");
}
