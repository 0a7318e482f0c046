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

fn text(source: &str, span: Span) -> &str {
    &source[span.range()]
}

fn at<'a>(doc: &'a Document, path: &str) -> &'a Node {
    doc.root.path(path).unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn mappings_sequences_and_scalars() {
    let src =
        "a: 1\nb: [x, 'y z', \"q\"]\nc: {k: v}\nd: ~\ne:\nf: true\ng: 1.5e3\nh: yes\ni: '1'\n";
    let d = doc(src);
    assert_eq!(at(&d, "a").value, Value::Int(1));
    assert_eq!(at(&d, "d").value, Value::Null);
    assert_eq!(at(&d, "e").value, Value::Null);
    assert_eq!(at(&d, "f").value, Value::Bool(true));
    assert_eq!(at(&d, "g").value, Value::Float(1500.0));
    assert_eq!(at(&d, "h").value, Value::String("yes".into()));
    assert_eq!(at(&d, "i").value, Value::String("1".into()));
    let b = at(&d, "b");
    assert!(b.value.is_list());
    assert_eq!(text(src, b.span), "[x, 'y z', \"q\"]");
    assert_eq!(text(src, at(&d, "b/1").span), "'y z'");
    assert_eq!(text(src, at(&d, "b/2").span), "\"q\"");
    assert_eq!(b.value.entries()[0].key_span.get(), None);
    assert_eq!(text(src, at(&d, "c").span), "{k: v}");
    let entry = d.root.entry("c").unwrap_or_else(|| panic!("c"));
    assert_eq!(text(src, entry.key_span.get().unwrap_or_default()), "c");
    assert_eq!(
        text(src, d.root.span),
        src.trim_end().trim_end_matches("'1'").to_owned() + "'1'"
    );
    assert_eq!(d.root.span.start, 0);
}

#[test]
fn empty_documents() {
    for src in ["", "# only a comment\n", "\n\n"] {
        let d = doc(src);
        assert_eq!(d.root.value, Value::Null);
        assert!(d.root.span.is_empty());
    }
    let d = doc("{}");
    assert!(!d.root.value.is_list());
    let d = doc("[]");
    assert!(d.root.value.is_list());
}

#[test]
fn only_first_document() {
    let d = doc("a: 1\n---\nb: 2\n--- [\n");
    assert!(at(&d, "a").value == Value::Int(1));
    assert!(d.root.get("b").is_none());
}

#[test]
fn comments_after_values_are_not_in_spans() {
    let src = "a: \"q\"   # c\nb: 'it''s' # c\nc: plain  # c\nd: [1, 2 ]  # z\ne: {x: 1} #{\n";
    let d = doc(src);
    assert_eq!(text(src, at(&d, "a").span), "\"q\"");
    assert_eq!(text(src, at(&d, "b").span), "'it''s'");
    assert_eq!(at(&d, "b").value, Value::String("it's".into()));
    assert_eq!(text(src, at(&d, "c").span), "plain");
    assert_eq!(text(src, at(&d, "d").span), "[1, 2 ]");
    assert_eq!(text(src, at(&d, "e").span), "{x: 1}");
}

#[test]
fn quoted_keys_spans() {
    let src = "\"k y\" : 1\n'a''b': 2\n";
    let d = doc(src);
    let e = &d.root.value.entries();
    assert_eq!(e[0].key, Key::Str("k y".into()));
    assert_eq!(
        text(src, e[0].key_span.get().unwrap_or_default()),
        "\"k y\""
    );
    assert_eq!(e[1].key, Key::Str("a'b".into()));
    assert_eq!(text(src, e[1].key_span.get().unwrap_or_default()), "'a''b'");
}

#[test]
fn block_scalars() {
    let src = "a: |\n  line1\n  line2\n\nb: >-  # folded\n\n  x\n  y   \n\n# c\nc: |+\nd:\n  - |2\n     z\n";
    let d = doc(src);
    assert_eq!(at(&d, "a").value, Value::String("line1\nline2\n".into()));
    assert_eq!(text(src, at(&d, "a").span), "|\n  line1\n  line2");
    assert_eq!(at(&d, "b").value, Value::String("\nx y   ".into()));
    assert_eq!(text(src, at(&d, "b").span), ">-  # folded\n\n  x\n  y");
    assert_eq!(text(src, at(&d, "c").span), "|+");
    assert_eq!(text(src, at(&d, "d/0").span), "|2\n     z");
    let tagged = "k: !!str &x |\n  v\n";
    let d = doc(tagged);
    assert_eq!(text(tagged, at(&d, "k").span), "|\n  v");
}

