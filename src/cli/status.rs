//! `status`: every profile's token state, from metadata only (the keyring is never opened).

use jiff::Timestamp;
use serde_json::{Value, json};

use lcsauth::audience::Audience;
use lcsauth::broker::{StateStore, Status, audiences_of};
use lcsauth::profile::Profile;
use lcsauth::time::duration;
use lcsauth::token::TokenState;

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

/// One audience's object in `status --json`: the same fields as a profile's, for that audience.
pub fn audience_json(p: &Profile, audience: &Audience, st: &Status) -> Value {
    let mut v = status_json(p, st);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("audience".into(), json!(audience.name()));
        obj.insert("resource".into(), json!(p.resource_for(audience)));
        obj.insert("api_host".into(), json!(p.endpoint_for(audience).api_host));
    }
    v
}

/// `status`: every profile, for `audience` (default `lcs`); `--json` adds each profile's
/// audiences under `audiences`.
pub fn run(ctx: &Ctx, as_json: bool, audience: Option<&Audience>) -> Result<(), Failure> {
    let config = ctx.config()?;
    let states = StateStore::new(ctx.dir.clone());
    let now = Timestamp::now();
    let min_valid = config.settings.min_valid;
    let rows: Vec<(&Profile, Status)> = config
        .profiles
        .iter()
        .map(|p| {
            let shown = audience.cloned().unwrap_or_else(|| p.default_audience());
            (p, Status::of(states.load(p.name.as_str()).view(&shown), now, min_valid))
        })
        .collect();
    if as_json {
        let arr: Vec<Value> = rows
            .iter()
            .map(|(p, st)| {
                let state = states.load(p.name.as_str());
                let audiences: Vec<Value> = audiences_of(p, &state)
                    .iter()
                    .map(|a| audience_json(p, a, &Status::of(state.view(a), now, min_valid)))
                    .collect();
                let mut v = status_json(p, st);
                if let Some(obj) = v.as_object_mut() {
                    let shown = audience.cloned().unwrap_or_else(|| p.default_audience());
                    obj.insert("audience".into(), json!(shown.name()));
                    obj.insert("audiences".into(), Value::Array(audiences));
                }
                v
            })
            .collect();
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
        let (left, expires) = left_and_expiry(&st);
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
        if audience.is_some() {
            continue;
        }
        // The identity's other audiences, one indented line each, their state under STATE.
        let state = states.load(p.name.as_str());
        for a in audiences_of(p, &state).iter().filter(|a| !a.is_lcs()) {
            let ast = Status::of(state.view(a), now, min_valid);
            let (left, expires) = left_and_expiry(&ast);
            outln!("    {:<61} {:<9} {left:<10} {expires}", a.name(), ast.token_state.key());
        }
    }
    Ok(())
}

fn left_and_expiry(st: &Status) -> (String, String) {
    let left = match st.token_state {
        TokenState::Valid | TokenState::Expiring => st.remaining.map_or("-".into(), duration::text),
        _ => "-".into(),
    };
    let expires = st
        .expires_at
        .map_or("-".into(), |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string());
    (left, expires)
}
