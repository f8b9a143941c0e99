//! Dates as day numbers (days since 1970-01-01), so time comparisons on
//! the hot paths are integer comparisons.

use jiff::civil::Date;

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
pub(crate) fn days(d: Date) -> i32 {
    let (y, m, dd) = (i64::from(d.year()), i64::from(d.month()), i64::from(d.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let z = era * 146_097 + doe - 719_468;
    i32::try_from(z).unwrap_or(0)
}

/// (year, month, day) of a day number.
pub(crate) fn civil(z: i32) -> (i64, i64, i64) {
    let z = i64::from(z) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD` of a day number.
pub(crate) fn date_str(z: i32) -> String {
    let (y, m, d) = civil(z);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2024-12-31", "2026-03-01", "1969-12-31"] {
            let d: Date = s.parse().expect("date");
            assert_eq!(date_str(days(d)), s);
        }
        let a: Date = "2025-03-01".parse().expect("date");
        let b: Date = "2025-02-28".parse().expect("date");
        assert_eq!(days(a) - days(b), 1);
    }
}
