//! Access tokens: lifetime, state at a given moment, and the JWT claims decoded for display.
//!
//! Claims are read, never validated: the token is for the API, and the client treats it as
//! opaque except to show the user what it holds and when it ends.

use std::time::Duration;

use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// A token's state as the board and `status` show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenState {
    /// Valid for at least `min_valid`.
    Valid,
    /// Still valid, but for less than `min_valid`: the next use refreshes it.
    Expiring,
    Expired,
    /// No token was ever obtained (or it was removed).
    None,
    /// The last attempt failed and no valid token is left.
    Error,
}

impl TokenState {
    pub fn key(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
            Self::None => "none",
            Self::Error => "error",
        }
    }

    /// The state of a token ending at `expires_at`, seen at `now`.
    pub fn at(expires_at: Option<Timestamp>, now: Timestamp, min_valid: Duration, failed: bool) -> Self {
        match expires_at {
            Some(end) if end > now => {
                if remaining(end, now) >= min_valid {
                    Self::Valid
                } else {
                    Self::Expiring
                }
            }
            _ if failed => Self::Error,
            Some(_) => Self::Expired,
            None => Self::None,
        }
    }
}

/// Time left until `end`, zero when past.
pub fn remaining(end: Timestamp, now: Timestamp) -> Duration {
    crate::time::between(now, end)
}

/// The claims worth showing, read from the JWT payload. Every field is optional: tokens differ
/// by version (v1 has `upn`/`appid`, v2 has `preferred_username`/`azp`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<String>,
    /// The user: `upn`, else `unique_name`, else `preferred_username`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scp: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amr: Vec<String>,
    /// `appid` (v1) or `azp` (v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ver: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
}

/// Why a token's payload could not be read.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    #[error("the access token is not a JWT (expected three dot-separated parts)")]
    NotJwt,
    #[error("the access token's payload is not base64url-encoded JSON")]
    BadPayload,
}

impl Claims {
    /// Decodes the payload of a JWT without checking its signature.
    pub fn decode(jwt: &str) -> Result<Claims, ClaimsError> {
        let mut parts = jwt.split('.');
        let (Some(_header), Some(payload), Some(_sig), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ClaimsError::NotJwt);
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| ClaimsError::BadPayload)?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| ClaimsError::BadPayload)?;
        let obj = value.as_object().ok_or(ClaimsError::BadPayload)?;
        let text = |k: &str| obj.get(k).and_then(serde_json::Value::as_str).map(str::to_string);
        let number = |k: &str| {
            obj.get(k).and_then(|v| {
                v.as_i64()
                    .or_else(|| v.as_f64().map(|f| f as i64))
                    .or_else(|| v.as_str()?.parse().ok())
            })
        };
        Ok(Claims {
            aud: text("aud"),
            iss: text("iss"),
            tid: text("tid"),
            user: text("upn")
                .or_else(|| text("unique_name"))
                .or_else(|| text("preferred_username")),
            name: text("name"),
            scp: text("scp"),
            amr: obj
                .get("amr")
                .and_then(serde_json::Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
            app: text("appid").or_else(|| text("azp")),
            ver: text("ver"),
            iat: number("iat"),
            nbf: number("nbf"),
            exp: number("exp"),
        })
    }

    pub fn exp_time(&self) -> Option<Timestamp> {
        self.exp.and_then(|s| Timestamp::from_second(s).ok())
    }

    /// A warning when the token's audience is not the API host the profile calls.
    pub fn audience_mismatch(&self, api_host: &str) -> Option<String> {
        let aud = self.aud.as_deref()?;
        let norm = |s: &str| s.trim_end_matches('/').to_ascii_lowercase();
        if norm(aud) == norm(api_host) || aud.eq_ignore_ascii_case("913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0") {
            None
        } else {
            Some(format!(
                "the token's audience is {aud} but the profile calls {api_host}: the API will answer 401; check the region or scope"
            ))
        }
    }
}

/// The longest lifetime we believe: CAE tokens last up to 28 hours.
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 3600);