#[test]
fn multi_line_scalars() {
    let src = "a: one\n  two # c\nb: \"x\n  y\"\nc: 3\n";
    let d = doc(src);
    assert_eq!(at(&d, "a").value, Value::String("one two".into()));
    assert_eq!(text(src, at(&d, "a").span), "one\n  two");
    assert_eq!(text(src, at(&d, "b").span), "\"x\n  y\"");
}

#[test]
fn collection_spans() {
    let src = "root:\n  list:\n    - a\n    - b: 1\n      c: [1, {d: e}]\n  after: x\n";
    let d = doc(src);
    assert_eq!(
        text(src, at(&d, "root").span),
        "list:\n    - a\n    - b: 1\n      c: [1, {d: e}]\n  after: x"
    );
    assert_eq!(
        text(src, at(&d, "root/list").span),
        "- a\n    - b: 1\n      c: [1, {d: e}]"
    );
    assert_eq!(
        text(src, at(&d, "root/list/1").span),
        "b: 1\n      c: [1, {d: e}]"
    );
    assert_eq!(text(src, at(&d, "root/list/1/c/1").span), "{d: e}");
    let indentless = "k:\n- 1\n- 2\nz: 0\n";
    let d = doc(indentless);
    assert_eq!(text(indentless, at(&d, "k").span), "- 1\n- 2");
    let flow_pairs = "[a: b, c]";
    let d = doc(flow_pairs);
    assert_eq!(text(flow_pairs, at(&d, "0").span), "a: b");
}

#[test]
fn duplicate_keys_keep_first_position_and_last_value() {
    let src = "a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\na: 4\n";
    let d = doc(src);
    let keys: Vec<_> = d
        .root
        .value
        .entries()
        .iter()
        .map(|e| e.key.to_string())
        .collect();
    assert_eq!(keys, ["a", "b"]);
    assert_eq!(at(&d, "a").value, Value::Int(4));
    assert_eq!(at(&d, "b/x").value, Value::Int(3));
    assert_eq!(d.duplicates.len(), 2);
    let inner = &d.duplicates[0];
    assert_eq!(inner.key, Key::Str("x".into()));
    assert_eq!(inner.parent_pointer, "/b");
    assert_eq!(text(src, inner.first), "x");
    let xs: Vec<u32> = src.match_indices("x:").map(|(i, _)| i as u32).collect();
    assert_eq!((inner.first.start, inner.again.start), (xs[0], xs[1]));
    let outer = &d.duplicates[1];
    assert_eq!(outer.parent_pointer, "");
    let a_again = src.rfind("a:").unwrap_or(0) as u32;
    assert_eq!((outer.first.start, outer.again.start), (0, a_again));
    let nested = doc("l:\n  - {a/b: 1}\n  - {k~: 1, k~: 2}\n");
    assert_eq!(nested.duplicates[0].parent_pointer, "/l/1");
    let deep = doc("x:\n  a/b:\n    q: 1\n    q: 2\n");
    assert_eq!(deep.duplicates[0].parent_pointer, "/x/a~1b");
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let src = "base: &b\n  x: 1\n  y: 2\nuse: *b\nlist: [&s str, *s]\nm:\n  <<: *b\n  y: 3\n  z: 4\nmm:\n  w: 0\n  <<: [*b, {v: 5, x: 9}]\n";
    let d = doc(src);
    assert_eq!(at(&d, "use/x").value, Value::Int(1));
    assert_eq!(text(src, at(&d, "use").span), "*b");
    assert_eq!(text(src, at(&d, "list/1").span), "*s");
    assert_eq!(text(src, at(&d, "list/0").span), "str");
    assert_eq!(at(&d, "list/1").value, Value::String("str".into()));
    let m = at(&d, "m");
    let keys: Vec<_> = m
        .value
        .entries()
        .iter()
        .map(|e| e.key.to_string())
        .collect();
    assert_eq!(keys, ["x", "y", "z"]);
    assert_eq!(at(&d, "m/y").value, Value::Int(3));
    assert_eq!(at(&d, "m/x").value, Value::Int(1));
    let keys: Vec<_> = at(&d, "mm")
        .value
        .entries()
        .iter()
        .map(|e| e.key.to_string())
        .collect();
    assert_eq!(keys, ["w", "x", "y", "v"]);
    assert_eq!(at(&d, "mm/x").value, Value::Int(1));
    assert!(d.duplicates.is_empty());
    assert!(err("a: &x [*x]").message.contains("anchor"));
    assert!(err("a: *nope").message.contains("anchor"));
    assert!(err("<<: 1").message.contains("merge key"));
    // A quoted `<<` is an ordinary key.
    assert_eq!(at(&doc("'<<': 1"), "<<").value, Value::Int(1));
}

