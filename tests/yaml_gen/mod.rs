//! Generated and mutated YAML for the fast-path differential test: config-shaped documents with
//! random indentation, quoting, comments, trailing spaces, every scalar form the resolver knows,
//! literal block scalars (every chomping, blank and more-indented lines, comments after them, at
//! the end of the file with or without its newline), plus the constructs the fast path must
//! hand to saphyr.

pub mod symfony;

/// xorshift64*: deterministic, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "stage",
    "global",
    "SCD_THREADS",
    "deploy",
    "name",
    "a",
    "b",
    "b",
    "x",
    "key with spaces",
    "\"quoted: key\"",
    "'single # key'",
    "'it''s'",
    "\"esc\\\"aped\"",
    "\"\"",
    "a#b",
    "http://x",
    "-dash",
    "1",
    "~",
    "true",
    "é",
    "日本",
    "'<<'",
    "k~/",
    "\"k\\u00e9y\"",
    "1.5",
];

/// Values the fast path must hand to saphyr (or that make the file an error).
const ODD_KEYS: &[&str] = &["<<", "? q", "&a k", "[k]", "k\u{a0}"];

const SCALARS: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "0",
    "-12",
    "+5",
    "0755",
    "0o17",
    "0x1F",
    "0xZZ",
    "0o",
    "1.5e3",
    "1e",
    ".5",
    "1.",
    "-.inf",
    "+.Inf",
    ".NaN",
    ".nan",
    "99999999999999999999",
    "0x7FFFFFFFFFFFFFFFFF",
    "1_000",
    "2024-01-01",
    "1:20",
    "-x",
    "--",
    "compact",
    "hello world",
    "a#b",
    "a #b",
    "key:value",
    "http://host:80/path?q=1",
    "\\Magento\\Framework\\Cache",
    "'single'",
    "'it''s'",
    "''",
    "'a: b # c'",
    "\"double\"",
    "\"\"",
    "\"esc \\\" \\\\ \\n \\t \\/ \\0 \\e \\N \\_ \\L \\P\"",
    "\"\\x41\\u00e9\\U0001F600\"",
    "[]",
    "[ ]",
    "{}",
    "{ }",
    "[a, 'b', \"c\", 1, -2, ~, 0x1F]",
    "[ one ,two ]",
    "[-1, -x]",
    "é ü",
    "日本語",
    "😀",
    "a ]",
    "a }",
    "a, b",
    "---",
    "...",
];

/// Values the fast path must hand to saphyr (or that make the file an error).
const ODD_SCALARS: &[&str] = &[
    "-",
    "key: value",
    "\"\\ud800\"",
    "\"bad \\q\"",
    "\"tab\\\tx\"",
    "\"unterminated",
    "'unterminated",
    "\"multi",
    "[a,]",
    "[a: b]",
    "[[a]]",
    "[a, #c]",
    "[-]",
    "[a -, b]",
    "[a, b -]",
    "{a: 1}",
    "{a: 1",
    "[a, b",
    "&anchor x",
    "*alias",
    "!!str 12",
    "!php/const Foo::BAR",
    "|",
    ">-",
    "- x",
    "? x",
    ": x",
    "%x",
    "@x",
    "`x`",
    "x\u{85}y",
    "x\u{2028}y",
    "x\u{feff}",
    "x\u{a0}",
    "x\u{2003}",
    "\u{3000}x",
    "a\tb",
    "x: y: z",
    "'x' y",
    "'x'#c",
    "\"x\":",
];

/// Mostly keys and values the fast path takes, sometimes one it must hand to saphyr.
fn key(rng: &mut Rng) -> &'static str {
    let pool = if rng.chance(3) { ODD_KEYS } else { KEYS };
    rng.pick(pool)
}

fn scalar(rng: &mut Rng) -> &'static str {
    let pool = if rng.chance(3) { ODD_SCALARS } else { SCALARS };
    rng.pick(pool)
}

