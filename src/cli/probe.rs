//! `probe`: one read-only LCS call with a fresh token, and a plain verdict.

use std::fmt::Write as _;

use jiff::Timestamp;
use serde_json::json;

use lcsauth::lcs::{self, Verdict, explain::Asked};
use lcsauth::profile::ProjectId;

use super::token_cmd;
use crate::front::failure::{Exit, Failure};
use crate::front::{Ctx, runtime};

pub fn run(ctx: &Ctx, name: Option<&str>, project_id: Option<ProjectId>, as_json: bool) -> Result<(), Failure> {
    let config = ctx.config()?;
    let profile = ctx.select(&config, name)?.clone();
    let project = project_id.or_else(|| profile.project_id.clone()).ok_or_else(|| {
        Failure::usage(format!(
            "no project id: pass --project-id, or set one with `lcsauth profile edit {} --project-id ID` \
             (the number in the LCS portal URL /V2/ProjectOverview/<id>)",
            profile.name
        ))
    })?;
    let api_host = profile.endpoint().api_host;
    lcs::claim_probe_slot(&ctx.dir, &project, Timestamp::now()).map_err(|e| Failure::usage(e.to_string()))?;
    let (_, issued) = token_cmd::fresh(
        ctx,
        Some(profile.name.as_str()),
        Some(lcs::PROBE_MIN_VALID),
        false,
        false,
    )?;
    let verdict = runtime()?
        .block_on(lcs::probe(
            &api_host,
            project.as_str(),
            &issued.access_token,
            config.settings.http_timeout,
        ))
        .map_err(|e| Failure::new(Exit::Unavailable, e.to_string()))?;
    let key = verdict.key();
    let (exit, text) = describe(&verdict, &profile.name.to_string(), project.as_str(), &api_host);
    if as_json {
        let envs: Vec<_> = match &verdict {
            Verdict::Works { environments, .. } => environments
                .iter()
                .map(|e| json!({"name": e.environment_name, "type": e.environment_type, "status": e.deployment_status_display}))
                .collect(),
            _ => Vec::new(),
        };
        jsonln!(
            json!({"profile": profile.name.as_str(), "project_id": project.as_str(), "api_host": api_host,
                   "verdict": key, "message": text, "environments": envs})
        );
    } else if exit.is_none() {
        outln!("{text}");
    }
    match exit {
        None => Ok(()),
        Some(exit) if as_json => Err(Failure::new(exit, String::new())),
        Some(exit) => Err(Failure::new(exit, text)),
    }
}

/// A verdict as an exit code (None = it works) and a sentence: the library's, with the command
/// that gets a fresh token where that is the way forward.
fn describe(v: &Verdict, profile: &str, project: &str, api: &str) -> (Option<Exit>, String) {
    let asked = Asked {
        project,
        profile: Some(profile),
        api_host: Some(api),
    };
    let mut text = v.explain(asked, str::to_string);
    let exit = match v {
        Verdict::Works { environments, .. } => {
            for e in environments {
                let _ = write!(
                    text,
                    "\n  {:<28} {:<12} {}",
                    e.environment_name.as_deref().unwrap_or("?"),
                    e.environment_type.as_deref().unwrap_or("-"),
                    e.deployment_status_display.as_deref().unwrap_or("-")
                );
            }
            None
        }
        Verdict::TokenRejected => {
            let _ = write!(
                text,
                ": check the profile's region (`lcsauth regions`) and run `lcsauth token {profile} --force`"
            );
            Some(Exit::Refused)
        }
        Verdict::NotMember { .. } | Verdict::Refused { .. } => Some(Exit::Refused),
        Verdict::Throttled { .. } | Verdict::Unexpected { .. } => Some(Exit::Unavailable),
    };
    (exit, text)
}
