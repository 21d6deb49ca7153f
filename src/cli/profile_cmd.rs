//! `profile add|list|show|edit|remove` and `use`.

use std::fmt::Write as _;

use jiff::Timestamp;
use serde_json::json;

use lcsauth::broker::change::{DeleteError, delete_profile};
use lcsauth::profile::{Flow, Profile, ProfileName};
use lcsauth::region::Region;
use lcsauth::time::duration;
use lcsauth::time::utc_datetime;

use super::args::{Clearable, ProfileFields};
use super::sign_in::password_from_stdin;
use super::{login, status};
use crate::front::Ctx;
use crate::front::failure::Failure;

pub fn add(ctx: &Ctx, name: ProfileName, f: ProfileFields, password_stdin: bool) -> Result<(), Failure> {
    let (Some(tenant), Some(client_id)) = (f.tenant.clone(), f.client_id.clone()) else {
        return Err(Failure::usage("profile add needs --tenant and --client-id"));
    };
    let password = if password_stdin {
        Some(password_from_stdin()?)
    } else {
        None
    };
    let mut profile = Profile {
        name,
        tenant,
        client_id,
        region: Region::Global,
        username: None,
        flow: Flow::Password,
        authority: None,
        scope: None,
        api_host: None,
        project_id: None,
        environment_id: None,
        remember_password: false,
        cloud: None,
        audiences: Vec::new(),
    };
    apply(&mut profile, f);
    if profile.flow == Flow::Password && profile.username.is_none() && password.is_none() {
        // The password flow needs a username; a profile without one is most likely meant for
        // an interactive flow.
        return Err(Failure::usage(format!(
            "profile '{}': the password flow needs --username (or choose --flow device-code)",
            profile.name
        )));
    }
    let added = profile.clone();
    ctx.profiles.update(|config| config.add_new(profile))?;
    eprintln!(
        "Added profile '{}' ({}, {}).",
        added.name,
        added.region,
        added.endpoint().api_host
    );
    if let Some(password) = password {
        login::sign_in(ctx, &added, Some(password))?;
    }
    Ok(())
}

/// Applies the flags that were given.
fn apply(p: &mut Profile, f: ProfileFields) {
    if let Some(v) = f.tenant {
        p.tenant = v;
    }
    if let Some(v) = f.client_id {
        p.client_id = v;
    }
    if let Some(v) = f.region {
        p.region = v;
    }
    if let Some(v) = f.username {
        p.username = Some(v.trim().to_string()).filter(|u| !u.is_empty());
    }
    if let Some(v) = f.flow {
        p.switch_flow(v);
    }
    if let Some(Clearable(v)) = f.authority {
        p.authority = v;
    }
    if let Some(Clearable(v)) = f.scope {
        p.scope = v;
    }
    if let Some(Clearable(v)) = f.api_host {
        p.api_host = v;
    }
    if let Some(Clearable(v)) = f.project_id {
        p.project_id = v;
    }
    if let Some(Clearable(v)) = f.environment_id {
        p.environment_id = v;
    }
    if let Some(v) = f.remember_password {
        p.remember_password = v;
    }
    if let Some(Clearable(v)) = f.cloud {
        p.cloud = v;
    }
    if let Some(Clearable(v)) = f.audiences {
        p.audiences = v.unwrap_or_default();
    }
}

pub fn list(ctx: &Ctx, as_json: bool) -> Result<(), Failure> {
    let config = ctx.config()?;
    let default = config.default_profile.as_ref().map(ProfileName::as_str);
    if as_json {
        let rows: Vec<_> = config
            .profiles
            .iter()
            .map(|p| {
                json!({
                    "name": p.name.as_str(), "default": Some(p.name.as_str()) == default,
                    "tenant": p.tenant.as_str(), "client_id": p.client_id.as_str(), "region": p.region.key(),
                    "username": p.username, "flow": p.flow.key(), "api_host": p.endpoint().api_host,
                })
            })
            .collect();
        jsonln!(serde_json::Value::Array(rows));
        return Ok(());
    }
    if config.profiles.is_empty() {
        eprintln!("No profiles yet. Add one with `lcsauth profile add NAME --tenant T --client-id C --username U`.");
        return Ok(());
    }
    outln!(
        "{:<2}{:<24} {:<9} {:<12} {:<34} {}",
        "",
        "NAME",
        "REGION",
        "FLOW",
        "USER",
        "TENANT"
    );
    for p in &config.profiles {
        let mark = if Some(p.name.as_str()) == default { "*" } else { "" };
        outln!(
            "{mark:<2}{:<24} {:<9} {:<12} {:<34} {}",
            p.name.as_str(),
            p.region.key(),
            p.flow.key(),
            p.username.as_deref().unwrap_or("-"),
            p.tenant.as_str()
        );
    }
    Ok(())
}

