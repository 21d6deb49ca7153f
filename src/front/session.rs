//! Facts about the session both fronts adapt to: an SSH connection, a display, a browser to
//! open, and the interactive sign-in flow that suits them.

/// True in an SSH session, where a browser on this machine is not the user's browser.
pub fn over_ssh() -> bool {
    ["SSH_CONNECTION", "SSH_TTY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// The interactive flow to suggest here: the browser at a desktop, device code over SSH or
/// without a display.
pub fn suggested_flow() -> lcsauth::profile::Flow {
    if !over_ssh() && lcsauth::clipboard::display_present() {
        lcsauth::profile::Flow::Browser
    } else {
        lcsauth::profile::Flow::DeviceCode
    }
}

/// Why no browser would be started here, in words for the user; `None` when one can be.
pub fn no_browser_reason() -> Option<String> {
    match std::env::var("BROWSER") {
        Ok(b) if b == "none" => Some("BROWSER=none is set".into()),
        Ok(b) if b.is_empty() => Some("BROWSER is set but empty".into()),
        Err(_) if over_ssh() => Some("this is an SSH session: a browser here is not yours".into()),
        Err(_) if !lcsauth::clipboard::display_present() => {
            Some("there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)".into())
        }
        Err(_) if cfg!(target_os = "linux") && !on_path("xdg-open") => {
            Some("no browser opener was found (xdg-open is not installed)".into())
        }
        // $BROWSER names a program, or the platform's opener is there.
        _ => None,
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Starts the user's browser: `$BROWSER` when set (`none` disables it), else the platform opener
/// when there is a display.
pub fn open_in_browser(url: &str) -> bool {
    let program = match std::env::var("BROWSER") {
        Ok(b) if b == "none" || b.is_empty() => return false,
        Ok(b) => b,
        Err(_) if !lcsauth::clipboard::display_present() || over_ssh() => return false,
        Err(_) if cfg!(target_os = "macos") => "open".into(),
        Err(_) if cfg!(target_os = "windows") => "explorer".into(),
        Err(_) => "xdg-open".into(),
    };
    std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}
