//! The JWT payload decoder: the input as a whole token, and as the payload of one (so the
//! fuzzer reaches the JSON behind the base64).
#![no_main]

use base64::Engine as _;
use lcsauth::token::{Claims, expiry};
use libfuzzer_sys::fuzz_target;

fn exercise(token: &str) {
    let Ok(claims) = Claims::decode(token) else { return };
    let _ = claims.exp_time();
    let _ = claims.audience_mismatch("https://lcsapi.lcs.dynamics.com");
    let now = jiff::Timestamp::from_second(1_750_000_000).unwrap();
    let _ = expiry(now, Some(3599), Some(&claims));
    let _ = expiry(now, None, Some(&claims));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        exercise(text);
    }
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data);
    exercise(&format!("eyJ0eXAiOiJKV1QifQ.{payload}.c2ln"));
});
