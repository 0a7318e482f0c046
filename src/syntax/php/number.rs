//! Numbers and operators for the lexer.

use super::lexer::{utf8_len, Lexer, Tok};

impl Lexer<'_> {
    fn eat_digits(&mut self, ok: fn(u8) -> bool) {
        loop {
            let c = self.at(self.pos);
            if self.pos < self.src.len() && ok(c) {
                self.pos += 1;
            } else if c == b'_' && ok(self.at(self.pos + 1)) && self.pos + 1 < self.src.len() {
                self.pos += 2;
            } else {
                return;
            }
        }
    }

    pub(super) fn scan_number(&mut self) -> Tok {
        let start = self.pos;
        if self.at(start) == b'0' {
            let base: Option<fn(u8) -> bool> = match self.at(start + 1) {
                b'x' | b'X' => Some(|c| c.is_ascii_hexdigit()),
                b'b' | b'B' => Some(|c| c == b'0' || c == b'1'),
                b'o' | b'O' => Some(|c| (b'0'..=b'7').contains(&c)),
                _ => None,
            };
            if let Some(ok) = base {
                if ok(self.at(start + 2)) {
                    self.pos += 2;
                    self.eat_digits(ok);
                    return Tok::Int;
                }
            }
        }
        let mut float = false;
        self.eat_digits(|c| c.is_ascii_digit());
        if self.at(self.pos) == b'.' && self.at(self.pos + 1) != b'.' {
            float = true;
            self.pos += 1;
            self.eat_digits(|c| c.is_ascii_digit());
        }
        if matches!(self.at(self.pos), b'e' | b'E') {
            let sign = usize::from(matches!(self.at(self.pos + 1), b'+' | b'-'));
            if self.at(self.pos + 1 + sign).is_ascii_digit() {
                float = true;
                self.pos += 1 + sign;
                self.eat_digits(|c| c.is_ascii_digit());
            }
        }
        if float {
            Tok::Float
        } else {
            Tok::Int
        }
    }

    pub(super) fn scan_operator(&mut self) -> Tok {
        let rest = &self.src[self.pos..];
        // Single-character tokens no longer operator starts with.
        let single = match rest[0] {
            b'=' if rest.get(1) == Some(&b'>') => {
                self.pos += 2;
                return Tok::DoubleArrow;
            }
            b'[' => Some(Tok::LBracket),
            b']' => Some(Tok::RBracket),
            b')' => Some(Tok::RParen),
            b',' => Some(Tok::Comma),
            b';' => Some(Tok::Semi),
            b'{' => Some(Tok::LBrace),
            b'}' => Some(Tok::RBrace),
            _ => None,
        };
        if let Some(kind) = single {
            self.pos += 1;
            return kind;
        }
        const THREE: [&[u8]; 9] = [
            b"<=>", b"**=", b"...", b"<<=", b">>=", b"===", b"!==", b"??=", b"?->",
        ];
        const TWO: [&[u8]; 24] = [
            b"=>", b"->", b"::", b"??", b"==", b"!=", b"<>", b"<=", b">=", b"&&", b"||", b"++",
            b"--", b"+=", b"-=", b"*=", b"/=", b".=", b"%=", b"&=", b"|=", b"^=", b"<<", b">>",
        ];
        let (len, kind) = if let Some(op) = THREE.iter().find(|op| rest.starts_with(op)) {
            let kind = match *op {
                b"..." => Tok::Ellipsis,
                b"?->" => Tok::NullsafeArrow,
                _ => Tok::Op,
            };
            (3, kind)
        } else if rest.starts_with(b"**") {
            (2, Tok::Op)
        } else if let Some(op) = TWO.iter().find(|op| rest.starts_with(op)) {
            let kind = match *op {
                b"=>" => Tok::DoubleArrow,
                b"->" => Tok::Arrow,
                b"::" => Tok::DoubleColon,
                b"??" => Tok::Coalesce,
                _ => Tok::Op,
            };
            (2, kind)
        } else {
            let kind = match rest[0] {
                b'[' => Tok::LBracket,
                b']' => Tok::RBracket,
                b')' => Tok::RParen,
                b'{' => Tok::LBrace,
                b'}' => Tok::RBrace,
                b',' => Tok::Comma,
                b';' => Tok::Semi,
                b'=' => Tok::Assign,
                b'.' => Tok::Dot,
                b'+' => Tok::Plus,
                b'-' => Tok::Minus,
                b'?' => Tok::Question,
                b':' => Tok::Colon,
                b'!' => Tok::Not,
                b'&' => Tok::Amp,
                b'@' => Tok::At,
                b'$' => Tok::Dollar,
                b'\\' => Tok::Backslash,
                _ => Tok::Op,
            };
            // Keep multi-byte characters whole so spans stay on char boundaries.
            let len = utf8_len(rest[0]).min(rest.len());
            (len, kind)
        };
        self.pos += len;
        kind
    }
}
