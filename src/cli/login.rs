//! `login` and `logout`.

use jiff::Timestamp;

use lcsauth::audience::Audience;
use lcsauth::broker::{DeviceCodeInfo, Issued, Prompt};
use lcsauth::profile::{Flow, Profile};
use lcsauth::time::duration;

use super::sign_in::{for_profile, password_from_stdin, password_from_tty};
use crate::front::failure::{Exit, Failure};
use crate::front::session::{no_browser_reason, open_in_browser, over_ssh};
use crate::front::{Ctx, runtime};

pub fn login(ctx: &Ctx, name: Option<&str>, password_stdin: bool, audience: Option<&Audience>) -> Result<(), Failure> {
    let config = ctx.config()?;
    let profile = ctx.select(&config, name)?.clone();
    let audience = audience.cloned().unwrap_or_else(|| profile.default_audience());
    let audience = &audience;
    let password = match (profile.flow, password_stdin) {
        // For the client-secret flow the line is the client secret, kept once it works.
        (Flow::Password | Flow::ClientSecret, true) => Some(password_from_stdin()?),
        (_, true) => {
            return Err(Failure::usage(format!(
                "profile '{}' signs in with the {} flow, which takes no password",
                profile.name, profile.flow
            )));
        }
        _ => None,
    };
    sign_in_for(ctx, &profile, audience, password)
}

/// Signs in with the profile's flow; for the password flow without a password given, uses the
/// remembered one or asks on the terminal.
pub fn sign_in(ctx: &Ctx, profile: &Profile, password: Option<lcsauth::secret::Secret>) -> Result<(), Failure> {
    sign_in_for(ctx, profile, &profile.default_audience(), password)
}

/// [`sign_in`] asking for a token of `audience`; a claims challenge that audience's last
/// refusal carried is passed to the interactive sign-in.
pub fn sign_in_for(
    ctx: &Ctx,
    profile: &Profile,
    audience: &Audience,
    password: Option<lcsauth::secret::Secret>,
) -> Result<(), Failure> {
    let config = ctx.config()?;
    let broker = ctx.broker(&config.settings)?;
    let name = profile.name.as_str();
    let password = match (profile.flow, password) {
        (Flow::Password, Some(p)) => Some(p),
        (Flow::Password, None) => {
            // A password Entra refused is not sent again without the user typing one.
            let (remembered, held_back) = match broker.remembered_password(profile)? {
                Ok(p) => (p, None),
                Err(why) => (None, Some(why)),
            };
            match remembered {
                Some(p) => Some(p),
                None => Some(password_from_tty(profile)?.ok_or_else(|| {
                    let why = held_back.map(|r| format!(": {r}")).unwrap_or_default();
                    Failure::new(
                        Exit::SignInNeeded,
                        format!(
                            "profile '{name}' needs a password{why}; pipe it in with `lcsauth login {name} --password-stdin`"
                        ),
                    )
                })?),
            }
        }
        (Flow::ClientSecret, secret) => secret,
        (Flow::DeviceCode | Flow::Browser, _) => None,
    };
    let rt = runtime()?;
    let issued = if matches!(profile.flow, Flow::Password | Flow::ClientSecret) {
        rt.block_on(broker.login_for(profile, audience, password))
    } else {
        if profile.flow == Flow::Browser && over_ssh() {
            eprintln!(
                "note: this is an SSH session: the browser sign-in redirects to this machine's loopback. \
                 If your browser runs elsewhere, use `lcsauth profile edit {name} --flow device-code`."
            );
        }
        rt.block_on(broker.login_interactive_for(profile, audience, &TerminalPrompt))
    }
    .map_err(|e| for_profile(e, name))?;
    announce(profile, &issued);
    if let Some(note) = broker.secrets().persistence_note() {
        errln!("note: {note}");
    }
    Ok(())
}

/// Shows device codes and opens the browser for an interactive sign-in from the command line.
struct TerminalPrompt;

impl Prompt for TerminalPrompt {
    fn device_code(&self, info: &DeviceCodeInfo) {
        let left = lcsauth::token::remaining(info.expires_at, Timestamp::now());
        // Entra's words, one line each: a message cannot move the cursor or set the clipboard.
        for line in info.message.lines() {
            errln!("{}", lcsauth::sanitize::line(line));
        }
        errln!(
            "  code: {}   (valid {}; waiting for the sign-in…)",
            lcsauth::sanitize::line(&info.user_code),
            duration::text(left)
        );
    }

    fn open_browser(&self, url: &str) -> bool {
        let opened = open_in_browser(url);
        if opened {
            errln!("Opened your browser to sign in. If it did not open, visit:\n  {url}");
        } else {
            let why = no_browser_reason().unwrap_or_else(|| "the browser could not be started".into());
            errln!(
                "No browser was started ({why}). Open this address in a browser on this machine to sign in:\n  {url}"
            );
        }
        opened
    }
}

/// Tells the user on stderr what they got.
pub fn announce(profile: &Profile, issued: &Issued) {
    for w in &issued.warnings {
        errln!("warning: {w}");
    }
    let left = lcsauth::token::remaining(issued.expires_at, Timestamp::now());
    eprintln!(
        "Signed in to '{}': token valid until {} ({} left).",
        profile.name,
        lcsauth::time::utc_datetime(issued.expires_at),
        duration::text(left)
    );
}

pub fn logout(ctx: &Ctx, name: Option<&str>, forget_password: bool) -> Result<(), Failure> {
    let config = ctx.config()?;
    let profile = ctx.select(&config, name)?;
    ctx.broker(&config.settings)?
        .logout(profile.name.as_str(), forget_password)?;
    let kept = if profile.remember_password && !forget_password {
        " The remembered password was kept (--forget-password removes it)."
    } else {
        ""
    };
    eprintln!("Removed the tokens of '{}'.{kept}", profile.name);
    Ok(())
}