pub fn show(ctx: &Ctx, name: &str, as_json: bool) -> Result<(), Failure> {
    let config = ctx.config()?;
    let p = config.get(name)?;
    let ep = p.endpoint();
    let broker = ctx.broker(&config.settings)?;
    let st = broker.status(p, Timestamp::now(), config.settings.min_valid);
    if as_json {
        let mut v =
            serde_json::to_value(p).map_err(|e| Failure::new(crate::front::failure::Exit::Failure, e.to_string()))?;
        v["resolved"] = json!({ "authority": ep.authority, "scope": ep.scope, "api_host": ep.api_host,
                                 "token_url": lcsauth::entra::EntraClient::token_url(&ep) });
        v["token"] = status::status_json(p, &st);
        jsonln!(v);
        return Ok(());
    }
    let default = config.default_profile.as_ref().is_some_and(|d| d == &p.name);
    outln!("name:        {}{}", p.name, if default { "  (default)" } else { "" });
    outln!("tenant:      {}", p.tenant);
    outln!("client_id:   {}", p.client_id);
    outln!("region:      {}", p.region);
    outln!("username:    {}", p.username.as_deref().unwrap_or("-"));
    outln!("flow:        {}", p.flow);
    outln!("authority:   {}", ep.authority);
    outln!("scope:       {}", ep.scope);
    outln!("api_host:    {}", ep.api_host);
    if let Some(id) = &p.project_id {
        outln!("project_id:  {id}");
    }
    if let Some(id) = &p.environment_id {
        outln!("environment_id: {id}");
    }
    outln!("remember_password: {}", p.remember_password);
    outln!("cloud:       {}", p.cloud());
    for (a, ast) in broker.audience_statuses(p, Timestamp::now(), config.settings.min_valid) {
        let left = ast.remaining.map(duration::text).unwrap_or_default();
        outln!(
            "audience:    {:<32} {:<9} {left} ({})",
            a.name(),
            ast.token_state.key(),
            p.endpoint_for(&a).scope
        );
    }
    outln!("token:       {}", st.token_state.key());
    if let (Some(end), Some(left)) = (st.expires_at, st.remaining) {
        outln!("expires_at:  {} ({} left)", utc_datetime(end), duration::text(left));
    }
    if let Some(t) = &st.state.token {
        outln!("obtained:    {} by {}", utc_datetime(t.obtained_at), t.grant.key());
        if let Some(user) = &t.claims.user {
            outln!("signed in:   {user}");
        }
        if let Some(w) = &t.warning {
            outln!("warning:     {w}");
        }
    }
    if let Some(m) = st.user_mismatch(p) {
        outln!("note:        {m}");
    }
    if let Some(e) = &st.state.last_error {
        outln!("last error:  {} ({})", e.message, utc_datetime(e.at));
        if let Some(fix) = &e.fix {
            outln!("  fix:       {fix}");
        }
        if let Some(id) = &e.trace_id {
            outln!("  trace id:  {id}");
        }
    }
    Ok(())
}

pub fn edit(ctx: &Ctx, name: &str, rename: Option<ProfileName>, f: ProfileFields) -> Result<(), Failure> {
    let (old, new) = ctx.profiles.update(|config| {
        let old = config.get(name)?.clone();
        let mut new = old.clone();
        apply(&mut new, f);
        if let Some(r) = rename {
            new.name = r;
        }
        config.replace(name, new.clone())?;
        Ok((old, new))
    })?;
    let config = ctx.config()?;
    let broker = ctx.broker(&config.settings)?;
    let effect = broker.apply_change(&old, &new)?;
    let mut text = if old.name == new.name {
        format!("Updated '{name}'.")
    } else {
        format!("Renamed '{}' to '{}'.", old.name, new.name)
    };
    let more = effect.describe(new.name.as_str());
    if !more.is_empty() {
        text.push(' ');
        text.push_str(&more);
    }
    if effect.tokens_removed {
        let _ = write!(text, " Run `lcsauth login {}`.", new.name);
    }
    eprintln!("{text}");
    Ok(())
}

pub fn remove(ctx: &Ctx, name: &str) -> Result<(), Failure> {
    let config = ctx.config()?;
    config.get(name)?;
    let broker = ctx.broker(&config.settings)?;
    delete_profile(&broker, &ctx.profiles, name).map_err(|e| match e {
        DeleteError::Secrets(e) => {
            let mut f = Failure::from(e);
            f.message = format!(
                "{}\n  the profile '{name}' was kept; run the command again once the keyring works",
                f.message
            );
            f
        }
        DeleteError::Config(e) => Failure::from(e),
    })?;
    eprintln!("Removed profile '{name}' and its secrets.");
    Ok(())
}

pub fn use_default(ctx: &Ctx, name: &ProfileName) -> Result<(), Failure> {
    ctx.profiles.set_default(name)?;
    eprintln!("'{name}' is now the default profile.");
    Ok(())
}
