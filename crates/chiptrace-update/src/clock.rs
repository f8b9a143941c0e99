//! The one place that reads the wall clock, and the two timestamp formats
//! this crate writes: RFC 3339 UTC for manifests and a compact form for
//! version names.
//!
//! Formatting is done by hand (civil-from-days) rather than pulling in a
//! date crate: we only ever format "now" in UTC, never parse or do zone
//! arithmetic, so a dependency would buy nothing.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A UTC instant broken into calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UtcStamp {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millis: u32,
}

impl UtcStamp {
    /// The current time. A clock before 1970 (broken RTC) is clamped to the
    /// epoch rather than failing an update over it.
    pub(crate) fn now() -> UtcStamp {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
        UtcStamp::from_unix(since_epoch)
    }

    /// Break a duration since the Unix epoch into UTC calendar fields.
    pub(crate) fn from_unix(since_epoch: Duration) -> UtcStamp {
        let secs = since_epoch.as_secs() as i64;
        let days = secs.div_euclid(86_400);
        let secs_of_day = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        UtcStamp {
            year,
            month,
            day,
            hour: (secs_of_day / 3600) as u32,
            minute: (secs_of_day % 3600 / 60) as u32,
            second: (secs_of_day % 60) as u32,
            millis: since_epoch.subsec_millis(),
        }
    }

    /// RFC 3339 in UTC with millisecond precision, e.g.
    /// `2026-07-09T12:00:00.123Z`. Fixed width, so these strings sort
    /// chronologically, which version pruning relies on.
    pub(crate) fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second, self.millis
        )
    }

    /// Compact, file-name-safe form used as the first part of a version
    /// name, e.g. `20260709T120000Z` (no colons: they are not allowed in
    /// Windows paths).
    pub(crate) fn compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// Nanoseconds since the Unix epoch (0 for a clock before 1970), used to
/// make staging directory names unique.
pub(crate) fn unix_nanos() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar. Howard Hinnant's `civil_from_days`, valid for any i64 day count
/// we can meet.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch() {
        let s = UtcStamp::from_unix(Duration::ZERO);
        assert_eq!(s.rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(s.compact(), "19700101T000000Z");
    }

    #[test]
    fn known_instants() {
        // 2000-02-29T23:59:59.5Z: a leap day in a century leap year.
        let s = UtcStamp::from_unix(Duration::from_millis(951_868_799_500));
        assert_eq!(s.rfc3339(), "2000-02-29T23:59:59.500Z");
        // 2026-07-09T12:34:56Z
        let s = UtcStamp::from_unix(Duration::from_secs(1_783_600_496));
        assert_eq!(s.rfc3339(), "2026-07-09T12:34:56.000Z");
        assert_eq!(s.compact(), "20260709T123456Z");
        // 2100-03-01: 2100 is not a leap year.
        let s = UtcStamp::from_unix(Duration::from_secs(4_107_542_400));
        assert_eq!(s.rfc3339(), "2100-03-01T00:00:00.000Z");
    }
}
