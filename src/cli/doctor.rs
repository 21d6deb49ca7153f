//! `doctor`: config, keyring, clipboard, clock and sign-in hosts, each finding with its fix.

use std::io::IsTerminal;

use lcsauth::doctor::{self, Finding, Level};

use crate::front::failure::{Exit, Failure};
use crate::front::{Ctx, runtime};

pub fn run(ctx: &Ctx, as_json: bool) -> Result<(), Failure> {
    let mut findings = Vec::new();
    let path = ctx.dir.profiles_file();
    let config = match ctx.profiles.load() {
        Ok(c) => {
            let n = c.profiles.len();
            let plural = if n == 1 { "" } else { "s" };
            let detail = format!("{} parses ({n} profile{plural})", path.display());
            findings.push(Finding::new("config", Level::Ok, detail, None));
            for w in &c.warnings {
                findings.push(Finding::new("config", Level::Warn, w.clone(), None));
            }
            Some(c)
        }
        Err(e) => {
            let fix = Some("fix the file at the line and column given".into());
            findings.push(Finding::new("config", Level::Fail, e.to_string(), fix));
            None
        }
    };
    findings.push(doctor::trust(&ctx.dir));
    match ctx.secrets() {
        Ok(store) => findings.push(doctor::keyring(store.as_ref())),
        Err(f) => findings.push(Finding::new("keyring", Level::Fail, f.message, None)),
    }
    if let (Some(config), Ok(store)) = (&config, ctx.secrets()) {
        findings.extend(doctor::keyring_conflicts(store.as_ref(), config));
    }
    findings.extend(doctor::clipboard(std::io::stderr().is_terminal()));
    if let Some(config) = &config {
        findings.extend(doctor::profiles(config));
        if !config.profiles.is_empty() {
            let timeout = config.settings.http_timeout.min(std::time::Duration::from_secs(10));
            findings.extend(runtime()?.block_on(doctor::authorities(config, timeout)));
        }
    }
    let worst = findings.iter().map(|f| f.level).max().unwrap_or(Level::Ok);
    if as_json {
        jsonln!(serde_json::to_string(&findings).unwrap_or_else(|_| "[]".into()));
    } else {
        for f in &findings {
            let mark = match f.level {
                Level::Ok => "ok  ",
                Level::Warn => "warn",
                Level::Fail => "FAIL",
            };
            outln!("{mark}  {:<28} {}", f.check, f.detail);
            if let Some(fix) = &f.fix {
                outln!("      {:<28} fix: {fix}", "");
            }
        }
    }
    if worst == Level::Fail {
        return Err(Failure::new(
            Exit::Failure,
            if as_json {
                String::new()
            } else {
                "doctor found problems (see FAIL above)".into()
            },
        ));
    }
    Ok(())
}
