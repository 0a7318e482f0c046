//! The YAML fast path against the saphyr path: whenever the fast path takes a file, its Document
//! must be identical (values, spans, key spans, list flags, duplicates). Over every YAML file of
//! the fixtures, the tests, the real-world corpus and a generated fleet (when present), over
//! thousands of generated and mutated snippets, and over truncations of the real files.

mod yaml_gen;

use std::path::{Path, PathBuf};

use magelint::syntax::{yaml, Document, Limits, Value};
use yaml_gen::Rng;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");
const FLEET: &str = "/tmp/mlb/fleet-100";

#[derive(Default, Debug)]
struct Tally {
    fast: usize,
    bailed: usize,
}

/// Compares both paths on `source`; returns whether the fast path took it.
fn same(source: &str, what: &dyn std::fmt::Display) -> bool {
    let limits = Limits::default();
    let Some(fast) = yaml::parse_fast(source, &limits) else {
        return false;
    };
    match yaml::parse_events(source, &limits) {
        Ok(slow) => assert_same(&fast, &slow, source, what),
        Err(e) => panic!("{what}: fast path took a file saphyr rejects ({e:?})\n{source:?}"),
    }
    // The public entry point answers with the fast result.
    assert!(yaml::parse(source, &limits).is_ok());
    true
}

fn assert_same(fast: &Document, slow: &Document, source: &str, what: &dyn std::fmt::Display) {
    // Debug text as the fallback: `.nan` is not equal to itself.
    if fast == slow || format!("{fast:?}") == format!("{slow:?}") {
        return;
    }
    let (f, s) = (flatten(fast), flatten(slow));
    let diff: Vec<String> = (0..f.len().max(s.len()))
        .filter(|&i| f.get(i) != s.get(i))
        .take(4)
        .map(|i| format!("  fast:   {:?}\n  saphyr: {:?}", f.get(i), s.get(i)))
        .collect();
    panic!(
        "{what}: fast path differs\nsource: {source:?}\n{}",
        diff.join("\n")
    );
}

/// One line per node (pointer, key span, value, span) and per duplicate, for short diffs.
fn flatten(doc: &Document) -> Vec<String> {
    let mut lines = Vec::new();
    let mut stack = vec![(String::new(), None, &doc.root)];
    while let Some((pointer, key_span, node)) = stack.pop() {
        let shown = match &node.value {
            Value::Array { entries, list } => format!("array({}, list: {list})", entries.len()),
            other => format!("{other:?}"),
        };
        lines.push(format!(
            "{pointer} key {key_span:?} = {shown} @ {:?}",
            node.span
        ));
        for entry in node.value.entries().iter().rev() {
            stack.push((
                format!("{pointer}/{}", entry.key),
                entry.key_span.get(),
                &entry.value,
            ));
        }
    }
    lines.extend(doc.duplicates.iter().map(|d| format!("duplicate {d:?}")));
    lines
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(path);
        }
    }
}

fn all_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        root.join("fixtures"),
        root.join("tests"),
        PathBuf::from(CORPUS),
        PathBuf::from(FLEET),
    ] {
        yaml_files(&dir, &mut files);
    }
    files.sort();
    files
}

#[test]
fn every_yaml_file_is_identical_on_both_paths() {
    let mut tally = Tally::default();
    let mut bailed = Vec::new();
    let files = all_files();
    assert!(
        files.len() > 30,
        "too few YAML files found: {}",
        files.len()
    );
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        if same(&source, &path.display()) {
            tally.fast += 1;
        } else {
            tally.bailed += 1;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            bailed.push(format!("{name:?} at {:?}", first_declined_line(&source)));
        }
    }
    eprintln!("files: {tally:?}");
    bailed.sort();
    bailed.dedup();
    eprintln!(
        "bailed out (first declined line):\n  {}",
        bailed.join("\n  ")
    );
}

/// The first line whose addition makes the fast path decline (why a file went to saphyr).
fn first_declined_line(source: &str) -> Option<&str> {
    let limits = Limits::default();
    let mut end = 0;
    for line in source.split_inclusive('\n') {
        end += line.len();
        if yaml::parse_fast(&source[..end], &limits).is_none() {
            return Some(line.trim_end());
        }
    }
    None
}

