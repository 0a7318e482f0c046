//! The token stream the parser reads: tokens lexed on demand with one token of lookahead,
//! plus the rewind that a top-level `$x[…] … ` statement which turns out not to be an
//! assignment needs.

use super::lexer::{tok, Lexer, Tok, Token};
use crate::syntax::ParseError;

/// Tokens on demand (comments and whitespace dropped), then `Eof` forever. A lexer error ends
/// the stream with `Eof` and is kept in `error`: it wins over any parser error (see `finish`).
pub struct Tokens<'s> {
    lexer: Lexer<'s>,
    /// Inside `<?php … ?>` with no pending tag and not finished: the hot path.
    in_php: bool,
    /// The open tag found after inline HTML, returned next.
    pending: Option<Token>,
    finished: bool,
    error: Option<ParseError>,
}

impl<'s> Tokens<'s> {
    pub fn new(source: &'s str, max_nesting: usize) -> Tokens<'s> {
        Tokens {
            lexer: Lexer {
                src: source.as_bytes(),
                pos: 0,
                max_nesting: max_nesting.max(1),
            },
            in_php: false,
            pending: None,
            finished: false,
            error: None,
        }
    }

    #[inline]
    pub fn next(&mut self) -> Token {
        if self.in_php {
            match self.lexer.next_token(0) {
                Ok(t) if t.kind == Tok::Eof => self.finish_with(None),
                Ok(t) => {
                    if t.kind == Tok::CloseTag {
                        self.in_php = false;
                    }
                    t
                }
                Err(e) => self.finish_with(Some(e)),
            }
        } else {
            self.outside_php()
        }
    }

    /// Lexes the rest of the file; returns the first lexer error anywhere in it, as lexing the
    /// whole file up front would.
    pub fn finish(&mut self) -> Option<ParseError> {
        while !self.finished {
            self.next();
        }
        self.error.take()
    }

    fn eof(&self) -> Token {
        let len = self.lexer.src.len();
        tok(Tok::Eof, len, len)
    }

    fn finish_with(&mut self, error: Option<ParseError>) -> Token {
        self.finished = true;
        self.in_php = false;
        self.pending = None;
        self.error = error;
        self.eof()
    }

    fn outside_php(&mut self) -> Token {
        if let Some(t) = self.pending.take() {
            self.in_php = true;
            return t;
        }
        if self.finished {
            return self.eof();
        }
        let start = self.lexer.pos;
        let len = self.lexer.src.len();
        match self.lexer.find_open_tag() {
            Some((tag_start, tag_end, echo)) => {
                let kind = if echo { Tok::OpenTagEcho } else { Tok::OpenTag };
                let tag = tok(kind, tag_start, tag_end);
                self.lexer.pos = tag_end;
                if tag_start > start {
                    self.pending = Some(tag);
                    return tok(Tok::InlineHtml, start, tag_start);
                }
                self.in_php = true;
                tag
            }
            None => {
                self.finished = true;
                if len > start {
                    tok(Tok::InlineHtml, start, len)
                } else {
                    self.eof()
                }
            }
        }
    }
}

/// The current token, the next one, and what a `rewind` needs.
pub struct Cursor<'s> {
    pub cur: Token,
    pub next: Token,
    /// The last token consumed.
    pub prev: Token,
    pub tokens: Tokens<'s>,
    /// Set while `log` records or `replay` holds tokens: the hot path skips both otherwise.
    slow: bool,
    logging: bool,
    /// Tokens consumed since `mark`.
    log: Vec<Token>,
    /// Tokens to hand out again after a `rewind`, before lexing more.
    replay: Vec<Token>,
    replay_pos: usize,
}

/// Where `rewind` returns to.
pub struct Mark {
    prev: Token,
}

impl<'s> Cursor<'s> {
    pub fn new(mut tokens: Tokens<'s>) -> Cursor<'s> {
        let cur = tokens.next();
        let next = tokens.next();
        Cursor {
            cur,
            next,
            prev: cur,
            tokens,
            slow: false,
            logging: false,
            log: Vec::new(),
            replay: Vec::new(),
            replay_pos: 0,
        }
    }

    /// Consumes the current token (`Eof` stays current).
    #[inline]
    pub fn bump(&mut self) -> Token {
        let t = self.cur;
        if t.kind != Tok::Eof {
            self.prev = t;
            self.cur = self.next;
            self.next = if self.slow {
                self.slow_next(t)
            } else {
                self.tokens.next()
            };
        }
        t
    }

    #[cold]
    fn slow_next(&mut self, consumed: Token) -> Token {
        if self.logging {
            self.log.push(consumed);
        }
        let t = match self.replay.get(self.replay_pos) {
            Some(&t) => {
                self.replay_pos += 1;
                t
            }
            None => self.tokens.next(),
        };
        if self.replay_pos >= self.replay.len() {
            self.replay.clear();
            self.replay_pos = 0;
        }
        self.slow = self.logging || !self.replay.is_empty();
        t
    }

    /// Records tokens from here on so `rewind` can return to this point (not nested).
    pub fn mark(&mut self) -> Mark {
        self.logging = true;
        self.log.clear();
        self.slow = true;
        Mark { prev: self.prev }
    }

    pub fn unmark(&mut self) {
        self.logging = false;
        self.log.clear();
        self.slow = !self.replay.is_empty();
    }

    pub fn rewind(&mut self, mark: Mark) {
        let mut seq = std::mem::take(&mut self.log);
        seq.push(self.cur);
        seq.push(self.next);
        seq.extend_from_slice(self.replay.get(self.replay_pos..).unwrap_or(&[]));
        self.cur = seq[0];
        self.next = seq[1];
        seq.drain(..2);
        self.replay = seq;
        self.replay_pos = 0;
        self.prev = mark.prev;
        self.logging = false;
        self.slow = !self.replay.is_empty();
    }
}
