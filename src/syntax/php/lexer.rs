//! The PHP lexer: every token of the language, so statements the parser does not evaluate can be
//! skipped safely. Tokens are small (kind + byte range); string and number contents are decoded
//! later, only for the tokens the parser evaluates (see `literal.rs`).

use super::scan::single_quoted_end;
use crate::syntax::{ParseError, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// Text outside `<?php … ?>`.
    InlineHtml,
    OpenTag,
    /// `<?=`, an echo statement.
    OpenTagEcho,
    /// `?>`, which also ends a statement.
    CloseTag,
    /// `$name`.
    Variable,
    /// A lone `$` (variable variables).
    Dollar,
    /// Names and keywords, namespaced names included (`Foo\Bar`, `\strlen`).
    Ident,
    /// A single-quoted string without backslashes: its body is its value.
    SqString,
    /// A single-quoted string with a backslash (maybe an escape).
    SqStringEscaped,
    /// A double-quoted string without interpolation.
    DqString,
    /// A double-quoted string with `$var` / `{$…}` / `${…}` interpolation.
    DqDynamic,
    Heredoc,
    HeredocDynamic,
    Nowdoc,
    /// `` `…` ``, a shell command.
    Backtick,
    Int,
    Float,
    /// `(int)`, `(string)`, …
    Cast,
    /// `#[`, an attribute; closed by `]`.
    Attribute,
    LBracket,
    RBracket,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Semi,
    DoubleArrow,
    Assign,
    Dot,
    Plus,
    Minus,
    Question,
    Colon,
    DoubleColon,
    Coalesce,
    Ellipsis,
    Arrow,
    NullsafeArrow,
    Not,
    Amp,
    At,
    Backslash,
    /// Every other operator (binary, compound assignment, `++`, `~`…); the parser reads its text.
    Op,
    Eof,
}

/// A token: kind and byte range. Two scalars (start and end packed in one `u64`), so it is
/// returned in registers: a struct of three fields goes through memory, and reading it back
/// wider than it was written stalls the load on every token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    bounds: u64,
}

impl Token {
    pub fn start(&self) -> u32 {
        self.bounds as u32
    }

    pub fn end(&self) -> u32 {
        (self.bounds >> 32) as u32
    }

    pub fn span(&self) -> Span {
        Span {
            start: self.start(),
            end: self.end(),
        }
    }
}

pub fn is_label_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

pub fn is_label_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

pub(super) fn tok(kind: Tok, start: usize, end: usize) -> Token {
    Token {
        kind,
        bounds: u64::from(start as u32) | u64::from(end as u32) << 32,
    }
}

pub(super) struct Lexer<'s> {
    pub(super) src: &'s [u8],
    pub(super) pos: usize,
    pub(super) max_nesting: usize,
}

const CASTS: [&str; 12] = [
    "int", "integer", "bool", "boolean", "float", "double", "real", "string", "binary", "array",
    "object", "unset",
];

