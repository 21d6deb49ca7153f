#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The table's shape, its setup steps against the README, and code selection.

mod fallback;
mod fixtures;

use std::collections::BTreeSet;

use super::*;
use crate::profile::fields::Flow;

const README: &str = include_str!("../../../README.md");

fn table_codes() -> Vec<u32> {
    entries().flat_map(|e| e.codes.iter().copied()).collect()
}

#[test]
fn each_code_has_exactly_one_entry_and_every_entry_a_source() {
    let codes = table_codes();
    let unique: BTreeSet<u32> = codes.iter().copied().collect();
    assert_eq!(unique.len(), codes.len(), "a code appears in two entries");
    for e in entries() {
        assert!(
            e.source.starts_with("REF") || e.source.starts_with("https://"),
            "{:?}: source {:?}",
            e.codes,
            e.source
        );
        assert!(!e.dx.summary.is_empty() && !e.dx.cause.is_empty() && !e.dx.fix.is_empty());
        assert!(!e.error.is_empty());
    }
}

#[test]
fn refusals_that_need_an_interactive_flow_point_at_no_setup_step() {
    // An MFA or Conditional Access refusal is not fixed by any step of the app registration.
    for e in entries().filter(|e| e.dx.needs_interactive) {
        assert_eq!(e.dx.article_step, None, "{:?} {}", e.codes, e.dx.summary);
    }
    for code in [50076, 50079, 50074, 50078, 50158, 53003, 530035, 53000, 50155] {
        assert_eq!(entry(code).unwrap().dx.article_step, None, "{code}");
    }
    assert_eq!(entry(7000218).unwrap().dx.article_step, Some(3));
    assert_eq!(entry(65001).unwrap().dx.article_step, Some(2));
    assert_eq!(entry(700016).unwrap().dx.article_step, Some(1));
    assert_eq!(entry(70011).unwrap().dx.article_step, Some(4));
}

#[test]
fn device_compliance_does_not_offer_an_interactive_flow_as_the_cure() {
    let dx = entry(53000).unwrap().dx;
    assert!(!dx.needs_interactive);
    assert!(dx.cause.contains("interactive flow alone does not help"));
    assert!(dx.fix.contains("compliant"));
}

#[test]
fn every_article_step_is_one_of_the_readme_steps() {
    let section = README
        .split("## Set up Entra once")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has the setup section");
    // The README's numbered step N and ARTICLE_STEPS[N-1] speak of the same thing.
    let keys = [
        "registration",
        "API permissions",
        "public client",
        "Request an access token",
    ];
    for (i, key) in keys.iter().enumerate() {
        let n = i + 1;
        let item = section
            .lines()
            .find(|l| l.starts_with(&format!("{n}. ")))
            .unwrap_or_else(|| panic!("README step {n} missing"));
        let item_text: String = section
            .split(item)
            .nth(1)
            .map(|rest| format!("{item}{}", rest.split(&format!("\n{}. ", n + 1)).next().unwrap_or("")))
            .unwrap();
        assert!(
            item_text.contains(key),
            "README step {n} should be about {key:?}: {item_text}"
        );
        assert!(ARTICLE_STEPS[i].starts_with(&format!("Step {n}.")));
        assert!(ARTICLE_STEPS[i].contains(key), "{}", ARTICLE_STEPS[i]);
    }
    for e in entries() {
        if let Some(step) = e.dx.article_step {
            assert!((1..=4).contains(&step), "{:?}", e.codes);
            assert!(e.dx.article_step_text().is_some());
        }
    }
}

#[test]
fn readme_states_how_many_codes_are_explained() {
    let n = table_codes().len();
    let section = README
        .split("### What an error looks like")
        .nth(1)
        .expect("README has the error section");
    assert!(
        section.contains(&format!("{n} AADSTS codes")),
        "README's error section should say \"{n} AADSTS codes\""
    );
}

#[test]
fn wrappers_are_chosen_last() {
    assert_eq!(pick_code(&[70002, 50126]), Some(50126));
    assert_eq!(pick_code(&[50000, 53003]), Some(53003));
    assert_eq!(pick_code(&[70002]), Some(70002));
    // An unknown code does not hide a known one; alone, it is still named.
    assert_eq!(pick_code(&[1, 50076]), Some(50076));
    assert_eq!(pick_code(&[1, 2]), Some(1));
    assert_eq!(pick_code(&[]), None);
}

#[test]
fn public_client_error_points_to_step_three() {
    let dx = diagnose(Some(7000218), "invalid_client");
    assert_eq!(dx.article_step, Some(3));
    assert!(dx.fix.contains("Allow public client flows"));
    assert!(dx.article_step_text().unwrap().starts_with("Step 3."));
}

#[test]
fn mfa_codes_ask_for_an_interactive_flow() {
    for code in [50076, 50079, 50072, 50074, 50078, 50158, 53003, 530035] {
        assert!(diagnose(Some(code), "invalid_grant").needs_interactive, "{code}");
    }
    assert!(!diagnose(Some(50126), "invalid_grant").needs_interactive);
}

#[test]
fn lockout_codes_are_never_retried() {
    for code in NO_AUTO_RETRY {
        assert_eq!(diagnose(Some(code), "invalid_grant").retry, Retry::Never);
    }
    assert_eq!(diagnose(Some(90006), "temporarily_unavailable").retry, Retry::Backoff);
}

#[test]
fn a_fix_rendered_for_a_profile_names_it_in_every_command_and_nowhere_leaves_the_placeholder() {
    let fallbacks = [
        "invalid_grant",
        "invalid_request",
        "access_denied",
        "authorization_declined",
        "expired_token",
    ];
    let all = entries()
        .map(|e| e.dx)
        .chain(fallbacks.iter().map(|error| diagnose(None, error)));
    for dx in all {
        for flow in [Flow::DeviceCode, Flow::Browser] {
            let fix = dx.fix_for("contoso-prod", flow);
            assert!(!fix.contains("NAME"), "{}: {fix}", dx.summary);
            assert_eq!(
                fix.matches("contoso-prod").count(),
                dx.fix.matches(" NAME").count(),
                "{}: {fix}",
                dx.summary
            );
        }
        // Only the fix speaks of a profile by name.
        assert!(
            !dx.summary.contains("NAME") && !dx.cause.contains("NAME"),
            "{}",
            dx.summary
        );
    }
}

#[test]
fn a_fix_offering_both_interactive_flows_puts_the_suggested_one_first() {
    let dx = diagnose(Some(50076), "invalid_grant");
    let device = dx.fix_for("p1", Flow::DeviceCode);
    assert!(
        device.contains("`lcsauth profile edit p1 --flow device-code` (or `--flow browser`), then `lcsauth login p1`"),
        "{device}"
    );
    let browser = dx.fix_for("p1", Flow::Browser);
    assert!(
        browser.contains("`lcsauth profile edit p1 --flow browser` (or `--flow device-code`), then `lcsauth login p1`"),
        "{browser}"
    );
    // A fix that offers one flow keeps it, whichever is suggested.
    let one = diagnose(Some(50072), "interaction_required");
    assert_eq!(one.fix_for("p1", Flow::Browser), one.fix_for("p1", Flow::DeviceCode));
}
