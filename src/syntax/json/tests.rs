use super::*;

fn doc(source: &str) -> Document {
    match parse(source, &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => panic!("{source:?}: {} at {:?}", e.message, e.span),
    }
}

fn err(source: &str) -> ParseError {
    match parse(source, &Limits::default()) {
        Ok(doc) => panic!("{source:?} parsed: {:?}", doc.root),
        Err(e) => e,
    }
}

fn at<'a>(doc: &'a Document, path: &str) -> &'a Node {
    doc.root.path(path).unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn values_and_spans() {
    let src = " {\"a\": 1, \"b\" : [true, false, null, -0, 1.5, 2e3, -12E-1, \"x\"],\n \"c\": {}, \"d\": [], \"é\": \"ü\", \"big\": 123456789012345678901}\n";
    let d = doc(src);
    let text = |span: Span| &src[span.range()];
    assert_eq!(at(&d, "a").value, Value::Int(1));
    let b = at(&d, "b");
    assert!(b.value.is_list());
    let values: Vec<_> = b
        .value
        .entries()
        .iter()
        .map(|e| e.value.value.clone())
        .collect();
    assert_eq!(
        values,
        [
            Value::Bool(true),
            Value::Bool(false),
            Value::Null,
            Value::Int(0),
            Value::Float(1.5),
            Value::Float(2000.0),
            Value::Float(-1.2),
            Value::String("x".into()),
        ]
    );
    assert_eq!(
        text(b.span),
        "[true, false, null, -0, 1.5, 2e3, -12E-1, \"x\"]"
    );
    assert_eq!(text(at(&d, "b/7").span), "\"x\"");
    assert_eq!(text(at(&d, "b/6").span), "-12E-1");
    assert!(!at(&d, "c").value.is_list());
    assert!(at(&d, "d").value.is_list());
    assert_eq!(at(&d, "big").value, Value::Float(123456789012345678901.0));
    let e = d.root.entry("é").unwrap_or_else(|| panic!("é"));
    assert_eq!(text(e.key_span.get().unwrap_or_default()), "\"é\"");
    assert_eq!(text(e.value.span), "\"ü\"");
    assert_eq!(text(d.root.span), src.trim());
    let b_entry = d.root.entry("b").unwrap_or_else(|| panic!("b"));
    assert_eq!(text(b_entry.key_span.get().unwrap_or_default()), "\"b\"");
    assert_eq!(doc("\u{feff}[1]").root.span, Span::new(3, 6));
    assert_eq!(doc("\"s\"").root.value, Value::String("s".into()));
}

