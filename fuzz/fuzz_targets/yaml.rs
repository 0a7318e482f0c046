#![no_main]
//! syntax::yaml::parse with the default limits and a tight one: never a panic, every span inside.

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use magelint::syntax::{yaml, Limits};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    common::check(&text, yaml::parse(&text, &Limits::default()));
    common::check(&text, yaml::parse(&text, &Limits { max_depth: 3 }));
});