#[test]
fn billion_laughs_is_bounded() {
    let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        src.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    assert!(err(&src).message.contains("too many"));
}

#[test]
fn tags() {
    // Readings checked against Symfony YAML 5.4 (`Yaml::parse($text, Yaml::PARSE_CONSTANT)`).
    let src = "a: !!str 123\nc: !!float 1\nd: ! true\ne: !php/const Foo::BAR\nf: !php/const \\PDO::ATTR_TIMEOUT\nh: !php/object x\n";
    let d = doc(src);
    assert_eq!(at(&d, "a").value, Value::String("123".into()));
    assert_eq!(text(src, at(&d, "a").span), "123");
    assert_eq!(at(&d, "c").value, Value::Float(1.0));
    assert_eq!(at(&d, "d").value, Value::Bool(true));
    assert_eq!(
        at(&d, "e").value,
        Value::Dynamic("!php/const Foo::BAR".into())
    );
    assert_eq!(at(&d, "f").value, Value::Int(2));
    assert_eq!(at(&d, "h").value, Value::Null);
    // Tags Symfony does not read refuse the file, at the value.
    let e = err("a: !!int \"7\"\n");
    assert_eq!(e.span, Span::new(9, 12));
    assert!(e.message.contains("!!int"), "{}", e.message);
    let e = err("f: !custom 5\n");
    assert!(e.message.contains("`!custom`"), "{}", e.message);
    // `!php/const:NAME` is a key form; the key is the constant's value.
    let src = "o:\n  !php/const:\\PDO::MYSQL_ATTR_LOCAL_INFILE : 1\n  !php/const \\PDO::MYSQL_ATTR_SSL_CA: x\n";
    let d = doc(src);
    let keys: Vec<Key> = at(&d, "o")
        .value
        .entries()
        .iter()
        .map(|e| e.key.clone())
        .collect();
    assert_eq!(keys, vec![Key::Int(1001), Key::Int(1009)]);
    let e = err("a: !php/const:\\PDO::ATTR_TIMEOUT\n");
    assert!(e.message.contains("only as a mapping key"), "{}", e.message);
}

#[test]
fn non_ascii_offsets_are_bytes() {
    let src = "é: \"ü\" # ç\nnäme: wörld\nlist: [日本, 'x']\n";
    let d = doc(src);
    let e = d.root.value.entries();
    assert_eq!(text(src, e[0].key_span.get().unwrap_or_default()), "é");
    assert_eq!(text(src, e[0].value.span), "\"ü\"");
    assert_eq!(text(src, e[1].key_span.get().unwrap_or_default()), "näme");
    assert_eq!(text(src, at(&d, "näme").span), "wörld");
    assert_eq!(text(src, at(&d, "list").span), "[日本, 'x']");
    assert_eq!(text(src, at(&d, "list/1").span), "'x'");
}

#[test]
fn crlf_and_bom() {
    let src = "\u{feff}a: 1\r\nb: \"x\"\r\nc: |\r\n  z\r\n  w\r\nd: [1,\r\n 2]\r\n";
    let d = doc(src);
    let e = d.root.value.entries();
    assert_eq!(text(src, e[0].key_span.get().unwrap_or_default()), "a");
    // Symfony keeps the mark in the first key (ece-tools then misses that section).
    assert_eq!(e[0].key, Key::Str("\u{feff}a".into()));
    assert_eq!(text(src, at(&d, "b").span), "\"x\"");
    assert_eq!(text(src, at(&d, "c").span), "|\r\n  z\r\n  w");
    assert_eq!(at(&d, "c").value, Value::String("z\nw\n".into()));
    assert_eq!(text(src, at(&d, "d").span), "[1,\r\n 2]");
}

#[test]
fn a_tab_after_a_key_colon_is_a_blank_as_in_symfony() {
    let src = "a:\tb\n'q':\t\tc # x\nd: \"x:\ty\"\n";
    let d = doc(src);
    assert_eq!(at(&d, "a").value, Value::String("b".into()));
    assert_eq!(text(src, at(&d, "a").span), "b");
    assert_eq!(at(&d, "q").value, Value::String("c".into()));
    // Inside a quoted value the tab stays.
    assert_eq!(at(&d, "d").value, Value::String("x:\ty".into()));
}

