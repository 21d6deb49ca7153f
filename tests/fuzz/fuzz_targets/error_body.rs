//! Entra's error JSON: parsed, then explained (code, diagnosis, first description line) as the
//! client shows it.
#![no_main]

use lcsauth::entra::{ErrorBody, Refusal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<ErrorBody>(data) else {
        return;
    };
    let refusal = Refusal { http_status: 400, body };
    let _ = refusal.code();
    let _ = refusal.diagnosis();
    let _ = refusal.description_line();
    let _ = refusal.to_string();
});
