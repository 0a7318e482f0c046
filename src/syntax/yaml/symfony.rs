//! Plain scalars and mapping keys as Symfony YAML 5.4 reads them (`Inline::evaluateScalar`),
//! the reader ece-tools calls on `.magento.env.yaml` and magento-cloud-docker on
//! `.magento.app.yaml` and `.magento/services.yaml`.
//!
//! It is not the YAML 1.2 core schema: `null`/`true`/`false` in any case, `010` is octal 8 (a
//! deprecation in 5.4, the string "010" in 6.x), `+3` and `1e3` are floats, underscores in
//! digits are dropped (`1_000` is 1000), `0x1F` is hex but `0X1F` is the float 0, dates are
//! Unix timestamps, `.nan` is INF, integers too large for 64 bits stay strings.

use crate::syntax::{Key, ParseError, Span, Value};

/// What Symfony YAML makes of an untagged plain scalar (already trimmed).
pub(super) fn plain(text: &str) -> Result<Value, String> {
    if text.is_empty() || text == "~" || text.eq_ignore_ascii_case("null") {
        return Ok(Value::Null);
    }
    if text.eq_ignore_ascii_case("true") {
        return Ok(Value::Bool(true));
    }
    if text.eq_ignore_ascii_case("false") {
        return Ok(Value::Bool(false));
    }
    if let Some(v) = octal_0o(text) {
        return Ok(v);
    }
    let first = text.as_bytes()[0];
    if !matches!(first, b'+' | b'-' | b'.' | b'0'..=b'9') {
        return Ok(Value::String(text.into()));
    }
    // `[+-]?[0-9][0-9_]*` loses its underscores before anything else looks at it.
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let cleaned: String;
    let scalar = if text.contains('_')
        && unsigned.starts_with(|c: char| c.is_ascii_digit())
        && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        cleaned = text.replace('_', "");
        cleaned.as_str()
    } else {
        text
    };
    if is_digits(scalar) {
        return Ok(decimal(scalar, false));
    }
    if let Some(digits) = scalar.strip_prefix('-').filter(|d| is_digits(d)) {
        let _ = digits;
        return Ok(decimal(scalar, true));
    }
    if is_numeric(scalar) {
        return Ok(Value::Float(php_float(scalar)));
    }
    if is_hex(scalar) {
        let cleaned = scalar.replace('_', "");
        return Ok(if let Some(digits) = cleaned.strip_prefix("0x") {
            radix_value(digits, 16)
        } else {
            // `0X1F`: PHP's (float) cast of a string that does not start as a decimal number.
            Value::Float(0.0)
        });
    }
    let lower = scalar.to_ascii_lowercase();
    match lower.as_str() {
        ".inf" | ".nan" => return Ok(Value::Float(f64::INFINITY)),
        "-.inf" => return Ok(Value::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    if is_underscored_float(scalar) {
        return Ok(Value::Float(php_float(&scalar.replace('_', ""))));
    }
    if let Some(result) = super::timestamp::parse(scalar) {
        return result.map(Value::Int);
    }
    Ok(Value::String(scalar.into()))
}

/// The key Symfony YAML makes of a plain scalar key: a string or an integer, or the reason it
/// refuses the file (any other type).
pub(super) fn plain_key(text: &str) -> Result<Key, String> {
    match plain(text)? {
        Value::Int(i) => Ok(Key::Int(i)),
        Value::String(s) => Ok(string_key(s.as_str())),
        Value::Float(_) => Err(format!(
            "Symfony YAML refuses the numeric mapping key `{text}`; quote it (`'{text}'`)"
        )),
        other => Err(format!(
            "Symfony YAML refuses the {} mapping key `{text}`; quote it (`'{text}'`)",
            other.type_name()
        )),
    }
}

/// A string key as a PHP array holds it: a decimal integer string is an integer key.
pub(super) fn string_key(text: &str) -> Key {
    match text.parse::<i64>() {
        Ok(i) if canonical_int(text) => Key::Int(i),
        _ => Key::Str(text.into()),
    }
}

/// Whether the key is the string as written (most keys): the fast path leaves the others
/// (numbers, `null`, `true`, dates, decimal integer strings) to the saphyr path.
pub(super) fn verbatim_key(text: &str, plain: bool) -> bool {
    let Some(&first) = text.as_bytes().first() else {
        return false;
    };
    if first.is_ascii_digit() || first == b'-' || first == b'+' {
        return false;
    }
    !plain
        || !(matches!(first, b'.' | b'~')
            || text.eq_ignore_ascii_case("null")
            || text.eq_ignore_ascii_case("true")
            || text.eq_ignore_ascii_case("false"))
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `[0-9]+` or `-[0-9]+`: octal with a leading zero, else an integer when it reads back the
/// same, else the string (too large, `-0`, `08`).
fn decimal(scalar: &str, negative: bool) -> Value {
    let digits = if negative { &scalar[1..] } else { scalar };
    if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b < b'8') {
        return match radix_value(digits, 8) {
            Value::Int(i) if negative => Value::Int(-i),
            Value::Float(f) if negative => Value::Float(-f),
            v => v,
        };
    }
    match scalar.parse::<i64>() {
        Ok(i) if canonical_int(scalar) => Value::Int(i),
        _ => Value::String(scalar.into()),
    }
}

/// Whether `text` is how PHP prints an integer: `-`?, then `0` or digits without a leading
/// zero (so `(string) (int) $text === $text` when it fits 64 bits).
fn canonical_int(text: &str) -> bool {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    is_digits(digits) && (!digits.starts_with('0') || (digits == "0" && !negative))
}

/// `[+-]?0o[0-7_]+`.
fn octal_0o(text: &str) -> Option<Value> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let digits = rest.strip_prefix("0o")?;
    if digits.is_empty() || !digits.bytes().all(|b| matches!(b, b'0'..=b'7' | b'_')) {
        return None;
    }
    let value = radix_value(&digits.replace('_', ""), 8);
    Some(match value {
        Value::Int(i) if negative => Value::Int(-i),
        Value::Float(f) if negative => Value::Float(-f),
        v => v,
    })
}

