//! Non-secret token metadata per profile, kept in `state/<profile>.json` so the board and
//! `status` render without unlocking the keyring.

use std::collections::BTreeMap;
use std::io;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::atomic_file::write_private;
use crate::audience::Audience;
use crate::diagnose::Diagnosis;
use crate::entra::EntraError;
use crate::paths::ConfigDir;
use crate::profile::fields::Flow;
use crate::token::Claims;

/// The longest claims challenge kept for the next sign-in.
pub const MAX_CLAIMS: usize = 4096;

/// The format version written into every state file.
pub const STATE_VERSION: u32 = 1;

/// How a token was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    Password,
    RefreshToken,
    DeviceCode,
    AuthorizationCode,
    ClientCredentials,
}

impl Grant {
    pub fn key(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::RefreshToken => "refresh_token",
            Self::DeviceCode => "device_code",
            Self::AuthorizationCode => "authorization_code",
            Self::ClientCredentials => "client_credentials",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenMeta {
    pub expires_at: Timestamp,
    pub obtained_at: Timestamp,
    pub grant: Grant,
    #[serde(default)]
    pub claims: Claims,
    /// Set when the claims could not be read or disagree with the answer (clock skew).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshMeta {
    pub obtained_at: Timestamp,
}

/// The last failure, explained, with the ids to quote to an admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastError {
    pub at: Timestamp,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_step: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// A claims challenge Entra sent: the next interactive sign-in passes it to `/authorize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<String>,
}

impl LastError {
    pub fn new(at: Timestamp, message: impl Into<String>) -> Self {
        Self {
            at,
            message: message.into(),
            code: None,
            error: None,
            description: None,
            cause: None,
            fix: None,
            article_step: None,
            trace_id: None,
            correlation_id: None,
            claims: None,
        }
    }

    /// The refusal `e` of a sign-in of profile `name`: its fix names the profile, and offers the
    /// browser first where it offers both interactive flows if `flow` is the browser.
    pub fn from_entra(at: Timestamp, e: &EntraError, name: &str, flow: Flow) -> Self {
        let mut last = Self::new(at, e.to_string());
        if let Some(r) = e.refusal() {
            let dx: Diagnosis = r.diagnosis();
            last.code = r.code();
            last.error = Some(r.body.error.clone());
            last.description = r.description_line().map(str::to_string);
            last.cause = Some(dx.cause.to_string());
            last.fix = Some(dx.fix_for(name, flow));
            last.article_step = dx.article_step;
            last.trace_id = r.trace_id().map(str::to_string);
            last.correlation_id = r.correlation_id().map(str::to_string);
            // A challenge is a few hundred bytes of JSON; anything else is not kept.
            last.claims = r
                .body
                .claims
                .clone()
                .filter(|c| c.len() <= MAX_CLAIMS && serde_json::from_str::<serde_json::Value>(c).is_ok());
        }
        last
    }
}

/// Everything known about a profile's tokens, minus the secrets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileState {
    #[serde(default)]
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenMeta>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<RefreshMeta>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<LastError>,
    /// Set when Entra refused the profile's password: it is not sent again by itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_refused: Option<super::refused::PasswordRefused>,
    /// The sign-in the remembered password was given for; it is sent to no other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_for: Option<super::refused::PasswordTarget>,
    /// Every audience but `lcs` (whose token and error are the fields above, as they always
    /// were), keyed by the audience as written in `profiles.toml`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub audiences: BTreeMap<String, AudienceState>,
}

/// One audience's access-token metadata and last failure; the refresh token is the identity's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenMeta>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<LastError>,
}

impl ProfileState {
    /// The state as one audience sees it: its own token and error, the identity's refresh token.
    #[must_use]
    pub fn view(&self, audience: &Audience) -> ProfileState {
        let slot = self.slot(audience);
        ProfileState {
            version: self.version,
            token: slot.token,
            refresh_token: self.refresh_token.clone(),
            last_error: slot.last_error,
            audiences: BTreeMap::new(),
            password_for: self.password_for.clone(),
            password_refused: self.password_refused.clone(),
        }
    }

