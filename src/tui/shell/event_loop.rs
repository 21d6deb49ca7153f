//! The loop: it alone owns `App`. Keys, ticks and worker results become messages; `update`
//! returns a command, the worker runs it; the screen is drawn after each batch of messages.
//! Idle, the only wake-up is the tick at each full second.

use std::io::{self, Write};
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use jiff::Timestamp;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::{Instant, sleep_until};

use lcsauth::clipboard::osc52;

use crate::tui::app::msg::{Command, Msg};
use crate::tui::app::state::App;
use crate::tui::shell::worker::Worker;
use crate::tui::view;

/// Just after the next full second of the wall clock, so countdowns change on the second.
fn next_tick(now: Timestamp) -> Instant {
    let into = u64::try_from(now.subsec_millisecond()).unwrap_or(0);
    Instant::now() + Duration::from_millis(1000 - into.min(999) + 5)
}

fn draw(terminal: &mut DefaultTerminal, app: &App, now: Timestamp) -> io::Result<()> {
    terminal.draw(|frame| view::screen::render(app, now, frame)).map(drop)
}

/// Runs a command; `false` means quit.
fn run(cmd: Command, terminal: &mut DefaultTerminal, worker: &Worker) -> io::Result<bool> {
    match cmd {
        Command::Quit => return Ok(false),
        Command::Osc52(text) => {
            // Written between frames, so it never lands inside an escape sequence of a draw.
            let backend = terminal.backend_mut();
            backend.write_all(osc52(&text).as_bytes())?;
            backend.flush()?;
        }
        other => worker.run(other),
    }
    Ok(true)
}

pub async fn run_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    worker: &Worker,
    mut rx: UnboundedReceiver<Msg>,
) -> io::Result<()> {
    let mut events = EventStream::new();
    let tick = sleep_until(next_tick(Timestamp::now()));
    tokio::pin!(tick);
    draw(terminal, app, Timestamp::now())?;
    loop {
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => Msg::Terminate,
            },
            Some(msg) = rx.recv() => msg,
            () = &mut tick => {
                tick.as_mut().reset(next_tick(Timestamp::now()));
                Msg::Tick
            }
        };
        let now = Timestamp::now();
        let mut next = Some(msg);
        while let Some(msg) = next.take() {
            if let Some(cmd) = app.update(msg, now)
                && !run(cmd, terminal, worker)?
            {
                return Ok(());
            }
            // Results that arrived meanwhile share this frame.
            next = rx.try_recv().ok();
        }
        if app.quit {
            return Ok(());
        }
        draw(terminal, app, now)?;
    }
}
