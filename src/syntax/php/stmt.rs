//! Top-level statements: `return`, tracked `$var = …;` assignments, and everything else skipped
//! token by token with balanced brackets.

use super::lexer::{Tok, Token};
use super::parser::{PResult, Parser};
use crate::syntax::{Entry, Key, Node, ParseError, Span, Value};

/// A top-level variable and what it holds (`Value::Dynamic` once it can no longer be known).
pub struct VarSlot<'s> {
    pub name: &'s str,
    pub node: Node,
    /// Array nesting depth of `node` (an upper bound).
    pub depth: usize,
}

enum Sub {
    Append,
    Key(Key),
    Unknown,
}

const SUPERGLOBALS: [&str; 10] = [
    "$GLOBALS",
    "$_SERVER",
    "$_GET",
    "$_POST",
    "$_FILES",
    "$_COOKIE",
    "$_SESSION",
    "$_REQUEST",
    "$_ENV",
    "$this",
];

/// Statements that declare things without changing top-level variables.
const DECLARATIONS: [&str; 12] = [
    "declare",
    "namespace",
    "use",
    "const",
    "function",
    "class",
    "interface",
    "trait",
    "enum",
    "abstract",
    "final",
    "readonly",
];

impl<'s> Parser<'s> {
    /// Runs the top level; returns the root and whether the file has no `return`.
    pub fn parse_program(&mut self) -> PResult<(Node, bool)> {
        loop {
            let t = self.peek();
            match t.kind {
                Tok::Eof => {
                    let end = Span::empty_at(self.src.len());
                    return Ok((Node::new(Value::Int(1), end), true));
                }
                Tok::InlineHtml | Tok::OpenTag | Tok::CloseTag | Tok::Semi => {
                    self.bump();
                }
                Tok::Ident if self.is_ident(t, "return") => {
                    self.bump();
                    let root = self.parse_return(t)?;
                    // PHP compiles the whole file: the rest must still be well-formed.
                    while self.peek().kind != Tok::Eof {
                        self.skip_statement()?;
                    }
                    return Ok((root, false));
                }
                Tok::Ident if self.is_declaration(t) => self.skip_statement()?,
                Tok::Variable => self.assignment()?,
                _ => {
                    self.skip_statement()?;
                    self.invalidate();
                }
            }
        }
    }

    fn is_declaration(&self, t: Token) -> bool {
        let word = self.text(t);
        if word.eq_ignore_ascii_case("function") {
            // `function () {}` at statement start is a closure expression, not a declaration.
            return matches!(self.peek_next().kind, Tok::Ident | Tok::Amp);
        }
        DECLARATIONS.iter().any(|d| d.eq_ignore_ascii_case(word))
    }

    fn parse_return(&mut self, keyword: Token) -> PResult<Node> {
        let t = self.peek();
        if matches!(t.kind, Tok::Semi | Tok::CloseTag) {
            self.bump();
            return Ok(Node::new(Value::Null, keyword.span()));
        }
        let root = if t.kind == Tok::Variable
            && matches!(self.peek_next().kind, Tok::Semi | Tok::CloseTag)
        {
            self.bump();
            let name = self.text(t);
            match self.vars.iter_mut().find(|v| v.name == name) {
                Some(slot) if !matches!(slot.node.value, Value::Dynamic(_)) => {
                    std::mem::replace(&mut slot.node, Node::new(Value::Null, Span::empty_at(0)))
                }
                _ => self.dynamic(t.span()),
            }
        } else {
            self.parse_expr()?
        };
        self.end_statement()?;
        Ok(root)
    }

    fn end_statement(&mut self) -> PResult<()> {
        if matches!(self.peek().kind, Tok::Semi | Tok::CloseTag) {
            self.bump();
            Ok(())
        } else {
            Err(self.expected(&[";"]))
        }
    }

