//! Config-shaped documents for the Symfony YAML differential test: every spelling of numbers,
//! booleans and nulls, quoted strings, `!php/const` and `!php/object` tags as keys and values,
//! literal block scalars (also at the end of the file without a newline), a byte order mark,
//! CRLF line ends, duplicate keys (also `1` against `'1'`), anchors, aliases and merge keys,
//! flow collections, comments.

use super::Rng;

const KEYS: &[&str] = &[
    "stage",
    "global",
    "deploy",
    "build",
    "SCD_THREADS",
    "SCD_STRATEGY",
    "DATABASE_CONFIGURATION",
    "driver_options",
    "name",
    "type",
    "a",
    "b",
    "key with spaces",
    "'quoted: key'",
    "\"double\"",
    "'it''s'",
    "k-1",
    "1",
    "'1'",
    "0",
    "7",
    "010",
    "0x1F",
    "-3",
    "é",
    "http://x",
    "\\Magento\\Key",
];

/// Scalars: every spelling a reader may take for a number, boolean or null, and strings.
const SCALARS: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "NuLL",
    "true",
    "True",
    "TRUE",
    "false",
    "FALSE",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "On",
    "0",
    "7",
    "-12",
    "+3",
    "+0",
    "-0",
    "00",
    "010",
    "-010",
    "08",
    "0o10",
    "0o17",
    "-0o7",
    "0x1F",
    "0x1f",
    "1_000",
    "1__0",
    "1_000.5",
    "2.0",
    "2.50",
    "1e3",
    "1E3",
    "1.5e-3",
    "-1.5",
    ".5",
    "5.",
    "-.5",
    ".inf",
    "-.inf",
    ".Inf",
    "+.inf",
    "99999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "2024-01-01",
    "12:30",
    "1.2.3",
    "compact",
    "quick",
    "hello world",
    "a#b",
    "\\Magento\\Framework\\Cache\\Backend\\Redis",
    "http://host:80/path",
    "'single'",
    "'010'",
    "'it''s'",
    "''",
    "'a: b # c'",
    "\"double\"",
    "\"1_000\"",
    "\"esc \\\" \\\\ \\n \\t\"",
    "\"\\u00e9\"",
    "\"\"",
    "[]",
    "{}",
    "[a, 'b', 1, 010, +3, ~]",
    "[1_000, 0o10, true]",
    "{a: 1, b: [x, y]}",
    "{a: 1, a: 2}",
    "{1: x, '1': y}",
    "{010: x, 1_0: y, 0x1F: z}",
    "{true: x}",
    "{a: 1, <<: {b: 2}}",
    "é ü",
    "日本語",
];

const TAGGED_VALUES: &[&str] = &[
    "!php/const \\PDO::MYSQL_ATTR_LOCAL_INFILE",
    "!php/const \\PDO::MYSQL_ATTR_SSL_CA",
    "!php/const PDO::ATTR_TIMEOUT",
    "!php/const \\PDO::ATTR_PERSISTENT",
    "!php/const \\Magento\\Framework\\App\\Area::AREA_FRONTEND",
    "!php/const:\\PDO::MYSQL_ATTR_LOCAL_INFILE",
    "!php/object O:8:\"stdClass\":0:{}",
    "!!str 010",
    "!!str true",
    "! 12",
];

const TAGGED_KEYS: &[&str] = &[
    "!php/const:\\PDO::MYSQL_ATTR_LOCAL_INFILE ",
    "!php/const:\\PDO::MYSQL_ATTR_INIT_COMMAND",
    "!php/const \\PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT",
    "!php/const PDO::MYSQL_ATTR_USE_BUFFERED_QUERY",
    "!php/const \\Magento\\Framework\\DB\\Adapter\\Pdo\\Mysql::X",
];

const BLOCK_LINES: &[&str] = &[
    "set -e",
    "php ./vendor/bin/ece-tools run scenario/deploy.xml",
    "# not a comment",
    "key: value",
    "- item",
    "echo 'it''s' \"q\"",
];

/// One random document.
pub fn document(rng: &mut Rng) -> String {
    let mut doc = Doc {
        out: String::new(),
        anchors: Vec::new(),
        named: 0,
        keys: Vec::new(),
        step: 2 + 2 * rng.below(2),
    };
    let bom = rng.chance(4);
    if bom {
        doc.out.push('\u{feff}');
    } else if rng.chance(10) {
        // Symfony strips leading comment lines (see `quirks` in the reader).
        for _ in 0..1 + rng.below(2) {
            doc.out.push_str("# a comment first\n");
        }
    }
    let lines = 1 + rng.below(8);
    doc.mapping(rng, 0, 0, lines);
    let mut out = doc.out;
    match rng.below(10) {
        // The file ends without its final newline.
        0 | 1 => {
            out.pop();
        }
        2 => out.push('\n'),
        _ => {}
    }
    if rng.chance(10) {
        out = out.replace('\n', "\r\n");
    }
    out
}

struct Doc {
    out: String,
    /// Anchors defined so far that name a mapping (merge keys take those).
    anchors: Vec<String>,
    /// Anchors named so far: each name is defined once (a redefined name is read differently
    /// by saphyr and Symfony, see the module tests).
    named: usize,
    /// Keys of each open mapping: a key is repeated on purpose only now and then.
    keys: Vec<Vec<&'static str>>,
    step: usize,
}

