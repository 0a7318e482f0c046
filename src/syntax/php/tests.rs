use super::parse;
use crate::syntax::{dump::to_json, Document, Key, Limits, LineIndex, ParseError, Span, Value};
use serde_json::json;

fn ok(src: &str) -> Document {
    match parse(src, &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => panic!("parse error {} at {:?} in {src}", e.message, e.span),
    }
}

fn json_of(src: &str) -> serde_json::Value {
    to_json(&ok(src).root)
}

fn err(src: &str) -> ParseError {
    parse(src, &Limits::default()).expect_err("should fail")
}

fn line_col(src: &str, e: &ParseError) -> (u32, u32) {
    let p = LineIndex::new(src).position(src, e.span.start);
    (p.line, p.column)
}

#[test]
fn escapes_in_all_string_kinds() {
    let v = json_of(
        r#"<?php return ['a\\b\'c\n', "\n\t\r\v\e\f\\\$\"\101\x41\u{e9}\q", <<<EOT
          x\ty "q"
            z
          EOT, <<<'N'
        raw\n
        N];"#,
    );
    assert_eq!(
        v,
        json!([
            "a\\b'c\\n",
            "\n\t\r\u{b}\u{1b}\u{c}\\$\"AAé\\q",
            "x\ty \"q\"\n  z",
            "raw\\n"
        ])
    );
}

#[test]
fn implicit_and_numeric_string_keys() {
    let v = json_of("<?php return [5 => 'a', 'b', '7' => 'c', 'd', '07' => 'e', '-3' => 'f', '1.5' => 'g', true => 'h', null => 'i', 2.9 => 'j'];");
    assert_eq!(
        v,
        json!({"5": "a", "6": "b", "7": "c", "8": "d", "07": "e", "-3": "f", "1.5": "g", "1": "h", "": "i", "2": "j"})
    );
    // PHP 8.2 (as installed): after only negative keys the next index is max + 1.
    assert_eq!(
        json_of("<?php return [-5 => 1, 2];"),
        json!({"-5": 1, "-4": 2})
    );
    assert_eq!(json_of("<?php return [1, 2, 3,];"), json!([1, 2, 3]));
    assert_eq!(json_of("<?php return array();"), json!([]));
}

#[test]
fn duplicate_keys_keep_first_position_last_value() {
    let src = "<?php return ['a' => ['x' => 1, 'y' => 2, 'x' => 3], 'b' => 0, '1' => 5, 1 => 6];";
    let doc = ok(src);
    assert_eq!(
        to_json(&doc.root),
        json!({"a": {"x": 3, "y": 2}, "b": 0, "1": 6})
    );
    assert_eq!(doc.duplicates.len(), 2);
    let d = &doc.duplicates[0];
    assert_eq!(d.key, Key::Str("x".into()));
    assert_eq!(&src[d.first.range()], "'x'");
    assert_eq!(d.first.start, 22);
    assert_eq!(&src[d.again.range()], "'x'");
    assert!(d.again.start > d.first.start);
    assert_eq!(d.parent_pointer, "/a");
    assert_eq!(doc.duplicates[1].key, Key::Int(1));
    assert_eq!(doc.duplicates[1].parent_pointer, "");
    // The entry keeps its first key span.
    let entry = doc.root.path_entry("a/x").expect("entry");
    assert_eq!(entry.key_span.get(), Some(d.first));
    assert_eq!(&src[entry.value.span.range()], "3");
}

#[test]
fn duplicates_in_large_arrays_use_the_index() {
    let mut src = String::from("<?php return [");
    for i in 0..100 {
        src.push_str(&format!("'k{i}' => {i}, "));
    }
    src.push_str("'k42' => 'again', 'list' => [0 => 'a', 0 => 'b']];");
    let doc = ok(&src);
    assert_eq!(
        doc.root.get("k42").map(|n| &n.value),
        Some(&Value::String("again".into()))
    );
    assert_eq!(doc.root.value.entries()[42].key, Key::Str("k42".into()));
    assert_eq!(doc.duplicates.len(), 2);
    assert_eq!(doc.duplicates[1].parent_pointer, "/list");
}

#[test]
fn spans_cover_values_and_keys() {
    let src = "<?php\nreturn array ( 'a' => [ 1, \"two\" ], 'b' => -5 . 'x' );\n";
    let doc = ok(src);
    assert_eq!(
        &src[doc.root.span.range()],
        "array ( 'a' => [ 1, \"two\" ], 'b' => -5 . 'x' )"
    );
    let a = doc.root.entry("a").expect("a");
    assert_eq!(a.key_span.get().map(|s| &src[s.range()]), Some("'a'"));
    assert_eq!(&src[a.value.span.range()], "[ 1, \"two\" ]");
    let two = &a.value.value.entries()[1];
    assert_eq!(two.key_span.get(), None);
    assert_eq!(&src[two.value.span.range()], "\"two\"");
    let b = doc.root.get("b").expect("b");
    assert_eq!(b.value, Value::String("-5x".into()));
    assert_eq!(&src[b.span.range()], "-5 . 'x'");
}

