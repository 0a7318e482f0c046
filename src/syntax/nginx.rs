//! nginx configuration, tokenized the way nginx reads it (`ngx_conf_read_token`), for its
//! `fastcgi_param NAME value [if_not_empty];` directives: PHP-FPM passes each one to PHP, where
//! Magento reads `CONFIG__…` names as configuration and `MAGE_MODE` as the mode.
//!
//! - Directives end with `;`; `{` opens a block, `}` closes it. A word ends at blank space, `;`
//!   or `{` (`${name}` does not open a block); `#` starts a comment where a word could start.
//! - `"…"` and `'…'` quote a word (a `\` escapes the next character); after the closing quote
//!   comes blank space, `;`, `{` or `)`. In every word `\"`, `\'`, `\\` are the character and
//!   `\t`, `\r`, `\n` the control characters; other backslashes stay.
//! - A value holding `$` (an nginx variable, `$MAGE_MODE`, `${host}`) is dynamic.
//!
//! Each `server { … }` block is a virtual host, which a repository may hold several of (one
//! per deployment: `www.example.com` and `staging.example.com`), so the document keeps them
//! apart: `server` lists the server blocks that set parameters, each a mapping of
//! `server_name` (its names, in order), `root` (the Magento directory: `set $MAGE_ROOT …`, else
//! the `root` directive) and `fastcgi_param` (the parameters set anywhere inside it, location
//! blocks included); the top-level `fastcgi_param` holds those set outside every server block
//! (a snippet that server blocks include, an `http` block). Within one of these scopes a name
//! set twice keeps its last value. Spans are the words as written, quotes included. A file that nginx would refuse (an
//! unbalanced brace, an unterminated quote, a directive without its `;`, a `fastcgi_param`
//! without its two arguments) is a parse error.

use super::{Document, DuplicateKey, Entry, Key, Limits, Node, ParseError, Span, Value};
use std::collections::HashMap;

/// Parses an nginx configuration file.
pub fn parse(text: &str, limits: &Limits) -> Result<Document, ParseError> {
    let mut tokens = Tokens { text, at: 0 };
    // Outside every server block.
    let mut params = Params::default();
    let mut servers: Vec<Server> = Vec::new();
    // The server block being read, if any (server blocks do not nest).
    let mut current: Option<usize> = None;
    let mut words: Vec<Word> = Vec::new();
    // The `{` of each open block.
    let mut open: Vec<usize> = Vec::new();
    loop {
        match tokens.next()? {
            Token::Word(word) => words.push(word),
            Token::Semicolon(at) => {
                if words.is_empty() {
                    return Err(unexpected(";", at));
                }
                match current.map(|i| &mut servers[i]) {
                    Some(server) => {
                        if open.len() == server.depth {
                            server.server_level(&words);
                        }
                        server.params.directive(&words, at)?;
                    }
                    None => params.directive(&words, at)?,
                }
                words.clear();
            }
            Token::Open(at) => {
                if words.is_empty() {
                    return Err(unexpected("{", at));
                }
                if words[0].text == "fastcgi_param" {
                    return Err(ParseError::new(
                        "`fastcgi_param` takes no block: end it with `;`",
                        Span::new(at, at + 1),
                    ));
                }
                if open.len() >= limits.max_depth {
                    return Err(ParseError::new(
                        format!("blocks nested deeper than {} levels", limits.max_depth),
                        Span::new(at, at + 1),
                    ));
                }
                open.push(at);
                if current.is_none() && words.len() == 1 && words[0].text == "server" {
                    current = Some(servers.len());
                    servers.push(Server::new(words[0].span.start as usize, open.len()));
                }
                words.clear();
            }
            Token::Close(at) => {
                if let Some(first) = words.first() {
                    return Err(ParseError::new(
                        format!("unexpected `}}`: `{}` before it has no `;`", first.text),
                        Span::new(at, at + 1),
                    ));
                }
                if let Some(i) = current.filter(|&i| servers[i].depth == open.len()) {
                    servers[i].end = at + 1;
                    current = None;
                }
                if open.pop().is_none() {
                    return Err(unexpected("}", at));
                }
            }
            Token::End => {
                if let Some(first) = words.first() {
                    return Err(ParseError::new(
                        format!("`{}` has no `;` before the end of the file", first.text),
                        first.span,
                    ));
                }
                if let Some(&brace) = open.last() {
                    return Err(ParseError::new(
                        "this `{` is never closed: nginx expects `}` before the end of the file",
                        Span::new(brace, brace + 1),
                    ));
                }
                break;
            }
        }
    }
    let file_sets = std::mem::take(&mut params.sets);
    params.resolve_set_variables(&file_sets);
    let mut duplicates = Vec::new();
    let mut entries = Vec::new();
    entries.extend(params.into_entry(Span::new(0, text.len()), "/fastcgi_param", &mut duplicates));
    let mut blocks = Vec::new();
    for server in servers {
        if server.params.entries.is_empty() {
            continue;
        }
        let parent = format!("/server/{}/fastcgi_param", blocks.len());
        blocks.push(server.into_entry(&file_sets, &parent, &mut duplicates));
    }
    if !blocks.is_empty() {
        entries.push(Entry {
            key: Key::Str("server".into()),
            key_span: Some(blocks[0].value.span).into(),
            value: Node::new(
                Value::Array {
                    entries: renumbered(blocks),
                    list: true,
                },
                Span::new(0, text.len()),
            ),
        });
    }
    let root = Node::new(
        Value::Array {
            entries,
            list: false,
        },
        Span::new(0, text.len()),
    );
    let mut document = Document::new(root);
    document.duplicates = duplicates;
    Ok(document)
}

