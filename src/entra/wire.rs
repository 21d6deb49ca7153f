//! Entra's JSON bodies, parsed tolerantly: optional fields may be missing and numbers may come
//! as strings (v1 endpoints and some proxies send `"expires_in": "3599"`).

use serde::{Deserialize, Deserializer};

use crate::secret::Secret;

/// A successful token response.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default, deserialize_with = "lenient_int")]
    pub expires_in: Option<i64>,
    #[serde(default, deserialize_with = "lenient_int")]
    pub ext_expires_in: Option<i64>,
    /// v1 only: absolute end in Unix seconds.
    #[serde(default, deserialize_with = "lenient_int")]
    pub expires_on: Option<i64>,
    #[serde(deserialize_with = "secret")]
    pub access_token: Secret,
    #[serde(default, deserialize_with = "optional_secret")]
    pub refresh_token: Option<Secret>,
    #[serde(default, deserialize_with = "optional_secret")]
    pub id_token: Option<Secret>,
}

/// The error body of the token and device-code endpoints.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default, deserialize_with = "lenient_codes")]
    pub error_codes: Vec<u32>,
    #[serde(default)]
    pub suberror: Option<String>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub error_uri: Option<String>,
    /// A claims challenge: what Conditional Access or continuous access evaluation wants the
    /// next sign-in to prove (JSON text, passed back to an interactive sign-in).
    #[serde(default)]
    pub claims: Option<String>,
}

/// The answer of `/devicecode`.
#[derive(Clone, Debug, Deserialize)]
pub struct DeviceCodeResponse {
    #[serde(deserialize_with = "secret")]
    pub device_code: Secret,
    pub user_code: String,
    #[serde(alias = "verification_url")]
    pub verification_uri: String,
    #[serde(default, deserialize_with = "lenient_int")]
    pub expires_in: Option<i64>,
    #[serde(default, deserialize_with = "lenient_int")]
    pub interval: Option<i64>,
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IntOrText {
    Int(i64),
    Float(f64),
    Text(String),
    /// A boolean, array or object: read as missing rather than failing the whole answer.
    Other(serde::de::IgnoredAny),
}

fn to_int(v: IntOrText) -> Option<i64> {
    match v {
        IntOrText::Int(i) => Some(i),
        #[allow(clippy::cast_possible_truncation)]
        IntOrText::Float(f) if f.is_finite() => Some(f as i64),
        IntOrText::Float(_) | IntOrText::Other(_) => None,
        IntOrText::Text(s) => s.trim().parse().ok(),
    }
}

fn lenient_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<IntOrText>::deserialize(d)?.and_then(to_int))
}

fn lenient_codes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
    let raw = Option::<Vec<IntOrText>>::deserialize(d)?.unwrap_or_default();
    Ok(raw
        .into_iter()
        .filter_map(to_int)
        .filter_map(|i| u32::try_from(i).ok())
        .collect())
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(serde::de::Error::custom("empty token"));
    }
    // A token goes to stdout, a clipboard and environments: one with control characters is not
    // a token, and printing it would let the server drive the user's terminal.
    if s.chars().any(crate::sanitize::is_hazard) {
        return Err(serde::de::Error::custom("control characters in a token"));
    }
    Ok(Secret::new(s))
}

fn optional_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .filter(|s| !s.is_empty())
        .map(Secret::new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_example_parses() {
        let r: TokenResponse = serde_json::from_str(
            r#"{"token_type":"Bearer","scope":"https://lcsapi.lcs.dynamics.com//user_impersonation https://lcsapi.lcs.dynamics.com//.default","expires_in":4228,"ext_expires_in":4228,"access_token":"eyJ0eXAiOiJKV1Qi..."}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(4228));
        assert!(r.refresh_token.is_none());
    }

    #[test]
    fn numbers_sent_as_strings_are_accepted() {
        let r: TokenResponse = serde_json::from_str(
            r#"{"expires_in":"3599","expires_on":"1700000000","access_token":"x","refresh_token":"y"}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(3599));
        assert_eq!(r.expires_on, Some(1_700_000_000));
        assert_eq!(r.refresh_token.unwrap().expose(), "y");
    }

    #[test]
    fn wrong_types_degrade_to_missing_not_to_a_panic() {
        let r: TokenResponse = serde_json::from_str(r#"{"expires_in":"soon","access_token":"x"}"#).unwrap();
        assert_eq!(r.expires_in, None);
        assert!(serde_json::from_str::<TokenResponse>(r#"{"access_token":""}"#).is_err());
        assert!(serde_json::from_str::<TokenResponse>(r#"{"access_token":42}"#).is_err());
    }

    #[test]
    fn error_body_codes_may_be_strings() {
        let e: ErrorBody = serde_json::from_str(r#"{"error":"invalid_grant","error_codes":["50126"]}"#).unwrap();
        assert_eq!(e.error_codes, vec![50126]);
    }

    #[test]
    fn debug_of_a_response_shows_no_token() {
        let r: TokenResponse =
            serde_json::from_str(r#"{"access_token":"AT-SECRET","refresh_token":"RT-SECRET"}"#).unwrap();
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("AT-SECRET") && !dbg.contains("RT-SECRET"), "{dbg}");
    }
}