/// PHP's octdec/hexdec: an integer, or a float past 64 bits; characters that are not digits
/// of the radix are skipped.
fn radix_value(digits: &str, radix: u32) -> Value {
    let mut int: Option<i64> = Some(0);
    let mut float = 0.0f64;
    for d in digits.chars().filter_map(|c| c.to_digit(radix)) {
        int = int
            .and_then(|i| i.checked_mul(i64::from(radix)))
            .and_then(|i| i.checked_add(i64::from(d)));
        float = float * f64::from(radix) + f64::from(d);
    }
    int.map_or(Value::Float(float), Value::Int)
}

/// PHP 8's `is_numeric` on trimmed text: `[+-]?(digits(.digits?)?|.digits)([eE][+-]?digits)?`.
fn is_numeric(text: &str) -> bool {
    let s = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let all = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => all(a) && all(b) && !(a.is_empty() && b.is_empty()),
        None => !mantissa.is_empty() && all(mantissa),
    };
    mantissa_ok && exponent.is_none_or(|e| is_digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// PHP's (float) cast of a numeric string (Rust's parser does not take `5.` with a sign).
fn php_float(text: &str) -> f64 {
    text.parse::<f64>()
        .or_else(|_| format!("{text}0").parse::<f64>())
        .unwrap_or(0.0)
}

/// `0x[0-9a-f_]+`, case-insensitively.
fn is_hex(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 2
        && b[0] == b'0'
        && (b[1] == b'x' || b[1] == b'X')
        && b[2..].iter().all(|c| c.is_ascii_hexdigit() || *c == b'_')
}

/// `[+-]?[0-9][0-9_]*(\.[0-9_]+)?`.
fn is_underscored_float(text: &str) -> bool {
    let s = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let ok = |t: &str| t.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    int.starts_with(|c: char| c.is_ascii_digit())
        && ok(int)
        && frac.is_none_or(|f| !f.is_empty() && ok(f))
}

/// A plain scalar that YAML readers (Symfony versions among them) read differently.
#[derive(Clone, Debug, PartialEq)]
pub struct Ambiguity {
    /// What Symfony YAML 5.4 (this reader) makes of it, as PHP would print it.
    pub symfony: String,
    /// What other readers make of it, and which.
    pub others: &'static str,
    /// Spellings that mean one thing to every reader.
    pub unambiguous: String,
}

/// Whether the plain, untagged scalar written `text` is read differently by other readers.
pub fn ambiguity(text: &str) -> Option<Ambiguity> {
    let reading = plain(text).ok()?;
    let shown = match &reading {
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => format!("{f:.1} (a float)"),
        Value::Float(f) => format!("{f} (a float)"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let digits_only = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let (others, unambiguous) = if unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        (
            "Symfony YAML 6+ reads the string; YAML 1.2 readers a decimal number",
            format!("`{shown}` for the number, `'{text}'` for the text"),
        )
    } else if unsigned.starts_with("0o") && matches!(reading, Value::Int(_)) {
        (
            "Symfony YAML before 5.1 reads the string",
            format!("`{shown}` for the number, `'{text}'` for the text"),
        )
    } else if text.contains('_') && matches!(reading, Value::Int(_) | Value::Float(_)) {
        let plain_number = text.replace('_', "");
        (
            "YAML 1.2 readers read the string",
            format!("`{plain_number}` for the number, `'{text}'` for the text"),
        )
    } else if text.starts_with('+') && digits_only(unsigned) {
        (
            "YAML 1.2 readers read the integer",
            format!("`{unsigned}` for an integer, `{unsigned}.0` for a float"),
        )
    } else if is_yaml11_bool(text) {
        (
            "YAML 1.1 readers (PyYAML, for one) read a boolean",
            format!("`true` or `false` for a boolean, `'{text}'` for the text"),
        )
    } else {
        return None;
    };
    Some(Ambiguity {
        symfony: shown,
        others,
        unambiguous,
    })
}

/// YAML 1.1's boolean words that YAML 1.2 and Symfony YAML 3+ read as strings.
fn is_yaml11_bool(text: &str) -> bool {
    matches!(
        text,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// The source as saphyr can scan what Symfony reads, at the same offsets, and the offsets of
/// the `!php/const:` tags rewritten; `None` when nothing needs it (the common case: no copy).
/// Two rewrites: `!php/const:NAME` (a key form) becomes `!php/const NAME`, and tabs after a
/// block mapping key's colon (`key:\tvalue`, which Symfony reads) become blanks.
pub(super) fn rewrite(source: &str) -> Option<(String, Vec<usize>)> {
    let tabs = key_colon_tabs(source);
    let (mut text, at) = match colon_constants(source) {
        Some(found) => found,
        None if tabs.is_empty() => return None,
        None => (source.to_string(), Vec::new()),
    };
    if !tabs.is_empty() {
        let mut bytes = text.into_bytes();
        for i in tabs {
            bytes[i] = b' ';
        }
        // Only ASCII tabs became ASCII blanks: still UTF-8.
        text = String::from_utf8(bytes).ok()?;
    }
    Some((text, at))
}

/// The tabs right after the colon of a block mapping key with a plain key (`key:\tvalue`).
fn key_colon_tabs(source: &str) -> Vec<usize> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    for colon in memchr::memmem::find_iter(bytes, b":\t") {
        let line_start = bytes[..colon]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let key = source[line_start..colon].trim_start_matches(' ');
        // A plain key starting the line, holding no other `: ` or ` #` (the first colon that
        // ends a key, as Symfony's line pattern finds it) and nothing a quote or flow opens.
        let first = key.bytes().next();
        let quoted = key.len() >= 2
            && matches!(first, Some(b'\'' | b'"'))
            && key.as_bytes().last() == first.as_ref();
        let plain = first.is_some_and(|b| !b"-?[]{}'\"#&*|>%@`,\t".contains(&b))
            && !key.contains(": ")
            && !key.contains(":\t")
            && !key.contains(" #")
            && !key.contains(['{', '[', '"', '\'']);
        if !quoted && !plain {
            continue;
        }
        let mut i = colon + 1;
        while i < bytes.len() && matches!(bytes[i], b'\t' | b' ') {
            if bytes[i] == b'\t' {
                found.push(i);
            }
            i += 1;
        }
    }
    found
}

/// The source with each `!php/const:NAME` written `!php/const NAME` (same offsets), and the
/// offsets of those tags; `None` when there is none.
fn colon_constants(source: &str) -> Option<(String, Vec<usize>)> {
    const TAG: &str = "!php/const:";
    let finder = memchr::memmem::find_iter(source.as_bytes(), TAG);
    let bytes = source.as_bytes();
    let at: Vec<usize> = finder
        .filter(|&i| {
            // At a line start or after a blank or flow indicator (or the byte order mark).
            i == 0
                || matches!(
                    bytes[i - 1],
                    b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b','
                )
                || (i == 3 && source.starts_with('\u{feff}'))
        })
        .collect();
    if at.is_empty() {
        return None;
    }
    let mut text = source.as_bytes().to_vec();
    for &i in &at {
        text[i + TAG.len() - 1] = b' ';
    }
    // Only an ASCII `:` became an ASCII blank: still UTF-8.
    String::from_utf8(text).ok().map(|text| (text, at))
}

/// `!php/const:NAME : value` where the value holds another `: ` (or ends with `:`): Symfony's
/// line pattern then takes the key up to that later colon and refuses the file.
pub(super) fn misread_colon_key(source: &str, span: Span) -> Result<(), ParseError> {
    let bytes = source.as_bytes();
    let end = span.end as usize;
    if !matches!(bytes.get(end), Some(b' ' | b'\t')) {
        return Ok(());
    }
    let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i);
    let line = source[end..line_end].trim_end();
    let Some(rest) = line.trim_start_matches([' ', '\t']).strip_prefix(':') else {
        return Ok(());
    };
    if rest.contains(": ") || rest.contains(":\t") || rest.ends_with(':') {
        return Err(ParseError::new(
            "Symfony YAML splits this line at the later `: ` and reads a constant that does not exist; write `NAME:` without the blank, or quote the value",
            span,
        ));
    }
    Ok(())
}

/// The well-known constants of `!php/const` in Cloud YAML files: the PDO attributes of
/// `DATABASE_CONFIGURATION`/`RESOURCE_CONFIGURATION` driver options (values of PHP 8 with
/// pdo_mysql). Others are only known at deploy time.
pub(super) fn constant(name: &str) -> Option<i64> {
    let name = name.trim().trim_start_matches('\\');
    let attribute = name.strip_prefix("PDO::")?;
    Some(match attribute {
        "ATTR_AUTOCOMMIT" => 0,
        "ATTR_PREFETCH" => 1,
        "ATTR_TIMEOUT" => 2,
        "ATTR_ERRMODE" => 3,
        "ATTR_SERVER_VERSION" => 4,
        "ATTR_CLIENT_VERSION" => 5,
        "ATTR_SERVER_INFO" => 6,
        "ATTR_CONNECTION_STATUS" => 7,
        "ATTR_CASE" => 8,
        "ATTR_CURSOR_NAME" => 9,
        "ATTR_CURSOR" => 10,
        "ATTR_ORACLE_NULLS" => 11,
        "ATTR_PERSISTENT" => 12,
        "ATTR_STATEMENT_CLASS" => 13,
        "ATTR_FETCH_TABLE_NAMES" => 14,
        "ATTR_FETCH_CATALOG_NAMES" => 15,
        "ATTR_DRIVER_NAME" => 16,
        "ATTR_STRINGIFY_FETCHES" => 17,
        "ATTR_MAX_COLUMN_LEN" => 18,
        "ATTR_DEFAULT_FETCH_MODE" => 19,
        "ATTR_EMULATE_PREPARES" => 20,
        "ERRMODE_SILENT" => 0,
        "ERRMODE_WARNING" => 1,
        "ERRMODE_EXCEPTION" => 2,
        "MYSQL_ATTR_USE_BUFFERED_QUERY" => 1000,
        "MYSQL_ATTR_LOCAL_INFILE" => 1001,
        "MYSQL_ATTR_INIT_COMMAND" => 1002,
        "MYSQL_ATTR_COMPRESS" => 1003,
        "MYSQL_ATTR_DIRECT_QUERY" => 1004,
        "MYSQL_ATTR_FOUND_ROWS" => 1005,
        "MYSQL_ATTR_IGNORE_SPACE" => 1006,
        "MYSQL_ATTR_SSL_KEY" => 1007,
        "MYSQL_ATTR_SSL_CERT" => 1008,
        "MYSQL_ATTR_SSL_CA" => 1009,
        "MYSQL_ATTR_SSL_CAPATH" => 1010,
        "MYSQL_ATTR_SSL_CIPHER" => 1011,
        "MYSQL_ATTR_SERVER_PUBLIC_KEY" => 1012,
        "MYSQL_ATTR_MULTI_STATEMENTS" => 1013,
        "MYSQL_ATTR_SSL_VERIFY_SERVER_CERT" => 1014,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Value {
        plain(text).unwrap_or_else(Value::Dynamic)
    }

    #[test]
    fn symfony_54_readings() {
        let s = |t: &str| Value::String(t.into());
        let cases = [
            ("NuLL", Value::Null),
            ("TrUe", Value::Bool(true)),
            ("yes", s("yes")),
            ("on", s("on")),
            ("010", Value::Int(8)),
            ("-010", Value::Int(-8)),
            ("00", Value::Int(0)),
            ("08", s("08")),
            ("-0", s("-0")),
            ("0o10", Value::Int(8)),
            ("-0o7", Value::Int(-7)),
            ("0o", s("0o")),
            ("0o_", Value::Int(0)),
            ("1_000", Value::Int(1000)),
            ("1__0", Value::Int(10)),
            ("1_", Value::Int(1)),
            ("-1_000", Value::Int(-1000)),
            ("+1_000", Value::Float(1000.0)),
            ("+3", Value::Float(3.0)),
            ("2.0", Value::Float(2.0)),
            ("1e3", Value::Float(1000.0)),
            ("1e3_0", s("1e3_0")),
            (".5", Value::Float(0.5)),
            ("5.", Value::Float(5.0)),
            ("1_000.5", Value::Float(1000.5)),
            ("1.5_", Value::Float(1.5)),
            ("0x1F", Value::Int(31)),
            ("0x_1F", Value::Int(31)),
            ("0X1F", Value::Float(0.0)),
            ("-0x1F", s("-0x1F")),
            ("0b101", s("0b101")),
            (".nan", Value::Float(f64::INFINITY)),
            ("-.inf", Value::Float(f64::NEG_INFINITY)),
            ("+.inf", s("+.inf")),
            ("99999999999999999999", s("99999999999999999999")),
            ("9223372036854775807", Value::Int(i64::MAX)),
            ("2024-01-01", Value::Int(1_704_067_200)),
            ("12:30", s("12:30")),
        ];
        for (text, want) in cases {
            assert_eq!(p(text), want, "{text}");
        }
        assert!(matches!(p("1e400"), Value::Float(f) if f.is_infinite()));
    }

    #[test]
    fn ambiguous_spellings() {
        for (text, symfony) in [
            ("010", "8"),
            ("-010", "-8"),
            ("0o10", "8"),
            ("1_000", "1000"),
            ("+3", "3.0 (a float)"),
            ("on", "the string \"on\""),
            ("Y", "the string \"Y\""),
        ] {
            assert_eq!(
                ambiguity(text).map(|a| a.symfony),
                Some(symfony.into()),
                "{text}"
            );
        }
        for text in [
            "10", "0", "3.5", "true", "0x1F", "a_b", "'010'", "online", "08",
        ] {
            assert_eq!(ambiguity(text), None, "{text}");
        }
    }

    #[test]
    fn keys() {
        assert_eq!(plain_key("010"), Ok(Key::Int(8)));
        assert_eq!(plain_key("a"), Ok(Key::Str("a".into())));
        assert!(plain_key("true").is_err());
        assert!(plain_key("~").is_err());
        assert!(plain_key("1.5").is_err());
        assert_eq!(string_key("1"), Key::Int(1));
        assert_eq!(string_key("01"), Key::Str("01".into()));
        assert_eq!(string_key("-0"), Key::Str("-0".into()));
        assert_eq!(constant("\\PDO::MYSQL_ATTR_LOCAL_INFILE"), Some(1001));
        assert_eq!(constant("Magento\\X::Y"), None);
    }
}
