//! `__clipboard-serve`: owns the clipboard for `copy` after the command itself has exited.
//!
//! It reads the text from stdin (never argv or the environment), sets the clipboard, writes
//! "ready" on stdout, and serves pastes until the clear-after deadline; then it clears the
//! clipboard only if it still holds the text.

use std::io::{Read, Write};
use std::time::Duration;

use lcsauth::clipboard;
use lcsauth::secret::Secret;

use crate::front::failure::{Exit, Failure};

pub fn run(clear_after: Duration) -> Result<(), Failure> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let secret = Secret::new(text.as_str());
    zeroize::Zeroize::zeroize(&mut text);
    close_inherited_fds();
    let result = clipboard::serve(&secret, clear_after, || {
        let mut out = std::io::stdout();
        let _ = writeln!(out, "ready");
        let _ = out.flush();
    });
    match result {
        Ok(_) => Ok(()),
        Err(e) => {
            let _ = writeln!(std::io::stdout(), "error: {e}");
            Err(Failure::new(Exit::Failure, e.to_string()))
        }
    }
}

/// Closes descriptors inherited from the shell (anything above stderr that is still open), so
/// a server that outlives its parent never holds a pipe some other program waits on.
fn close_inherited_fds() {
    #[cfg(target_os = "linux")]
    {
        let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
            return;
        };
        let fds: Vec<i32> = dir
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .filter(|fd| *fd > 2)
            .collect();
        for fd in fds {
            // The read_dir handle itself is already closed; closing it again only returns EBADF.
            let _ = nix::unistd::close(fd);
        }
    }
}
