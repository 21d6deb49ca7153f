//! Handing a token to the clipboard helper (`lcsauth __clipboard-serve`), a child process that
//! keeps it on the system clipboard and clears it later: `copy` uses it, and the board does for a
//! token still on the clipboard when it quits.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use lcsauth::clipboard;
use lcsauth::secret::Secret;

/// Starts `lcsauth __clipboard-serve`, gives it the token on stdin, waits for "ready".
pub fn hand_to_server(text: &Secret, clear_after: std::time::Duration) -> Result<(), String> {
    if !clipboard::display_present() {
        return Err("neither DISPLAY nor WAYLAND_DISPLAY is set".into());
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(exe);
    cmd.arg("__clipboard-serve")
        .arg("--clear-after")
        .arg(format!("{}s", clear_after.as_secs().max(1)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        // Its own process group: a Ctrl-C in the shell does not clear the clipboard early.
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start the clipboard server: {e}"))?;
    {
        let mut stdin = child.stdin.take().ok_or("no stdin for the clipboard server")?;
        stdin.write_all(text.expose().as_bytes()).map_err(|e| e.to_string())?;
    }
    let stdout = child.stdout.take().ok_or("no stdout from the clipboard server")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
    match line.trim() {
        "ready" => Ok(()),
        "" => Err("the clipboard server ended without a word".into()),
        other => Err(other.trim_start_matches("error: ").to_string()),
    }
}