impl<'s> Lexer<'s> {
    pub(super) fn at(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    fn starts_with_ci(&self, at: usize, word: &[u8]) -> bool {
        self.src
            .get(at..at + word.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    }

    /// Finds the next `<?php` (followed by whitespace or end of file) or `<?=`.
    pub(super) fn find_open_tag(&self) -> Option<(usize, usize, bool)> {
        let mut i = self.pos;
        while let Some(off) = memchr::memchr(b'<', &self.src[i..]) {
            let at = i + off;
            if self.at(at + 1) == b'?' {
                if self.at(at + 2) == b'=' {
                    return Some((at, at + 3, true));
                }
                if self.starts_with_ci(at + 2, b"php") {
                    let after = at + 5;
                    match self.src.get(after) {
                        None => return Some((at, after, false)),
                        Some(b' ' | b'\t') => return Some((at, after + 1, false)),
                        Some(b'\n') => return Some((at, after + 1, false)),
                        Some(b'\r') => {
                            let end = if self.at(after + 1) == b'\n' {
                                after + 2
                            } else {
                                after + 1
                            };
                            return Some((at, end, false));
                        }
                        _ => {}
                    }
                }
            }
            i = at + 1;
        }
        None
    }

    fn error(&self, message: &str, start: usize) -> ParseError {
        ParseError::new(message, Span::new(start, (start + 1).min(self.src.len())))
    }

    /// Skips whitespace and comments; a comment may not hide `?>` (PHP ends the comment there).
    #[inline(always)]
    pub(super) fn skip_trivia(&mut self) -> Result<(), ParseError> {
        self.skip_whitespace();
        match self.at(self.pos) {
            b'#' | b'/' => self.skip_comments(),
            _ => Ok(()),
        }
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        const SPACES: u64 = 0x2020_2020_2020_2020;
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let src = self.src;
        let mut i = self.pos;
        loop {
            // Runs of spaces (indentation, around `=>`) eight bytes at a time: the first byte
            // that is not a space is the lowest non-zero byte of `word ^ SPACES`.
            while let Some(w) = src.get(i..i + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(w);
                let y = u64::from_le_bytes(word) ^ SPACES;
                if y == 0 {
                    i += 8;
                    continue;
                }
                let non_zero = ((y & LOW7).wrapping_add(LOW7) | y) & !LOW7;
                i += (non_zero.trailing_zeros() / 8) as usize;
                break;
            }
            match src.get(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) => i += 1,
                _ => break,
            }
        }
        self.pos = i;
    }

    /// Comments, and the whitespace after them (the rare part of `skip_trivia`).
    #[inline(never)]
    fn skip_comments(&mut self) -> Result<(), ParseError> {
        loop {
            let i = self.pos;
            match self.at(i) {
                b'#' if self.at(i + 1) != b'[' => self.skip_line_comment(),
                b'/' if self.at(i + 1) == b'/' => self.skip_line_comment(),
                b'/' if self.at(i + 1) == b'*' => self.pos = self.block_comment_end(i)?,
                _ => return Ok(()),
            }
            self.skip_whitespace();
        }
    }

    /// The offset after the `*/` closing the comment opened at `start`.
    fn block_comment_end(&self, start: usize) -> Result<usize, ParseError> {
        let mut i = start + 2;
        while let Some(off) = self
            .src
            .get(i..)
            .and_then(|rest| memchr::memchr(b'*', rest))
        {
            if self.at(i + off + 1) == b'/' {
                return Ok(i + off + 2);
            }
            i += off + 1;
        }
        Err(self.error("unterminated comment", start))
    }

    fn skip_line_comment(&mut self) {
        loop {
            let rest = &self.src[self.pos..];
            match memchr::memchr3(b'\n', b'\r', b'?', rest) {
                None => {
                    self.pos = self.src.len();
                    return;
                }
                Some(off) => {
                    let at = self.pos + off;
                    if self.src[at] == b'?' && self.at(at + 1) != b'>' {
                        self.pos = at + 1;
                        continue;
                    }
                    self.pos = at;
                    return;
                }
            }
        }
    }

    #[inline(always)]
    pub(super) fn next_token(&mut self, nesting: usize) -> Result<Token, ParseError> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(&c) = self.src.get(start) else {
            return Ok(tok(Tok::Eof, start, start));
        };
        let kind = match c {
            b'\'' => {
                if self.scan_single_quoted()? {
                    Tok::SqStringEscaped
                } else {
                    Tok::SqString
                }
            }
            // The commonest punctuation, before the operator tables.
            b'[' => {
                self.pos += 1;
                Tok::LBracket
            }
            b']' => {
                self.pos += 1;
                Tok::RBracket
            }
            b',' => {
                self.pos += 1;
                Tok::Comma
            }
            b'=' if self.at(start + 1) == b'>' => {
                self.pos += 2;
                Tok::DoubleArrow
            }
            b'"' => {
                if self.scan_interpolated(b'"', nesting)? {
                    Tok::DqDynamic
                } else {
                    Tok::DqString
                }
            }
            b'`' => {
                self.scan_interpolated(b'`', nesting)?;
                Tok::Backtick
            }
            b'$' if is_label_start(self.at(start + 1)) => {
                self.pos += 2;
                self.eat_label_chars();
                Tok::Variable
            }
            b'0'..=b'9' => self.scan_number(),
            b'.' if self.at(start + 1).is_ascii_digit() => self.scan_number(),
            b'\\' if is_label_start(self.at(start + 1)) => {
                self.pos += 1;
                self.scan_name();
                Tok::Ident
            }
            c if is_label_start(c) => {
                self.scan_name();
                Tok::Ident
            }
            b'<' if self.src[start..].starts_with(b"<<<") => {
                if let Some(kind) = self.scan_heredoc(nesting)? {
                    kind
                } else {
                    self.pos += 2;
                    Tok::Op
                }
            }
            b'(' => self.scan_cast().unwrap_or_else(|| {
                self.pos += 1;
                Tok::LParen
            }),
            b'#' => {
                self.pos += 2;
                Tok::Attribute
            }
            b'?' if self.at(start + 1) == b'>' => {
                self.pos += 2;
                // A single newline right after `?>` belongs to the tag.
                if self.at(self.pos) == b'\n' {
                    self.pos += 1;
                } else if self.at(self.pos) == b'\r' {
                    self.pos += if self.at(self.pos + 1) == b'\n' { 2 } else { 1 };
                }
                Tok::CloseTag
            }
            _ => self.scan_operator(),
        };
        Ok(tok(kind, start, self.pos))
    }

