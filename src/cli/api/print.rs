//! Printing an answer (pretty, visible and masked on a terminal; as it came otherwise) and the
//! failure a verdict other than OK exits with.

use std::fmt::Write as _;
use std::io::Write;
use std::time::Duration;

use lcsauth::api::mask::mask_sas;
use lcsauth::api::verdict::Verdict;
use lcsauth::api::{Target, visible, visible_line};
use lcsauth::time::duration;

use super::send::Answer;
use crate::cli::args::ApiArgs;
use crate::front::failure::{Exit, Failure};

/// How answers are printed.
#[derive(Clone, Copy)]
pub(super) struct Show {
    include: bool,
    silent: bool,
    secrets: bool,
    /// Standard output is a terminal.
    terminal: bool,
}

impl Show {
    pub(super) fn of(a: &ApiArgs, terminal: bool) -> Self {
        Self {
            include: a.include,
            silent: a.silent,
            secrets: a.show_secrets,
            terminal,
        }
    }

    /// The same, without the status line and headers (for the final answer of a wait).
    pub(super) fn without_head(self) -> Self {
        Self { include: false, ..self }
    }
}

impl Answer {
    pub(super) fn body_only(body: Vec<u8>) -> Self {
        Self {
            status: 200,
            retry_after: None,
            location: None,
            headers: Vec::new(),
            body,
        }
    }
}

/// Writes the answer: pretty, visible and masked on a terminal; as it came otherwise.
pub(super) fn print_answer(answer: &Answer, a: Show) -> Result<(), Failure> {
    let terminal = a.terminal;
    let mut out = std::io::stdout().lock();
    let shown = |text: &str| {
        let text = if terminal { visible(text) } else { text.to_string() };
        if terminal && !a.secrets { mask_sas(&text) } else { text }
    };
    if a.include {
        let mut head = format!("HTTP {}\n", answer.status);
        for (n, v) in &answer.headers {
            let _ = writeln!(head, "{n}: {}", if terminal { visible_line(v) } else { v.clone() });
        }
        head.push('\n');
        out.write_all(shown(&head).as_bytes())?;
    }
    if a.silent || answer.body.is_empty() {
        return Ok(());
    }
    if terminal {
        // JSON keeps its exact value (the core's JSON escapes); other text has its controls shown.
        let pretty = serde_json::from_slice::<serde_json::Value>(&answer.body)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok());
        let text = match pretty {
            Some(json) => lcsauth::sanitize::json(&json).into_owned(),
            None => visible(&String::from_utf8_lossy(&answer.body)),
        };
        let text = if a.secrets { text } else { mask_sas(&text) };
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
    } else {
        out.write_all(&answer.body)?;
    }
    out.flush()?;
    Ok(())
}

/// A verdict other than OK as the failure to exit with.
pub(super) fn failure_of(v: &Verdict, target: &Target) -> Failure {
    match v {
        Verdict::Ok => Failure::new(Exit::Failure, String::new()),
        Verdict::Refused { message, activity_id } => Failure::new(
            Exit::Refused,
            lcsauth::lcs::explain::refused_text(message, activity_id.as_deref(), str::to_owned),
        ),
        Verdict::Unauthorized(text) | Verdict::Forbidden(text) => Failure::new(Exit::Refused, text.clone()),
        Verdict::Throttled(retry) => Failure::new(
            Exit::Unavailable,
            format!(
                "throttled (429) by {}: retry after {}",
                target.base,
                duration::text(retry.unwrap_or(Duration::from_secs(60)))
            ),
        ),
        Verdict::Status(status) => Failure::new(
            if *status >= 500 {
                Exit::Unavailable
            } else {
                Exit::Failure
            },
            format!("{} answered HTTP {status}", target.base),
        ),
    }
}
