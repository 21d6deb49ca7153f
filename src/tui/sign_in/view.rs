//! The dialog of an interactive sign-in: the device code, where to enter it and a live
//! countdown to its expiry; or the browser's sign-in address. `Esc` cancels.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use lcsauth::broker::interactive::BROWSER_TIMEOUT;
use lcsauth::profile::Flow;

use crate::tui::app::state::App;
use crate::tui::sign_in::dialog::{SignInDialog, Stage};
use crate::tui::time::{age, between, countdown};
use crate::tui::view::layout::centered;
use crate::tui::view::text::{LABEL_WIDTH, labelled, wrap};
use crate::tui::view::theme::Theme;

/// `text` wrapped to `room`, one space in.
fn para(out: &mut Vec<Line<'static>>, text: &str, room: usize, style: Style) {
    out.extend(
        wrap(text, room.saturating_sub(1))
            .into_iter()
            .map(|l| Line::styled(format!(" {l}"), style)),
    );
}

/// Where the copied code or address went, or why it did not.
fn copied_note(d: &SignInDialog, t: Theme) -> Span<'static> {
    match &d.copied {
        Some(Ok(place)) => Span::styled((*place).to_string(), t.ok()),
        Some(Err(e)) => Span::styled(format!("not copied: {e}"), t.warn()),
        None => Span::styled("copying…", t.dim()),
    }
}

/// The dialog's lines at `now`, `room` columns wide; `suggested` is the interactive flow that
/// suits this session.
pub fn lines(
    d: &SignInDialog,
    suggested: Flow,
    no_browser: Option<&str>,
    now: Timestamp,
    room: usize,
    t: Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    match &d.stage {
        Stage::Starting if d.flow == Flow::DeviceCode => {
            para(&mut out, "Asking Entra for a device code…", room, t.dim());
        }
        Stage::Starting => para(&mut out, "Starting the browser sign-in…", room, t.dim()),
        Stage::DeviceCode(info) => {
            para(
                &mut out,
                "On any device with a browser, open the address and enter the code. lcsauth polls Entra in the background and keeps the token as soon as you have signed in.",
                room,
                Style::new(),
            );
            out.push(Line::raw(""));
            out.extend(labelled(
                " Address",
                &info.verification_uri,
                room,
                t.label(),
                t.strong(),
            ));
            out.push(Line::from(vec![
                Span::styled(format!("{:<LABEL_WIDTH$}", " Code"), t.label()),
                Span::styled(lcsauth::sanitize::line(&info.user_code).into_owned(), t.key()),
                Span::raw("  "),
                copied_note(d, t),
            ]));
            let left = if info.expires_at > now {
                (countdown(between(now, info.expires_at)), t.strong())
            } else {
                ("expired: Esc, then r for a new code".to_string(), t.error())
            };
            out.extend(labelled(" Expires in", &left.0, room, t.label(), left.1));
        }
        Stage::Browser { url, opened } => {
            let intro = if *opened {
                "Your browser was opened at the sign-in page. If it did not open, use this address in a browser on this machine:".to_string()
            } else {
                let why = no_browser.unwrap_or("the browser could not be started");
                format!("No browser was started ({why}). Open this address in a browser on this machine:")
            };
            para(&mut out, &intro, room, Style::new());
            para(&mut out, url, room, t.strong());
            if !opened {
                out.push(Line::from(vec![
                    Span::styled(format!("{:<LABEL_WIDTH$}", " Address"), t.label()),
                    copied_note(d, t),
                ]));
            }
            if suggested == Flow::DeviceCode {
                para(
                    &mut out,
                    "The answer comes back to this machine (http://localhost): if your browser runs elsewhere, Esc, then e and choose the device-code flow.",
                    room,
                    t.warn(),
                );
            }
            out.push(Line::raw(""));
            let wait = format!("Waiting for the browser (at most {}).", age(BROWSER_TIMEOUT));
            para(&mut out, &wait, room, t.dim());
        }
    }
    out
}

pub fn render(app: &App, d: &SignInDialog, now: Timestamp, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let width = area.width.saturating_sub(4).min(76);
    let room = usize::from(width.saturating_sub(2));
    let body = lines(d, app.interactive_flow, app.no_browser.as_deref(), now, room, t);
    let height = u16::try_from(body.len()).unwrap_or(u16::MAX).saturating_add(2);
    let box_area = centered(area, width, height);
    let flow = match d.flow {
        Flow::DeviceCode => "device code",
        Flow::Browser | Flow::Password | Flow::ClientSecret => "browser",
    };
    let block = Block::bordered()
        .border_style(t.focus())
        .title(Line::from(Span::styled(
            format!(" Sign in · {} · {flow} ", d.profile),
            t.strong(),
        )))
        .title_bottom(Line::from(Span::styled(" Esc cancels ", t.dim())).right_aligned());
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(body).block(block), box_area);
}
