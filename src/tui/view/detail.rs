//! The detail pane of the selected profile: endpoint, token times, the last error explained,
//! decoded claims, and the access token masked unless the user revealed it.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use lcsauth::broker::LastError;
use lcsauth::diagnose::ARTICLE_STEPS;
use lcsauth::profile::Flow;
use lcsauth::token::Claims;

use super::audiences;
use super::board::badge;
use super::text::labelled;
use super::theme::Theme;
use crate::tui::app::state::App;
use crate::tui::probe::view as probe_view;
use crate::tui::roster::list::Entry;
use crate::tui::time::{age, between, claim_time, countdown, local_and_utc};

/// Lines of the detail pane for `e`, wrapped to `width`.
pub fn lines(app: &App, entry: &Entry, now: Timestamp, width: usize) -> Vec<Line<'static>> {
    let theme = app.theme;
    let profile = &entry.profile;
    let ep = profile.endpoint();
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut add =
        |label: &str, text: &str, style: Style| out.extend(labelled(label, text, width, theme.label(), style));

    let min_valid = app.roster.settings.min_valid;
    let state_badge = badge(entry, now, min_valid);
    if let Some(tok) = &entry.state.token {
        let left = if tok.expires_at > now {
            format!("{} left", countdown(between(now, tok.expires_at)))
        } else {
            format!("ended {} ago", age(between(tok.expires_at, now)))
        };
        add(
            "Token",
            &format!(
                "{} · {left} · ends {}",
                state_badge.word(),
                local_and_utc(tok.expires_at, &app.tz),
            ),
            theme.badge(state_badge),
        );
        let refresh = match &entry.state.refresh_token {
            Some(r) => format!("refresh token: yes, {} old", age(between(r.obtained_at, now))),
            None => "refresh token: none".to_string(),
        };
        add(
            "Obtained",
            &format!(
                "{} ago by {} · {refresh}",
                age(between(tok.obtained_at, now)),
                tok.grant.key()
            ),
            Style::new(),
        );
        match &app.revealed {
            Some((name, secret)) if name == entry.name() => add(
                "Access",
                &format!(
                    "shown below without a frame, {} characters (v hides it)",
                    secret.expose().len()
                ),
                theme.warn(),
            ),
            _ => add("Access", "•••••••••••••••• (v shows it)", theme.dim()),
        }
        if let Some(w) = &tok.warning {
            add("Warning", w, theme.warn());
        }
        if let Some(w) = tok.claims.audience_mismatch(&ep.api_host) {
            add("Warning", &w, theme.warn());
        }
    } else {
        // "r gets one" only where r would: not while a request runs, not after a refusal
        // (the last error below says what to do instead).
        let text = if entry.busy.is_some() {
            format!("{} · getting a token…", state_badge.word())
        } else if entry.state.last_error.is_some() {
            format!("{} · no token", state_badge.word())
        } else {
            format!("{} · no token yet (r gets one)", state_badge.word())
        };
        add("Token", &text, theme.badge(state_badge));
    }
    if let Some(m) = lcsauth::broker::Status::of(entry.state.clone(), now, min_valid).user_mismatch(profile) {
        add("Warning", &m, theme.warn());
    }
    audiences::lines(&mut add, entry, &app.selected_audience(), min_valid, now, theme);
    if let Some(view) = &entry.probe {
        probe_view::lines(&mut add, view, now, theme);
    }
    if let Some(err) = &entry.state.last_error {
        let offer = app.interactive_offer(entry);
        last_error(&mut add, err, offer, now, theme);
    }
    add("Tenant", profile.tenant.as_str(), Style::new());
    add("Client id", profile.client_id.as_str(), Style::new());
    let region = match profile.region.info() {
        Some(i) => format!("{} · {} · API {}", i.key, i.name, ep.api_host),
        None => format!("custom · API {}", ep.api_host),
    };
    add("Region", &region, Style::new());
    add("Scope", &ep.scope, Style::new());
    add("Authority", &ep.authority, Style::new());
    add("User", profile.username.as_deref().unwrap_or("-"), Style::new());
    add("Flow", profile.flow.key(), Style::new());
    if let Some(tok) = &entry.state.token {
        claims(&mut add, &tok.claims);
    }
    out
}

