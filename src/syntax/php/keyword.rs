//! Keyword expressions: literals by name, `array(`, `new`, closures, `match`.

use super::lexer::{Tok, Token};
use super::parser::{PResult, Parser, P_ASSIGN};
use crate::syntax::{Node, Value};

impl<'s> Parser<'s> {
    /// Keywords and names in expression position.
    pub(super) fn parse_name(&mut self, t: Token) -> PResult<Node> {
        let raw = self.text(t).trim_start_matches('\\');
        let next = self.peek_next();
        self.bump();
        let literal = if raw.eq_ignore_ascii_case("true") {
            Some(Value::Bool(true))
        } else if raw.eq_ignore_ascii_case("false") {
            Some(Value::Bool(false))
        } else if raw.eq_ignore_ascii_case("null") {
            Some(Value::Null)
        } else {
            None
        };
        if next.kind == Tok::LParen && raw.eq_ignore_ascii_case("array") {
            return self.parse_array(t, Tok::RParen);
        }
        if let Some(v) = literal {
            if next.kind != Tok::LParen && next.kind != Tok::DoubleColon {
                return Ok(Node::new(v, t.span()));
            }
        }
        let word = raw.to_ascii_lowercase();
        match word.as_str() {
            "new" => return self.parse_new(t),
            "static" if matches!(self.peek().kind, Tok::Ident) => {
                let n = self.text(self.peek()).to_ascii_lowercase();
                if n == "function" || n == "fn" {
                    let inner = self.parse_name(self.peek())?;
                    return Ok(self.dynamic(t.span().to(inner.span)));
                }
            }
            "function" | "fn" if matches!(next.kind, Tok::LParen | Tok::Amp) => {
                return self.parse_closure(t, word == "fn");
            }
            "match" if next.kind == Tok::LParen => {
                self.skip_balanced()?;
                if self.peek().kind != Tok::LBrace {
                    return Err(self.expected(&["{"]));
                }
                let end = self.skip_balanced()?;
                return Ok(self.dynamic(t.span().to(end.span())));
            }
            "exit" | "die" => {
                self.side_effect = true;
            }
            _ => {}
        }
        // A constant, or a function/class name the postfix loop completes.
        Ok(self.dynamic(t.span()))
    }

    fn parse_new(&mut self, t: Token) -> PResult<Node> {
        self.side_effect = true;
        let class = self.peek();
        let mut end = class.span();
        if self.is_ident(class, "class") {
            self.bump();
            if self.peek().kind == Tok::LParen {
                self.skip_balanced()?;
            }
            while !matches!(self.peek().kind, Tok::LBrace | Tok::Eof) {
                self.bump();
            }
            if self.peek().kind != Tok::LBrace {
                return Err(self.expected(&["{"]));
            }
            end = self.skip_balanced()?.span();
        } else {
            match class.kind {
                Tok::Ident | Tok::Variable => {
                    self.bump();
                    // `new $a->b`, `new Foo::$x`: member chains without calls.
                    while matches!(self.peek().kind, Tok::Arrow | Tok::DoubleColon)
                        && matches!(self.peek_next().kind, Tok::Ident | Tok::Variable)
                    {
                        self.bump();
                        end = self.bump().span();
                    }
                }
                Tok::LParen => end = self.skip_balanced()?.span(),
                _ => return Err(self.expected(&["a class name"])),
            }
            if self.peek().kind == Tok::LParen {
                end = self.skip_balanced()?.span();
            }
        }
        Ok(self.dynamic(t.span().to(end)))
    }

    fn parse_closure(&mut self, t: Token, arrow: bool) -> PResult<Node> {
        if self.peek().kind == Tok::Amp {
            self.bump();
        }
        if self.peek().kind != Tok::LParen {
            return Err(self.expected(&["("]));
        }
        self.skip_balanced()?;
        let end;
        if arrow {
            while !matches!(self.peek().kind, Tok::DoubleArrow | Tok::Eof | Tok::Semi) {
                self.bump();
            }
            self.expect(Tok::DoubleArrow, "=>")?;
            end = self.parse_bp(P_ASSIGN)?.span;
        } else {
            if self.is_ident(self.peek(), "use") {
                self.bump();
                if self.peek().kind != Tok::LParen {
                    return Err(self.expected(&["("]));
                }
                self.skip_balanced()?;
            }
            while !matches!(self.peek().kind, Tok::LBrace | Tok::Eof | Tok::Semi) {
                self.bump();
            }
            if self.peek().kind == Tok::LBrace {
                end = self.skip_balanced()?.span();
            } else {
                return Err(self.expected(&["{"]));
            }
        }
        Ok(self.dynamic(t.span().to(end)))
    }
}