/// The files the benchmark and real fleets hold must really take the fast path.
#[test]
fn realistic_env_files_take_the_fast_path() {
    for i in [0, 7, 123] {
        let source = format!(
            "stage:\n  global:\n    SCD_STRATEGY: compact\n    SKIP_HTML_MINIFICATION: true\n  build:\n    SCD_THREADS: {}\n    SCD_COMPRESSION_LEVEL: {}\n  deploy:\n    REDIS_BACKEND: '\\Magento\\Framework\\Cache\\Backend\\RemoteSynchronizedCache'\n    CRON_CONSUMERS_RUNNER:\n      cron_run: true\n      max_messages: {i}\n",
            i % 8,
            i % 12
        );
        assert!(same(&source, &"bench/schema.sh shape"), "{source}");
    }
    let mut fleet = Vec::new();
    yaml_files(Path::new(FLEET), &mut fleet);
    let env: Vec<_> = fleet
        .iter()
        .filter(|p| p.ends_with(".magento.env.yaml"))
        .collect();
    for path in &env {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        assert!(same(&source, &path.display()), "{path:?} bailed out");
    }
    eprintln!("fleet .magento.env.yaml on the fast path: {}", env.len());
    // .magento.app.yaml: its hooks are literal block scalars.
    let app = concat!(
        "name: shop0\ntype: php:8.3\nhooks:\n",
        "  build: |\n    set -e\n",
        "    php ./vendor/bin/ece-tools run scenario/build/generate.xml\n",
        "  deploy: |\n    php ./vendor/bin/ece-tools run scenario/deploy.xml\n",
        "  post_deploy: |\n    php ./vendor/bin/ece-tools run scenario/post-deploy.xml\n",
        "crons:\n  magento:\n    spec: \"* * * * *\"\n",
    );
    assert!(same(app, &"examples/gen-fleet .magento.app.yaml shape"));
    let apps: Vec<_> = fleet
        .iter()
        .filter(|p| p.ends_with(".magento.app.yaml"))
        .collect();
    for path in &apps {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        assert!(same(&source, &path.display()), "{path:?} bailed out");
    }
    eprintln!("fleet .magento.app.yaml on the fast path: {}", apps.len());
    for name in [
        "magento__magento-cloud__.magento.env.yaml",
        "magento__magento-cloud__.magento.app.yaml",
        "maroooooon__coca-cola-japan__.magento.app.yaml",
        "PMET-public__magento-cloud__.magento.app.yaml",
        "congvt305__staging-twap__.magento.env.yaml",
        "aabumuslimov__magento-cloud-sandbox__.magento__services.yaml",
    ] {
        let path = Path::new(CORPUS).join(name);
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(same(&source, &name), "{name} bailed out");
    }
}

#[test]
fn generated_snippets_are_identical() {
    let mut rng = Rng::new(0x6d61_6765);
    let mut generated = Tally::default();
    let mut mutated = Tally::default();
    // Fast-path snippets with a clip, strip and keep literal block scalar, and with one that
    // ends the file without a newline.
    let mut literals = [0usize; 4];
    for i in 0..20_000 {
        let source = yaml_gen::document(&mut rng);
        let took = same(&source, &format!("snippet {i}"));
        if took {
            generated.fast += 1;
            for (n, has) in literals.iter_mut().zip(literal_kinds(&source)) {
                *n += usize::from(has);
            }
        } else {
            generated.bailed += 1;
        }
        let edited = yaml_gen::mutate(&mut rng, &source);
        if same(&edited, &format!("mutated snippet {i}")) {
            mutated.fast += 1;
        } else {
            mutated.bailed += 1;
        }
    }
    eprintln!("generated: {generated:?}, mutated: {mutated:?}");
    eprintln!(
        "fast-path snippets with |, |-, |+, a block at the end without newline: {literals:?}"
    );
    // Both sides must be exercised for the comparison to mean something.
    assert!(
        generated.fast > 2_000 && generated.bailed > 2_000,
        "{generated:?}"
    );
    // (Numeric, null and boolean keys are the saphyr path's: Symfony reads them as PHP keys.)
    assert!(literals.iter().all(|&n| n > 50), "{literals:?}");
    assert!(mutated.fast > 1_000, "{mutated:?}");
}

