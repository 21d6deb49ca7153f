//! `status`: every profile's token state, from metadata only (the keyring is never opened).

use jiff::Timestamp;
use serde_json::{Value, json};

use lcsauth::broker::{StateStore, Status};
use lcsauth::profile::Profile;
use lcsauth::token::TokenState;

use super::human_duration;
use crate::front::Ctx;
use crate::front::failure::Failure;

/// The status object of one profile (the `status --json` contract: name, region, state,
/// expires_at, remaining_seconds, and more).
pub fn status_json(p: &Profile, st: &Status) -> Value {
    let e = st.state.last_error.as_ref();
    json!({
        "name": p.name.as_str(),
        "region": p.region.key(),
        "state": st.token_state.key(),
        "expires_at": st.expires_at.map(|t| t.to_string()),
        "remaining_seconds": st.remaining.filter(|_| matches!(st.token_state, TokenState::Valid | TokenState::Expiring)).map(|d| d.as_secs()),
        "username": p.username,
        "flow": p.flow.key(),
        "grant": st.state.token.as_ref().map(|t| t.grant.key()),
        "obtained_at": st.state.token.as_ref().map(|t| t.obtained_at.to_string()),
        "refresh_token": st.state.refresh_token.is_some(),
        "last_error": e.map(|e| json!({
            "at": e.at.to_string(), "message": e.message, "code": e.code, "error": e.error,
            "fix": e.fix, "trace_id": e.trace_id, "correlation_id": e.correlation_id,
        })),
    })
}

pub fn run(ctx: &Ctx, as_json: bool) -> Result<(), Failure> {
    let config = ctx.config()?;
    let states = StateStore::new(ctx.dir.clone());
    let now = Timestamp::now();
    let min_valid = config.settings.min_valid;
    let rows: Vec<(&Profile, Status)> = config
        .profiles
        .iter()
        .map(|p| (p, Status::of(states.load(p.name.as_str()), now, min_valid)))
        .collect();
    if as_json {
        let arr: Vec<Value> = rows.iter().map(|(p, st)| status_json(p, st)).collect();
        jsonln!(Value::Array(arr));
        return Ok(());
    }
    if rows.is_empty() {
        eprintln!("No profiles yet. Add one with `lcsauth profile add NAME --tenant T --client-id C --username U`.");
        return Ok(());
    }
    let default = config.default_profile.as_ref();
    outln!(
        "{:<2}{:<24} {:<9} {:<28} {:<9} {:<10} {}",
        "",
        "NAME",
        "REGION",
        "USER",
        "STATE",
        "LEFT",
        "EXPIRES (UTC)"
    );
    for (p, st) in rows {
        let mark = if Some(&p.name) == default { "*" } else { "" };
        let left = match st.token_state {
            TokenState::Valid | TokenState::Expiring => st.remaining.map_or("-".into(), human_duration),
            _ => "-".into(),
        };
        let expires = st
            .expires_at
            .map_or("-".into(), |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string());
        // The account the token acts as when known, else the profile's username.
        let user = st
            .state
            .token
            .as_ref()
            .and_then(|t| t.claims.user.as_deref())
            .or(p.username.as_deref())
            .unwrap_or("-");
        outln!(
            "{mark:<2}{:<24} {:<9} {:<28} {:<9} {:<10} {expires}",
            p.name.as_str(),
            p.region.key(),
            user,
            st.token_state.key(),
            left
        );
        if let (Some(e), TokenState::Error) = (&st.state.last_error, st.token_state) {
            outln!("    {}", lcsauth::sanitize::line(&e.message));
        }
        if let Some(m) = st.user_mismatch(p) {
            outln!("    note: {m}");
        }
    }
    Ok(())
}
