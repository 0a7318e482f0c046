//! Calendar dates for end-of-life checks, and today's date: the system's (UTC), or the one
//! `MAGELINT_TODAY=YYYY-MM-DD` names (so a check can be replayed as of a day, and tests do not
//! change verdict as time passes).

use std::sync::OnceLock;

/// The environment variable that sets today's date.
pub const TODAY_VARIABLE: &str = "MAGELINT_TODAY";

/// A day of the (proleptic Gregorian) calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let date = Date { year, month, day };
        ((1..=12).contains(&month) && (1..=date.days_in_month()).contains(&day)).then_some(date)
    }

    fn days_in_month(&self) -> u32 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            _ => 31,
        }
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Whole months from `self` to `later` (0 when `later` is not after it), as Carbon's
    /// `diffInMonths` counts them: a month is complete when its day of month is reached.
    pub fn months_until(&self, later: &Date) -> u32 {
        if later <= self {
            return 0;
        }
        let months = (later.year - self.year) * 12 + later.month as i32 - self.month as i32;
        let months = if later.day < self.day {
            months - 1
        } else {
            months
        };
        months.max(0) as u32
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Today's date: `MAGELINT_TODAY` when it is set, else the system's date (UTC). A value that
/// is no date is an error, for the front end to report.
pub fn today() -> Result<Date, String> {
    static TODAY: OnceLock<Result<Date, String>> = OnceLock::new();
    TODAY
        .get_or_init(|| match std::env::var(TODAY_VARIABLE) {
            Ok(text) => Date::parse(&text).ok_or_else(|| {
                format!("{TODAY_VARIABLE} must be a date written YYYY-MM-DD, not `{text}`")
            }),
            Err(_) => Ok(system_today()),
        })
        .clone()
}

fn system_today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Date::from_unix_days(seconds.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_prints_dates() {
        let date = Date::parse("2024-02-29").expect("a leap day");
        assert_eq!(date.to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-13-01").is_none());
        assert!(Date::parse("2024-1").is_none());
        assert!(Date::parse("yesterday").is_none());
        assert!(Date::parse("2019-01-10").expect("date") < date);
    }

    #[test]
    fn days_since_the_epoch_become_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(19_782).to_string(), "2024-02-29");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
        assert_eq!(Date::from_unix_days(20_793).to_string(), "2026-12-06");
    }

    #[test]
    fn counts_whole_months() {
        let d = |t: &str| Date::parse(t).expect(t);
        assert_eq!(d("2024-01-15").months_until(&d("2024-04-15")), 3);
        assert_eq!(d("2024-01-15").months_until(&d("2024-04-14")), 2);
        assert_eq!(d("2024-11-30").months_until(&d("2025-02-28")), 2);
        assert_eq!(d("2024-04-15").months_until(&d("2024-01-15")), 0);
    }
}
