//! `profiles.toml`: whatever parses is valid and survives a save (render, parse again) unchanged.
#![no_main]

use std::path::Path;

use lcsauth::profile::store::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(config) = Config::parse(text, Path::new("profiles.toml")) else {
        return;
    };
    for p in &config.profiles {
        assert!(p.validate().is_ok());
    }
    let rendered = config.render();
    match Config::parse(&rendered, Path::new("profiles.toml")) {
        Ok(again) => assert_eq!(again, config, "changed by a save:\n{rendered}"),
        Err(e) => panic!("a saved config does not load: {e}\n{rendered}"),
    }
});
