#![no_main]
//! The whole pipeline on in-memory files: the input is split at 0xFF bytes (never valid UTF-8,
//! so never inside a real file) into up to 9 files of different kinds, linted together with
//! the fleet rules, then rendered in every output format and summarised as a footprint.
//! Asserts: no panic, no internal error (E000), every position inside its file's text.

use libfuzzer_sys::fuzz_target;
use magelint::discover::{classify, SourcePath};
use magelint::lint::{check_fleet, lint_inputs, sort, Input, LintOptions};
use magelint::report::{render, OutputFormat, RenderOptions};
use magelint::syntax::Span;
use std::path::{Path, PathBuf};

const PATHS: &[&str] = &[
    "a/app/etc/env.php",
    "a/app/etc/config.php",
    "a/.magento.env.yaml",
    "a/.magento.app.yaml",
    "b/app/etc/env.json",
    "b/app/etc/config.php",
    "a/.magento/services.yaml",
    "a/composer.json",
    "c/app/etc/env.staging.php",
];

const FORMATS: &[OutputFormat] = &[
    OutputFormat::Full,
    OutputFormat::Concise,
    OutputFormat::Json,
    OutputFormat::JsonLines,
    OutputFormat::Sarif,
    OutputFormat::Github,
    OutputFormat::Gitlab,
    OutputFormat::Junit,
    OutputFormat::Checkstyle,
];

fuzz_target!(|data: &[u8]| {
    let base = PathBuf::from("/magelint-fuzz");
    let inputs: Vec<Input> = data
        .split(|&b| b == 0xFF)
        .zip(PATHS)
        .map(|(bytes, name)| {
            let path = base.join(name);
            let (kind, format) = classify(Path::new(&path)).expect("a Magento file name");
            Input {
                source: SourcePath {
                    path,
                    kind,
                    format,
                    explicit: false,
                },
                text: Some(String::from_utf8_lossy(bytes).into_owned()),
            }
        })
        .collect();
    let options = LintOptions {
        base_dir: base.clone(),
        ..LintOptions::default()
    };
    let mut report = lint_inputs(inputs, &options);
    check_fleet(&mut report, &options);
    sort(&mut report);
    for diagnostic in &report.diagnostics {
        assert_ne!(diagnostic.code, "E000", "{}", diagnostic.message);
        let in_file = |file: usize, span: Span| {
            let text = &report.files[file].text;
            assert!(
                span.start <= span.end && span.end as usize <= text.len(),
                "{} span {span:?} outside {} bytes",
                diagnostic.code,
                text.len()
            );
        };
        in_file(diagnostic.location.file, diagnostic.location.span);
        for related in &diagnostic.related {
            in_file(related.location.file, related.location.span);
        }
    }
    for format in FORMATS {
        let _ = render(&report, *format, RenderOptions { color: true });
    }
    let fleet = magelint::model::resolve(&report.files, &base);
    let footprint = magelint::model::footprint::write(&fleet, "fuzz");
    let _ = serde_json::to_string(&footprint).expect("footprint serializes");
    let baseline = magelint::baseline::from_report(&report);
    let _ = magelint::baseline::to_json(&baseline);
});
