//! Array literals: keys, PHP's next-index rule, duplicate keys (first position, last value).

use super::lexer::{Tok, Token};
use super::literal;
use super::parser::{PResult, Parser};
use crate::syntax::{push_pointer, DuplicateKey, Entry, Key, Node, ParseError, Span, Value};
use compact_str::CompactString;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// One step of the path from the root to the array being built; string keys are re-decoded
/// from their token only when a duplicate needs the pointer.
pub enum Seg {
    Int(i64),
    Token(Token),
    Owned(Key),
}

/// The key an array stores for a known value; `None` when PHP would not accept it statically.
pub fn key_of_value(v: &Value) -> Option<Key> {
    Some(match v {
        Value::Int(i) => Key::Int(*i),
        Value::String(s) => string_key(s.clone()),
        Value::Bool(b) => Key::Int(i64::from(*b)),
        Value::Null => Key::Str(CompactString::default()),
        Value::Float(f) => Key::Int(literal::float_to_key(*f)),
        Value::Array { .. } | Value::Dynamic(_) => return None,
    })
}

#[inline]
pub(super) fn string_key(s: CompactString) -> Key {
    match s.as_bytes().first() {
        Some(b'0'..=b'9' | b'-') => match literal::canonical_int_key(&s) {
            Some(i) => Key::Int(i),
            None => Key::Str(s),
        },
        _ => Key::Str(s),
    }
}

