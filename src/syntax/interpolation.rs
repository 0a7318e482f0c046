//! Docker Compose variable interpolation, as compose-go's `template` package reads it (in the
//! values of compose files, and in the unquoted and double-quoted values of env files): `$$` is
//! a `$`; `$NAME`, `${NAME}` and `${NAME<op>word}` (`:-`, `-`, `:+`, `+`, `:?`, `?`) take their
//! value from the environment compose runs in; a `$` before anything else is itself; `${`
//! without a name and a closing brace makes compose refuse the file ("Invalid template").

/// What a value is once interpolated, as far as the file tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Interpolated {
    /// No variable: the text, with `$$` read as `$`.
    Literal(String),
    /// Depends on the environment compose runs in. `fallbacks`: the words of `${NAME:-word}`
    /// and `${NAME-word}`, used when NAME is unset — committed text all the same.
    Dynamic { fallbacks: Vec<String> },
}

/// An interpolation compose refuses; `at` is the byte offset of its `$` in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidTemplate {
    pub at: usize,
}

/// Reads `text` the way compose interpolates it.
pub fn interpolate(text: &str) -> Result<Interpolated, InvalidTemplate> {
    let bytes = text.as_bytes();
    let mut literal = String::with_capacity(text.len());
    let mut dynamic = false;
    let mut fallbacks = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let Some(dollar) = memchr::memchr(b'$', &bytes[at..]).map(|i| at + i) else {
            literal.push_str(&text[at..]);
            break;
        };
        literal.push_str(&text[at..dollar]);
        match bytes.get(dollar + 1) {
            Some(b'$') => {
                literal.push('$');
                at = dollar + 2;
            }
            Some(&c) if is_name_start(c) => {
                dynamic = true;
                at = dollar + 1 + name_len(&bytes[dollar + 1..]);
            }
            Some(b'{') => {
                let (end, fallback) = braced(text, dollar)?;
                dynamic = true;
                fallbacks.extend(fallback);
                at = end;
            }
            // `$` before anything else (or at the end) is kept as it is.
            _ => {
                literal.push('$');
                at = dollar + 1;
            }
        }
    }
    Ok(match dynamic {
        true => Interpolated::Dynamic { fallbacks },
        false => Interpolated::Literal(literal),
    })
}

fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

fn name_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|c| **c == b'_' || c.is_ascii_alphanumeric())
        .count()
}

/// `${…}` at `dollar`: where it ends and the fallback word it gives, if any.
fn braced(text: &str, dollar: usize) -> Result<(usize, Option<String>), InvalidTemplate> {
    let invalid = InvalidTemplate { at: dollar };
    let bytes = text.as_bytes();
    let open = dollar + 1;
    let close = closing_brace(bytes, open)
        .or_else(|| {
            // compose's pattern also matches up to the line's last `}` (`(.*)` is greedy).
            let line_end = memchr::memchr(b'\n', &bytes[open..]).map_or(bytes.len(), |i| open + i);
            memchr::memrchr(b'}', &bytes[open..line_end]).map(|i| open + i)
        })
        .ok_or(invalid)?;
    let inner = &text[open + 1..close];
    let name = name_len(inner.as_bytes());
    if name == 0 || !is_name_start(inner.as_bytes()[0]) {
        return Err(invalid);
    }
    let rest = &inner[name..];
    let operand = rest.strip_prefix(':').unwrap_or(rest);
    let fallback = match operand.as_bytes().first() {
        None if rest.is_empty() => None,
        Some(b'-') => Some(operand[1..].to_string()),
        Some(b'+' | b'?') => None,
        // `${NAME:}`, `${NAME!}`: not a substitution compose knows.
        _ => return Err(invalid),
    };
    // `(.*)` never crosses a line.
    if operand.contains('\n') {
        return Err(invalid);
    }
    Ok((close + 1, fallback))
}

/// compose-go's `getFirstBraceClosingIndex` from the `{` at `open`: each `{` opens a level and
/// skips the byte after it.
fn closing_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = open;
    while at < bytes.len() {
        match bytes[at] {
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(at);
                }
            }
            b'{' => {
                depth += 1;
                at += 1;
            }
            _ => {}
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> Interpolated {
        Interpolated::Literal(text.to_string())
    }

    fn dynamic(fallbacks: &[&str]) -> Interpolated {
        Interpolated::Dynamic {
            fallbacks: fallbacks.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn literals_and_escapes() {
        assert_eq!(interpolate("plain"), Ok(literal("plain")));
        assert_eq!(interpolate("pa$$word"), Ok(literal("pa$word")));
        assert_eq!(interpolate("cost $5 or $"), Ok(literal("cost $5 or $")));
        assert_eq!(interpolate("a$-b"), Ok(literal("a$-b")));
        assert_eq!(interpolate("é$$ü"), Ok(literal("é$ü")));
        assert_eq!(interpolate(""), Ok(literal("")));
    }

    #[test]
    fn variables_are_dynamic() {
        assert_eq!(interpolate("$KEY"), Ok(dynamic(&[])));
        assert_eq!(interpolate("x${KEY}y"), Ok(dynamic(&[])));
        assert_eq!(
            interpolate("${KEY:-c2FuZGJveA}"),
            Ok(dynamic(&["c2FuZGJveA"]))
        );
        assert_eq!(interpolate("${KEY-}"), Ok(dynamic(&[""])));
        assert_eq!(interpolate("${KEY:?set it}"), Ok(dynamic(&[])));
        assert_eq!(interpolate("${KEY:+on}"), Ok(dynamic(&[])));
        assert_eq!(interpolate("${A:-${B}}"), Ok(dynamic(&["${B}"])));
        assert_eq!(interpolate("${A:-{x}"), Ok(dynamic(&["{x"])));
        assert_eq!(interpolate("$$KEY"), Ok(literal("$KEY")));
    }

    #[test]
    fn broken_templates_are_refused_where_they_start() {
        for (text, at) in [
            ("${}", 0),
            ("ab${", 2),
            ("${1X}", 0),
            ("${KEY", 0),
            ("${KEY:x}", 0),
            ("${KEY!}", 0),
            ("a ${-x}", 2),
        ] {
            assert_eq!(interpolate(text), Err(InvalidTemplate { at }), "{text}");
        }
    }
}
