//! `Fleet::system_setting` starts `default/…` lookups at each file's `system/default` node
//! (found once by `resolve`); it must find what a walk from the file's root finds.

use crate::discover::{FileKind, Format, SourcePath};
use crate::lint::lint_inputs;
use crate::model::Origin;
use crate::options::LintOptions;
use crate::run::Input;

fn input(path: &str, kind: FileKind, text: &str) -> Input {
    Input {
        source: SourcePath {
            path: path.into(),
            kind,
            format: Format::Php,
            explicit: true,
            git: Default::default(),
        },
        text: Some(text.to_string()),
    }
}

#[test]
fn system_settings_are_what_a_walk_from_the_root_finds() {
    let config = "<?php return ['system' => ['default' => ['a' => ['b' => 'config', 'c' => 'c'], \
                  'arr' => ['x' => 1]], 'websites' => ['base' => ['x' => 'w']]]];";
    let env = "<?php return ['system' => ['default' => ['a' => ['b' => 'env', '' => 'e'], \
               'arr' => 'scalar'], 'stores' => ['s' => ['y' => 'store']]]];";
    // Whole files: the lookup is under test here, not the cut.
    let options = LintOptions {
        base_dir: "/fleet".into(),
        uncut: true,
        ..LintOptions::default()
    };
    let inputs = vec![
        input("/fleet/app/etc/config.php", FileKind::ConfigPhp, config),
        input(
            "/fleet/app/etc/env.php",
            FileKind::EnvPhp { variant: None },
            env,
        ),
    ];
    let report = lint_inputs(inputs, &options);
    let fleet = crate::model::resolve(&report.files, &options.base_dir);
    assert_eq!(fleet.sites.len(), 1);
    let site = &fleet.sites[0];
    let installation = fleet.installation(site);
    // The plain definition: `system/<path>` of the env file, else of config.php, skipping
    // arrays.
    let walked = |file: Option<usize>, path: &str| {
        let root = &report.files[file?].facts.as_ref()?.root;
        let entry = root.get("system")?.path_entry(path)?;
        (!matches!(entry.value.value, crate::syntax::Value::Array { .. })).then_some(entry)
    };
    let mut found = 0;
    for path in [
        "default/a/b",
        "default/a/c",
        "default//a/b",
        "default/a//b",
        "default/a/",
        "default/",
        "default/arr",
        "default/arr/x",
        "default",
        "websites/base/x",
        "stores/s/y",
        "default/missing",
    ] {
        let expected = walked(site.env_file, path)
            .map(|e| (&e.value, Origin::EnvFile))
            .or_else(|| {
                walked(installation.config_php, path).map(|e| (&e.value, Origin::ConfigPhp))
            });
        let got = fleet.system_setting(site, path).map(|s| (s.node, s.origin));
        let same = match (got, expected) {
            (Some((a, x)), Some((b, y))) => std::ptr::eq(a, b) && x == y,
            (a, b) => a.is_none() && b.is_none(),
        };
        assert!(same, "{path}: {got:?} vs {expected:?}");
        found += usize::from(got.is_some());
    }
    assert!(found >= 6, "{found}");
}

/// `Setting::text` borrows string values; it must give what the scalar's text gives.
#[test]
fn text_is_the_non_empty_scalar_text() {
    use crate::syntax::{Node, Span, Value};
    let values = [
        Value::Null,
        Value::Bool(true),
        Value::Bool(false),
        Value::Int(0),
        Value::Int(-7),
        Value::Float(1.5),
        Value::String("".into()),
        Value::String("sandbox".into()),
        Value::String("a string longer than twenty-four bytes".into()),
        Value::Dynamic("getenv('X')".into()),
        Value::Array {
            entries: Vec::new(),
            list: true,
        },
    ];
    for value in values {
        let expected = match &value {
            Value::Array { .. } | Value::Dynamic(_) | Value::Null => None,
            value => value.scalar_text().filter(|s| !s.is_empty()),
        };
        let node = Node {
            value,
            span: Span::default(),
        };
        let setting = crate::model::Setting {
            node: &node,
            file: 0,
            key_location: None,
            origin: Origin::EnvFile,
        };
        assert_eq!(setting.text().map(|t| t.into_owned()), expected, "{node:?}");
    }
}