/// Which literal headers a source has (`|`, `|-`, `|+` ending a `key:` or `-` line, comments
/// aside), and whether its last line is an indented line without a newline.
fn literal_kinds(source: &str) -> [bool; 4] {
    let mut kinds = [false; 4];
    for line in source.lines() {
        let line = line.split(" #").next().unwrap_or_default().trim_end();
        for (kind, header) in ["|", "|-", "|+"].iter().enumerate() {
            if line.ends_with(&format!(": {header}")) || line.ends_with(&format!("- {header}")) {
                kinds[kind] = true;
            }
        }
    }
    let last = source.rsplit('\n').next().unwrap_or_default();
    kinds[3] = kinds[..3].contains(&true) && last.starts_with(' ') && !last.trim().is_empty();
    kinds
}

/// The Symfony differential's documents (tags, every number spelling, BOM, CRLF, duplicates,
/// merge keys, block scalars at the end of the file): both paths agree wherever the fast
/// path takes one.
#[test]
fn symfony_documents_are_identical() {
    let mut rng = Rng::new(0x5379_6d66);
    let mut tally = Tally::default();
    for i in 0..20_000 {
        let source = yaml_gen::symfony::document(&mut rng);
        if same(&source, &format!("Symfony document {i}")) {
            tally.fast += 1;
        } else {
            tally.bailed += 1;
        }
    }
    eprintln!("Symfony documents: {tally:?}");
    assert!(tally.fast > 1_000 && tally.bailed > 1_000, "{tally:?}");
}

#[test]
fn mutated_real_files_are_identical() {
    let mut rng = Rng::new(42);
    let mut tally = Tally::default();
    let files = all_files();
    for path in files.iter().filter(|p| !p.starts_with(FLEET)) {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        if source.len() > 10_000 {
            continue;
        }
        for round in 0..100 {
            let edited = yaml_gen::mutate(&mut rng, &source);
            if same(&edited, &format!("{} mutation {round}", path.display())) {
                tally.fast += 1;
            } else {
                tally.bailed += 1;
            }
        }
    }
    eprintln!("mutated real files: {tally:?}");
}

/// Every prefix of the real files (every char boundary for small files, a sample for large
/// ones): no panic, and identical when the fast path takes it.
#[test]
fn truncations_never_panic_and_agree() {
    let mut tally = Tally::default();
    for path in all_files().iter().filter(|p| !p.starts_with(FLEET)) {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        let step = (source.len() / 3_000).max(1);
        for (at, _) in source.char_indices().step_by(step) {
            let prefix = &source[..at];
            if same(prefix, &format!("{} cut at {at}", path.display())) {
                tally.fast += 1;
            } else {
                tally.bailed += 1;
            }
        }
    }
    eprintln!("truncations: {tally:?}");
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng::new(7);
    let alphabet = b" \n-:#'\"[]{},&*!|>?%@\\`~.0123456789abcxyzE\t\r";
    for _ in 0..20_000 {
        let len = rng.below(40);
        let mut bytes: Vec<u8> = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        if rng.chance(10) {
            bytes.extend((0..rng.below(6)).map(|_| rng.next() as u8));
        }
        let source = String::from_utf8_lossy(&bytes).into_owned();
        same(&source, &"random bytes");
    }
}

#[test]
fn edge_cases_are_identical() {
    let long_key = "k".repeat(1_200);
    let cases = [
        format!("{long_key}: 1\n"),
        format!("a: 1\n{}: 2\n", "k".repeat(999)),
        "--- \na: 1\n".to_string(),
        "a: 1\n...\n".to_string(),
        "a: 1\r\nb: 2\r\n".to_string(),
        "\u{feff}a: 1\n".to_string(),
        "  a: 1\nb: 2\n".to_string(),
        "a: 1\n  # deeper comment\nb: 2\n".to_string(),
        "a:\n  b: 1\n c: 2\n".to_string(),
        "- a: 1\n  b: [x, 'y']\n- c\n-\n".to_string(),
        "k:\n- a: 1\n  b: 2\nz: 3\n".to_string(),
        "- a:\n  - x\n  b: 1\n".to_string(),
        "a: b:c\nd: 'e':\n".to_string(),
        "é: \"ü\\u00e9\" # ç\nnäme: wörld\n".to_string(),
        "a: 'x'\nb: \"y\"\n\"a\": 2\n'b': 3\na: 4\n".to_string(),
        (0..40).map(|i| format!("k{}: {i}\n", i % 23)).collect(),
    ];
    let mut fast = 0;
    for case in &cases {
        fast += usize::from(same(case, &"edge case"));
    }
    eprintln!("edge cases on the fast path: {fast} of {}", cases.len());
    assert!(yaml::parse_fast(&cases[0], &Limits::default()).is_none());
    assert!(yaml::parse_fast(&cases[1], &Limits::default()).is_some());
    let dups = yaml::parse_fast(&cases[15], &Limits::default()).map(|d| d.duplicates.len());
    assert_eq!(dups, Some(17));
}