fn last_error(add: &mut impl FnMut(&str, &str, Style), err: &LastError, offer: Option<Flow>, now: Timestamp, t: Theme) {
    add(
        "Last error",
        &format!("{} ({} ago)", err.message, age(between(err.at, now))),
        t.error(),
    );
    if let Some(flow) = offer {
        let how = match flow {
            Flow::DeviceCode => "device-code flow (a code to enter in any browser)",
            Flow::Browser | Flow::Password | Flow::ClientSecret => "browser flow (sign in with MFA in your browser)",
        };
        add(
            "Next step",
            &format!("press i: switch to the {how} and sign in"),
            t.strong(),
        );
    }
    if let Some(d) = &err.description {
        add("Entra says", d, Style::new());
    }
    if let Some(c) = &err.cause {
        add("Cause", c, Style::new());
    }
    if let Some(f) = &err.fix {
        add("Fix", &in_keys(f, offer.is_some()), t.strong());
    }
    if let Some(step) = err
        .article_step
        .and_then(|s| ARTICLE_STEPS.get(usize::from(s).wrapping_sub(1)))
    {
        add("Setup", &format!("revisit {step}"), Style::new());
    }
    if let Some(id) = &err.trace_id {
        add("Trace id", id, Style::new());
    }
    if let Some(id) = &err.correlation_id {
        add("Correlation", id, Style::new());
    }
}

/// A fix written for the command line, said in the board's keys: `lcsauth login …` is `r`,
/// switching to an interactive flow is `i` where `i` is offered (`switch`), any other profile
/// change is `e`.
pub fn in_keys(fix: &str, switch: bool) -> String {
    let mut out = String::new();
    let mut rest = fix;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else { break };
        let quoted = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..open]);
        let key = if quoted.starts_with("lcsauth login") {
            Some("press r (sign in again)")
        } else if switch && quoted.starts_with("lcsauth profile edit") && quoted.contains("--flow") {
            Some("press i (switch to an interactive sign-in)")
        } else if quoted.starts_with("lcsauth profile edit") {
            Some("press e (edit the profile)")
        } else {
            None
        };
        if let Some(k) = key {
            out.push_str(k);
        } else {
            out.push('`');
            out.push_str(quoted);
            out.push('`');
        }
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    out
}

fn claims(add: &mut impl FnMut(&str, &str, Style), c: &Claims) {
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let time = |v: Option<i64>| v.map_or_else(|| "-".into(), claim_time);
    add("Claims aud", &text(&c.aud), Style::new());
    add("  iss", &text(&c.iss), Style::new());
    add("  tid", &text(&c.tid), Style::new());
    add("  upn", &text(&c.user), Style::new());
    add("  scp", &text(&c.scp), Style::new());
    add(
        "  amr",
        &if c.amr.is_empty() { "-".into() } else { c.amr.join(" ") },
        Style::new(),
    );
    add(
        "  iat nbf exp",
        &format!("{} · {} · {}", time(c.iat), time(c.nbf), time(c.exp)),
        Style::new(),
    );
}

/// The revealed token with no frame, no label and no padding, wrapped at the pane's width, at
/// the bottom of the pane: a mouse selection over it copies the token and nothing else.
fn render_revealed(token: &str, frame: &mut Frame, area: Rect, t: Theme) -> Rect {
    let width = usize::from(area.width.max(1));
    let chars: Vec<char> = token.chars().collect();
    let rows: Vec<Line> = chars
        .chunks(width)
        .map(|c| Line::styled(c.iter().collect::<String>(), t.warn()))
        .collect();
    let height = u16::try_from(rows.len())
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(3));
    let token_area = Rect {
        y: area.y + area.height - height,
        height,
        ..area
    };
    frame.render_widget(ratatui::widgets::Clear, token_area);
    frame.render_widget(Paragraph::new(rows), token_area);
    Rect {
        height: area.height - height,
        ..area
    }
}

pub fn render(app: &App, now: Timestamp, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let Some(e) = app.roster.selected() else {
        frame.render_widget(Block::bordered().border_style(t.border()), area);
        return;
    };
    let area = match &app.revealed {
        Some((name, secret)) if name == e.name() => render_revealed(secret.expose(), frame, area, t),
        _ => area,
    };
    let width = usize::from(area.width.saturating_sub(2));
    let all = lines(app, e, now, width);
    let height = usize::from(area.height.saturating_sub(2));
    let max_scroll = all.len().saturating_sub(height);
    let scroll = usize::from(app.detail_scroll).min(max_scroll);
    let mut title = vec![Span::styled(format!(" {} ", e.name()), t.strong())];
    if app.roster.is_default(e) {
        title.push(Span::styled("default ", t.ok()));
    }
    let more = match (scroll > 0, scroll < max_scroll) {
        (false, true) => " more below: PgDn ",
        (true, true) => " PgUp · PgDn ",
        (true, false) => " PgUp ",
        (false, false) => "",
    };
    let block = Block::bordered()
        .border_style(t.border())
        .title(Line::from(title))
        .title_bottom(Line::from(Span::styled(more, t.dim())).right_aligned());
    let visible: Vec<Line> = all.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
