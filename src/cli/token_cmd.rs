//! `token` and `copy`: hand out a token that stays valid for at least `--min-valid`.

use std::io::{IsTerminal, Write};

use jiff::Timestamp;
use serde_json::json;

use lcsauth::broker::{Ask, Issued, Source};
use lcsauth::clipboard;
use lcsauth::profile::Profile;
use lcsauth::secret::Secret;

use super::args::{CopyArgs, CopyFormat, Format, TokenArgs};
use super::{for_profile, human_duration, login, password_from_stdin};
use crate::front::clipboard_handoff::hand_to_server;
use crate::front::failure::{Exit, Failure};
use crate::front::{Ctx, runtime};

/// Gets a fresh token: the cached one when it is fresh (no runtime, no network), else the broker.
pub fn fresh(
    ctx: &Ctx,
    name: Option<&str>,
    min_valid: Option<std::time::Duration>,
    force: bool,
    password_stdin: bool,
) -> Result<(Profile, Issued), Failure> {
    let config = ctx.config()?;
    let profile = ctx.select(&config, name)?.clone();
    let min_valid = min_valid.unwrap_or(config.settings.min_valid);
    let broker = ctx.broker(&config.settings)?;
    if !force && let Some(t) = broker.cached(&profile, min_valid, Timestamp::now())? {
        for w in &t.warnings {
            eprintln!("warning: {w}");
        }
        return Ok((profile, t));
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
    };
    let issued = runtime()?
        .block_on(broker.fresh(&profile, ask))
        .map_err(|e| for_profile(e.into(), profile.name.as_str()))?;
    if let Source::Fetched(_) = issued.source {
        login::announce(&profile, &issued);
    } else {
        for w in &issued.warnings {
            errln!("warning: {w}");
        }
    }
    Ok((profile, issued))
}

pub fn token(ctx: &Ctx, a: &TokenArgs) -> Result<(), Failure> {
    let (profile, issued) = fresh(ctx, a.name.as_deref(), a.min_valid, a.force, a.password_stdin)?;
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
                    "api_host": profile.endpoint().api_host,
                })
            )
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush())?;
    Ok(())
}

pub fn copy(ctx: &Ctx, a: &CopyArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let clear_after = a.clear_after.unwrap_or(config.settings.clear_after);
    let (profile, issued) = fresh(ctx, a.name.as_deref(), a.min_valid, false, false)?;
    let text = match a.format {
        CopyFormat::Raw => issued.access_token.clone(),
        CopyFormat::Header => Secret::new(format!("Authorization: Bearer {}", issued.access_token.expose())),
        CopyFormat::Bearer => Secret::new(format!("Bearer {}", issued.access_token.expose())),
    };
    let left = human_duration(lcsauth::token::remaining(issued.expires_at, Timestamp::now()));
    match hand_to_server(&text, clear_after) {
        Ok(()) => {
            eprintln!(
                "Copied the token of '{}' (valid {left} more). The clipboard is cleared in {} if it still holds it.",
                profile.name,
                human_duration(clear_after)
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