#[test]
fn tracked_variables() {
    assert_eq!(
        json_of("<?php $x = ['a' => 1]; return $x;"),
        json!({"a": 1})
    );
    assert_eq!(
        json_of("<?php $x = []; $x['a']['b'] = 1; $x[] = 2; $y = ['in' => $x]; return $y;"),
        json!({"in": {"a": {"b": 1}, "0": 2}})
    );
    // A skipped control-flow statement makes tracked variables unknown.
    assert_eq!(
        json_of("<?php $x = [1]; if (getenv('A')) { $x = [2]; } return $x;"),
        json!({"$dynamic": "$x"})
    );
    assert_eq!(
        json_of("<?php $x = [1]; foo($x); return ['v' => $x];"),
        json!({"v": {"$dynamic": "$x"}})
    );
    // Pure calls such as getenv() do not.
    assert_eq!(
        json_of("<?php $h = getenv('H'); $x = [1]; $y = ['h' => $h, 'x' => $x]; return $y;"),
        json!({"h": {"$dynamic": "$h"}, "x": [1]})
    );
    assert_eq!(
        json_of("<?php return $undefined;"),
        json!({"$dynamic": "$undefined"})
    );
}

#[test]
fn dynamic_values() {
    let v = json_of(
        "<?php return [
            'a' => getenv('A'), 'b' => $_ENV['B'], 'c' => $_SERVER['C'] ?? 'x',
            'd' => PDO::MYSQL_ATTR_INIT_COMMAND, 'e' => BP . '/var', 'f' => 'x' . foo(),
            'g' => $a ? 1 : 2, 'h' => getenv('H') ?: 'def', 'i' => (int) getenv('I'),
            'j' => new Foo(1), 'k' => function () { return 1; }, 'l' => fn($x) => $x * 2,
            'm' => \"host $h\", 'n' => Foo::class, 'o' => static fn() => 1,
            'p' => match (1) { 1 => 'a', default => 'b' },
        ];",
    );
    let d = |s: &str| json!({"$dynamic": s});
    assert_eq!(v["a"], d("getenv('A')"));
    assert_eq!(v["b"], d("$_ENV['B']"));
    assert_eq!(v["c"], d("$_SERVER['C'] ?? 'x'"));
    assert_eq!(v["d"], d("PDO::MYSQL_ATTR_INIT_COMMAND"));
    assert_eq!(v["e"], d("BP . '/var'"));
    assert_eq!(v["f"], d("'x' . foo()"));
    assert_eq!(v["g"], d("$a ? 1 : 2"));
    assert_eq!(v["h"], d("getenv('H') ?: 'def'"));
    assert_eq!(v["i"], d("(int) getenv('I')"));
    assert_eq!(v["j"], d("new Foo(1)"));
    assert_eq!(v["k"], d("function () { return 1; }"));
    assert_eq!(v["l"], d("fn($x) => $x * 2"));
    assert_eq!(v["m"], d("\"host $h\""));
    assert_eq!(v["n"], d("Foo::class"));
    assert_eq!(v["o"], d("static fn() => 1"));
    assert_eq!(v["p"], d("match (1) { 1 => 'a', default => 'b' }"));
}

#[test]
fn folding_of_known_values() {
    let v = json_of(
        "<?php return [TRUE, nULL, -1.5, +3, 'a' . 1 . 1.5 . true . null . 0.1, true ? 'y' : 'n',
            0 ?: 'e', null ?? 'd', (string) 5, (bool) '0', -9223372036854775808, 1e20 . ''];",
    );
    assert_eq!(
        v,
        json!([
            true,
            null,
            -1.5,
            3,
            "a11.510.1",
            "y",
            "e",
            "d",
            "5",
            false,
            -9_223_372_036_854_775_808.0,
            "1.0E+20"
        ])
    );
    // A dynamic key keeps its entry under its source text.
    assert_eq!(
        json_of("<?php return [FOO => 1, 'b' => 2];"),
        json!({"FOO": 1, "b": 2})
    );
}

#[test]
fn no_return_and_non_array_returns() {
    let src = "<?php\n$x = 1;\n";
    let doc = ok(src);
    assert!(doc.no_return);
    assert_eq!(doc.root.value, Value::Int(1));
    assert_eq!(doc.root.span, Span::empty_at(src.len()));
    let doc = ok("<?php return 'str';");
    assert!(!doc.no_return);
    assert_eq!(doc.root.value, Value::String("str".into()));
    assert_eq!(ok("<?php return;").root.value, Value::Null);
    assert!(ok("plain text, no PHP").no_return);
    assert_eq!(json_of("<html><?php return [1] ?>"), json!([1]));
    assert_eq!(
        json_of("<?php\ndeclare(strict_types=1);\nnamespace A\\B;\nuse Foo\\Bar;\nreturn [1];"),
        json!([1])
    );
}