/// A `server { … }` block being read.
struct Server {
    /// Where its `server` word starts, and where its `}` ends.
    start: usize,
    end: usize,
    /// How many blocks are open inside it, its own included: its own directives are at this
    /// depth.
    depth: usize,
    params: Params,
    names: Vec<Word>,
    /// The `root` directive's value.
    root: Option<Word>,
}

impl Server {
    fn new(start: usize, depth: usize) -> Server {
        Server {
            start,
            end: start,
            depth,
            params: Params::default(),
            names: Vec::new(),
            root: None,
        }
    }

    /// Records what a directive of the block itself (not of a location inside) says of it.
    fn server_level(&mut self, words: &[Word]) {
        match words {
            [directive, names @ ..] if directive.text == "server_name" => {
                self.names.extend(names.iter().map(|w| Word {
                    text: w.text.clone(),
                    span: w.span,
                }));
            }
            [directive, root] if directive.text == "root" => {
                self.root = Some(Word {
                    text: root.text.clone(),
                    span: root.span,
                })
            }
            _ => {}
        }
    }

    /// The block as an entry of the `server` list: `server_name`, `root`, `fastcgi_param`.
    fn into_entry(
        mut self,
        file_sets: &HashMap<String, (String, Span)>,
        parent: &str,
        duplicates: &mut Vec<DuplicateKey>,
    ) -> Entry {
        let span = Span::new(self.start, self.end);
        let mut entries = Vec::new();
        if !self.names.is_empty() {
            let names = self
                .names
                .iter()
                .map(|name| Entry {
                    key: Key::Int(0),
                    key_span: None.into(),
                    value: Node::new(Value::String(name.text.as_str().into()), name.span),
                })
                .collect();
            entries.push(Entry {
                key: Key::Str("server_name".into()),
                key_span: Some(self.names[0].span).into(),
                value: Node::new(
                    Value::Array {
                        entries: renumbered(names),
                        list: true,
                    },
                    span,
                ),
            });
        }
        // Magento's sample configuration reads `$MAGE_ROOT`, set by the server block.
        let root = match self.params.sets.get("MAGE_ROOT") {
            Some((text, at)) => Some((text.clone(), *at)),
            None => self.root.as_ref().map(|w| (w.text.clone(), w.span)),
        };
        if let Some((text, at)) = root {
            entries.push(Entry {
                key: Key::Str("root".into()),
                key_span: Some(at).into(),
                value: Node::new(Value::String(text.as_str().into()), at),
            });
        }
        let sets = std::mem::take(&mut self.params.sets);
        let mut fallback = file_sets.clone();
        fallback.extend(sets);
        self.params.resolve_set_variables(&fallback);
        entries.extend(self.params.into_entry(span, parent, duplicates));
        Entry {
            key: Key::Int(0),
            key_span: None.into(),
            value: Node::new(
                Value::Array {
                    entries,
                    list: false,
                },
                span,
            ),
        }
    }
}

