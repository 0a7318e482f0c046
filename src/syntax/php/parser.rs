//! Expressions: precedence climbing over the token stream, evaluating what is statically known
//! and turning everything else into `Value::Dynamic(source text)`.

use super::array::{Scratch, Seg};
use super::cursor::Cursor;
use super::fold::{cast, fetch, scalar_string, truthy};
use super::lexer::{Tok, Token};
use super::literal::{self, Number};
use super::stmt::VarSlot;
use crate::syntax::{DuplicateKey, Limits, Node, ParseError, Span, Value};
use compact_str::CompactString;

pub type PResult<T> = Result<T, ParseError>;

pub struct Parser<'s> {
    pub src: &'s str,
    pub cursor: Cursor<'s>,
    pub limits: Limits,
    /// Recursion depth of `parse_bp`, bounded by `expr_limit`.
    pub depth: usize,
    pub expr_limit: usize,
    pub array_depth: usize,
    pub duplicates: Vec<DuplicateKey>,
    /// Keys from the root to the array being built, for duplicate-key pointers.
    pub path: Vec<Seg>,
    pub scratch: Scratch,
    pub vars: Vec<VarSlot<'s>>,
    /// Set when an expression may change variables (calls, assignments, include…).
    pub side_effect: bool,
}

// Binding powers (higher binds tighter), following zend_language_parser.y.
pub(super) const P_ASSIGN: u8 = 8;
const P_TERNARY: u8 = 10;
const P_NOT: u8 = 36;
const P_UNARY: u8 = 40;
const P_LOW_PREFIX: u8 = 7;

/// Functions whose call cannot change the caller's variables.
pub(super) const PURE_FUNCTIONS: [&str; 24] = [
    "getenv",
    "isset",
    "empty",
    "ini_get",
    "defined",
    "constant",
    "file_exists",
    "is_file",
    "is_dir",
    "sprintf",
    "implode",
    "explode",
    "strlen",
    "str_replace",
    "array_key_exists",
    "in_array",
    "intval",
    "strtolower",
    "strtoupper",
    "trim",
    "json_decode",
    "base64_decode",
    "env",
    "dirname",
];

