//! Checks shared by the parser targets: a parse either fails with a span inside the text or
//! yields a document whose every span is inside the text and whose JSON dump serializes.

use magelint::syntax::{dump, Document, Node, ParseError, Value};

pub fn check(text: &str, result: Result<Document, ParseError>) {
    match result {
        Ok(document) => {
            let mut stack: Vec<&Node> = vec![&document.root];
            while let Some(node) = stack.pop() {
                assert_span(text, node.span.start, node.span.end);
                if let Value::Array { entries, .. } = &node.value {
                    for entry in entries {
                        if let Some(key) = entry.key_span {
                            assert_span(text, key.start, key.end);
                        }
                        stack.push(&entry.value);
                    }
                }
            }
            for span in magelint::secrets::secret_spans(&document) {
                assert_span(text, span.start, span.end);
            }
            let redacted =
                magelint::secrets::redact(text, &magelint::secrets::secret_spans(&document));
            assert_eq!(redacted.len(), text.len(), "redaction keeps the length");
            let mut json = dump::to_json(&document.root);
            magelint::secrets::mask_json(&mut json);
            let _ = serde_json::to_string(&json).expect("dump serializes");
        }
        Err(error) => assert_span(text, error.span.start, error.span.end),
    }
}

fn assert_span(text: &str, start: u32, end: u32) {
    assert!(start <= end, "span {start}..{end} is reversed");
    assert!(
        end as usize <= text.len(),
        "span {start}..{end} is past the end ({})",
        text.len()
    );
}