    fn eat_label_chars(&mut self) {
        while is_label_char(self.at(self.pos)) && self.pos < self.src.len() {
            self.pos += 1;
        }
    }

    /// A name, with `\`-separated namespace parts.
    fn scan_name(&mut self) {
        self.eat_label_chars();
        while self.at(self.pos) == b'\\' && is_label_start(self.at(self.pos + 1)) {
            self.pos += 1;
            self.eat_label_chars();
        }
    }

    fn scan_cast(&mut self) -> Option<Tok> {
        let mut i = self.pos + 1;
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        let word_start = i;
        while self.at(i).is_ascii_alphabetic() {
            i += 1;
        }
        let word = &self.src[word_start..i];
        if word.is_empty()
            || !CASTS
                .iter()
                .any(|c| c.as_bytes().eq_ignore_ascii_case(word))
        {
            return None;
        }
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        if self.at(i) != b')' {
            return None;
        }
        self.pos = i + 1;
        Some(Tok::Cast)
    }

    /// Returns whether the string holds a backslash.
    pub(super) fn scan_single_quoted(&mut self) -> Result<bool, ParseError> {
        let start = self.pos;
        match single_quoted_end(self.src, start) {
            Some((end, escaped)) => {
                self.pos = end;
                Ok(escaped)
            }
            None => Err(self.error("unterminated string", start)),
        }
    }

    /// Scans a `"…"` or `` `…` `` string; returns whether it interpolates.
    pub(super) fn scan_interpolated(
        &mut self,
        quote: u8,
        nesting: usize,
    ) -> Result<bool, ParseError> {
        let start = self.pos;
        let mut i = start + 1;
        let mut dynamic = false;
        loop {
            match self.src.get(i) {
                None => return Err(self.error("unterminated string", start)),
                Some(b'\\') => i += 2,
                Some(&c) if c == quote => {
                    self.pos = i + 1;
                    return Ok(dynamic);
                }
                Some(b'$' | b'{') => {
                    let (next, dyn_here) = self.scan_interpolation(i, nesting, start)?;
                    dynamic |= dyn_here;
                    i = next;
                }
                Some(_) => i += 1,
            }
        }
    }