    /// Skips one statement: up to `;` / `?>` outside brackets, or a closing `}` back at depth 0.
    pub fn skip_statement(&mut self) -> PResult<()> {
        let mut stack: Vec<Tok> = Vec::new();
        loop {
            let t = self.peek();
            match t.kind {
                Tok::Eof => {
                    return match stack.last() {
                        None => Ok(()),
                        Some(&closer) => Err(self.expected(&[closer_text(closer)])),
                    };
                }
                Tok::LParen => stack.push(Tok::RParen),
                Tok::LBracket | Tok::Attribute => stack.push(Tok::RBracket),
                Tok::LBrace => stack.push(Tok::RBrace),
                Tok::RParen | Tok::RBracket | Tok::RBrace => match stack.last() {
                    None => {
                        return Err(ParseError::new(
                            format!("unexpected {}", self.describe(t)),
                            t.span(),
                        ))
                    }
                    Some(&closer) if closer != t.kind => {
                        return Err(self.expected(&[closer_text(closer)]))
                    }
                    Some(_) => {
                        stack.pop();
                        self.bump();
                        if stack.is_empty() && t.kind == Tok::RBrace {
                            return Ok(());
                        }
                        continue;
                    }
                },
                Tok::Semi | Tok::CloseTag if stack.is_empty() => {
                    self.bump();
                    return Ok(());
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// Every tracked variable becomes unknown (after a statement that may change them).
    pub fn invalidate(&mut self) {
        for slot in &mut self.vars {
            if !matches!(slot.node.value, Value::Dynamic(_)) {
                slot.node.value = Value::Dynamic(slot.name.to_owned());
                slot.depth = 0;
            }
        }
    }

    /// A variable read in an expression.
    pub fn variable(&self, t: Token) -> Node {
        let name = self.text(t);
        if let Some(slot) = self.vars.iter().find(|v| v.name == name) {
            if !matches!(slot.node.value, Value::Dynamic(_))
                && self.array_depth + slot.depth <= self.limits.max_depth
            {
                return Node::new(slot.node.value.clone(), t.span());
            }
        }
        self.dynamic(t.span())
    }

    /// `$x = …;`, `$x['a'][] = …;` — anything else starting with a variable is skipped.
    fn assignment(&mut self) -> PResult<()> {
        let start = self.cursor.mark();
        let var = self.bump();
        let mut subs: Vec<(Sub, Span)> = Vec::new();
        while self.peek().kind == Tok::LBracket {
            let open = self.bump();
            if self.peek().kind == Tok::RBracket {
                let close = self.bump();
                subs.push((Sub::Append, open.span().to(close.span())));
                continue;
            }
            let key = self.parse_expr()?;
            self.expect(Tok::RBracket, "]")?;
            let sub = match super::array::key_of_value(&key.value) {
                Some(k) => Sub::Key(k),
                None => Sub::Unknown,
            };
            subs.push((sub, key.span));
        }
        if self.peek().kind != Tok::Assign || self.peek_next().kind == Tok::Amp {
            self.cursor.rewind(start);
            self.skip_statement()?;
            self.invalidate();
            return Ok(());
        }
        self.cursor.unmark();
        self.bump();
        self.side_effect = false;
        let value = self.parse_expr()?;
        self.end_statement()?;
        if self.side_effect {
            self.invalidate();
        }
        self.store(var, subs, value);
        Ok(())
    }

    fn store(&mut self, var: Token, subs: Vec<(Sub, Span)>, value: Node) {
        let name = self.text(var);
        let max = self.limits.max_depth;
        let superglobal = SUPERGLOBALS.contains(&name);
        let index = match self.vars.iter().position(|v| v.name == name) {
            Some(i) => i,
            None => {
                // Undefined variables start as null, which `$x[…] =` turns into an array.
                self.vars.push(VarSlot {
                    name,
                    node: Node::new(Value::Null, var.span()),
                    depth: 0,
                });
                self.vars.len() - 1
            }
        };
        let slot = &mut self.vars[index];
        if subs.is_empty() {
            slot.depth = node_depth(&value);
            slot.node = value;
        } else if superglobal || subs.len() > max {
            slot.node.value = Value::Dynamic(name.to_owned());
        } else {
            let depth = subs.len() + node_depth(&value);
            if assign_into(&mut slot.node, &subs, value) {
                slot.depth = slot.depth.max(depth);
            } else {
                slot.node.value = Value::Dynamic(name.to_owned());
            }
        }
        if slot.depth > max {
            slot.node.value = Value::Dynamic(name.to_owned());
            slot.depth = 0;
        }
    }
}

fn closer_text(t: Tok) -> &'static str {
    match t {
        Tok::RParen => ")",
        Tok::RBracket => "]",
        _ => "}",
    }
}

fn node_depth(n: &Node) -> usize {
    match &n.value {
        Value::Array { entries, .. } => {
            1 + entries
                .iter()
                .map(|e| node_depth(&e.value))
                .max()
                .unwrap_or(0)
        }
        _ => 0,
    }
}

/// Writes `value` at `subs` below `node`, creating arrays like PHP; false when PHP would not
/// (or we cannot know where it goes).
fn assign_into(node: &mut Node, subs: &[(Sub, Span)], value: Node) -> bool {
    let mut value = Some(value);
    let mut cur = node;
    for (i, (sub, span)) in subs.iter().enumerate() {
        if matches!(cur.value, Value::Null) {
            cur.value = Value::Array {
                entries: Vec::new(),
                list: true,
            };
        }
        let Value::Array { entries, .. } = &mut cur.value else {
            return false;
        };
        let (key, key_span) = match sub {
            Sub::Append => {
                let next = entries
                    .iter()
                    .filter_map(|e| match e.key {
                        Key::Int(k) => Some(k),
                        Key::Str(_) => None,
                    })
                    .max()
                    .map_or(Some(0), |m| m.checked_add(1));
                match next {
                    Some(k) => (Key::Int(k), None),
                    None => return false,
                }
            }
            Sub::Key(k) => (k.clone(), Some(*span)),
            Sub::Unknown => return false,
        };
        let idx = match entries.iter().position(|e| e.key == key) {
            Some(idx) => idx,
            None => {
                entries.push(Entry {
                    key,
                    key_span: key_span.into(),
                    value: Node::new(Value::Null, *span),
                });
                entries.len() - 1
            }
        };
        if i + 1 == subs.len() {
            if let Some(v) = value.take() {
                entries[idx].value = v;
            }
            return true;
        }
        cur = &mut entries[idx].value;
    }
    false
}