impl<'s> Parser<'s> {
    pub fn new(src: &'s str, cursor: Cursor<'s>, limits: Limits, scratch: Scratch) -> Parser<'s> {
        Parser {
            src,
            cursor,
            limits,
            depth: 0,
            expr_limit: limits.max_depth.saturating_mul(2).saturating_add(16),
            array_depth: 0,
            duplicates: Vec::new(),
            path: Vec::new(),
            scratch,
            vars: Vec::new(),
            side_effect: false,
        }
    }

    #[inline]
    pub fn peek(&self) -> Token {
        self.cursor.cur
    }

    /// The token after the current one.
    #[inline]
    pub fn peek_next(&self) -> Token {
        self.cursor.next
    }

    #[inline]
    pub fn bump(&mut self) -> Token {
        self.cursor.bump()
    }

    pub fn text(&self, t: Token) -> &'s str {
        self.src
            .get(t.start() as usize..t.end() as usize)
            .unwrap_or("")
    }

    /// The value of a single-quoted string token.
    pub fn single_quoted(&self, t: Token) -> CompactString {
        // Inside the quotes (one byte each).
        let body_range = t.start() as usize + 1..(t.end() as usize).saturating_sub(1);
        let body = self.src.get(body_range).unwrap_or("");
        literal::single_quoted_value(body, t.kind == Tok::SqStringEscaped)
    }

    pub fn slice(&self, span: Span) -> &'s str {
        self.src.get(span.range()).unwrap_or("")
    }

    pub fn is_ident(&self, t: Token, word: &str) -> bool {
        t.kind == Tok::Ident && self.text(t).eq_ignore_ascii_case(word)
    }

    pub fn dynamic(&self, span: Span) -> Node {
        Node::new(Value::Dynamic(self.slice(span).to_owned()), span)
    }

    /// "expected `a` or `b`, found `x`" at the current token.
    pub fn expected(&self, what: &[&str]) -> ParseError {
        let t = self.peek();
        let list = what
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        if t.kind == Tok::Eof {
            return ParseError::new(format!("unexpected end of file, expected {list}"), t.span());
        }
        ParseError::new(
            format!("expected {list}, found {}", self.describe(t)),
            t.span(),
        )
    }

    pub fn describe(&self, t: Token) -> String {
        if t.kind == Tok::Eof {
            return "end of file".into();
        }
        let text = self.text(t);
        let line = text.lines().next().unwrap_or("");
        let mut end = line.len().min(40);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let ellipsis = if end < text.len() { "…" } else { "" };
        format!("`{}{ellipsis}`", &line[..end])
    }

    pub fn expect(&mut self, kind: Tok, what: &str) -> PResult<Token> {
        if self.peek().kind == kind {
            Ok(self.bump())
        } else {
            Err(self.expected(&[what]))
        }
    }

    /// Skips a bracketed group starting at the current opening token, without recursion.
    pub fn skip_balanced(&mut self) -> PResult<Token> {
        let mut stack: Vec<Tok> = Vec::new();
        loop {
            let t = self.peek();
            match t.kind {
                Tok::LParen => stack.push(Tok::RParen),
                Tok::LBracket | Tok::Attribute => stack.push(Tok::RBracket),
                Tok::LBrace => stack.push(Tok::RBrace),
                Tok::RParen | Tok::RBracket | Tok::RBrace => {
                    if stack.last() != Some(&t.kind) {
                        let want = match stack.last() {
                            Some(Tok::RParen) => ")",
                            Some(Tok::RBracket) => "]",
                            _ => "}",
                        };
                        return Err(self.expected(&[want]));
                    }
                    stack.pop();
                }
                Tok::Eof => {
                    let want = match stack.last() {
                        Some(Tok::RParen) => ")",
                        Some(Tok::RBracket) => "]",
                        _ => "}",
                    };
                    return Err(self.expected(&[want]));
                }
                _ => {}
            }
            self.bump();
            if stack.is_empty() {
                return Ok(t);
            }
        }
    }

    #[inline]
    pub fn parse_expr(&mut self) -> PResult<Node> {
        self.parse_bp(0)
    }

    pub fn parse_bp(&mut self, min: u8) -> PResult<Node> {
        self.depth += 1;
        if self.depth > self.expr_limit {
            let t = self.peek();
            return Err(ParseError::new(
                format!("expression nesting deeper than {} levels", self.expr_limit),
                t.span(),
            ));
        }
        let result = match self.lone_literal() {
            Some(r) => r,
            None => self.parse_bp_inner(min),
        };
        self.depth -= 1;
        result
    }

    /// Fast path for the most common expression, a literal followed by `,` `]` `)` `;` or
    /// `=>`: no postfix or binary operator can follow, so the result is what
    /// `parse_bp_inner` would build, without its calls.
    #[inline]
    fn lone_literal(&mut self) -> Option<PResult<Node>> {
        if !ends_operand(self.peek_next().kind) {
            return None;
        }
        let t = self.peek();
        let value = match t.kind {
            Tok::SqString | Tok::SqStringEscaped => Value::String(self.single_quoted(t)),
            Tok::Int => match literal::parse_int(self.text(t)) {
                Ok(Number::Int(i)) => Value::Int(i),
                Ok(Number::Float(f)) => Value::Float(f),
                Err(e) => return Some(Err(self.lit_error(t, e))),
            },
            Tok::Ident => match self.text(t).len() {
                4 | 5 => {
                    let w = self.text(t);
                    if w.eq_ignore_ascii_case("true") {
                        Value::Bool(true)
                    } else if w.eq_ignore_ascii_case("false") {
                        Value::Bool(false)
                    } else if w.eq_ignore_ascii_case("null") {
                        Value::Null
                    } else {
                        return None;
                    }
                }
                _ => return None,
            },
            _ => return None,
        };
        self.bump();
        Some(Ok(Node::new(value, t.span())))
    }

    fn parse_bp_inner(&mut self, min: u8) -> PResult<Node> {
        if self.peek().kind == Tok::LBracket {
            // An array literal, parsed here rather than three calls down (prefix, postfix,
            // primary), each of which would copy the finished array's node back up.
            let open = self.bump();
            let node = self.parse_array(open, Tok::RBracket)?;
            if ends_operand(self.peek().kind) {
                return Ok(node);
            }
            let node = self.postfix_ops(node)?;
            return self.binary_ops(node, min);
        }
        let lhs = self.parse_prefix()?;
        self.binary_ops(lhs, min)
    }

    /// The binary operators binding at least as tightly as `min` after `lhs`.
    fn binary_ops(&mut self, mut lhs: Node, min: u8) -> PResult<Node> {
        loop {
            let t = self.peek();
            let Some((prec, right)) = self.binop(t) else {
                break;
            };
            if prec < min {
                break;
            }
            self.bump();
            if t.kind == Tok::Question {
                lhs = self.parse_ternary(lhs)?;
                continue;
            }
            if prec == P_ASSIGN {
                self.side_effect = true;
                if self.peek().kind == Tok::Amp {
                    self.bump();
                }
            }
            let rhs = self.parse_bp(if right { prec } else { prec + 1 })?;
            let span = lhs.span.to(rhs.span);
            lhs = match t.kind {
                Tok::Dot => match (scalar_string(&lhs.value), scalar_string(&rhs.value)) {
                    (Some(mut a), Some(b)) => {
                        a.push_str(&b);
                        Node::new(Value::String(a.into()), span)
                    }
                    _ => self.dynamic(span),
                },
                Tok::Coalesce => match lhs.value {
                    Value::Null => Node::new(rhs.value, span),
                    Value::Dynamic(_) => self.dynamic(span),
                    v => Node::new(v, span),
                },
                _ => self.dynamic(span),
            };
        }
        Ok(lhs)
    }

    fn parse_ternary(&mut self, cond: Node) -> PResult<Node> {
        let middle = if self.peek().kind == Tok::Colon {
            None
        } else {
            Some(self.parse_bp(0)?)
        };
        self.expect(Tok::Colon, ":")?;
        let other = self.parse_bp(P_TERNARY + 1)?;
        let span = cond.span.to(other.span);
        let value = match (truthy(&cond.value), middle) {
            (Some(true), Some(m)) => m.value,
            (Some(true), None) => cond.value,
            (Some(false), _) => other.value,
            (None, _) => return Ok(self.dynamic(span)),
        };
        Ok(match value {
            Value::Dynamic(_) => self.dynamic(span),
            v => Node::new(v, span),
        })
    }

    /// Binary operators: (binding power, right-associative).
    fn binop(&self, t: Token) -> Option<(u8, bool)> {
        Some(match t.kind {
            Tok::Assign => (P_ASSIGN, true),
            Tok::Question => (P_TERNARY, false),
            Tok::Coalesce => (12, true),
            Tok::Amp => (22, false),
            Tok::Dot => (28, false),
            Tok::Plus | Tok::Minus => (32, false),
            Tok::Ident => {
                let w = self.text(t);
                if w.eq_ignore_ascii_case("or") {
                    (2, false)
                } else if w.eq_ignore_ascii_case("xor") {
                    (4, false)
                } else if w.eq_ignore_ascii_case("and") {
                    (6, false)
                } else if w.eq_ignore_ascii_case("instanceof") {
                    (38, false)
                } else {
                    return None;
                }
            }
            Tok::Op => match self.text(t) {
                "+=" | "-=" | "*=" | "/=" | ".=" | "%=" | "**=" | "&=" | "|=" | "^=" | "<<="
                | ">>=" | "??=" => (P_ASSIGN, true),
                "||" => (14, false),
                "&&" => (16, false),
                "|" => (18, false),
                "^" => (20, false),
                "==" | "!=" | "===" | "!==" | "<>" | "<=>" => (24, false),
                "<" | "<=" | ">" | ">=" => (26, false),
                "<<" | ">>" => (30, false),
                "*" | "/" | "%" => (34, false),
                "**" => (42, true),
                _ => return None,
            },
            _ => return None,
        })
    }

    fn parse_prefix(&mut self) -> PResult<Node> {
        let t = self.peek();
        let prec = match t.kind {
            Tok::Minus | Tok::Plus | Tok::Cast | Tok::At | Tok::Amp => P_UNARY,
            Tok::Not => P_NOT,
            Tok::Op if matches!(self.text(t), "~" | "++" | "--") => P_UNARY,
            Tok::Ident if is_low_prefix(self.text(t)) => P_LOW_PREFIX,
            _ => return self.parse_postfix(),
        };
        self.bump();
        if self.is_ident(t, "yield") && self.is_ident(self.peek(), "from") {
            self.bump();
        }
        if t.kind == Tok::Ident && matches!(self.peek().kind, Tok::Semi | Tok::RParen | Tok::Comma)
        {
            // `yield;`
            return Ok(self.dynamic(t.span()));
        }
        let operand = self.parse_bp(prec)?;
        let span = t.span().to(operand.span);
        let value = match t.kind {
            Tok::Minus => match operand.value {
                Value::Int(i) => Some(
                    i.checked_neg()
                        .map_or(Value::Float(-(i as f64)), Value::Int),
                ),
                Value::Float(f) => Some(Value::Float(-f)),
                _ => None,
            },
            Tok::Plus => match operand.value {
                v @ (Value::Int(_) | Value::Float(_)) => Some(v),
                _ => None,
            },
            Tok::Not => truthy(&operand.value).map(|b| Value::Bool(!b)),
            Tok::At => match operand.value {
                Value::Dynamic(_) => None,
                v => Some(v),
            },
            Tok::Cast => cast(self.text(t), &operand.value),
            _ => {
                self.side_effect = true;
                None
            }
        };
        Ok(match value {
            Some(v) => Node::new(v, span),
            None => self.dynamic(span),
        })
    }

    fn parse_postfix(&mut self) -> PResult<Node> {
        let node = self.parse_primary()?;
        self.postfix_ops(node)
    }

    /// Subscripts, member accesses, calls and `++`/`--` after `node`.
    fn postfix_ops(&mut self, mut node: Node) -> PResult<Node> {
        loop {
            let t = self.peek();
            match t.kind {
                Tok::LBracket => {
                    self.bump();
                    if self.peek().kind == Tok::RBracket {
                        let end = self.bump();
                        node = self.dynamic(node.span.to(end.span()));
                        continue;
                    }
                    let key = self.parse_bp(0)?;
                    let end = self.expect(Tok::RBracket, "]")?;
                    let span = node.span.to(end.span());
                    node = match fetch(node.value, &key.value) {
                        Some(Value::Dynamic(_)) | None => self.dynamic(span),
                        Some(v) => Node::new(v, span),
                    };
                }
                Tok::Arrow | Tok::NullsafeArrow | Tok::DoubleColon => {
                    self.bump();
                    let member = self.peek();
                    let end = match member.kind {
                        Tok::Ident | Tok::Variable => self.bump(),
                        Tok::LBrace => self.skip_balanced()?,
                        Tok::Dollar => {
                            self.bump();
                            self.parse_primary()?;
                            self.cursor.prev
                        }
                        _ => return Err(self.expected(&["a member name"])),
                    };
                    node = self.dynamic(node.span.to(end.span()));
                }
                Tok::LParen => {
                    let name = self.slice(node.span).trim_start_matches('\\');
                    if !PURE_FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(name)) {
                        self.side_effect = true;
                    }
                    let end = self.skip_balanced()?;
                    node = self.dynamic(node.span.to(end.span()));
                }
                Tok::Op if matches!(self.text(t), "++" | "--") => {
                    self.bump();
                    self.side_effect = true;
                    node = self.dynamic(node.span.to(t.span()));
                }
                _ => return Ok(node),
            }
        }
    }

    fn parse_primary(&mut self) -> PResult<Node> {
        let t = self.peek();
        let span = t.span();
        let text = self.text(t);
        let value = match t.kind {
            Tok::SqString | Tok::SqStringEscaped => {
                self.bump();
                Value::String(self.single_quoted(t))
            }
            Tok::DqString => {
                self.bump();
                let inner = text.get(1..text.len() - 1).unwrap_or("");
                let s =
                    literal::decode_double(inner, false, 1).map_err(|e| self.lit_error(t, e))?;
                Value::String(s.into())
            }
            Tok::Heredoc | Tok::Nowdoc => {
                self.bump();
                Value::String(
                    literal::decode_heredoc(text)
                        .map_err(|e| self.lit_error(t, e))?
                        .into(),
                )
            }
            Tok::DqDynamic | Tok::HeredocDynamic | Tok::Backtick => {
                self.bump();
                if t.kind == Tok::Backtick {
                    self.side_effect = true;
                }
                return Ok(self.dynamic(span));
            }
            Tok::Int => {
                self.bump();
                match literal::parse_int(text).map_err(|e| self.lit_error(t, e))? {
                    Number::Int(i) => Value::Int(i),
                    Number::Float(f) => Value::Float(f),
                }
            }
            Tok::Float => {
                self.bump();
                Value::Float(literal::parse_float(text))
            }
            Tok::LBracket => {
                self.bump();
                return self.parse_array(t, Tok::RBracket);
            }
            Tok::LParen => {
                self.bump();
                let inner = self.parse_bp(0)?;
                let end = self.expect(Tok::RParen, ")")?;
                return Ok(Node::new(inner.value, span.to(end.span())));
            }
            Tok::Variable => {
                self.bump();
                return Ok(self.variable(t));
            }
            Tok::Dollar => {
                self.bump();
                self.side_effect = true;
                let end = if self.peek().kind == Tok::LBrace {
                    self.skip_balanced()?.span()
                } else {
                    self.parse_primary()?.span
                };
                return Ok(self.dynamic(span.to(end)));
            }
            Tok::Attribute => {
                self.skip_balanced()?;
                let inner = self.parse_primary()?;
                return Ok(self.dynamic(span.to(inner.span)));
            }
            Tok::Ident => return self.parse_name(t),
            _ => return Err(self.expected(&["an expression"])),
        };
        Ok(Node::new(value, span))
    }

    fn lit_error(&self, t: Token, (msg, offset): literal::LitError) -> ParseError {
        let at = (t.start() as usize + offset).min(t.end() as usize);
        let mut end = (at + 1).min(t.end() as usize);
        while !self.src.is_char_boundary(end) {
            end += 1;
        }
        ParseError::new(msg, Span::new(at, end))
    }
}

/// Tokens that neither a postfix nor a binary operator starts: an operand before one is
/// complete.
pub(super) fn ends_operand(kind: Tok) -> bool {
    matches!(
        kind,
        Tok::Comma | Tok::RBracket | Tok::RParen | Tok::Semi | Tok::DoubleArrow
    )
}

fn is_low_prefix(word: &str) -> bool {
    const WORDS: [&str; 8] = [
        "include",
        "include_once",
        "require",
        "require_once",
        "print",
        "throw",
        "yield",
        "clone",
    ];
    word.len() >= 5 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}