#[test]
fn error_messages_and_positions() {
    let src = "<?php\nreturn [\n  'a' => 1;\n];";
    let e = err(src);
    assert_eq!(e.message, "expected `,` or `]`, found `;`");
    assert_eq!(line_col(src, &e), (3, 11));
    let e = err("<?php return [1, 2");
    assert_eq!(e.message, "unexpected end of file, expected `,` or `]`");
    let src = "<?php return ['a' => 'oops];";
    let e = err(src);
    assert_eq!(e.message, "unterminated string");
    assert_eq!(e.span.start, 21);
    let e = err("<?php return [\"x];");
    assert_eq!(e.message, "unterminated string");
    let e = err("<?php /* never closed\nreturn [];");
    assert_eq!(
        (e.message.as_str(), e.span.start),
        ("unterminated comment", 6)
    );
    let e = err("<?php return <<<EOT\nabc\n");
    assert_eq!(e.message, "unterminated heredoc");
    assert_eq!(
        err("<?php return [1] 2;").message,
        "expected `;`, found `2`"
    );
    assert_eq!(err("<?php return 089;").message, "invalid numeric literal");
    assert_eq!(err("<?php return \"\\u{110000}\";").span.start, 14);
    assert_eq!(err("<?php if (x) { ]").message, "expected `}`, found `]`");
    assert_eq!(
        err("<?php return array('a' => );").message,
        "expected `an expression`, found `)`"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Runs on a test thread with the default (2 MiB) stack.
    let n = 20_000;
    let src = format!("<?php return {}1{};", "[".repeat(n), "]".repeat(n));
    let e = err(&src);
    assert_eq!(e.message, "array nesting deeper than 256 levels");
    assert_eq!(e.span.start as usize, "<?php return ".len() + 256);
    let src = format!("<?php return {}1{};", "array(".repeat(n), ")".repeat(n));
    assert_eq!(err(&src).message, "array nesting deeper than 256 levels");
    for (open, close) in [
        ("-", ""),
        ("(", ")"),
        ("!", ""),
        ("@", ""),
        ("1 ?? ", ""),
        ("$a[", "]"),
    ] {
        let src = format!("<?php return {}1{};", open.repeat(n), close.repeat(n));
        let e = err(&src);
        assert!(
            e.message.contains("nesting deeper than"),
            "{open}: {}",
            e.message
        );
    }
    // Skipped statements and strings are handled without recursion.
    let src = format!(
        "<?php if (1) {{ {}1{} }} return 1;",
        "[".repeat(n),
        "]".repeat(n)
    );
    assert_eq!(ok(&src).root.value, Value::Int(1));
    let src = format!("<?php return \"{}\";", "{$a[\"".repeat(n));
    assert!(parse(&src, &Limits::default()).is_err());
    // Within the limit, deep arrays parse.
    let src = format!("<?php return {}1{};", "[".repeat(200), "]".repeat(200));
    assert!(parse(&src, &Limits::default()).is_ok());
}

#[test]
fn no_panic_on_truncated_inputs() {
    let src = "<?php $a = ['é' => \"\\u{e9}\", 0x1F => <<<EOT\n  x\n  EOT, 'b' => [1.5e3, -0b11, `ls`, (int) '4', $x?->y, #[A] fn() => 1]]; return $a ?>tail";
    for end in 0..=src.len() {
        if src.is_char_boundary(end) {
            let _ = parse(&src[..end], &Limits::default());
        }
    }
    assert_eq!(json_of(src)["é"], json!("é"));
}

#[test]
fn a_lexer_error_anywhere_wins_over_an_earlier_parse_error() {
    // Tokens are lexed on demand, but the whole file is still lexed before a parse error counts.
    let e = err("<?php return [1 2]; 'unterminated");
    assert_eq!(
        (e.message.as_str(), e.span.start),
        ("unterminated string", 20)
    );
    let e = err("<?php return [1 2]; /* open");
    assert_eq!(e.message, "unterminated comment");
    assert_eq!(
        err("<?php return [1 2];").message,
        "expected `,` or `]`, found `2`"
    );
}

#[test]
fn statements_that_start_like_assignments_are_replayed() {
    // `$a[…]` is read as a possible assignment target, then skipped as a statement.
    let v = json_of("<?php $a['x'] + 1; $a['y'] = 2; return $a;");
    assert_eq!(v, json!({"y": 2}));
    let v = json_of("<?php $a[[1, 2, 3][0]]['k'];\n$b[0] = 5; return $b;");
    assert_eq!(v, json!([5]));
    let v = json_of("<?php $a = 1;\n?>\nhtml <?php $a[0] /* c */ ?> x <?php return [$a];");
    assert_eq!(v, json!([{"$dynamic": "$a"}]));
}

#[test]
fn single_quoted_strings_of_every_length_around_the_word_scan() {
    // The scan for the closing quote goes eight bytes at a time, then by memchr past 32.
    for len in 0..48 {
        for at in 0..=len {
            let mut body = "x".repeat(len);
            if at < len {
                body.replace_range(at..at + 1, "\\");
                body.insert(at + 1, '\'');
            }
            let src = format!("<?php return ['{body}', 'é{body}'];");
            let want = body.replace("\\'", "'");
            assert_eq!(json_of(&src), json!([want, format!("é{want}")]), "{src}");
        }
    }
}
