//! `token` and `copy`: hand out a token that stays valid for at least `--min-valid`.

use std::io::{IsTerminal, Write};

use jiff::Timestamp;
use serde_json::json;

use lcsauth::audience::Audience;
use lcsauth::broker::{Ask, BrokerError, Issued, Source};
use lcsauth::clipboard;
use lcsauth::profile::Profile;
use lcsauth::secret::Secret;
use lcsauth::time::duration;

use super::args::{CopyArgs, CopyFormat, Format, TokenArgs};
use super::login;
use super::sign_in::{for_profile, password_from_stdin};
use crate::front::clipboard_handoff::hand_to_server;
use crate::front::failure::{Exit, Failure};
use crate::front::{Ctx, runtime};

/// Gets a fresh LCS token: the cached one when it is fresh (no runtime, no network), else the broker.
pub fn fresh(
    ctx: &Ctx,
    name: Option<&str>,
    min_valid: Option<std::time::Duration>,
    force: bool,
    password_stdin: bool,
) -> Result<(Profile, Issued), Failure> {
    fresh_for(ctx, name, Some(&Audience::Lcs), min_valid, force, password_stdin).map(|(p, _, t)| (p, t))
}

/// [`fresh`] for one of the identity's audiences (`None`: the profile's default audience);
/// returns the audience it served.
pub fn fresh_for(
    ctx: &Ctx,
    name: Option<&str>,
    audience: Option<&Audience>,
    min_valid: Option<std::time::Duration>,
    force: bool,
    password_stdin: bool,
) -> Result<(Profile, Audience, Issued), Failure> {
    let config = ctx.config()?;
    let profile = ctx.select(&config, name)?.clone();
    let audience = audience.cloned().unwrap_or_else(|| profile.default_audience());
    let audience = &audience;
    let min_valid = min_valid.unwrap_or(config.settings.min_valid);
    let broker = ctx.broker(&config.settings)?;
    if !force && let Some(t) = broker.cached_for(&profile, audience, min_valid, Timestamp::now())? {
        for w in &t.warnings {
            eprintln!("warning: {w}");
        }
        return Ok((profile, audience.clone(), t));
    }
    let password = if password_stdin {
        Some(password_from_stdin()?)
    } else {
        None
    };
    let ask = Ask {
        min_valid,
        force,
        password,
        audience: audience.clone(),
    };
    let issued = runtime()?
        .block_on(broker.fresh(&profile, ask))
        .map_err(|e| for_audience(e, audience, profile.name.as_str()))?;
    if let Source::Fetched(_) = issued.source {
        login::announce(&profile, &issued);
    } else {
        for w in &issued.warnings {
            errln!("warning: {w}");
        }
    }
    Ok((profile, audience.clone(), issued))
}

/// The failure of an audience's token, with the permission to add when consent is missing.
fn for_audience(e: BrokerError, audience: &Audience, name: &str) -> Failure {
    let refusal = match &e {
        BrokerError::Entra(lcsauth::entra::EntraError::Refused(r)) => Some((r.code(), r.is_claims_challenge())),
        _ => None,
    };
    let mut f = for_profile(e, name);
    if refusal.is_some_and(|(code, _)| code == Some(65001)) && !audience.is_lcs() {
        f.message = format!("{}\n  for this audience: {}", f.message, audience.consent_fix());
    }
    if refusal.is_some_and(|(_, claims)| claims) {
        let with = if audience.is_lcs() {
            String::new()
        } else {
            format!(" --audience {audience}")
        };
        f.message = format!(
            "{}\n  step-up: the tenant demands a stronger sign-in for this token; run `lcsauth login {name}{with}` \
             (device-code or browser flow): it passes the claims Entra asked for",
            f.message
        );
    }
    f
}

/// The JSON `az account get-access-token` prints, so scripts written for az switch by one word.
pub fn az_json(profile: &Profile, issued: &Issued) -> serde_json::Value {
    let t = issued.access_token.expose();
    let tenant = lcsauth::token::Claims::decode(t)
        .ok()
        .and_then(|c| c.tid)
        .unwrap_or_else(|| profile.tenant.to_string());
    let local = issued.expires_at.to_zoned_datetime(jiff::tz::TimeZone::system());
    let expires_on = format!(
        "{}.{:06}",
        local.strftime("%Y-%m-%d %H:%M:%S"),
        issued.expires_at.subsec_microsecond()
    );
    json!({
        "accessToken": t,
        "expiresOn": expires_on,
        "expires_on": issued.expires_at.as_second(),
        "tenant": tenant,
        "tokenType": "Bearer",
    })
}

pub fn token(ctx: &Ctx, a: &TokenArgs) -> Result<(), Failure> {
    let (profile, audience, issued) = fresh_for(
        ctx,
        a.name.as_deref(),
        a.audience.as_ref(),
        a.min_valid,
        a.force,
        a.password_stdin,
    )?;
    let t = issued.access_token.expose();
    let out = match a.format {
        Format::Raw => format!("{t}\n"),
        Format::Header => format!("Authorization: Bearer {t}\n"),
        Format::Bearer => format!("Bearer {t}\n"),
        Format::Json => {
            let left = lcsauth::token::remaining(issued.expires_at, Timestamp::now()).as_secs();
            format!(
                "{}\n",
                json!({
                    "profile": profile.name.as_str(), "token_type": "Bearer", "access_token": t,
                    "expires_at": issued.expires_at.to_string(), "expires_in": left,
                    "api_host": profile.endpoint_for(&audience).api_host, "audience": audience.name(),
                })
            )
        }
        Format::Az => format!("{}\n", az_json(&profile, &issued)),
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush())?;
    Ok(())
}

pub fn copy(ctx: &Ctx, a: &CopyArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let clear_after = a.clear_after.unwrap_or(config.settings.clear_after);
    let (profile, _, issued) = fresh_for(ctx, a.name.as_deref(), a.audience.as_ref(), a.min_valid, false, false)?;
    let text = match a.format {
        CopyFormat::Raw => issued.access_token.clone(),
        CopyFormat::Header => Secret::new(format!("Authorization: Bearer {}", issued.access_token.expose())),
        CopyFormat::Bearer => Secret::new(format!("Bearer {}", issued.access_token.expose())),
    };
    let left = duration::text(lcsauth::token::remaining(issued.expires_at, Timestamp::now()));
    match hand_to_server(&text, clear_after) {
        Ok(()) => {
            eprintln!(
                "Copied the token of '{}' (valid {left} more). The clipboard is cleared in {} if it still holds it.",
                profile.name,
                duration::text(clear_after)
            );
            Ok(())
        }
        Err(reason) if std::io::stderr().is_terminal() => {
            // No display (an SSH session): ask the user's terminal to set its clipboard.
            let mut tty = std::fs::OpenOptions::new().write(true).open("/dev/tty")?;
            tty.write_all(clipboard::osc52(&text).as_bytes())?;
            eprintln!(
                "No system clipboard here ({reason}); sent the token of '{}' to your terminal's clipboard with OSC 52 \
                 (valid {left} more; it is not cleared automatically).",
                profile.name
            );
            Ok(())
        }
        Err(reason) => Err(Failure::new(Exit::Failure, format!("cannot copy: {reason}"))),
    }
}
