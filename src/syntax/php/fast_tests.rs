//! The fast path against the full parser: wherever `fast` gives a document, it is the one the
//! full parser gives; and it does read the files Magento writes.

use super::{array, fast, full};
use crate::syntax::{Document, Limits, ParseError};

fn by_fast(source: &str, limits: &Limits) -> Option<Document> {
    array::with_scratch(|mut scratch| (fast::parse(source, limits, &mut scratch), scratch))
}

fn by_full(source: &str, limits: &Limits) -> Result<Document, ParseError> {
    array::with_scratch(|scratch| full(source, limits, scratch))
}

/// Fails when the fast path gives a document the full parser does not.
fn agree(source: &str, limits: &Limits) -> bool {
    let Some(fast) = by_fast(source, limits) else {
        return false;
    };
    match by_full(source, limits) {
        Ok(full) => assert_eq!(fast, full, "fast path differs on:\n{source}"),
        Err(e) => panic!("fast path read what the full parser rejects ({e:?}):\n{source}"),
    }
    true
}

const CONFIG_PHP: &str = r#"<?php
return [
    'modules' => [
        'Magento_Store' => 1,
        'Magento_Directory' => 1,
        'Magento_Theme' => 0,
        'Magento_ServicesConnector' => 1
    ],
    'scopes' => [
        'websites' => [
            'admin' => ['website_id' => '0', 'code' => 'admin', 'is_default' => '0'],
            'base' => [
                'website_id' => '1',
                'code' => 'base',
                'name' => 'Main Website',
                'sort_order' => '0',
                'default_group_id' => '1',
                'is_default' => '1'
            ]
        ],
        'groups' => [
            0 => ['group_id' => '0', 'root_category_id' => '0'],
            1 => ['group_id' => '1', 'name' => 'Main Website Store']
        ],
        'stores' => [
            'default' => ['store_id' => '1', 'name' => 'Default Store \'View\'', 'is_active' => '1']
        ]
    ],
    'system' => [
        'default' => [
            'services_connector' => [
                'services_connector_integration' => ['production_api_key' => null],
                'environment' => 'production'
            ],
            'web' => ['secure' => ['base_url' => "https://shop.example.com/"]],
            'general' => ['locale' => ['code' => "en_\"US\""]]
        ],
        'stores' => [
            'default' => ['design' => ['head' => ['default_title' => 'Shop']]]
        ]
    ],
    'admin_user' => [],
    'list' => ['a', 'b', 7 => 'c', 'd', '10' => 'e', 'f'],
    'flags' => [TRUE, false, Null, 0, 123456789012345678],
];
"#;

const ENV_PHP: &str = r#"<?php
// Written by setup:install, then edited by hand.
return array (
    'backend' => array('frontName' => 'admin_x1'),
    /* keys come from the environment */
    'crypt' => ['key' => getenv('MAGENTO_CRYPT_KEY')],
    'db' => [
        'connection' => [
            'default' => [
                'host' => getenv( 'DB_HOST' ),
                'password' => env('DB_PASSWORD', "secret"),
                'active' => '1', # trailing comment
            ],
        ],
    ],
    'MAGE_MODE' => 'production',
);
"#;

#[test]
fn reads_what_magento_writes() {
    let limits = Limits::default();
    assert!(agree(CONFIG_PHP, &limits), "config.php shape not read");
    assert!(agree(ENV_PHP, &limits), "env.php shape not read");
    assert!(agree("<?php return [];", &limits));
    assert!(agree("<?php return [9223372036854775807, 0];", &limits));
    assert!(agree("<?PHP\r\nRETURN[ ]  ;  // end\n", &limits));
}

