//! The configuration file: any TOML an operator writes is either a configuration or an error
//! naming what is wrong, never a panic; and what is accepted holds the promises the rest of
//! the server relies on.
#![no_main]

use figment::providers::{Format, Serialized, Toml};
use figment::Figment;
use libfuzzer_sys::fuzz_target;
use server::config::{Config, RawConfig};

fuzz_target!(|text: &str| {
    let figment = Figment::from(Serialized::defaults(RawConfig::default())).merge(Toml::string(text));
    let Ok(config) = Config::from_figment(figment) else { return };
    assert!(!config.public_url.ends_with('/'), "{:?}", config.public_url);
    assert!(!config.issuer.is_empty() && !config.issuer.contains(':'), "{:?}", config.issuer);
    assert!(config.public_url.starts_with(if config.https { "https://" } else { "http://" }));
});