#[test]
fn escapes() {
    let d = doc(r#"["\"\\\/\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "a\u0000b"]"#);
    let s: Vec<_> = d
        .root
        .value
        .entries()
        .iter()
        .map(|e| e.value.value.clone())
        .collect();
    assert_eq!(s[0], Value::String("\"\\/\u{8}\u{c}\n\r\t".into()));
    assert_eq!(s[1], Value::String("é€".into()));
    assert_eq!(s[2], Value::String("😀".into()));
    assert_eq!(s[3], Value::String("a\0b".into()));
    assert!(err(r#""\ud83d""#).message.contains("surrogate"));
    assert!(err(r#""\ud83dx""#).message.contains("surrogate"));
    assert!(err(r#""\ude00""#).message.contains("surrogate"));
    assert!(err(r#""\ud83d\u0041""#).message.contains("surrogate"));
    let e = err(r#"["\u12G4"]"#);
    assert_eq!(e.span, Span::new(2, 7));
    let e = err(r#"["\x"]"#);
    assert_eq!(
        (e.message.as_str(), e.span),
        ("invalid escape `\\x`", Span::new(2, 4))
    );
    assert!(err("\"a\tb\"").message.contains("control"));
}

#[test]
fn errors_are_precise() {
    let cases: &[(&str, &str, (usize, usize))] = &[
        ("{\"a\": 1]", "expected `,` or `}`, found `]`", (7, 8)),
        ("[1 2]", "expected `,` or `]`, found `2`", (3, 4)),
        ("[1,]", "expected a value, found `]`", (3, 4)),
        ("{\"a\":1,}", "expected a string key, found `}`", (7, 8)),
        ("{a:1}", "expected a string key, found `a`", (1, 2)),
        ("{\"a\" 1}", "expected `:`, found `1`", (5, 6)),
        ("[1,", "unexpected end of file", (3, 3)),
        ("", "unexpected end of file", (0, 0)),
        ("   ", "unexpected end of file", (3, 3)),
        ("{\"a\": ", "unexpected end of file", (6, 6)),
        (
            "[1] x",
            "expected the end of the file after the JSON value, found `x`",
            (4, 5),
        ),
        ("[tru]", "expected a value, found `tru`", (1, 4)),
        ("[nul", "expected a value, found `nul`", (1, 4)),
        ("[01]", "a number cannot have leading zeros", (1, 2)),
        ("[-]", "expected a digit, found `]`", (2, 3)),
        (
            "[1.]",
            "expected a digit after the decimal point, found `]`",
            (3, 4),
        ),
        (
            "[1e+]",
            "expected a digit in the exponent, found `]`",
            (4, 5),
        ),
        ("[.5]", "expected a value, found `.`", (1, 2)),
        ("[\"é\", ü]", "expected a value, found `ü`", (7, 9)),
        (
            "[\"abc",
            "unterminated string: the closing `\"` is missing",
            (1, 2),
        ),
        ("[1,\n2\n3]", "expected `,` or `]`, found `3`", (6, 7)),
    ];
    for (src, message, (start, end)) in cases {
        let e = err(src);
        assert_eq!(
            (e.message.as_str(), e.span),
            (*message, Span::new(*start, *end)),
            "{src:?}"
        );
    }
}

#[test]
fn duplicates_keep_first_position_last_value() {
    let src =
        r#"{"a": 1, "b": {"x": 1, "y": 2, "x": 3}, "a": 4, "l": [{"k/~": {"z": 0, "z": 1}}]}"#;
    let d = doc(src);
    let keys: Vec<_> = d
        .root
        .value
        .entries()
        .iter()
        .map(|e| e.key.to_string())
        .collect();
    assert_eq!(keys, ["a", "b", "l"]);
    assert_eq!(at(&d, "a").value, Value::Int(4));
    assert_eq!(at(&d, "b/x").value, Value::Int(3));
    let pointers: Vec<_> = d
        .duplicates
        .iter()
        .map(|x| x.parent_pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/b", "", "/l/0/k~1~0"]);
    let dup = &d.duplicates[1];
    assert_eq!(&src[dup.first.range()], "\"a\"");
    assert_eq!(dup.first.start, 1);
    assert_eq!(dup.again.start as usize, src.rfind("\"a\"").unwrap_or(0));
}

#[test]
fn depth_limit_without_overflow() {
    let limits = Limits { max_depth: 3 };
    assert!(parse("[[{\"a\": 1}]]", &limits).is_ok());
    let e = parse("[[{\"a\": []}]]", &limits)
        .err()
        .unwrap_or_else(|| panic!("deep"));
    assert_eq!(e.span, Span::new(8, 9));
    assert_eq!(e.message, "nesting is deeper than 3 levels");
    let n = 100_000;
    let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(err(&deep).message.contains("deeper than 256"));
    let deep = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    assert_eq!(err(&deep).span.start, 256 * 5);
    // A deep but allowed input builds iteratively (dropping such a tree is the model's
    // business, so keep it moderate).
    let limits = Limits { max_depth: 2_000 };
    assert!(parse(
        &format!("{}{}", "[".repeat(2_000), "]".repeat(2_000)),
        &limits
    )
    .is_ok());
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "\u{feff}",
        "\u{feff}\u{feff}1",
        "\0",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "\"\\",
        "\"\\u",
        "\"\\ud800\\u",
        "-",
        "--1",
        "1e",
        "1E99999",
        "-1e-99999",
        "[1,,2]",
        "{\"a\"}",
        "{\"a\":}",
        "{,}",
        "nan",
        "Infinity",
        "[\"\u{7f}\"]",
        "'a'",
        "/* */ 1",
        "[1] [2]",
        "\"é",
        "é",
        "{\"a\":1,\"a\":{\"a\":[",
    ];
    for input in inputs {
        let _ = parse(input, &Limits::default());
    }
    let src = r#"{"a": [1, -2.5e3, "\u00e9\ud83d\ude00", {"b": null}], "c": true}"#;
    for (i, _) in src.char_indices() {
        assert!(
            parse(&src[..i], &Limits::default()).is_err(),
            "{}",
            &src[..i]
        );
    }
    assert_eq!(doc("1E99999").root.value, Value::Float(f64::INFINITY));
}

/// The corpus JSON oracles read the same as with serde_json, and every string span (keys
/// and values) is the JSON text of that string.
#[test]
fn corpus_json_matches_serde_json() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("corpus {dir} missing");
    };
    let (mut files, mut strings) = (0, 0);
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap_or_default();
        let d = doc(&src);
        let expected: serde_json::Value =
            serde_json::from_str(&src).unwrap_or(serde_json::Value::Null);
        assert_eq!(crate::syntax::dump::to_json(&d.root), expected, "{path:?}");
        let mut stack = vec![&d.root];
        while let Some(node) = stack.pop() {
            let as_json = |span: Span| serde_json::from_str::<String>(&src[span.range()]).ok();
            if let Value::String(s) = &node.value {
                assert_eq!(
                    as_json(node.span).as_ref(),
                    Some(&s.to_string()),
                    "{path:?}"
                );
                strings += 1;
            }
            for entry in node.value.entries() {
                if let (Key::Str(k), Some(span)) = (&entry.key, entry.key_span.get()) {
                    assert_eq!(as_json(span).as_ref(), Some(&k.to_string()), "{path:?}");
                    strings += 1;
                }
                stack.push(&entry.value);
            }
        }
        files += 1;
    }
    eprintln!("{files} JSON files, {strings} string spans checked");
    assert!(
        files > 5 && strings > 5_000,
        "{files} files, {strings} strings"
    );
}