#[test]
fn depth_limit_is_left_to_saphyr() {
    let limits = Limits { max_depth: 3 };
    let ok = "a:\n  b:\n    c: [1]\n";
    assert!(yaml::parse_fast(ok, &limits).is_none());
    let e = yaml::parse(ok, &limits).err().map(|e| e.message);
    assert!(e.is_some_and(|m| m.contains("deeper than 3")));
    let fits = "a:\n  b:\n    c: 1\n";
    assert!(yaml::parse_fast(fits, &limits).is_some());
    let deep = format!("{}x\n", "- ".repeat(10_000));
    assert!(yaml::parse_fast(&deep, &Limits::default()).is_none());
    assert!(yaml::parse(&deep, &Limits::default()).is_err());
}

/// Literal block scalars: chomping, blank and more-indented lines, comments, the end of the
/// file, nesting; and the shapes the fast path must leave to saphyr.
#[test]
fn block_scalars_are_identical() {
    let taken = [
        "k: |\n  a\n  b\n",
        "k: |-\n  a\n",
        "k: |+\n  a\n\n\n",
        "k: |\n  a\n\n\n",
        "k: |-\n  a\n\n\nz: 1\n",
        "k: |+\n  a\n\n  # c\nz: 1\n",
        "k: |+\n    a\n\n  # c\n\nz: 1\n",
        "k: |\n  a\n    more\n  b\n",
        "k: |\n  a",
        "k: |-\n  a",
        "k: |+\n  a",
        "k: |",
        "k: |-",
        "k: |+ # c",
        "k: |\n",
        "k: |+\n\n\n",
        "k: |\nz: 1\n",
        "k: |+\n\nz: 1\n",
        "k: | # comment\n  a\n",
        "k: |\n\n  a\n",
        "k: |\n \n  a\n",
        "- |\n  a\n- |-\n  b\n- |+\n  c\n\n",
        "- |\n a\n",
        "k:\n- |\n  a\n- b\n",
        "k:\n- x\n- |\n  a\n- b\n",
        "- - |\n    a\n",
        "- k: |\n    a\n  j: 1\n",
        "a:\n  b: |\n    x\n  c: 1\n",
        "k: |\n  a\n  \n  b\n",
        "k: |\n  a\n     \n  b\n",
        "k: |\n  a\n     \n",
        "k: |\n  ---\n",
        "k: |\n  a\nk: |\n  b\n",
        "'q': |\n  a\n",
        "k:  |   # c\n\n\n   a\n\n   b\n\n# end\n",
        "hooks:\n    build: |\n        set -e\n\n        php x\n    # c\n    deploy: |\n        php y\n",
    ];
    let declined = [
        "k: >\n  a\n",
        "k: |#c\n  a\n",
        "k: |2\n  a\n",
        "k: |-1\n  a\n",
        "k: |\n    \n  a\n",
        "k: |\n  a\n  ",
        "k: |+\n  ",
        "a:\n  b: |\n      x\n    c: 1\n",
        "k: |\n\ta\n",
        "k: |x\n",
        // Unicode spaces: the saphyr path's spans trim them, and its search for the next `|`
        // stops at them.
        "k: |\n  é\u{a0}\n",
        "k: |\n  \u{3000}\n",
        "- |\n  a\u{a0}\n- |\n  b\n",
        "- |+\n  \u{a0}\n\n- |\n  b\n",
        "a: x\u{a0}\nb: |\n  y\n",
        "a\u{2000}: 1\n",
    ];
    for case in taken {
        assert!(same(case, &"block scalar"), "declined: {case:?}");
    }
    for case in declined {
        assert!(!same(case, &"odd block scalar"), "taken: {case:?}");
    }
    for case in [
        "k: |\n  a\n---\nb: 1\n",
        "k: |\n  a\nb",
        "k: |\n  a\n b: 1\n",
    ] {
        same(case, &"block scalar then something odd");
    }
}