/// One random document.
pub fn document(rng: &mut Rng) -> String {
    let mut out = String::new();
    let step = 1 + rng.below(4);
    let base = if rng.chance(10) { rng.below(3) } else { 0 };
    // Some large mappings, so duplicates also go through the fast path's key index.
    let lines = if rng.chance(10) {
        15 + rng.below(40)
    } else {
        1 + rng.below(12)
    };
    block(&mut out, base, step, 0, lines, rng.chance(20), rng);
    match rng.below(8) {
        0..=3 => out.push('\n'),
        // Without the final newline (a block scalar's last line then ends the file).
        4 => {
            out.pop();
        }
        5 => out.truncate(out.trim_end().len()),
        _ => {}
    }
    out
}

fn block(
    out: &mut String,
    indent: usize,
    step: usize,
    depth: usize,
    n: usize,
    list: bool,
    rng: &mut Rng,
) {
    for _ in 0..n {
        noise(rng, out);
        let pad = " ".repeat(indent);
        if list {
            out.push_str(&pad);
            out.push('-');
            if rng.chance(25) && depth < 4 {
                // A compact mapping or sequence after the dash, or a nested block below.
                match rng.below(3) {
                    0 => {
                        let col = indent + 1 + 1 + rng.below(2);
                        out.push_str(&" ".repeat(col - indent - 1));
                        out.push_str(key(rng));
                        out.push(':');
                        tail_value(rng, out, col);
                        block(out, col, step, depth + 1, rng.below(3), false, rng);
                    }
                    1 if rng.chance(30) => {
                        out.push_str(" -");
                        block_scalar(rng, out, indent + 2);
                    }
                    1 => {
                        out.push_str(" - ");
                        out.push_str(scalar(rng));
                        out.push('\n');
                    }
                    _ => {
                        trailer(rng, out);
                        block(
                            out,
                            indent + step,
                            step,
                            depth + 1,
                            1 + rng.below(3),
                            rng.chance(40),
                            rng,
                        );
                    }
                }
            } else {
                tail_value(rng, out, indent);
            }
            continue;
        }
        out.push_str(&pad);
        out.push_str(key(rng));
        if rng.chance(5) {
            out.push_str("  ");
        }
        out.push(':');
        if rng.chance(30) && depth < 4 {
            trailer(rng, out);
            let nested_list = rng.chance(40);
            // Indentless sequences sit at the key's column.
            let child = if nested_list && rng.chance(40) {
                indent
            } else {
                indent + step
            };
            block(
                out,
                child,
                step,
                depth + 1,
                1 + rng.below(4),
                nested_list,
                rng,
            );
        } else {
            tail_value(rng, out, indent);
        }
    }
}

/// ` value` (or nothing), maybe trailing spaces and a comment, then the newline; sometimes a
/// block scalar instead. `parent` is the column of the collection's keys or dashes.
fn tail_value(rng: &mut Rng, out: &mut String, parent: usize) {
    if rng.chance(12) {
        block_scalar(rng, out, parent);
        return;
    }
    let value = scalar(rng);
    if !value.is_empty() {
        out.push_str(if rng.chance(10) { "   " } else { " " });
        out.push_str(value);
    }
    trailer(rng, out);
}

fn trailer(rng: &mut Rng, out: &mut String) {
    if rng.chance(10) {
        out.push_str("  ");
    }
    if rng.chance(15) {
        out.push_str(rng.pick(&[" # comment", "  #c: d", "#glued", " # é", " #"]));
    }
    out.push('\n');
}

const HEADERS: &[&str] = &["|", "|", "|-", "|+"];

/// Headers the fast path must hand to saphyr (or that make the file an error).
const ODD_HEADERS: &[&str] = &[
    ">", ">-", ">+", "|2", "|+1", "|1-", "|0", "|#c", "|x", "||", "|-+",
];

