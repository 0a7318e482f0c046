//! Literals inside a value the parser could not fold: `getenv('KEY') ?: 'literal'` is dynamic,
//! yet the literal is written in the file and is the value whenever the lookup comes back
//! empty. Rules about what a file holds in clear text (MS008) must see it.

use super::lexer::{Lexer, Tok, Token};
use super::literal::{decode_double, decode_heredoc, decode_single};
use crate::syntax::Span;

/// The string literals that can be the value of `expression` (the PHP source of a dynamic
/// value): the right side of `?:` and `??` and the branches of `? :`, each with its span in
/// `expression` and its decoded text. A literal that is an argument or an index
/// (`getenv('KEY')`, `$_ENV['KEY']`) or a part of a longer expression (`'a' . $b`) is not one.
/// Parentheses around a literal are looked through. An expression that does not lex gives none.
pub fn fallback_literals(expression: &str) -> Vec<(Span, String)> {
    let mut lexer = Lexer {
        src: expression.as_bytes(),
        pos: 0,
        max_nesting: 64,
    };
    let mut tokens: Vec<Token> = Vec::new();
    loop {
        match lexer.next_token(0) {
            Ok(token) if token.kind == Tok::Eof => break,
            Ok(token) => tokens.push(token),
            Err(_) => return Vec::new(),
        }
    }
    let kind = |i: Option<usize>| i.and_then(|i| tokens.get(i)).map(|t| t.kind);
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        // The nearest token before and after that is not a parenthesis.
        let before = (0..i).rev().find(|&j| tokens[j].kind != Tok::LParen);
        let after = (i + 1..tokens.len()).find(|&j| tokens[j].kind != Tok::RParen);
        let operand_after = matches!(
            kind(before),
            Some(Tok::Question | Tok::Colon | Tok::Coalesce)
        );
        let operand_before = matches!(
            kind(after),
            None | Some(Tok::Question | Tok::Colon | Tok::Coalesce)
        );
        if !(operand_after && operand_before) {
            continue;
        }
        let span = token.span();
        let text = &expression[span.start as usize..span.end as usize];
        let body = || text.get(1..text.len().saturating_sub(1)).unwrap_or("");
        let value = match token.kind {
            Tok::SqString => Some(body().to_string()),
            Tok::SqStringEscaped => Some(decode_single(body())),
            Tok::DqString => decode_double(body(), false, 1).ok(),
            Tok::Heredoc | Tok::Nowdoc => decode_heredoc(text).ok(),
            _ => None,
        };
        if let Some(value) = value {
            found.push((span, value));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::fallback_literals;

    fn values(expression: &str) -> Vec<String> {
        fallback_literals(expression)
            .into_iter()
            .map(|(span, value)| {
                // The span is the literal as written, quotes included.
                let written = &expression[span.start as usize..span.end as usize];
                assert!(written.starts_with(['\'', '"']), "{written}");
                assert_eq!(written.chars().next(), written.chars().last(), "{written}");
                value
            })
            .collect()
    }

    #[test]
    fn fallbacks_are_found() {
        assert_eq!(values("getenv('KEY') ?: 'c2FuZGJv'"), ["c2FuZGJv"]);
        assert_eq!(values("$_ENV['KEY'] ?? \"abc\""), ["abc"]);
        assert_eq!(values("getenv('K') ? getenv('K') : 'lit'"), ["lit"]);
        assert_eq!(values("isset($_ENV['K']) ? $_ENV['K'] : ('lit')"), ["lit"]);
        assert_eq!(values("getenv('K') ?: 'it\\'s'"), ["it's"]);
        assert_eq!(values("$a ? 'one' : 'two'"), ["one", "two"]);
        assert_eq!(values("getenv('A') ?: getenv('B') ?: 'last'"), ["last"]);
    }

    #[test]
    fn lookups_and_parts_are_not_fallbacks() {
        for expression in [
            "getenv('KEY')",
            "$_ENV['KEY']",
            "$_SERVER['KEY'] ?? getenv('KEY')",
            "'prefix' . getenv('KEY')",
            "getenv('KEY') ?: 'a' . 'b'",
            "CONSTANT_NAME",
            "getenv('KEY') ?: \"x{$y}\"",
            "'unterminated",
            "",
        ] {
            assert!(values(expression).is_empty(), "{expression}");
        }
    }
}