impl Doc {
    fn mapping(&mut self, rng: &mut Rng, indent: usize, depth: usize, n: usize) {
        self.keys.push(Vec::new());
        self.mapping_entries(rng, indent, depth, n);
        self.keys.pop();
    }

    /// A key for the mapping being written: new, except for a deliberate duplicate.
    fn key(&mut self, rng: &mut Rng) -> &'static str {
        let tagged = rng.chance(4);
        let duplicate = rng.chance(3);
        let seen = self.keys.last().cloned().unwrap_or_default();
        for _ in 0..20 {
            let key = if tagged {
                rng.pick(TAGGED_KEYS)
            } else {
                rng.pick(KEYS)
            };
            if duplicate || !seen.contains(&key) {
                if let Some(keys) = self.keys.last_mut() {
                    keys.push(key);
                }
                return key;
            }
        }
        "z"
    }

    fn mapping_entries(&mut self, rng: &mut Rng, indent: usize, depth: usize, n: usize) {
        for _ in 0..n {
            let first_after_bom = self.out == "\u{feff}";
            if rng.chance(5) && !first_after_bom {
                self.out.push('\n');
            }
            let pad = " ".repeat(indent);
            self.out.push_str(&pad);
            if rng.chance(4) && !self.anchors.is_empty() {
                let anchor = self.anchors[rng.below(self.anchors.len())].clone();
                self.out.push_str(&format!("<<: *{anchor}\n"));
                continue;
            }
            let mut key = self.key(rng);
            if first_after_bom && key.contains(": ") {
                // Symfony would split the line at that `: ` (a string or refusal; magelint
                // refuses every BOM before something else than a first `key:`).
                key = "stage";
            }
            self.out.push_str(key);
            self.out.push(':');
            if rng.chance(3) {
                // Symfony reads a tab after the colon as a blank.
                self.out.push('\t');
            }
            match rng.below(100) {
                0..=24 if depth < 3 => {
                    if rng.chance(15) {
                        let anchor = format!("base{}", self.named);
                        self.named += 1;
                        self.out.push_str(&format!(" &{anchor}"));
                        self.comment(rng);
                        let n = 1 + rng.below(4);
                        self.mapping(rng, indent + self.step, depth + 1, n);
                        self.anchors.push(anchor);
                    } else {
                        self.comment(rng);
                        let n = 1 + rng.below(4);
                        self.mapping(rng, indent + self.step, depth + 1, n);
                    }
                }
                25..=34 if depth < 3 => {
                    self.comment(rng);
                    let dashes = if rng.chance(30) {
                        indent
                    } else {
                        indent + self.step
                    };
                    let n = 1 + rng.below(4);
                    self.sequence(rng, dashes, depth + 1, n);
                }
                35..=44 => self.block_scalar(rng, indent),
                45..=49 if !self.anchors.is_empty() => {
                    let anchor = &self.anchors[rng.below(self.anchors.len())];
                    self.out.push_str(&format!(" *{anchor}"));
                    self.comment(rng);
                }
                50..=57 => {
                    self.out.push(' ');
                    self.out.push_str(rng.pick(TAGGED_VALUES));
                    self.comment(rng);
                }
                _ => {
                    let value = rng.pick(SCALARS);
                    if !value.is_empty() {
                        self.out.push(' ');
                        self.out.push_str(value);
                    }
                    self.comment(rng);
                }
            }
        }
    }

    fn sequence(&mut self, rng: &mut Rng, indent: usize, depth: usize, n: usize) {
        for _ in 0..n {
            self.out.push_str(&" ".repeat(indent));
            self.out.push('-');
            if rng.chance(20) && depth < 3 {
                // A compact mapping after the dash, of one-line scalars: Symfony reads a block
                // scalar ending such an item without its final newline (not generated).
                self.out.push(' ');
                let first = rng.pick(KEYS);
                self.out.push_str(first);
                self.out.push_str(": ");
                self.out.push_str(rng.pick(SCALARS));
                self.comment(rng);
                if rng.chance(50) {
                    for _ in 0..1 + rng.below(2) {
                        self.out.push_str(&" ".repeat(indent + 2));
                        let key = rng.pick(KEYS);
                        self.out.push_str(if key == first { "z" } else { key });
                        self.out.push_str(": ");
                        self.out.push_str(rng.pick(SCALARS));
                        self.comment(rng);
                    }
                }
                continue;
            }
            let value = rng.pick(SCALARS);
            if !value.is_empty() {
                self.out.push(' ');
                self.out.push_str(value);
            }
            self.comment(rng);
        }
    }

    /// A literal block scalar for a key at column `parent`.
    fn block_scalar(&mut self, rng: &mut Rng, parent: usize) {
        self.out.push(' ');
        self.out.push_str(rng.pick(&["|", "|", "|-", "|+"]));
        self.out.push('\n');
        let content = parent + self.step;
        for i in 0..1 + rng.below(3) {
            if i > 0 && rng.chance(15) {
                self.out.push('\n');
            }
            let extra = if rng.chance(15) { 2 } else { 0 };
            self.out.push_str(&" ".repeat(content + extra));
            self.out.push_str(rng.pick(BLOCK_LINES));
            self.out.push('\n');
        }
        while rng.chance(20) {
            self.out.push('\n');
        }
    }

    fn comment(&mut self, rng: &mut Rng) {
        if rng.chance(10) {
            self.out.push_str(" # comment");
        }
        self.out.push('\n');
    }
}