/// List entries keyed by their index.
fn renumbered(mut entries: Vec<Entry>) -> Vec<Entry> {
    for (index, entry) in entries.iter_mut().enumerate() {
        entry.key = Key::Int(index as i64);
    }
    entries
}

fn unexpected(what: &str, at: usize) -> ParseError {
    ParseError::new(format!("unexpected `{what}`"), Span::new(at, at + 1))
}

/// One word of a directive: its text once nginx has read the escapes, and where it is written.
struct Word {
    text: String,
    span: Span,
}

enum Token {
    Word(Word),
    Semicolon(usize),
    Open(usize),
    Close(usize),
    End,
}

struct Tokens<'t> {
    text: &'t str,
    at: usize,
}

impl Tokens<'_> {
    fn next(&mut self) -> Result<Token, ParseError> {
        let bytes = self.text.as_bytes();
        // Blank space and comments before the token.
        loop {
            match bytes.get(self.at) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.at += 1,
                Some(b'#') => {
                    self.at = memchr::memchr(b'\n', &bytes[self.at..])
                        .map_or(bytes.len(), |i| self.at + i);
                }
                _ => break,
            }
        }
        let start = self.at;
        match bytes.get(start) {
            None => Ok(Token::End),
            Some(b';') => {
                self.at += 1;
                Ok(Token::Semicolon(start))
            }
            Some(b'{') => {
                self.at += 1;
                Ok(Token::Open(start))
            }
            Some(b'}') => {
                self.at += 1;
                Ok(Token::Close(start))
            }
            Some(&quote @ (b'"' | b'\'')) => self.quoted(start, quote),
            Some(_) => Ok(Token::Word(self.bare(start))),
        }
    }

    /// A word up to blank space, `;` or `{` (not the `{` of `${`); a `\` keeps the next
    /// character in the word.
    fn bare(&mut self, start: usize) -> Word {
        let bytes = self.text.as_bytes();
        let mut at = start;
        let mut after_dollar = false;
        while let Some(&byte) = bytes.get(at) {
            if byte == b'{' && after_dollar {
                after_dollar = false;
                at += 1;
                continue;
            }
            after_dollar = byte == b'$';
            match byte {
                b'\\' => at = (at + 2).min(bytes.len()),
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' => break,
                _ => at += 1,
            }
        }
        // A trailing `\` may have skipped into a multi-byte character: back to a boundary.
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        self.at = at;
        Word {
            text: unescape(&self.text[start..at]),
            span: Span::new(start, at),
        }
    }

    fn quoted(&mut self, start: usize, quote: u8) -> Result<Token, ParseError> {
        let bytes = self.text.as_bytes();
        let mut at = start + 1;
        loop {
            match bytes.get(at) {
                None => {
                    return Err(ParseError::new(
                        "unterminated quoted string: nginx reaches the end of the file inside it",
                        Span::new(start, start + 1),
                    ))
                }
                Some(b'\\') => at += 2,
                Some(&b) if b == quote => break,
                Some(_) => at += 1,
            }
        }
        let inner = &self.text[start + 1..at];
        self.at = at + 1;
        match bytes.get(self.at) {
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b')') => {}
            Some(_) => {
                let c = self.text[self.at..].chars().next().unwrap_or(' ');
                return Err(ParseError::new(
                    format!("unexpected {c:?} right after a quoted string: nginx needs a space, `;` or `{{` there"),
                    Span::new(self.at, self.at + c.len_utf8()),
                ));
            }
        }
        // `)` after a quoted word (an `if` condition) starts the next word.
        Ok(Token::Word(Word {
            text: unescape(inner),
            span: Span::new(start, at + 1),
        }))
    }
}