    /// At byte `i` of a string body: consumes an interpolation if one starts here, else one byte.
    fn scan_interpolation(
        &mut self,
        i: usize,
        nesting: usize,
        string_start: usize,
    ) -> Result<(usize, bool), ParseError> {
        match self.src[i] {
            b'$' if is_label_start(self.at(i + 1)) => Ok((i + 1, true)),
            b'$' if self.at(i + 1) == b'{' => {
                Ok((self.scan_embedded(i + 2, nesting, string_start)?, true))
            }
            b'{' if self.at(i + 1) == b'$' => {
                Ok((self.scan_embedded(i + 1, nesting, string_start)?, true))
            }
            _ => Ok((i + 1, false)),
        }
    }

    /// Lexes PHP code inside `{$…}` / `${…}` up to its closing brace; returns the offset after it.
    fn scan_embedded(
        &mut self,
        from: usize,
        nesting: usize,
        string_start: usize,
    ) -> Result<usize, ParseError> {
        if nesting + 1 > self.max_nesting {
            return Err(self.error("string interpolation nested too deeply", string_start));
        }
        let saved = self.pos;
        self.pos = from;
        let mut depth = 1usize;
        while depth > 0 {
            let t = self.next_token(nesting + 1)?;
            match t.kind {
                Tok::LBrace => depth += 1,
                Tok::RBrace => depth -= 1,
                Tok::Eof | Tok::CloseTag => {
                    return Err(self.error("unterminated string", string_start))
                }
                _ => {}
            }
        }
        let end = self.pos;
        self.pos = saved;
        Ok(end)
    }

    /// `<<<ID`, `<<<"ID"`, `<<<'ID'`. Returns `None` when this is not a heredoc start.
    fn scan_heredoc(&mut self, nesting: usize) -> Result<Option<Tok>, ParseError> {
        let start = self.pos;
        let mut i = start + 3;
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        let quote = match self.at(i) {
            q @ (b'\'' | b'"') => {
                i += 1;
                Some(q)
            }
            _ => None,
        };
        let label_start = i;
        if !is_label_start(self.at(i)) {
            return Ok(None);
        }
        while is_label_char(self.at(i)) && i < self.src.len() {
            i += 1;
        }
        let label = &self.src[label_start..i];
        if let Some(q) = quote {
            if self.at(i) != q {
                return Ok(None);
            }
            i += 1;
        }
        match self.at(i) {
            b'\n' => i += 1,
            b'\r' => i += if self.at(i + 1) == b'\n' { 2 } else { 1 },
            _ => return Ok(None),
        }
        let nowdoc = quote == Some(b'\'');
        let mut dynamic = false;
        let mut line_start = true;
        loop {
            if i >= self.src.len() {
                return Err(self.error("unterminated heredoc", start));
            }
            if line_start {
                let mut j = i;
                while matches!(self.at(j), b' ' | b'\t') {
                    j += 1;
                }
                if self.src[j..].starts_with(label) && !is_label_char(self.at(j + label.len())) {
                    self.pos = j + label.len();
                    let kind = match (nowdoc, dynamic) {
                        (true, _) => Tok::Nowdoc,
                        (false, true) => Tok::HeredocDynamic,
                        (false, false) => Tok::Heredoc,
                    };
                    return Ok(Some(kind));
                }
                line_start = false;
            }
            let c = self.src[i];
            if c == b'\n' {
                line_start = true;
                i += 1;
            } else if nowdoc {
                i += 1;
            } else if c == b'\\' {
                // An escaped newline still starts a line.
                i += if self.at(i + 1) == b'\n' { 1 } else { 2 };
            } else {
                let (next, d) = self.scan_interpolation(i, nesting, start)?;
                dynamic |= d;
                i = next;
            }
        }
    }
}

pub(super) fn utf8_len(b: u8) -> usize {
    match b {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}
