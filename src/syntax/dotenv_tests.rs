use super::*;

/// Each entry as (name, name as written, value, value as written); a dynamic value as `dyn:…`.
fn read(text: &str) -> Vec<(String, String, String, String)> {
    let document = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    document
        .root
        .value
        .entries()
        .iter()
        .map(|e| {
            let key_span = e.key_span.get().expect("names are written");
            let value = match &e.value.value {
                Value::String(s) => s.to_string(),
                Value::Dynamic(source) => format!("dyn:{source}"),
                other => panic!("unexpected {other:?}"),
            };
            (
                e.key.to_string(),
                text[key_span.range()].to_string(),
                value,
                text[e.value.span.range()].to_string(),
            )
        })
        .collect()
}

fn entry(name: &str, value: &str, written: &str) -> (String, String, String, String) {
    (name.into(), name.into(), value.into(), written.into())
}

#[test]
fn plain_lines_comments_and_export() {
    let text = "\u{feff}# a comment\n\nA=1\n  export B = two words  \nexport\tC=x#y\nD=v # note\r\nE=\nF: yaml style\n";
    assert_eq!(
        read(text),
        vec![
            entry("A", "1", "1"),
            entry("B", "two words", "two words"),
            entry("C", "x#y", "x#y"),
            entry("D", "v", "v"),
            entry("E", "", ""),
            entry("F", "yaml style", "yaml style"),
        ]
    );
}

#[test]
fn a_comment_needs_a_space_before_it() {
    // compose-go cuts an unquoted value at ` #` only; right after `=`, `#` is the value.
    assert_eq!(read("A= #x\n"), vec![entry("A", "#x", "#x")]);
    assert_eq!(read("A=b#c #d"), vec![entry("A", "b#c", "b#c")]);
}

#[test]
fn quoted_values() {
    let text = "A='single $X \\n'\nB=\"double\\ttab \\\"q\\\" \\$HOME $$\"\nC=\"two\nlines\" # after\nD='it\\'s'\n";
    assert_eq!(
        read(text),
        vec![
            entry("A", "single $X \\n", "'single $X \\n'"),
            entry(
                "B",
                "double\ttab \"q\" $HOME $",
                "\"double\\ttab \\\"q\\\" \\$HOME $$\""
            ),
            entry("C", "two\nlines", "\"two\nlines\""),
            entry("D", "it's", "'it\\'s'"),
        ]
    );
}

#[test]
fn octal_escapes_read_like_go() {
    assert_eq!(read("A=\"\\0123\"\n")[0].2, "S");
    assert_eq!(read("A=\"\\012\"\n")[0].2, "\\012");
    assert_eq!(read("A=\"\\c\\q\"\n")[0].2, "\\c\\q");
}

#[test]
fn interpolation_is_dynamic_except_in_single_quotes() {
    let text = "A=${KEY}\nB=\"x $KEY\"\nC='${KEY}'\nD=$$KEY\nE=${KEY:-c2FuZGJveA}\n";
    assert_eq!(
        read(text),
        vec![
            entry("A", "dyn:${KEY}", "${KEY}"),
            entry("B", "dyn:\"x $KEY\"", "\"x $KEY\""),
            entry("C", "${KEY}", "'${KEY}'"),
            entry("D", "$KEY", "$$KEY"),
            entry("E", "dyn:${KEY:-c2FuZGJveA}", "${KEY:-c2FuZGJveA}"),
        ]
    );
}

#[test]
fn a_name_alone_passes_the_environment_through() {
    let got = read("PASSED\nSET=1\nLAST");
    assert_eq!(
        got,
        vec![
            (
                "PASSED".into(),
                "PASSED".into(),
                "dyn:${PASSED}".into(),
                "PASSED".into()
            ),
            entry("SET", "1", "1"),
        ],
        "a name on the last line without a line break sets nothing, as in compose"
    );
}

#[test]
fn names_may_hold_dots_dashes_and_brackets() {
    assert_eq!(read("a.b-c[0]=1\n")[0].0, "a.b-c[0]");
}

#[test]
fn the_last_value_of_a_name_wins_at_its_first_position() {
    let text = "A=1\nB=2\nA=3\n";
    let document = parse(text).expect("parses");
    let entries = document.root.value.entries();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].value.value, Value::String("3".into()));
    assert_eq!(document.duplicates.len(), 1);
    assert_eq!(document.duplicates[0].pointer(), "/A");
    assert_eq!(&text[document.duplicates[0].again.range()], "A");
    assert_eq!(document.duplicates[0].again.start, 8);
}

#[test]
fn broken_files_are_refused_where_they_break() {
    for (text, at, message) in [
        ("A=1\nB C=2\n", 4, "contains a space"),
        ("A=1\nB/C=2\n", 5, "unexpected character '/'"),
        ("A=\"open\nB=2\n", 2, "unterminated quoted value `\"open`"),
        ("A='open", 2, "unterminated"),
        ("A=${\n", 2, "invalid interpolation"),
        ("A=\"${1}\"\n", 2, "invalid interpolation"),
        ("@=1", 0, "unexpected character '@'"),
    ] {
        let error = parse(text).expect_err(text);
        assert_eq!(error.span.start as usize, at, "{text:?}: {error}");
        assert!(error.message.contains(message), "{text:?}: {error}");
    }
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "\n",
        "#",
        "=",
        ":",
        "A",
        "A=",
        "'",
        "\"",
        "\\",
        "A=\"\\",
        "A=\"\\0",
        "export",
        "export ",
        "export\n",
        "\u{feff}",
        "A=\u{feff}",
        "é=ü\n",
        "A=\"\\0\u{e9}\"",
        "A='x'y=1",
        "A=$",
        "A=${",
        "\r\n\r\n",
        "A\u{a0}=1",
    ] {
        let _ = parse(text);
    }
}