/// A hasher that passes our own key hashes through (they are already well mixed).
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type FastMap = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// FxHash-style, 8 bytes at a time; the final fold spreads the high bits to the low ones the
/// table indexes by.
pub(super) fn key_hash(key: &Key) -> u64 {
    let h = match key {
        Key::Int(i) => (*i as u64 ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(K),
        Key::Str(s) => str_hash(s.as_bytes()),
    };
    h ^ (h >> 32)
}

/// Whole words only: a tail shorter than eight bytes is read as overlapping words instead of
/// being copied into a buffer (which costs a `memcpy` call per key).
fn str_hash(b: &[u8]) -> u64 {
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let len = b.len();
    let mut h = (len as u64).wrapping_mul(K);
    if len >= 8 {
        let mut i = 0;
        while i + 8 <= len {
            h = mix(h, word8(b, i));
            i += 8;
        }
        if i < len {
            h = mix(h, word8(b, len - 8));
        }
    } else if len >= 4 {
        h = mix(h, word4(b, 0) | word4(b, len - 4) << 32);
    } else if len > 0 {
        let w = u64::from(b[0]) | u64::from(b[len / 2]) << 8 | u64::from(b[len - 1]) << 16;
        h = mix(h, w);
    }
    h
}

fn word8(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

fn word4(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// Past this many entries an array gets a hash index; below, a scan of the key hashes is faster.
const INDEX_FROM: usize = 16;

/// Entries and key hashes of the arrays being built, as stacks shared by all nesting levels
/// (an array's entries are pushed only after its nested arrays are done), so building an array
/// allocates only its final, exactly sized `Vec`. A thread keeps its scratch from file to file
/// (see `with_scratch`): the stacks and the hash indexes of large arrays are grown once.
#[derive(Default)]
pub struct Scratch {
    entries: Vec<Entry>,
    hashes: Vec<u64>,
    /// Hash indexes of finished arrays, cleared, for the next large array.
    spare_indexes: Vec<FastMap>,
    /// An open-addressing set of a large array's key hashes (`has_equal_hashes`), 0 for empty.
    seen: Vec<u64>,
}

impl Scratch {
    /// Empties the stacks (after a parse that gave up half-way).
    pub(super) fn clear(&mut self) {
        self.entries.clear();
        self.hashes.clear();
    }
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch, which is handed back afterwards (emptied).
pub fn with_scratch<T>(f: impl FnOnce(Scratch) -> (T, Scratch)) -> T {
    let scratch = SCRATCH.with(|cell| cell.take());
    let (result, mut scratch) = f(scratch);
    scratch.clear();
    // A pathological file must not pin its memory for the rest of the run.
    if scratch.entries.capacity() > 1 << 16 {
        scratch = Scratch::default();
    }
    SCRATCH.with(|cell| cell.set(scratch));
    result
}

/// One array being built on the scratch stacks (by the parser, and by `fast`).
pub(super) struct Builder {
    /// Where this array's entries start in `Scratch`.
    start: usize,
    /// PHP's nNextFreeElement; `i64::MIN` until an int key is stored.
    next: i64,
    index: Option<FastMap>,
    dynamic: bool,
}

impl Builder {
    pub(super) fn new(sc: &Scratch) -> Builder {
        Builder {
            start: sc.entries.len(),
            next: i64::MIN,
            index: None,
            dynamic: false,
        }
    }

    pub(super) fn next_implicit(&self) -> i64 {
        if self.next == i64::MIN {
            0
        } else {
            self.next
        }
    }

    #[inline]
    fn find(&self, sc: &Scratch, key: &Key, hash: u64) -> Option<usize> {
        let entries = sc.entries.get(self.start..).unwrap_or(&[]);
        let hashes = sc.hashes.get(self.start..).unwrap_or(&[]);
        let scan = || {
            let mut from = 0;
            while let Some(off) = hashes.get(from..)?.iter().position(|&h| h == hash) {
                let i = from + off;
                if entries.get(i).is_some_and(|e| e.key == *key) {
                    return Some(i);
                }
                from = i + 1;
            }
            None
        };
        match &self.index {
            None => scan(),
            Some(map) => {
                let i = *map.get(&hash)? as usize;
                if entries.get(i).is_some_and(|e| e.key == *key) {
                    Some(i)
                } else {
                    // A hash collision: fall back to a scan.
                    scan()
                }
            }
        }
    }

    /// Inlined so the entry is written straight into the scratch stack, not copied through
    /// the stack of a call (copies of freshly written structs stall on store forwarding).
    #[inline(always)]
    fn push(&mut self, sc: &mut Scratch, entry: Entry, hash: u64) {
        let len = sc.entries.len().saturating_sub(self.start);
        if self.index.is_some() {
            self.index_insert(hash, len);
        }
        sc.entries.push(entry);
        sc.hashes.push(hash);
        if self.index.is_none() && len + 1 >= INDEX_FROM {
            self.build_index(sc);
        }
    }

    /// Pushes without looking for an equal key: the fast path asks `has_equal_hashes` once
    /// the array is complete instead (cheaper than a hash index kept up to date).
    #[inline(always)]
    pub(super) fn push_unchecked(&mut self, sc: &mut Scratch, entry: Entry, hash: u64) {
        sc.entries.push(entry);
        sc.hashes.push(hash);
    }

    /// Whether two keys of this array (pushed with `push_unchecked`) hash alike: a duplicate
    /// key, or a collision of distinct keys, which the caller treats alike (it gives up).
    pub(super) fn has_equal_hashes(&self, sc: &mut Scratch) -> bool {
        let hashes = sc.hashes.get(self.start..).unwrap_or(&[]);
        if hashes.len() < INDEX_FROM {
            return (1..hashes.len()).any(|i| hashes[..i].contains(&hashes[i]));
        }
        // Into a table at most half full, probed linearly: a few instructions per key, where
        // sorting a copy cost about 75.
        let mask = (hashes.len() * 2).next_power_of_two() - 1;
        sc.seen.clear();
        sc.seen.resize(mask + 1, 0);
        let mut zero_seen = false;
        for &hash in hashes {
            if hash == 0 {
                // 0 marks an empty slot: the one hash kept beside the table.
                if std::mem::replace(&mut zero_seen, true) {
                    return true;
                }
                continue;
            }
            // `key_hash` folds its high bits into the low ones the mask keeps.
            let mut slot = hash as usize & mask;
            loop {
                match sc.seen.get(slot) {
                    Some(0) | None => break,
                    Some(&h) if h == hash => return true,
                    Some(_) => slot = (slot + 1) & mask,
                }
            }
            if let Some(empty) = sc.seen.get_mut(slot) {
                *empty = hash;
            }
        }
        false
    }

    fn index_insert(&mut self, hash: u64, at: usize) {
        if let Some(map) = &mut self.index {
            map.entry(hash).or_insert(at as u32);
        }
    }

    #[cold]
    fn build_index(&mut self, sc: &mut Scratch) {
        let mut map = sc.spare_indexes.pop().unwrap_or_else(|| {
            FastMap::with_capacity_and_hasher(2 * INDEX_FROM, Default::default())
        });
        for (i, h) in sc
            .hashes
            .get(self.start..)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            map.entry(*h).or_insert(i as u32);
        }
        self.index = Some(map);
    }

    /// This array's entries, moved off the scratch stacks; its hash index is kept for reuse.
    pub(super) fn finish(&mut self, sc: &mut Scratch) -> Vec<Entry> {
        // `split_off` copies the entries out with one memcpy into an exact allocation (at 0 it
        // would hand over the whole scratch buffer instead).
        let start = self.start.min(sc.entries.len());
        let entries: Vec<Entry> = if start > 0 {
            sc.entries.split_off(start)
        } else {
            sc.entries.drain(..).collect()
        };
        sc.hashes.truncate(start);
        if let Some(mut map) = self.index.take() {
            map.clear();
            if sc.spare_indexes.len() < 64 {
                sc.spare_indexes.push(map);
            }
        }
        entries
    }

    pub(super) fn note_int(&mut self, i: i64) {
        if i >= self.next {
            self.next = if i < i64::MAX { i + 1 } else { i64::MAX };
        }
    }
}

impl<'s> Parser<'s> {
    /// After the opening `[` or `array` (whose `(` is the current token for `array(`).
    pub fn parse_array(&mut self, open: Token, close: Tok) -> PResult<Node> {
        if self.array_depth >= self.limits.max_depth {
            return Err(ParseError::new(
                format!("array nesting deeper than {} levels", self.limits.max_depth),
                open.span(),
            ));
        }
        if close == Tok::RParen {
            self.expect(Tok::LParen, "(")?;
        }
        self.array_depth += 1;
        let start = self.scratch.entries.len();
        let result = self.parse_array_body(open, close, start);
        if result.is_err() {
            self.scratch.entries.truncate(start);
            self.scratch.hashes.truncate(start);
        }
        self.array_depth -= 1;
        result
    }

    fn parse_array_body(&mut self, open: Token, close: Tok, start: usize) -> PResult<Node> {
        let close_text = if close == Tok::RParen { ")" } else { "]" };
        let mut b = Builder::new(&self.scratch);
        debug_assert_eq!(b.start, start);
        let end = loop {
            let t = self.peek();
            if t.kind == close {
                break self.bump();
            }
            self.element(&mut b)?;
            let sep = self.peek();
            if sep.kind == Tok::Comma {
                self.bump();
            } else if sep.kind == close {
                break self.bump();
            } else {
                return Err(self.expected(&[",", close_text]));
            }
        };
        let span = open.span().to(end.span());
        let entries = b.finish(&mut self.scratch);
        if b.dynamic {
            return Ok(self.dynamic(span));
        }
        Ok(Node::new(
            Value::Array {
                entries,
                list: true,
            },
            span,
        ))
    }

    fn element(&mut self, b: &mut Builder) -> PResult<()> {
        let t = self.peek();
        if t.kind == Tok::Ellipsis {
            self.bump();
            self.parse_expr()?;
            b.dynamic = true;
            return Ok(());
        }
        // Fast path: a literal key.
        if self.peek_next().kind == Tok::DoubleArrow {
            let key = match t.kind {
                Tok::SqString | Tok::SqStringEscaped => Some(string_key(self.single_quoted(t))),
                Tok::Int => match literal::parse_int(self.text(t)) {
                    Ok(literal::Number::Int(i)) => Some(Key::Int(i)),
                    _ => None,
                },
                _ => None,
            };
            if let Some(key) = key {
                self.bump();
                self.bump();
                let value = if self.single_token_value() {
                    // Nothing nested can record a duplicate under this key: no path step.
                    self.parse_expr()
                } else {
                    self.path.push(Seg::Token(t));
                    let value = self.element_value();
                    self.path.pop();
                    value
                };
                self.insert(b, key, Some(t.span()), value?);
                return Ok(());
            }
        }
        self.path.push(Seg::Int(b.next_implicit()));
        let first = self.element_value();
        self.path.pop();
        let first = first?;
        if self.peek().kind != Tok::DoubleArrow {
            let key = b.next_implicit();
            let k = Key::Int(key);
            if key == i64::MAX && b.find(&self.scratch, &k, key_hash(&k)).is_some() {
                // PHP throws "the next element is already occupied" (only at i64::MAX).
                b.dynamic = true;
            }
            self.insert(b, Key::Int(key), None, first);
            return Ok(());
        }
        self.bump();
        let key = key_of_value(&first.value);
        self.path.push(match &key {
            Some(Key::Int(i)) => Seg::Int(*i),
            Some(k) => Seg::Owned(k.clone()),
            None => Seg::Owned(Key::Str(self.slice(first.span).into())),
        });
        let value = self.element_value();
        self.path.pop();
        let value = value?;
        match key {
            Some(key) => self.insert(b, key, Some(first.span), value),
            None => {
                // A key only known at run time: kept under its source text, never a duplicate.
                let key = Key::Str(self.slice(first.span).into());
                let hash = key_hash(&key);
                let entry = Entry {
                    key,
                    key_span: Some(first.span).into(),
                    value,
                };
                b.push(&mut self.scratch, entry, hash);
            }
        }
        Ok(())
    }

    /// A literal or name right before `,` `]` `)` `;` `=>`: a value of one token that parses
    /// nothing nested.
    fn single_token_value(&self) -> bool {
        matches!(
            self.peek().kind,
            Tok::SqString
                | Tok::SqStringEscaped
                | Tok::DqString
                | Tok::Int
                | Tok::Float
                | Tok::Ident
        ) && super::parser::ends_operand(self.peek_next().kind)
    }

    /// A value, possibly by reference (`&$x`).
    #[inline]
    fn element_value(&mut self) -> PResult<Node> {
        if self.peek().kind == Tok::Amp {
            let amp = self.bump();
            let v = self.parse_expr()?;
            return Ok(self.dynamic(amp.span().to(v.span)));
        }
        self.parse_expr()
    }

    /// Inlined (the duplicate case is out of line) so the entry is built in place.
    #[inline(always)]
    fn insert(&mut self, b: &mut Builder, key: Key, key_span: Option<Span>, value: Node) {
        if let Key::Int(i) = key {
            b.note_int(i);
        }
        let hash = key_hash(&key);
        match b.find(&self.scratch, &key, hash) {
            Some(i) => self.duplicate(b.start + i, key, key_span, value),
            None => b.push(
                &mut self.scratch,
                Entry {
                    key,
                    key_span: key_span.into(),
                    value,
                },
                hash,
            ),
        }
    }

    /// A key already in the array (at `at` in the scratch stack): the value is replaced, the
    /// first position kept, and the duplicate recorded.
    #[cold]
    fn duplicate(&mut self, at: usize, key: Key, key_span: Option<Span>, value: Node) {
        let Some(e) = self.scratch.entries.get_mut(at) else {
            return;
        };
        let first = e.key_span.get().unwrap_or(e.value.span);
        let again = key_span.unwrap_or(value.span);
        e.value = value;
        let parent_pointer = self.pointer();
        self.duplicates.push(DuplicateKey {
            key,
            first,
            again,
            parent_pointer,
        });
    }

    /// JSON pointer of the array being built.
    fn pointer(&self) -> String {
        let mut p = String::new();
        for seg in &self.path {
            match seg {
                Seg::Int(i) => push_pointer(&mut p, &Key::Int(*i)),
                Seg::Owned(k) => push_pointer(&mut p, k),
                Seg::Token(t) => {
                    let t = *t;
                    let key = match t.kind {
                        Tok::Int => match literal::parse_int(self.text(t)) {
                            Ok(literal::Number::Int(i)) => Key::Int(i),
                            _ => Key::Str(self.text(t).into()),
                        },
                        _ => {
                            let text = self.text(t);
                            string_key(
                                literal::decode_single(text.get(1..text.len() - 1).unwrap_or(""))
                                    .into(),
                            )
                        }
                    };
                    push_pointer(&mut p, &key);
                }
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `has_equal_hashes` against its plain definition (some two hashes are equal), on arrays
    /// small and large, with hashes that share their low bits (long probe runs), and with 0,
    /// which the table keeps aside.
    #[test]
    fn equal_hashes_are_found_as_the_plain_definition_says() {
        let plain = |h: &[u64]| (1..h.len()).any(|i| h[..i].contains(&h[i]));
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..3000 {
            let len = case % 90;
            let mut hashes: Vec<u64> = (0..len)
                .map(|_| match next() % 4 {
                    0 => next() % 6,         // small: 0 and repeats
                    1 => (next() % 8) << 40, // equal low bits, distinct high bits
                    _ => next(),
                })
                .collect();
            if case % 3 == 0 && len > 1 {
                let (a, b) = ((next() as usize) % len, (next() as usize) % len);
                hashes[a] = hashes[b];
            }
            let mut sc = Scratch::default();
            // Another array's hashes below this one's, as when arrays nest.
            sc.hashes.extend([7, 7, 0, 0]);
            let builder = Builder {
                start: sc.hashes.len(),
                next: i64::MIN,
                index: None,
                dynamic: false,
            };
            sc.hashes.extend_from_slice(&hashes);
            assert_eq!(
                builder.has_equal_hashes(&mut sc),
                plain(&hashes),
                "{hashes:?}"
            );
        }
    }
}