/// When a token obtained at `obtained_at` ends, from `expires_in` cross-checked with the JWT `exp`.
///
/// `expires_in` is relative and immune to clock skew, so it leads; a JWT `exp` that ends sooner
/// wins, because a token must never be handed out past its real end. Returns the end and a
/// warning when the two disagree by more than two minutes (usually a wrong local clock).
pub fn expiry(
    obtained_at: Timestamp,
    expires_in: Option<i64>,
    claims: Option<&Claims>,
) -> Result<(Timestamp, Option<String>), String> {
    let from_response = expires_in
        .filter(|s| *s > 0)
        .map(|s| obtained_at.saturating_add(SignedDuration::from_secs(s.min(MAX_LIFETIME.as_secs() as i64))))
        .and_then(Result::ok);
    let from_jwt = claims.and_then(Claims::exp_time);
    match (from_response, from_jwt) {
        (Some(r), Some(j)) => {
            let gap = r.duration_since(j).abs();
            let warning = (gap > SignedDuration::from_secs(120)).then(|| {
                format!(
                    "the token's exp claim and expires_in disagree by {}s: is the local clock right?",
                    gap.as_secs()
                )
            });
            Ok((r.min(j), warning))
        }
        (Some(r), None) => Ok((r, None)),
        (None, Some(j)) => Ok((j, None)),
        (None, None) => Err(match expires_in {
            Some(s) => {
                format!("Entra answered an unusable lifetime (expires_in = {s}) and the token carries no exp claim")
            }
            None => "Entra's answer has no expires_in and the token carries no exp claim".to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            e.encode(r#"{"typ":"JWT","alg":"RS256"}"#),
            e.encode(payload)
        )
    }

    #[test]
    fn v1_claims_are_read_and_user_prefers_upn() {
        let c = Claims::decode(&jwt(
            r#"{"aud":"https://lcsapi.lcs.dynamics.com","upn":"a@b.c","unique_name":"x","exp":1700000000,"scp":"user_impersonation","appid":"app","amr":["pwd","mfa"]}"#,
        ))
        .unwrap();
        assert_eq!(c.user.as_deref(), Some("a@b.c"));
        assert_eq!(c.exp, Some(1_700_000_000));
        assert_eq!(c.amr, vec!["pwd", "mfa"]);
        assert_eq!(c.app.as_deref(), Some("app"));
        assert!(c.audience_mismatch("https://lcsapi.lcs.dynamics.com/").is_none());
        assert!(c.audience_mismatch("https://lcsapi.eu.lcs.dynamics.com").is_some());
    }

    #[test]
    fn non_jwt_tokens_are_reported_not_panicked_on() {
        assert_eq!(Claims::decode("opaque-token"), Err(ClaimsError::NotJwt));
        assert_eq!(Claims::decode("a.!!!.c"), Err(ClaimsError::BadPayload));
        assert_eq!(Claims::decode(&jwt("[1,2]")), Err(ClaimsError::BadPayload));
    }

    #[test]
    fn state_follows_min_valid() {
        let now = Timestamp::from_second(1_000_000).unwrap();
        let min = Duration::from_secs(900);
        let at = |s: i64| Some(Timestamp::from_second(1_000_000 + s).unwrap());
        assert_eq!(TokenState::at(at(901), now, min, false), TokenState::Valid);
        assert_eq!(TokenState::at(at(899), now, min, false), TokenState::Expiring);
        assert_eq!(TokenState::at(at(0), now, min, false), TokenState::Expired);
        assert_eq!(TokenState::at(at(-5), now, min, true), TokenState::Error);
        assert_eq!(TokenState::at(at(901), now, min, true), TokenState::Valid);
        assert_eq!(TokenState::at(None, now, min, false), TokenState::None);
    }

    #[test]
    fn expiry_takes_the_earlier_end_and_flags_disagreement() {
        let t0 = Timestamp::from_second(1_000_000).unwrap();
        let claims = Claims {
            exp: Some(1_000_000 + 3000),
            ..Claims::default()
        };
        let (end, warn) = expiry(t0, Some(4228), Some(&claims)).unwrap();
        assert_eq!(end.as_second(), 1_003_000);
        assert!(warn.unwrap().contains("clock"));
        let (end, warn) = expiry(t0, Some(3000), Some(&claims)).unwrap();
        assert_eq!(end.as_second(), 1_003_000);
        assert!(warn.is_none());
    }

    #[test]
    fn negative_or_absurd_lifetimes_are_not_trusted() {
        let t0 = Timestamp::from_second(1_000_000).unwrap();
        assert!(expiry(t0, Some(-5), None).is_err());
        let (end, _) = expiry(t0, Some(i64::MAX), None).unwrap();
        assert_eq!(end.as_second(), 1_000_000 + 30 * 3600);
    }
}
