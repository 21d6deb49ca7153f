//! The system clipboard, owned by one thread that is not the UI loop.
//!
//! On X11 a copied text lives as long as its owner, so the thread keeps an `arboard::Clipboard`
//! open while the board runs. At the clear-after deadline it clears the clipboard only if it
//! still holds our token. On quit a token still waiting for its deadline is handed to
//! `lcsauth __clipboard-serve`, so it stays pasteable after the board closes.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use lcsauth::clipboard::{self, ClipboardError, Served};
use lcsauth::profile::ProfileName;
use lcsauth::secret::Secret;

use crate::tui::app::msg::{CopyVia, Msg};

enum Request {
    Copy {
        name: ProfileName,
        text: Secret,
        clear_after: Duration,
    },
    /// A device code or sign-in URL: copied, not held, never cleared.
    Code {
        name: ProfileName,
        text: String,
    },
    Finish,
}

/// Sends copies to the clipboard thread.
#[derive(Clone)]
pub struct ClipboardHandle {
    tx: Sender<Request>,
}

impl ClipboardHandle {
    pub fn copy(&self, name: ProfileName, text: Secret, clear_after: Duration) {
        let _ = self.tx.send(Request::Copy {
            name,
            text,
            clear_after,
        });
    }

    pub fn copy_code(&self, name: ProfileName, text: String) {
        let _ = self.tx.send(Request::Code { name, text });
    }
}

pub struct ClipboardKeeper {
    handle: ClipboardHandle,
    done: Receiver<()>,
    thread: Option<JoinHandle<()>>,
}

impl ClipboardKeeper {
    pub fn start(msgs: UnboundedSender<Msg>) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let (done_tx, done) = mpsc::channel();
        let thread = std::thread::Builder::new().name("clipboard".into()).spawn(move || {
            serve(&rx, &msgs);
            let _ = done_tx.send(());
        })?;
        Ok(Self {
            handle: ClipboardHandle { tx },
            done,
            thread: Some(thread),
        })
    }

    pub fn handle(&self) -> ClipboardHandle {
        self.handle.clone()
    }

    /// Ends the thread, handing a held token over first; waits at most `wait`.
    pub fn finish(mut self, wait: Duration) {
        let _ = self.handle.tx.send(Request::Finish);
        if self.done.recv_timeout(wait).is_ok()
            && let Some(t) = self.thread.take()
        {
            let _ = t.join();
        }
    }
}

/// What the thread holds: the open clipboard and the token waiting for its deadline.
struct Held {
    text: Secret,
    deadline: Instant,
}

fn serve(rx: &Receiver<Request>, msgs: &UnboundedSender<Msg>) {
    let mut board: Option<arboard::Clipboard> = None;
    let mut held: Option<Held> = None;
    loop {
        let request = match &held {
            Some(h) => match rx.recv_timeout(h.deadline.saturating_duration_since(Instant::now())) {
                Ok(r) => Some(r),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Request::Finish),
            },
            None => Some(rx.recv().unwrap_or(Request::Finish)),
        };
        match request {
            None => {
                if let (Some(cb), Some(h)) = (board.as_mut(), held.take()) {
                    let cleared = clipboard::clear_if_ours(cb, &h.text) == Served::Cleared;
                    let _ = msgs.send(Msg::ClipboardSettled { cleared });
                }
            }
            Some(Request::Copy {
                name,
                text,
                clear_after,
            }) => {
                let result = copy(&mut board, &text, clear_after);
                if matches!(result, Ok(CopyVia::Clipboard { .. })) {
                    held = Some(Held {
                        text,
                        deadline: Instant::now() + clear_after,
                    });
                }
                let _ = msgs.send(Msg::Copied { name, result });
            }
            Some(Request::Code { name, text }) => {
                let result = copy(&mut board, &Secret::new(text), Duration::ZERO);
                if matches!(result, Ok(CopyVia::Clipboard { .. })) {
                    // The code replaced a held token: there is nothing of ours left to clear.
                    held = None;
                }
                let _ = msgs.send(Msg::CodeCopied { name, result });
            }
            Some(Request::Finish) => {
                if let (Some(cb), Some(h)) = (board.as_mut(), held.take()) {
                    hand_over(cb, &h);
                }
                return;
            }
        }
    }
}

/// Puts `text` on the system clipboard, or says it must go through the terminal.
fn copy(
    board: &mut Option<arboard::Clipboard>,
    text: &Secret,
    clear_after: Duration,
) -> Result<CopyVia, ClipboardError> {
    let terminal = |reason: String| {
        Ok(CopyVia::Terminal {
            text: text.clone(),
            reason,
        })
    };
    if !clipboard::display_present() {
        return terminal("neither DISPLAY nor WAYLAND_DISPLAY is set".into());
    }
    if board.is_none() {
        match arboard::Clipboard::new() {
            Ok(cb) => *board = Some(cb),
            Err(e) => return terminal(e.to_string()),
        }
    }
    let Some(cb) = board.as_mut() else {
        return terminal("the clipboard could not be opened".into());
    };
    match clipboard::set_private(cb, text) {
        Ok(()) => Ok(CopyVia::Clipboard { clear_after }),
        Err(ClipboardError::Unavailable(reason)) => terminal(reason),
        Err(e) => Err(e),
    }
}

/// Keeps a token that is still ours pasteable until its deadline after this process ends.
fn hand_over(cb: &mut arboard::Clipboard, h: &Held) {
    let left = h.deadline.saturating_duration_since(Instant::now());
    if left < Duration::from_secs(1) {
        let _ = clipboard::clear_if_ours(cb, &h.text);
        return;
    }
    if cb.get_text().is_ok_and(|t| t == h.text.expose()) {
        let _ = crate::front::clipboard_handoff::hand_to_server(&h.text, left);
    }
}
