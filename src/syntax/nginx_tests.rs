use super::*;

fn params(text: &str) -> Vec<(String, String, String)> {
    let document = parse(text, &Limits::default()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    // The file's own parameters, then each server block's.
    let servers = document
        .root
        .get("server")
        .map_or(&[][..], |s| s.value.entries());
    document
        .root
        .get("fastcgi_param")
        .into_iter()
        .chain(servers.iter().filter_map(|s| s.value.get("fastcgi_param")))
        .flat_map(|params| params.value.entries())
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

#[test]
fn each_server_block_keeps_its_own_names_root_and_params() {
    let text = r#"upstream fastcgi_backend { server unix:/run/php-fpm.sock; }
fastcgi_param MAGE_MODE production;
server {
    listen 80;
    server_name example.com www.example.com;
    return 301 https://www.example.com$request_uri;
}
server {
    server_name www.example.com;
    set $MAGE_ROOT /var/www/prod;
    location ~ \.php$ { fastcgi_param CONFIG__A prod; fastcgi_param CONFIG__A again; }
}
server {
    server_name staging.example.com;
    root /var/www/staging/pub;
    set $MAGE_MODE developer;
    location ~ \.php$ { fastcgi_param CONFIG__A staging; fastcgi_param MAGE_MODE $MAGE_MODE; }
}
"#;
    let document = parse(text, &Limits::default()).expect("parses");
    let servers = document.root.get("server").expect("server blocks");
    // The redirect block sets no parameter: not listed.
    assert_eq!(servers.value.entries().len(), 2);
    let text_of = |node: &Node| match &node.value {
        Value::String(s) => s.to_string(),
        other => panic!("{other:?}"),
    };
    let block = |i: usize| &servers.value.entries()[i].value;
    let names: Vec<String> = block(0)
        .get("server_name")
        .expect("names")
        .value
        .entries()
        .iter()
        .map(|e| text_of(&e.value))
        .collect();
    assert_eq!(names, ["www.example.com"]);
    assert_eq!(
        text_of(block(0).get("root").expect("root")),
        "/var/www/prod"
    );
    assert_eq!(
        text_of(block(1).get("root").expect("root")),
        "/var/www/staging/pub"
    );
    let value_of = |i: usize, name: &str| {
        text_of(
            block(i)
                .get("fastcgi_param")
                .and_then(|p| p.get(name))
                .expect(name),
        )
    };
    assert_eq!(value_of(0, "CONFIG__A"), "again");
    assert_eq!(value_of(1, "CONFIG__A"), "staging");
    // The block's own `set` resolves its parameter.
    assert_eq!(value_of(1, "MAGE_MODE"), "developer");
    // Each block spans from its `server` word to its `}`.
    let span = block(1).span;
    assert!(text[span.range()].starts_with("server {\n    server_name staging"));
    assert!(text[span.range()].ends_with('}'));
    // The same name in two blocks is no duplicate; twice in one block is.
    assert_eq!(document.duplicates.len(), 1);
    assert_eq!(
        document.duplicates[0].pointer(),
        "/server/0/fastcgi_param/CONFIG__A"
    );
    assert_eq!(
        params(text)[0],
        param("MAGE_MODE", "production", "production")
    );
}
