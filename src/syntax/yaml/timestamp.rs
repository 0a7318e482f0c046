//! Symfony YAML's timestamps: a plain `2024-01-31` (optionally with a time and a zone) is read
//! as the Unix timestamp PHP's `DateTime` gives it in UTC, an integer.

/// `None` when `text` is not Symfony's timestamp form; `Err` when it is, but PHP's `DateTime`
/// rejects it (Symfony then throws).
pub(super) fn parse(text: &str) -> Option<Result<i64, String>> {
    let b = text.as_bytes();
    let mut at = 0;
    let year = digits(b, &mut at, 4, 4)?;
    expect(b, &mut at, b'-')?;
    let month = digits(b, &mut at, 1, 2)?;
    expect(b, &mut at, b'-')?;
    let day = digits(b, &mut at, 1, 2)?;
    let (mut hour, mut minute, mut second, mut offset) = (0, 0, 0, 0i64);
    if at < b.len() {
        match b[at] {
            b'T' | b't' => at += 1,
            b' ' | b'\t' => {
                while at < b.len() && matches!(b[at], b' ' | b'\t') {
                    at += 1;
                }
            }
            _ => return None,
        }
        hour = digits(b, &mut at, 1, 2)?;
        expect(b, &mut at, b':')?;
        minute = digits(b, &mut at, 2, 2)?;
        expect(b, &mut at, b':')?;
        second = digits(b, &mut at, 2, 2)?;
        if b.get(at) == Some(&b'.') {
            at += 1;
            while at < b.len() && b[at].is_ascii_digit() {
                at += 1;
            }
        }
        while at < b.len() && matches!(b[at], b' ' | b'\t') {
            at += 1;
        }
        match b.get(at) {
            None => {}
            Some(b'Z') => at += 1,
            Some(&sign @ (b'+' | b'-')) => {
                at += 1;
                let h = digits(b, &mut at, 1, 2)?;
                let m = if b.get(at) == Some(&b':') {
                    at += 1;
                    digits(b, &mut at, 2, 2)?
                } else {
                    0
                };
                offset = (h * 60 + m) * 60;
                if sign == b'-' {
                    offset = -offset;
                }
            }
            _ => return None,
        }
    }
    if at != b.len() {
        return None;
    }
    // The ranges PHP's DateTime parser accepts; day 0 and month 0 roll back, 24:00 rolls over.
    if month > 12 || day > 31 || hour > 24 || minute > 59 || second > 60 {
        return Some(Err(format!(
            "`{text}` looks like a date, but PHP cannot read it, so Symfony YAML refuses the file"
        )));
    }
    let days = days_from_civil(year, month, 1) + day - 1;
    Some(Ok(
        days * 86_400 + hour * 3_600 + minute * 60 + second - offset
    ))
}

fn digits(b: &[u8], at: &mut usize, min: usize, max: usize) -> Option<i64> {
    let start = *at;
    while *at < b.len() && *at - start < max && b[*at].is_ascii_digit() {
        *at += 1;
    }
    if *at - start < min {
        return None;
    }
    std::str::from_utf8(&b[start..*at]).ok()?.parse().ok()
}

fn expect(b: &[u8], at: &mut usize, c: u8) -> Option<()> {
    if b.get(*at) == Some(&c) {
        *at += 1;
        Some(())
    } else {
        None
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 0 is the previous December).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let (year, month) = if month == 0 {
        (year - 1, 12)
    } else {
        (year, month)
    };
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn php_timestamps() {
        // Figures from PHP 8.2: (new DateTime($text, new DateTimeZone('UTC')))->getTimestamp().
        let cases = [
            ("2024-01-01", 1_704_067_200),
            ("2024-02-31", 1_709_337_600),
            ("2024-1-2", 1_704_153_600),
            ("2024-00-10", 1_702_166_400),
            ("2024-01-00", 1_703_980_800),
            ("0000-01-01", -62_167_219_200),
            ("2024-01-01 12:30:00", 1_704_112_200),
            ("2024-01-01T12:30:00.5Z", 1_704_112_200),
            ("2024-01-01 12:30:00 +02:00", 1_704_105_000),
            ("2024-01-01 12:30:00 +14:30", 1_704_060_000),
            ("2024-01-01 12:30:00-5", 1_704_130_200),
            ("2024-01-01 24:00:00", 1_704_153_600),
            ("2024-01-01 12:30:60", 1_704_112_260),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Some(Ok(want)), "{text}");
        }
        for text in ["2024-13-01", "2024-01-32", "2024-01-01 25:00:00"] {
            assert!(matches!(parse(text), Some(Err(_))), "{text}");
        }
        for text in ["2024-01", "12:30", "2024-01-01x", "2024-01-01 12:30"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