impl Params {
    /// A parameter passing one variable the file sets to a literal (`fastcgi_param MAGE_MODE
    /// $MAGE_MODE;` with `set $MAGE_MODE developer;`, as Magento's sample configuration has it)
    /// takes that literal, pointed at where it is set. `set` runs per request in its block;
    /// the file (or the server block, whose own `set` wins) setting a name to one literal is
    /// read as that literal.
    fn resolve_set_variables(&mut self, sets: &HashMap<String, (String, Span)>) {
        for entry in &mut self.entries {
            let Value::Dynamic(text) = &entry.value.value else {
                continue;
            };
            let name = text
                .strip_prefix("${")
                .and_then(|n| n.strip_suffix('}'))
                .or_else(|| text.strip_prefix('$'));
            let known = name
                .filter(|n| n.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()))
                .and_then(|n| sets.get(n));
            if let Some((value, span)) = known {
                entry.value = Node::new(Value::String(value.as_str().into()), *span);
            }
        }
    }
}

/// nginx's reading of backslashes in a word.
fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(&next @ ('"' | '\'' | '\\')) => {
                out.push(next);
                chars.next();
            }
            Some('t') => {
                out.push('\t');
                chars.next();
            }
            Some('r') => {
                out.push('\r');
                chars.next();
            }
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            _ => out.push('\\'),
        }
    }
    out
}

/// The `fastcgi_param` directives read so far.
#[derive(Default)]
struct Params {
    entries: Vec<Entry>,
    seen: HashMap<String, usize>,
    duplicates: Vec<DuplicateKey>,
    /// `set $name value;` with a literal value: the last one of each name, and where it is.
    sets: HashMap<String, (String, Span)>,
    /// The first `fastcgi_param` word, the key span of the `fastcgi_param` entry.
    first_directive: Option<Span>,
}

impl Params {
    /// The `fastcgi_param` entry of these parameters (none when there are none), spanning
    /// `span`; their duplicates, pointed under `parent`, go to `duplicates`.
    fn into_entry(
        self,
        span: Span,
        parent: &str,
        duplicates: &mut Vec<DuplicateKey>,
    ) -> Option<Entry> {
        duplicates.extend(self.duplicates.into_iter().map(|mut d| {
            d.parent_pointer = parent.to_string();
            d
        }));
        if self.entries.is_empty() {
            return None;
        }
        Some(Entry {
            key: Key::Str("fastcgi_param".into()),
            key_span: self.first_directive.into(),
            value: Node::new(
                Value::Array {
                    entries: self.entries,
                    list: false,
                },
                span,
            ),
        })
    }

    /// Records the directive `words` (ended by the `;` at `end`) if it is a `fastcgi_param`.
    fn directive(&mut self, words: &[Word], end: usize) -> Result<(), ParseError> {
        if let [set, name, value] = words {
            let literal = !value.text.contains('$');
            if let (true, Some(name), true) =
                (set.text == "set", name.text.strip_prefix('$'), literal)
            {
                self.sets
                    .insert(name.to_string(), (value.text.clone(), value.span));
            }
        }
        if words[0].text != "fastcgi_param" {
            return Ok(());
        }
        let (name, value) = match words {
            [_, name, value] => (name, value),
            [_, name, value, flag] if flag.text == "if_not_empty" => (name, value),
            _ => {
                return Err(ParseError::new(
                    "`fastcgi_param` takes a name and a value (and optionally `if_not_empty`)",
                    Span::new(words[0].span.start as usize, end + 1),
                ))
            }
        };
        self.first_directive.get_or_insert(words[0].span);
        let node = match value.text.contains('$') {
            true => Value::Dynamic(value.text.clone()),
            false => Value::String(value.text.as_str().into()),
        };
        let node = Node::new(node, value.span);
        match self.seen.get(&name.text) {
            Some(&index) => {
                let first = &mut self.entries[index];
                self.duplicates.push(DuplicateKey {
                    key: first.key.clone(),
                    first: first.key_span.get().unwrap_or(first.value.span),
                    again: name.span,
                    parent_pointer: String::new(),
                });
                first.value = node;
            }
            None => {
                self.seen.insert(name.text.clone(), self.entries.len());
                self.entries.push(Entry {
                    key: Key::Str(name.text.as_str().into()),
                    key_span: Some(name.span).into(),
                    value: node,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "nginx_tests.rs"]
mod tests;