/// Text of block scalar lines: shell, things that look like YAML, Unicode blanks.
const BLOCK_LINES: &[&str] = &[
    "set -e",
    "php ./vendor/bin/ece-tools run scenario/deploy.xml",
    "# not a comment",
    "key: value",
    "- item",
    "a | b",
    "|",
    "k: |",
    "echo 'it''s' \"q\" \\n",
    "[ -s x ] && y",
    "é ü 日本",
    "---",
    "...",
    "trailing  ",
    "\u{a0}",
    "x\u{3000}",
    "{ }",
];

/// A literal block scalar (a header, then its lines) for a value of a collection at column
/// `parent`: all chompings, empty ones, leading, inner and trailing blank lines with any number
/// of spaces, more-indented lines, a comment after it; rarely an odd header or line.
fn block_scalar(rng: &mut Rng, out: &mut String, parent: usize) {
    out.push_str(if rng.chance(10) { "   " } else { " " });
    let pool = if rng.chance(8) { ODD_HEADERS } else { HEADERS };
    out.push_str(rng.pick(pool));
    trailer(rng, out);
    let content = parent + 1 + rng.below(4);
    while rng.chance(20) {
        blank_line(rng, out, content);
    }
    let lines = if rng.chance(15) { 0 } else { 1 + rng.below(4) };
    for i in 0..lines {
        if i > 0 && rng.chance(20) {
            blank_line(rng, out, content);
        }
        let column = match rng.below(100) {
            0..=14 => content + 1 + rng.below(3),
            // Between the collection and the content: an error or the end of the scalar.
            15 if content > parent + 1 => parent + 1,
            _ => content,
        };
        out.push_str(&" ".repeat(column));
        out.push_str(if rng.chance(1) {
            "\tx"
        } else {
            rng.pick(BLOCK_LINES)
        });
        out.push('\n');
    }
    while rng.chance(30) {
        blank_line(rng, out, content);
    }
    if rng.chance(15) {
        out.push_str(&" ".repeat(rng.below(content + 1)));
        out.push_str("# after the block\n");
    }
}

/// An empty line, or one of spaces: fewer than `content`, as many, or more.
fn blank_line(rng: &mut Rng, out: &mut String, content: usize) {
    let spaces = match rng.below(10) {
        0..=4 => 0,
        5..=7 => rng.below(content),
        8 => content,
        _ => content + 1 + rng.below(2),
    };
    out.push_str(&" ".repeat(spaces));
    out.push('\n');
}

/// Blank lines and comment lines at random columns.
fn noise(rng: &mut Rng, out: &mut String) {
    if rng.chance(8) {
        out.push('\n');
    }
    if rng.chance(8) {
        out.push_str(&" ".repeat(rng.below(6)));
        out.push_str("# note: x\n");
    }
    if rng.chance(3) {
        out.push_str(&" ".repeat(rng.below(4)));
        out.push('\n');
    }
}

const INSERTS: &[&str] = &[
    " ",
    "  ",
    ":",
    ": ",
    "-",
    "- ",
    "#",
    " #",
    "'",
    "\"",
    "\n",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&",
    "*",
    "!",
    "|",
    ">",
    "?",
    "%",
    "@",
    "\r",
    "\u{feff}",
    "é",
    "\\",
    "~",
    "0",
    "---\n",
    "|-",
    "|+",
    " |\n",
    ": |\n  x\n",
    "- |+\n\n",
    "\n\n",
    "   \n",
    "2",
];

/// `source` with a few random character edits and line indentation changes.
pub fn mutate(rng: &mut Rng, source: &str) -> String {
    let mut chars: Vec<char> = source.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 => {
                // Indent or dedent the line holding `at`.
                let start = chars[..at]
                    .iter()
                    .rposition(|&c| c == '\n')
                    .map_or(0, |i| i + 1);
                if rng.chance(50) {
                    chars.insert(start, ' ');
                } else if chars.get(start) == Some(&' ') {
                    chars.remove(start);
                }
            }
            _ => {
                for (i, c) in rng.pick(INSERTS).chars().enumerate() {
                    chars.insert(at + i, c);
                }
            }
        }
    }
    chars.into_iter().collect()
}