#[test]
fn an_alias_key_is_refused_as_symfony_refuses_it() {
    let e = err("a: &x foo\n*x : 1\n");
    assert_eq!(e.span, Span::new(10, 12), "{e:?}");
    assert!(e.message.contains("alias"), "{}", e.message);
}

#[test]
fn a_tab_error_points_at_the_tab() {
    // A plain scalar continued on a tab-indented line: the tab, not the scalar's start.
    let e = err("a: b\n\tc: 1\n");
    assert_eq!(e.span, Span::new(5, 6), "{e:?}");
    assert!(e.message.contains("tabs"), "{}", e.message);
    let e = err("k:\n  a: x y\n \t z: 1\n");
    assert_eq!(e.span, Span::new(13, 14), "{e:?}");
}

#[test]
fn errors_are_positioned() {
    let bad_indent = "a:\n  b: 1\n c: 2\n";
    let e = err(bad_indent);
    assert_eq!(e.span.start, 11, "{e:?}");
    assert!(e.message.contains("indentation"), "{}", e.message);
    let e = err("a: 1\n  b: 2\n");
    assert_eq!(e.span.start, 8, "{e:?}");
    let e = err("x: \"abc\ny: 1\n");
    assert!(e.message.contains("quot"), "{}", e.message);
    assert_eq!(e.span.start, 3);
    let e = err("é: 'abc\n");
    assert_eq!(e.span, Span::new(4, 5));
    assert!(e.message.contains("unterminated"), "{}", e.message);
    let e = err("a: [1, 2\nb: 3\n");
    assert!(!e.message.contains("while"), "{}", e.message);
    assert!(err("[1]]").message.contains("bracket"));
    assert!(err("{a: 1}: b").message.contains("not a collection"));
}

#[test]
fn depth_limit_without_overflow() {
    let limits = Limits { max_depth: 5 };
    assert!(parse("[[[[[1]]]]]", &limits).is_ok());
    let e = parse("[[[[[[1]]]]]]", &limits)
        .err()
        .unwrap_or_else(|| panic!("deep"));
    assert_eq!(e.span, Span::new(5, 6));
    assert!(e.message.contains("deeper than 5"));
    let e = parse("a: &x [[[[1]]]]\nb: [*x]\n", &limits)
        .err()
        .unwrap_or_else(|| panic!("alias"));
    assert_eq!(e.span.start, 20);

    let n = 20_000;
    let flow = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let e = err(&flow);
    assert!(e.message.contains("deeper than"), "{}", e.message);
    let flow_maps = format!("{}1{}", "{a: ".repeat(n), "}".repeat(n));
    assert!(err(&flow_maps).message.contains("deeper than"));
    let block_seqs = format!("{}x\n", "- ".repeat(n));
    let e = err(&block_seqs);
    assert!(e.message.contains("deeper than 256"), "{}", e.message);
    assert_eq!(e.span.start, 2 * 256);
    let mut block_maps = String::new();
    for i in 0..2_000 {
        block_maps.push_str(&" ".repeat(i));
        block_maps.push_str("k:\n");
    }
    assert!(err(&block_maps).message.contains("deeper than"));
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "\0",
        "]",
        "}",
        "[",
        "{",
        ":",
        "- - -",
        "? ? ?",
        "&",
        "*",
        "!",
        "!!",
        "|",
        ">",
        "'",
        "\"",
        "\"\\",
        "%YAML 1.2\n---\na",
        "%FOO",
        "--- |\n\t",
        "a: |0\n",
        "\u{feff}\u{feff}",
        "a:\tb",
        "\t- a",
        "@x",
        "`x`",
        "a: b: c",
        "- a\nb: c",
        "{a: [}",
        "[a, {b: ]}",
        "... x",
        "&a &b x",
        "!<tag:x> y",
        "!e! x",
        "a: *",
        "? [a]: b",
        "\r\r\r",
        "key: \"\\u12\"",
        "x\u{85}y: 1",
        "- &a\n- *a",
        "a: !!map 1",
        "é: \u{2028}",
    ];
    for input in inputs {
        let _ = parse(input, &Limits::default());
    }
    // Every prefix of a real-looking file.
    let src = "a: &x {b: [1, 'two', \"thr\\u00e9e\"]}\nc: *x\nd: |-\n  é\n";
    for (i, _) in src.char_indices() {
        let _ = parse(&src[..i], &Limits::default());
    }
}