#[test]
fn leaves_everything_else_to_the_full_parser() {
    let limits = Limits::default();
    for source in [
        // a duplicate key: the full parser records it (MG003)
        "<?php return ['a' => 1, 'a' => 2];",
        "<?php return ['1' => 1, 1 => 2];",
        // other statements, tags and values
        "<?php $a = 1; return ['a' => $a];",
        "<?php return ['a' => 1]; ?>",
        "<?php return ['a' => 1];\n?>\n",
        "<?php return ['a' => 1]; echo 1;",
        " <?php return [];",
        "<?php return 1;",
        "<?php return [-1];",
        "<?php return [1.5];",
        "<?php return [0x1F];",
        "<?php return [08];",
        "<?php return [1_000];",
        "<?php return [1e3];",
        "<?php return [99999999999999999999];",
        "<?php return [\\true];",
        "<?php return ['a' . 'b'];",
        "<?php return [getenv('X') ?: 'y'];",
        "<?php return [getenv('X')['a']];",
        "<?php return [foo('X')];",
        "<?php return [\\getenv('X')];",
        "<?php return [\"a$b\"];",
        "<?php return [\"\\u{zz}\"];",
        "<?php return [true => 1];",
        "<?php return [[] => 1];",
        "<?php return [FOO];",
        "<?php return [array];",
        "<?php return ['a' => 1,,];",
        "<?php return ['a' => 1 /* unterminated",
        "<?php return ['a' => 1 // ?> x\n];",
        "<?php return ['a' => 1] ;\n#[Attr]\n",
        "<?php return ['a' => &$x];",
        "<?php return [...$x];",
        "<?php return ['a' => 1]",
    ] {
        assert!(
            by_fast(source, &limits).is_none(),
            "the fast path must give up on:\n{source}"
        );
    }
    // Large arrays compare their key hashes in a table: a duplicate far apart is still found.
    let mut modules: Vec<String> = (0..40).map(|i| format!("'Magento_M{i}' => 1")).collect();
    let all = |m: &[String]| format!("<?php return ['modules' => [{}]];", m.join(",\n"));
    assert!(agree(&all(&modules), &limits), "a large array is read");
    modules[37] = "'Magento_M3' => 0".into();
    assert!(
        by_fast(&all(&modules), &limits).is_none(),
        "a duplicate in a large array"
    );
    modules[37] = "'3' => 0, 3 => 1".into();
    assert!(
        by_fast(&all(&modules), &limits).is_none(),
        "'3' and 3 are one key"
    );
    // The depth limit is the full parser's to report.
    let deep = "<?php return [[[1]]];";
    assert!(by_fast(deep, &Limits { max_depth: 2 }).is_none());
    assert!(agree(deep, &Limits { max_depth: 3 }));
}

/// Every edit of the samples at every position (a byte removed, a piece of PHP inserted):
/// where the fast path still reads the text, it must read it as the full parser does.
#[test]
fn agrees_with_the_full_parser_on_every_edit() {
    const PIECES: [&str; 26] = [
        " ", "\n", "\t", "//c\n", "#c\n", "/*c*/", ",", "'", "\"", "\\", "[", "]", "(", ")", "=>",
        "0", "9", "-", ".", "x", "?>", "$a", "TRUE", "array(", "getenv(", "'1' => ",
    ];
    let samples = [CONFIG_PHP, ENV_PHP];
    let limits = Limits::default();
    let (mut edits, mut read) = (0, 0);
    for sample in samples {
        let cuts: Vec<usize> = (0..=sample.len())
            .filter(|&i| sample.is_char_boundary(i))
            .collect();
        for &at in &cuts {
            let mut edited: Vec<String> = PIECES
                .iter()
                .map(|piece| format!("{}{piece}{}", &sample[..at], &sample[at..]))
                .collect();
            if let Some(&next) = cuts.iter().find(|&&c| c > at) {
                edited.push(format!("{}{}", &sample[..at], &sample[next..]));
            }
            for source in &edited {
                edits += 1;
                read += usize::from(agree(source, &limits));
            }
        }
    }
    // Most edits keep the file in the fast path's shape; a path that gave up on everything
    // would pass the comparison trivially.
    assert!(
        read * 4 > edits,
        "fast path read only {read} of {edits} edits"
    );
}

/// The real config files of the corpus and every PHP fixture.
#[test]
fn agrees_with_the_full_parser_on_real_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![root.join("../shared/corpus/real"), root.join("fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                dirs.push(path);
            } else if name.contains(".php") && !name.ends_with(".json") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 100, "only {} PHP files found", files.len());
    let limits = Limits::default();
    let mut read = 0;
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        read += usize::from(agree(&source, &limits));
    }
    // Real files are mostly machine-written: the fast path must be reading them.
    assert!(
        read * 2 > files.len(),
        "fast path read {read} of {}",
        files.len()
    );
}
