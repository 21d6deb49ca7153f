//! Token material: access and id tokens as RS256-signed JWTs (verifiable
//! against the simulator's JWKS), opaque refresh tokens and codes, and stable
//! GUIDs derived from names.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::keys::SIGNING;

/// base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `n` random bytes, base64url-encoded.
pub fn random_b64(n: usize) -> String {
    let bytes: Vec<u8> = std::iter::repeat_with(|| fastrand::u8(..)).take(n).collect();
    b64(&bytes)
}

/// A GUID that is always the same for the same seed.
pub fn stable_guid(seed: &str) -> uuid::Uuid {
    let digest = Sha256::digest(seed.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_sha1_bytes(bytes).into_uuid()
}

/// The tenant's GUID: the tenant itself when it is one, else derived from its name.
pub fn tenant_id(tenant: &str) -> String {
    uuid::Uuid::parse_str(tenant).map_or_else(
        |_| stable_guid(&format!("tenant:{}", tenant.to_ascii_lowercase())).to_string(),
        |guid| guid.to_string(),
    )
}

/// The user's object id, stable across runs.
pub fn object_id(username: &str) -> String {
    stable_guid(&format!("user:{}", username.to_ascii_lowercase())).to_string()
}

/// Entra's pairwise `sub`: 43 base64url characters, one value per user and app.
pub fn pairwise_subject(object_id: &str, client_id: &str) -> String {
    b64(&Sha256::digest(
        format!("sub:{object_id}:{}", client_id.to_ascii_lowercase()).as_bytes(),
    ))
}

/// `header.payload.signature` signed with the simulator's key; the header is
/// Entra's `{"typ":"JWT","alg":"RS256","x5t":…,"kid":…}`.
pub fn encode(claims: &Value) -> String {
    let key = &*SIGNING;
    let header = format!(r#"{{"typ":"JWT","alg":"RS256","x5t":"{0}","kid":"{0}"}}"#, key.key_id);
    let payload = serde_json::to_string(claims).unwrap_or_else(|_| "{}".to_owned());
    let signed = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let signature = key.sign(signed.as_bytes());
    format!("{signed}.{}", b64(&signature))
}

/// The decoded header and claims of a JWT-shaped string, if it is one.
pub fn decode(token: &str) -> Option<(Value, Value)> {
    let mut parts = token.split('.');
    let header = parts.next()?;
    let payload = parts.next()?;
    parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let parse = |segment: &str| -> Option<Value> {
        let bytes = URL_SAFE_NO_PAD.decode(segment).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    Some((parse(header)?, parse(payload)?))
}

/// The claims of a JWT-shaped string.
pub fn claims(token: &str) -> Option<Value> {
    decode(token).map(|(_, claims)| claims)
}

/// An opaque refresh token in Entra's style (`0.A…`, around 1,500 characters).
pub fn refresh_token() -> String {
    format!("0.AXoA{}", random_b64(1120))
}

/// An opaque device code.
pub fn device_code() -> String {
    format!("DAQABIQEAAAD--DLA3VO7QrddgJg7Wevr{}", random_b64(120))
}

/// An authorization code.
pub fn authorization_code() -> String {
    format!("1.AXoA{}", random_b64(300))
}

/// A user code such as `FQ7KXMB3R`: nine characters, no look-alikes.
pub fn user_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..9)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect()
}

/// base64url-no-pad(SHA-256(verifier)), the PKCE S256 challenge.
pub fn s256_challenge(verifier: &str) -> String {
    b64(&Sha256::digest(verifier.as_bytes()))
}