    /// The audience's token and error.
    pub fn slot(&self, audience: &Audience) -> AudienceState {
        if audience.is_lcs() {
            return AudienceState {
                token: self.token.clone(),
                last_error: self.last_error.clone(),
            };
        }
        self.audiences.get(&audience.to_string()).cloned().unwrap_or_default()
    }

    /// Replaces the audience's token and error.
    pub fn set_slot(&mut self, audience: &Audience, slot: AudienceState) {
        if audience.is_lcs() {
            self.token = slot.token;
            self.last_error = slot.last_error;
        } else if slot == AudienceState::default() {
            self.audiences.remove(&audience.to_string());
        } else {
            self.audiences.insert(audience.to_string(), slot);
        }
    }

    /// The audiences other than `lcs` this state holds something for.
    pub fn known_audiences(&self) -> Vec<Audience> {
        self.audiences.keys().filter_map(|k| k.parse().ok()).collect()
    }
}

/// Reads and writes state files.
#[derive(Clone, Debug)]
pub struct StateStore {
    dir: ConfigDir,
}

impl StateStore {
    pub fn new(dir: ConfigDir) -> Self {
        Self { dir }
    }

    /// The profile's state; a missing, unreadable or future-format file reads as empty
    /// (it only holds metadata: the next sign-in rewrites it).
    pub fn load(&self, profile: &str) -> ProfileState {
        let Ok(bytes) = std::fs::read(self.dir.state_file(profile)) else {
            return ProfileState::default();
        };
        match serde_json::from_slice::<ProfileState>(&bytes) {
            Ok(s) if s.version <= STATE_VERSION => s,
            _ => ProfileState::default(),
        }
    }

    pub fn save(&self, profile: &str, state: &ProfileState) -> io::Result<()> {
        let mut state = state.clone();
        state.version = STATE_VERSION;
        let json = serde_json::to_vec_pretty(&state).map_err(io::Error::other)?;
        write_private(&self.dir.state_file(profile), &json)
    }

    pub fn remove(&self, profile: &str) -> io::Result<()> {
        match std::fs::remove_file(self.dir.state_file(profile)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Moves a profile's state when the profile is renamed.
    pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        match std::fs::rename(self.dir.state_file(from), self.dir.state_file(to)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entra::{ErrorBody, Refusal};

    fn mfa_refusal() -> EntraError {
        EntraError::Refused(Box::new(Refusal {
            http_status: 400,
            body: ErrorBody {
                error: "invalid_grant".into(),
                error_description: Some("AADSTS50076: you must use multi-factor authentication".into()),
                error_codes: vec![50076],
                trace_id: Some("0c2d7a3e-5b1f-4e8a-9c6d-2f4b8a1e7d30".into()),
                ..ErrorBody::default()
            },
        }))
    }

    #[test]
    fn a_recorded_refusal_keeps_its_fix_written_for_the_profile() {
        let last = LastError::from_entra(Timestamp::UNIX_EPOCH, &mfa_refusal(), "fabrikam-ops", Flow::Password);
        assert_eq!(last.code, Some(50076));
        assert_eq!(
            last.fix.as_deref(),
            Some(
                "The password flow cannot satisfy this. Switch the profile to an interactive flow: \
                 `lcsauth profile edit fabrikam-ops --flow device-code` (or `--flow browser`), then \
                 `lcsauth login fabrikam-ops`."
            )
        );
        let browser = LastError::from_entra(Timestamp::UNIX_EPOCH, &mfa_refusal(), "p", Flow::Browser);
        assert!(
            browser
                .fix
                .unwrap()
                .contains("`lcsauth profile edit p --flow browser` (or `--flow device-code`)")
        );
    }
}
