//! The answer of `/devicecode`.
#![no_main]

use lcsauth::entra::DeviceCodeResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(resp) = serde_json::from_slice::<DeviceCodeResponse>(data) {
        let _ = format!("{resp:?}");
    }
});
