//! XML files (pub/errors/local.xml) read as ece-tools reads them, with Symfony's XML decoder:
//! the document must be well-formed, non-empty and without a document type declaration; the
//! tree is the root element's content (the root's own name is dropped). An element holding
//! elements is a mapping of their names (a name written twice is a list of its values), an
//! element holding only text is that text, an attribute is a key `@name`.

use super::{Document, Entry, Key, KeySpan, Node, ParseError, Span, Value};

/// Parses an XML file.
pub fn parse(text: &str) -> Result<Document, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::new(
            "the XML file is empty",
            Span::new(0, text.len()),
        ));
    }
    // roxmltree refuses a DTD by default, as Symfony's decoder does.
    let tree = roxmltree::Document::parse(text).map_err(|error| {
        let at = tree_error_offset(text, &error);
        ParseError::new(format!("not well-formed XML: {error}"), Span::empty_at(at))
    })?;
    let root = tree.root_element();
    Ok(Document::new(content(root)))
}

/// The byte offset of a parse error (roxmltree reports a row and a column in characters).
fn tree_error_offset(text: &str, error: &roxmltree::Error) -> usize {
    let position = error.pos();
    let line_start = text
        .split_inclusive('\n')
        .take(position.row.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let column = position.col.saturating_sub(1) as usize;
    let offset = text[line_start..]
        .char_indices()
        .nth(column)
        .map_or(text.len(), |(at, _)| line_start + at);
    offset.min(text.len())
}

/// An element as the decoder gives it: its child elements and attributes as a mapping, else
/// its text.
fn content(element: roxmltree::Node<'_, '_>) -> Node {
    let range = element.range();
    let span = Span::new(range.start, range.end);
    let mut entries: Vec<Entry> = element
        .attributes()
        .map(|attribute| {
            let range = attribute.range();
            Entry {
                key: Key::Str(format!("@{}", attribute.name()).into()),
                key_span: KeySpan::from(Some(Span::new(range.start, range.end))),
                value: Node::new(
                    Value::String(attribute.value().into()),
                    Span::new(range.start, range.end),
                ),
            }
        })
        .collect();
    let children: Vec<_> = element.children().filter(|c| c.is_element()).collect();
    if children.is_empty() && entries.is_empty() {
        let text: String = element
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect();
        return Node::new(Value::String(text.into()), span);
    }
    for child in children {
        let name = child.tag_name().name();
        let value = content(child);
        let child_range = child.range();
        match entries.iter_mut().find(|e| e.key.matches(name)) {
            // A name written again: the values become a list.
            Some(existing) => {
                let first = std::mem::replace(&mut existing.value, Node::new(Value::Null, span));
                let mut items = match first.value {
                    Value::Array {
                        entries,
                        list: true,
                    } if existing.key_span.get().is_none() => entries,
                    _ => vec![item(0, first)],
                };
                items.push(item(items.len(), value));
                existing.key_span = KeySpan::NONE;
                existing.value = Node::new(
                    Value::Array {
                        entries: items,
                        list: true,
                    },
                    span,
                );
            }
            None => entries.push(Entry {
                key: Key::Str(name.into()),
                key_span: KeySpan::from(Some(Span::new(child_range.start, child_range.end))),
                value,
            }),
        }
    }
    Node::new(
        Value::Array {
            entries,
            list: false,
        },
        span,
    )
}

fn item(index: usize, value: Node) -> Entry {
    Entry {
        key: Key::Int(index as i64),
        key_span: KeySpan::NONE,
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(text: &str) -> Option<Value> {
        let document = parse(text).expect("parses");
        Some(
            document
                .root
                .get("report")?
                .get("dir_nesting_level")?
                .value
                .clone(),
        )
    }

    #[test]
    fn reads_as_symfony_decodes() {
        let ok = "<?xml version=\"1.0\"?>\n<config><report><dir_nesting_level>0</dir_nesting_level></report></config>";
        assert_eq!(level(ok), Some(Value::String("0".into())));
        assert_eq!(
            level("<config><report><dir_nesting_level/></report></config>"),
            Some(Value::String("".into()))
        );
        // An attribute is `@dir_nesting_level`, not the setting.
        assert_eq!(
            level("<config><report dir_nesting_level=\"1\"/></config>"),
            None
        );
        // Two reports are a list: no `report/dir_nesting_level`.
        assert_eq!(
            level("<config><report><dir_nesting_level>1</dir_nesting_level></report><report/></config>"),
            None
        );
        assert!(matches!(
            level("<config><report><dir_nesting_level>1</dir_nesting_level><dir_nesting_level>2</dir_nesting_level></report></config>"),
            Some(Value::Array { list: true, .. })
        ));
        assert_eq!(
            level("<foo><report><!-- x --><dir_nesting_level><![CDATA[1]]></dir_nesting_level></report></foo>"),
            Some(Value::String("1".into()))
        );
    }

    #[test]
    fn refuses_what_symfony_refuses() {
        for bad in [
            "",
            "  \n",
            "<config><report>",
            "<!DOCTYPE config><config/>",
            "<a/><b/>",
            "<config>&foo;</config>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let error = parse("<config>\n  <report>\n</config>").expect_err("mismatched");
        assert!(error.span.start > 0, "{error:?}");
    }
}
