//! `api`: one call to the LCS or Power Platform API with the right host and a fresh token per
//! request, and `--wait` for the operation it starts. The rules live in `lcsauth::api`; this
//! folder parses, asks, sends and prints: `mod.rs` reads the command and asks before a change,
//! `send.rs` sends, `print.rs` prints, `wait.rs` follows the operation.

mod print;
mod send;
mod wait;

use std::io::{IsTerminal, Read, Write};

use lcsauth::api::request::{self, Placeholders};
use lcsauth::api::verdict::{Verdict, judge};
use lcsauth::api::{ApiRequest, BODY_LIMIT, Method, target, visible_line};

use self::print::{Show, failure_of, print_answer};
use self::send::{Caller, Interrupt, http_client};
use super::args::ApiArgs;
use crate::front::failure::Failure;
use crate::front::{Ctx, runtime};

pub fn run(ctx: &Ctx, a: &ApiArgs) -> Result<(), Failure> {
    let (name, path) = match a.args.as_slice() {
        [path] => (None, path.as_str()),
        [name, path] => (Some(name.as_str()), path.as_str()),
        _ => return Err(Failure::usage("api takes [NAME] PATH")),
    };
    let config = ctx.config()?;
    let profile = ctx.select(&config, name)?.clone();
    let by_url = (a.audience.is_none() && (path.starts_with("https://") || path.starts_with("http://")))
        .then(|| target::resolve_for_url(&profile, path))
        .flatten();
    let target = match by_url {
        Some(t) => t,
        None => target::resolve(&profile, a.audience.as_deref()).map_err(|e| Failure::usage(e.to_string()))?,
    };
    let body = read_input(a.input.as_deref())?;
    let method = a.method.unwrap_or(if body.is_some() || !a.fields.is_empty() {
        Method::Post
    } else {
        Method::Get
    });
    let values = Placeholders {
        profile: profile.name.to_string(),
        project_id: profile.project_id.as_ref().map(|p| p.as_str().to_string()),
        environment_id: profile.environment_id.as_ref().map(|e| e.as_str().to_string()),
    };
    let req =
        request::build(&target, method, path, &a.fields, body, &values).map_err(|e| Failure::usage(e.to_string()))?;
    if let Some(op) = req.lcs_operation() {
        eprintln!(
            "note: LCS allows 3 refresh/export operations per environment per rolling 24 h (the portal's count \
             too); its API does not report how many are used, so lcsauth cannot say how many of {}'s remain",
            op.environment
        );
    }
    if a.dry_run {
        let mut out = std::io::stdout().lock();
        out.write_all(req.render().as_bytes())?;
        return Ok(());
    }
    if req.needs_confirmation() && !a.yes {
        confirm(&req)?;
    }
    let interrupt = Interrupt::new();
    let rt = runtime()?;
    interrupt.listen(&rt);
    let mut caller = Caller {
        ctx,
        profile: &profile,
        audience: target.audience.clone(),
        min_valid: a.min_valid,
        http: http_client(config.settings.http_timeout)?,
        rt: &rt,
        interrupt: interrupt.clone(),
    };
    let answer = caller.send_throttled(&req)?;
    let terminal = std::io::stdout().is_terminal();
    print_answer(&answer, Show::of(a, terminal))?;
    let verdict = judge(req.service, answer.status, answer.retry_after, &answer.body);
    if verdict != Verdict::Ok {
        return Err(failure_of(&verdict, &target));
    }
    if !a.wait {
        return Ok(());
    }
    wait::follow(caller, &req, &answer, a, &target, terminal)
}

/// The body of `--input`, read with the size bound.
fn read_input(input: Option<&str>) -> Result<Option<Vec<u8>>, Failure> {
    let Some(input) = input else { return Ok(None) };
    let mut data = Vec::new();
    let limit = u64::try_from(BODY_LIMIT).unwrap_or(u64::MAX) + 1;
    let read = if input == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut data)
    } else {
        std::fs::File::open(input).and_then(|f| f.take(limit).read_to_end(&mut data))
    };
    read.map_err(|e| Failure::usage(format!("cannot read --input {input}: {e}")))?;
    if data.len() > BODY_LIMIT {
        return Err(Failure::usage(format!(
            "--input {input} is larger than {} MiB",
            BODY_LIMIT >> 20
        )));
    }
    Ok(Some(data))
}

/// Asks on a terminal; refuses without one.
fn confirm(req: &ApiRequest) -> Result<(), Failure> {
    let what = format!("{} {}", req.method, visible_line(&req.url));
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Failure::usage(format!(
            "{what} changes something: confirm with --yes (or run it on a terminal), or see it with --dry-run"
        )));
    }
    eprint!("{what}\nThis changes the environment and cannot be undone from here. Go ahead? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the answer: {e}")))?;
    if matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(Failure::usage("not confirmed: nothing was sent"))
    }
}
