//! Entering and leaving the full-screen terminal mode, on every path: normal quit, error,
//! panic (any thread), SIGTERM and SIGHUP.

use std::io;

use ratatui::DefaultTerminal;
use tokio::sync::mpsc::UnboundedSender;

use crate::tui::app::msg::Msg;

/// Raw mode and the alternate screen, with a panic hook that restores the terminal first.
pub fn init() -> io::Result<DefaultTerminal> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::try_restore();
        previous(info);
        // A panic in a background task would leave the board half alive on a restored
        // terminal: end the whole program instead.
        std::process::exit(101);
    }));
    ratatui::try_init()
}

/// Back to the shell's screen and cooked mode.
pub fn restore() {
    let _ = ratatui::try_restore();
}

/// Turns SIGTERM and SIGHUP into `Msg::Terminate`, so the loop ends and restores the terminal.
pub fn watch_signals(tx: UnboundedSender<Msg>) -> io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        tokio::spawn(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            let _ = tx.send(Msg::Terminate);
        });
    }
    #[cfg(not(unix))]
    {
        drop(tx);
    }
    Ok(())
}
