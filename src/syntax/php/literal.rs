//! Decoding of literal tokens (strings, heredocs, numbers) and PHP's scalar conversions.

use super::lexer::is_label_char;

/// A decoding problem: message and byte offset relative to the token start.
pub type LitError = (&'static str, usize);

/// The value of a single-quoted string's body; `escaped` when the lexer saw a backslash in it.
/// Most keys and values fit inline: without escapes, no allocation.
pub fn single_quoted_value(body: &str, escaped: bool) -> compact_str::CompactString {
    match escaped {
        false => body.into(),
        true => decode_single(body).into(),
    }
}

/// `'…'` body (quotes excluded): only `\\` and `\'` are escapes.
pub fn decode_single(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.clone().next() {
                Some(n @ ('\\' | '\'')) => {
                    out.push(n);
                    chars.next();
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A double-quoted or heredoc body with every escape. `base` is the body's offset in the token,
/// for error positions. In heredocs `\"` is not an escape.
pub fn decode_double(raw: &str, heredoc: bool, base: usize) -> Result<String, LitError> {
    if !raw.contains('\\') {
        return Ok(raw.to_owned());
    }
    let b = raw.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'\\' {
            // Copy the run up to the next backslash at once.
            let run = memchr::memchr(b'\\', &b[i..]).unwrap_or(b.len() - i);
            out.extend_from_slice(&b[i..i + run]);
            i += run;
            continue;
        }
        if i + 1 >= b.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = b[i + 1];
        let simple = match e {
            b'n' => Some(b'\n'),
            b't' => Some(b'\t'),
            b'r' => Some(b'\r'),
            b'v' => Some(0x0b),
            b'e' => Some(0x1b),
            b'f' => Some(0x0c),
            b'\\' => Some(b'\\'),
            b'$' => Some(b'$'),
            b'"' if !heredoc => Some(b'"'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            i += 2;
            continue;
        }
        match e {
            b'0'..=b'7' => {
                let mut v: u32 = 0;
                let mut j = i + 1;
                while j < b.len() && j < i + 4 && (b'0'..=b'7').contains(&b[j]) {
                    v = v * 8 + u32::from(b[j] - b'0');
                    j += 1;
                }
                out.push((v & 0xff) as u8);
                i = j;
            }
            b'x' if i + 2 < b.len() && b[i + 2].is_ascii_hexdigit() => {
                let mut v: u32 = 0;
                let mut j = i + 2;
                while j < b.len() && j < i + 4 && b[j].is_ascii_hexdigit() {
                    v = v * 16 + hex_val(b[j]);
                    j += 1;
                }
                out.push(v as u8);
                i = j;
            }
            b'u' if i + 2 < b.len() && b[i + 2] == b'{' => {
                let digits_start = i + 3;
                let mut j = digits_start;
                let mut v: u32 = 0;
                while j < b.len() && b[j].is_ascii_hexdigit() {
                    v = v.saturating_mul(16).saturating_add(hex_val(b[j]));
                    j += 1;
                }
                if j == digits_start || j >= b.len() || b[j] != b'}' {
                    return Err(("invalid UTF-8 codepoint escape sequence", base + i));
                }
                if v > 0x10ffff {
                    return Err((
                        "invalid UTF-8 codepoint escape sequence: codepoint too large",
                        base + i,
                    ));
                }
                push_codepoint(&mut out, v);
                i = j + 1;
            }
            _ => {
                out.push(b'\\');
                i += 1;
            }
        }
    }
    Ok(match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

fn hex_val(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'a'..=b'f' => u32::from(c - b'a' + 10),
        _ => u32::from(c.to_ascii_lowercase().wrapping_sub(b'a').wrapping_add(10)),
    }
}

/// UTF-8 encoding as PHP does it (surrogates too, which then become U+FFFD for us).
fn push_codepoint(out: &mut Vec<u8>, v: u32) {
    if v < 0x80 {
        out.push(v as u8);
    } else if v < 0x800 {
        out.extend_from_slice(&[0xc0 | (v >> 6) as u8, 0x80 | (v & 0x3f) as u8]);
    } else if v < 0x10000 {
        out.extend_from_slice(&[
            0xe0 | (v >> 12) as u8,
            0x80 | ((v >> 6) & 0x3f) as u8,
            0x80 | (v & 0x3f) as u8,
        ]);
    } else {
        out.extend_from_slice(&[
            0xf0 | (v >> 18) as u8,
            0x80 | ((v >> 12) & 0x3f) as u8,
            0x80 | ((v >> 6) & 0x3f) as u8,
            0x80 | (v & 0x3f) as u8,
        ]);
    }
}

/// A whole heredoc/nowdoc token: strips the closing marker's indentation from every body line
/// (PHP 7.3) and decodes escapes unless it is a nowdoc.
pub fn decode_heredoc(text: &str) -> Result<String, LitError> {
    let b = text.as_bytes();
    let mut i = 3;
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    let nowdoc = b.get(i) == Some(&b'\'');
    if matches!(b.get(i), Some(b'\'' | b'"')) {
        i += 1;
    }
    let label_start = i;
    while i < b.len() && is_label_char(b[i]) {
        i += 1;
    }
    let label_len = i - label_start;
    // Skip the closing quote (if any) and the newline after the opener.
    while i < b.len() && b[i] != b'\n' {
        i += 1;
    }
    let body_start = (i + 1).min(b.len());
    let marker_start = b.len().saturating_sub(label_len);
    let mut indent_start = marker_start;
    while indent_start > body_start && matches!(b[indent_start - 1], b' ' | b'\t') {
        indent_start -= 1;
    }
    let indent = &text[indent_start..marker_start];
    // The body ends before the newline preceding the closing line (none for an empty body).
    let body_end = if indent_start > body_start {
        let mut e = indent_start - 1; // the '\n'
        if e > body_start && b[e - 1] == b'\r' {
            e -= 1;
        }
        e.max(body_start)
    } else {
        body_start
    };
    let body = &text[body_start..body_end];
    let stripped;
    let body = if indent.is_empty() {
        body
    } else {
        let mut s = String::with_capacity(body.len());
        let mut offset = body_start;
        for (n, line) in body.split('\n').enumerate() {
            if n > 0 {
                s.push('\n');
            }
            if let Some(rest) = line.strip_prefix(indent) {
                s.push_str(rest);
            } else if line
                .trim_end_matches('\r')
                .bytes()
                .all(|c| c == b' ' || c == b'\t')
            {
                // Whitespace-only lines shorter than the indentation are fine.
                s.push_str(line.get(line.len().min(indent.len())..).unwrap_or(""));
            } else {
                return Err(("invalid body indentation level", offset));
            }
            offset += line.len() + 1;
        }
        stripped = s;
        &stripped
    };
    if nowdoc {
        Ok(body.to_owned())
    } else {
        decode_double(body, true, body_start)
    }
}

/// An integer literal; overflows become floats like in PHP.
pub fn parse_int(text: &str) -> Result<Number, LitError> {
    let b = text.as_bytes();
    // The common case: a short plain decimal, which cannot overflow.
    let plain = matches!(b, [b'0'] | [b'1'..=b'9', ..]) && b.len() <= 18;
    if plain && b.iter().all(u8::is_ascii_digit) {
        let n = b.iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'));
        return Ok(Number::Int(n));
    }
    let (radix, digits) = match (b.first(), b.get(1)) {
        (Some(b'0'), Some(b'x' | b'X')) => (16, &text[2..]),
        (Some(b'0'), Some(b'b' | b'B')) => (2, &text[2..]),
        (Some(b'0'), Some(b'o' | b'O')) => (8, &text[2..]),
        (Some(b'0'), Some(_)) => (8, &text[1..]),
        _ => (10, text),
    };
    let mut acc: i64 = 0;
    let mut overflow = false;
    let mut f: f64 = 0.0;
    for c in digits.bytes() {
        if c == b'_' {
            continue;
        }
        let d = hex_val(c);
        if d >= radix {
            return Err(("invalid numeric literal", 0));
        }
        f = f * f64::from(radix) + f64::from(d);
        if !overflow {
            match acc
                .checked_mul(i64::from(radix))
                .and_then(|a| a.checked_add(i64::from(d)))
            {
                Some(a) => acc = a,
                None => overflow = true,
            }
        }
    }
    if overflow {
        if radix == 10 {
            Ok(Number::Float(parse_float(text)))
        } else {
            Ok(Number::Float(f))
        }
    } else {
        Ok(Number::Int(acc))
    }
}

pub fn parse_float(text: &str) -> f64 {
    let cleaned: String;
    let t = if text.contains('_') {
        cleaned = text.replace('_', "");
        &cleaned
    } else {
        text
    };
    t.parse::<f64>().unwrap_or(0.0)
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// A float in a string context (`precision` = 14, like `echo` and `.`).
pub fn float_to_string(f: f64) -> String {
    if f.is_nan() {
        return "NAN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "INF".into() } else { "-INF".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // 14 significant digits, then PHP's zend_gcvt layout.
    let sci = format!("{:.13e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let decpt = exp + 1;
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if !(-3..=14).contains(&decpt) {
        out.push_str(&digits[..1]);
        out.push('.');
        if digits.len() > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        out.push('E');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&exp.unsigned_abs().to_string());
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..(-decpt) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let d = decpt as usize;
        if digits.len() <= d {
            out.push_str(digits);
            for _ in digits.len()..d {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..d]);
            out.push('.');
            out.push_str(&digits[d..]);
        }
    }
    out
}

/// A string key that PHP stores as an int key: canonical decimal integers in i64 range.
pub fn canonical_int_key(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digits[0] == b'0' && (digits.len() > 1 || b.len() != digits.len()) {
        return None; // "01", "-0"
    }
    s.parse::<i64>().ok()
}

/// A float used as an array key (PHP's modular `zend_dval_to_lval`).
pub fn float_to_key(d: f64) -> i64 {
    if !d.is_finite() {
        return 0;
    }
    const TWO_63: f64 = 9_223_372_036_854_775_808.0; // 2^63, exact in f64
    let t = d.trunc();
    if (-TWO_63..TWO_63).contains(&t) {
        return t as i64;
    }
    let two64 = 18_446_744_073_709_551_616.0_f64;
    let mut m = t % two64;
    if m < 0.0 {
        if m == -TWO_63 {
            return i64::MIN;
        }
        m += two64;
    }
    if m >= TWO_63 {
        m -= two64;
    }
    m as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(decode_single(r"a\\b\'c\n"), "a\\b'c\\n");
        let d = decode_double(r#"\n\t\r\v\e\f\\\$\"\101\x41\u{1F600}\q\u"#, false, 0).unwrap();
        assert_eq!(d, "\n\t\r\x0b\x1b\x0c\\$\"AA\u{1F600}\\q\\u");
        assert_eq!(decode_double(r#"\""#, true, 0).unwrap(), "\\\"");
        assert_eq!(decode_double(r"\400\0", false, 0).unwrap(), "\0\0");
        assert!(decode_double(r"\u{zz}", false, 0).is_err());
    }

    #[test]
    fn heredoc_indent() {
        let t = "<<<EOT\n    a\n      b\\tc\n    EOT";
        assert_eq!(decode_heredoc(t).unwrap(), "a\n  b\tc");
        assert_eq!(decode_heredoc("<<<'X'\na\\n\nX").unwrap(), "a\\n");
        assert_eq!(decode_heredoc("<<<X\nX").unwrap(), "");
        assert!(decode_heredoc("<<<X\n a\n  X").is_err());
    }

    #[test]
    fn numbers_and_strings() {
        assert_eq!(parse_int("0x1F").unwrap(), Number::Int(31));
        assert_eq!(parse_int("0o17").unwrap(), Number::Int(15));
        assert_eq!(parse_int("017").unwrap(), Number::Int(15));
        assert_eq!(parse_int("0b101").unwrap(), Number::Int(5));
        assert_eq!(parse_int("1_000").unwrap(), Number::Int(1000));
        assert!(parse_int("089").is_err());
        assert_eq!(
            parse_int("9223372036854775808").unwrap(),
            Number::Float(9_223_372_036_854_775_808.0)
        );
        assert_eq!(float_to_string(1e20), "1.0E+20");
        assert_eq!(float_to_string(0.1 + 0.2), "0.3");
        assert_eq!(float_to_string(1e14), "1.0E+14");
        assert_eq!(float_to_string(1e13), "10000000000000");
        assert_eq!(float_to_string(0.0001), "0.0001");
        assert_eq!(float_to_string(0.00001), "1.0E-5");
        assert_eq!(float_to_string(-1.5e-7), "-1.5E-7");
        assert_eq!(float_to_string(2.5), "2.5");
        assert_eq!(canonical_int_key("123"), Some(123));
        assert_eq!(canonical_int_key("-5"), Some(-5));
        assert_eq!(canonical_int_key("0"), Some(0));
        assert_eq!(canonical_int_key("-0"), None);
        assert_eq!(canonical_int_key("0123"), None);
        assert_eq!(canonical_int_key("1.5"), None);
        assert_eq!(canonical_int_key("9223372036854775808"), None);
        assert_eq!(canonical_int_key("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(float_to_key(1.9e30), 2267562412381044736);
        assert_eq!(float_to_key(f64::NAN), 0);
        assert_eq!(float_to_key(-1.7), -1);
    }
}
