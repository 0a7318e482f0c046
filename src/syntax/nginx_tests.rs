use super::*;

fn params(text: &str) -> Vec<(String, String, String)> {
    let document = parse(text, &Limits::default()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let Some(params) = document.root.get("fastcgi_param") else {
        return Vec::new();
    };
    params
        .value
        .entries()
        .iter()
        .map(|e| {
            let value = match &e.value.value {
                Value::String(s) => s.to_string(),
                Value::Dynamic(source) => format!("dyn:{source}"),
                other => panic!("unexpected {other:?}"),
            };
            let key_span = e.key_span.get().expect("names are written");
            assert!(text.get(key_span.range()).is_some());
            (
                e.key.to_string(),
                value,
                text[e.value.span.range()].to_string(),
            )
        })
        .collect()
}

fn param(name: &str, value: &str, written: &str) -> (String, String, String) {
    (name.into(), value.into(), written.into())
}

#[test]
fn reads_fastcgi_params_in_every_block() {
    let text = r#"# Magento's sample, included from the server block
upstream fastcgi_backend { server unix:/run/php-fpm.sock; }
server {
    listen 80;
    set $MAGE_ROOT /var/www/html;
    location ~ (index|get|static|report|404|503|health_check)\.php$ {
        fastcgi_pass   fastcgi_backend;
        fastcgi_param  PHP_FLAG  "session.auto_start=off \n suhosin.session.cryptua=off";
        fastcgi_param  MAGE_MODE developer; # a comment
        fastcgi_param  CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID '8eb8e3be-0001';
        fastcgi_param  SCRIPT_FILENAME  $document_root$fastcgi_script_name;
        fastcgi_param  HTTPS ${https} if_not_empty;
        include        fastcgi_params;
    }
}
"#;
    assert_eq!(
        params(text),
        vec![
            param(
                "PHP_FLAG",
                "session.auto_start=off \n suhosin.session.cryptua=off",
                "\"session.auto_start=off \\n suhosin.session.cryptua=off\""
            ),
            param("MAGE_MODE", "developer", "developer"),
            param(
                "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID",
                "8eb8e3be-0001",
                "'8eb8e3be-0001'"
            ),
            param(
                "SCRIPT_FILENAME",
                "dyn:$document_root$fastcgi_script_name",
                "$document_root$fastcgi_script_name"
            ),
            param("HTTPS", "dyn:${https}", "${https}"),
        ]
    );
}

#[test]
fn words_and_escapes_read_like_nginx() {
    let text = "fastcgi_param A a#b;\nfastcgi_param B \"q\\\"x\\\\y\\z\";\nfastcgi_param C a\\;b;\nfastcgi_param \"D\" '';\n";
    assert_eq!(
        params(text),
        vec![
            param("A", "a#b", "a#b"),
            param("B", "q\"x\\y\\z", "\"q\\\"x\\\\y\\z\""),
            param("C", "a\\;b", "a\\;b"),
            param("D", "", "''"),
        ]
    );
}

#[test]
fn a_variable_the_file_sets_to_a_literal_is_that_literal() {
    let text = "server {\n  set $MAGE_MODE developer;\n  set $run $host;\n  location / {\n    fastcgi_param MAGE_MODE $MAGE_MODE;\n    fastcgi_param CODE ${run};\n    fastcgi_param OTHER $unset;\n  }\n}\n";
    assert_eq!(
        params(text),
        vec![
            param("MAGE_MODE", "developer", "developer"),
            param("CODE", "dyn:${run}", "${run}"),
            param("OTHER", "dyn:$unset", "$unset"),
        ]
    );
}

#[test]
fn a_repeated_param_keeps_its_last_value() {
    let text = "fastcgi_param A 1;\nlocation / { fastcgi_param A 2; }\n";
    let document = parse(text, &Limits::default()).expect("parses");
    assert_eq!(params(text), vec![param("A", "2", "2")]);
    assert_eq!(document.duplicates.len(), 1);
    assert_eq!(document.duplicates[0].pointer(), "/fastcgi_param/A");
}

#[test]
fn a_file_without_params_is_an_empty_mapping() {
    let document = parse(
        "events {}\nhttp { include mime.types; }\n",
        &Limits::default(),
    )
    .expect("parses");
    assert!(document.root.value.entries().is_empty());
    assert!(parse("", &Limits::default()).is_ok());
    assert!(parse("# only a comment", &Limits::default()).is_ok());
}

#[test]
fn broken_files_are_refused_where_they_break() {
    for (text, at, message) in [
        ("server {\n listen 80;\n", 7, "never closed"),
        ("listen 80;\n}\n", 11, "unexpected `}`"),
        (
            "server { listen 80 }\n",
            19,
            "`listen` before it has no `;`",
        ),
        ("listen 80", 0, "`listen` has no `;`"),
        (
            "fastcgi_param A \"open;\n",
            16,
            "unterminated quoted string",
        ),
        (
            "fastcgi_param A \"x\"y;\n",
            19,
            "right after a quoted string",
        ),
        ("fastcgi_param A;\n", 0, "takes a name and a value"),
        ("fastcgi_param A b c;\n", 0, "takes a name and a value"),
        ("fastcgi_param A b { }\n", 18, "takes no block"),
        (";\n", 0, "unexpected `;`"),
        ("{ }\n", 0, "unexpected `{`"),
    ] {
        let error = parse(text, &Limits::default()).expect_err(text);
        assert_eq!(error.span.start as usize, at, "{text:?}: {error}");
        assert!(error.message.contains(message), "{text:?}: {error}");
    }
}

#[test]
fn nesting_is_bounded() {
    let deep = "a {".repeat(300) + &"}".repeat(300);
    assert!(parse(&deep, &Limits::default()).is_err());
    let fine = "a {".repeat(10) + &"}".repeat(10);
    assert!(parse(&fine, &Limits::default()).is_ok());
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "\\",
        "a\\",
        "a \\é;",
        "\"\\",
        "'",
        "${",
        "a ${b;",
        "fastcgi_param A \"é\"é;",
        "}",
        "{",
        "a \"x\")",
        "if ($a ~ \"b\") { return 403; }",
    ] {
        let _ = parse(text, &Limits::default());
    }
}
