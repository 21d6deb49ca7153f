//! The token endpoint's answer: parsed as the client does (any JSON first, then the token
//! shape), then its lifetime worked out against the access token's claims.
#![no_main]

use lcsauth::entra::TokenResponse;
use lcsauth::token::{Claims, expiry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Straight to the token shape (unknown fields are skipped without a full check)...
    let _ = serde_json::from_slice::<TokenResponse>(data);
    // ...and the client's way: any JSON first, then the token shape.
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(resp) = serde_json::from_value::<TokenResponse>(value) else {
        return;
    };
    assert!(!resp.access_token.expose().trim().is_empty());
    let claims = Claims::decode(resp.access_token.expose()).ok();
    let now = jiff::Timestamp::from_second(1_750_000_000).unwrap();
    if let Ok((end, _)) = expiry(now, resp.expires_in, claims.as_ref()) {
        if claims.as_ref().and_then(Claims::exp_time).is_none() {
            assert!(end.duration_since(now) <= jiff::SignedDuration::from_hours(30));
        }
    }
    let _ = format!("{resp:?}");
});
