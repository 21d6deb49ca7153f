//! A password Entra refused is not sent again by itself.
//!
//! A polling script that re-sends a wrong or expired password every minute locks the account
//! within minutes. After a refusal of the password grant, the remembered password is held back
//! from every automatic use until a sign-in succeeds; later calls make no request and say what
//! to do. (A refused refresh token is deleted, so it cannot be sent again either.)

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::entra::Refusal;

/// AADSTS codes that say the password itself, or the account it opens, is not accepted:
/// wrong password (50126), locked (50053), expired (50055), missing in the directory (50056),
/// disabled (50057), user not found (50034).
pub const PASSWORD_REFUSALS: [u32; 6] = [50126, 50053, 50055, 50056, 50057, 50034];

/// True when Entra's answer to a password grant means sending the same password again cannot
/// succeed: one of [`PASSWORD_REFUSALS`] or any `invalid_grant`.
pub fn refuses_password(r: &Refusal) -> bool {
    r.body.error == "invalid_grant" || r.code().is_some_and(|c| PASSWORD_REFUSALS.contains(&c))
}

/// Kept in the profile's state after Entra refused its password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRefused {
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// What the refusal meant, in lcsauth's words (never Entra's raw text).
    pub summary: String,
}

impl PasswordRefused {
    pub fn of(at: Timestamp, r: &Refusal) -> Self {
        Self {
            at,
            code: r.code(),
            summary: r.diagnosis().summary.to_string(),
        }
    }

    /// Why the remembered password is not sent: for a "sign-in needed" message.
    pub fn reason(&self) -> String {
        let code = self.code.map(|c| format!("AADSTS{c}, ")).unwrap_or_default();
        format!(
            "Entra refused its password at {} ({code}{}); the remembered password is not sent again \
             until a sign-in succeeds",
            crate::time::utc_datetime(self.at),
            crate::sanitize::line(&self.summary)
        )
    }
}

/// Where a remembered password was given for: it is sent nowhere else. A profiles.toml
/// rewritten to point at another host, tenant, app or user never receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordTarget {
    pub authority: String,
    pub tenant: String,
    pub client_id: String,
    pub username: String,
}

impl PasswordTarget {
    pub fn of(profile: &crate::profile::Profile) -> Self {
        let ep = profile.endpoint();
        Self {
            authority: ep.authority.trim_end_matches('/').to_string(),
            tenant: ep.tenant,
            client_id: ep.client_id,
            username: profile.username.clone().unwrap_or_default(),
        }
    }

    /// Why the remembered password is not sent to `now`.
    pub fn reason(recorded: Option<&Self>, now: &Self) -> Option<String> {
        let Some(was) = recorded else {
            return Some(
                "the remembered password has no record of the sign-in it was given for; \
                 it is sent again once typed for this profile"
                    .into(),
            );
        };
        let changed: Vec<&str> = [
            ("authority", was.authority != now.authority),
            ("tenant", was.tenant != now.tenant),
            ("client_id", was.client_id != now.client_id),
            ("username", was.username != now.username),
        ]
        .iter()
        .filter_map(|(k, c)| c.then_some(*k))
        .collect();
        (!changed.is_empty()).then(|| {
            format!(
                "the remembered password was given for another sign-in ({} changed in profiles.toml, now {}); \
                 it is not sent there",
                changed.join(", "),
                crate::sanitize::line(&now.authority)
            )
        })
    }
}
