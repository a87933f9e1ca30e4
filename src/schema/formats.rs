//! String and number formats, checked the way the Kubernetes API server checks them.
//!
//! Owns the `format` checks of structural schemas: `ipv4` (k8s.io/utils' `ParseIPSloppy`, which
//! reads octets with leading zeros, plus the registry's dot test), `ipv6` (Go's `net.ParseIP`
//! plus the colon test), `date-time` and `date` (the registry's RFC 3339 checks, quirks
//! included), and the `int32`/`int64` ranges. Formats the API server does not check are not
//! checked here either. Imports only `std`.

use std::net::IpAddr;

/// What a format expects, in words, for messages ("a valid IPv4 address").
pub fn describe(format: &str) -> Option<&'static str> {
    Some(match format {
        "ipv4" => "a valid IPv4 address",
        "ipv6" => "a valid IPv6 address",
        "date-time" | "datetime" => "an RFC 3339 date-time such as \"2024-05-08T10:00:00Z\"",
        "date" => "a date such as \"2024-05-08\"",
        "int32" => "a 32-bit signed integer",
        "int64" => "a 64-bit signed integer",
        _ => return None,
    })
}

/// Checks a string against a string format. `None` when the format is not a string format
/// the API server checks (so anything goes).
pub fn check_string(format: &str, s: &str) -> Option<bool> {
    Some(match format {
        "ipv4" => parse_ip_sloppy(s) && s.contains('.'),
        "ipv6" => parse_ip(s).is_some() && s.contains(':'),
        "date-time" | "datetime" => is_date_time(s),
        "date" => is_date(s),
        _ => return None,
    })
}

/// Checks an integer against `int32`/`int64`. `None` for other formats.
pub fn check_integer(format: &str, n: i128) -> Option<bool> {
    Some(match format {
        "int32" => i32::try_from(n).is_ok(),
        "int64" => i64::try_from(n).is_ok(),
        _ => return None,
    })
}

/// Go's `net.ParseIP`: dotted-decimal IPv4 without leading zeros, or IPv6 (with `::` and an
/// embedded IPv4 tail), never a zone. Rust's parsers accept exactly the same forms.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok()
}

/// Whether k8s.io/utils' `ParseIPSloppy` reads `s` as an IP address: the parser of Go 1.16's
/// `net.ParseIP`, which the API server keeps for the `ipv4` format so that values stored
/// before Go 1.17 stay valid. It differs from [`parse_ip`] in two ways: a decimal number
/// may have leading zeros (`010.1.1.1` is 10.1.1.1, never octal), and an IPv6 group may
/// have more than four hex digits as long as its value fits in 16 bits (`::00001`). The
/// first `.` or `:` in the text decides which of the two forms it must be.
pub fn parse_ip_sloppy(s: &str) -> bool {
    let b = s.as_bytes();
    match b.iter().find(|c| matches!(c, b'.' | b':')) {
        Some(b'.') => sloppy_v4(b),
        Some(_) => sloppy_v6(b),
        None => false,
    }
}

/// A number as Go 1.16's parser reads it, and how many bytes it took: at least one digit
/// of `radix` (10 or 16); failing once the value reaches 0xFFFFFF, however many digits
/// that takes.
fn sloppy_number(b: &[u8], radix: u32) -> Option<(u32, usize)> {
    const BIG: u32 = 0xFF_FFFF;
    let mut n: u32 = 0;
    let mut used = 0;
    for &c in b {
        let Some(d) = (c as char).to_digit(radix) else {
            break;
        };
        n = n * radix + d;
        if n >= BIG {
            return None;
        }
        used += 1;
    }
    (used > 0).then_some((n, used))
}

/// Four decimal octets separated by dots, each at most 255, leading zeros allowed, and
/// nothing after them.
fn sloppy_v4(mut b: &[u8]) -> bool {
    for i in 0..4 {
        if i > 0 {
            match b.split_first() {
                Some((b'.', rest)) => b = rest,
                _ => return false,
            }
        }
        match sloppy_number(b, 10) {
            Some((n, used)) if n <= 255 => b = &b[used..],
            _ => return false,
        }
    }
    b.is_empty()
}

/// Up to eight hex groups separated by `:`, at most one `::` standing for one or more zero
/// groups, and an IPv4 tail (read by [`sloppy_v4`]) in the last 32 bits.
fn sloppy_v6(mut b: &[u8]) -> bool {
    // Bytes of the address filled so far, and whether a `::` was seen.
    let mut filled = 0;
    let mut ellipsis = false;
    if let Some(rest) = b.strip_prefix(b"::") {
        ellipsis = true;
        b = rest;
        if b.is_empty() {
            return true;
        }
    }
    while filled < 16 {
        let Some((n, used)) = sloppy_number(b, 16) else {
            return false;
        };
        if n > 0xFFFF {
            return false;
        }
        if b.get(used) == Some(&b'.') {
            // An IPv4 tail: only as the last 32 bits, or after a `::` that makes room.
            if (!ellipsis && filled != 12) || filled + 4 > 16 || !sloppy_v4(b) {
                return false;
            }
            b = &[];
            filled += 4;
            break;
        }
        filled += 2;
        b = &b[used..];
        if b.is_empty() {
            break;
        }
        if b[0] != b':' || b.len() == 1 {
            return false;
        }
        b = &b[1..];
        if b[0] == b':' {
            if ellipsis {
                return false;
            }
            ellipsis = true;
            b = &b[1..];
            if b.is_empty() {
                break;
            }
        }
    }
    // The whole text is used, and a `::` stands for at least one group.
    b.is_empty() && (filled < 16) == ellipsis
}

/// The OpenAPI registry's `IsDate`: Go's `time.Parse("2006-01-02", s)`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if !s.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    days_in_month(y, m).is_some_and(|days| (1..=days).contains(&d))
}

/// The days of `month` (1–12) in `year` of the Gregorian calendar; `None` for no such month.
pub(super) fn days_in_month(year: u32, month: u32) -> Option<u32> {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// The OpenAPI registry's `IsDateTime`, quirks kept: the text is lower-cased and split at
/// every `t`; the first part must be a date, the second must match
/// `^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$` with hours ≤ 23
/// and minutes, seconds ≤ 59 (compared as text), and any further parts are ignored.
pub fn is_date_time(s: &str) -> bool {
    if s.len() < 4 {
        return false;
    }
    let lower = s.to_lowercase();
    let mut parts = lower.split('t');
    let (Some(date), Some(time)) = (parts.next(), parts.next()) else {
        return false;
    };
    is_date(date) && is_time(time)
}

fn is_time(t: &str) -> bool {
    let c: Vec<char> = t.chars().collect();
    let two = |i: usize| {
        c.get(i).is_some_and(char::is_ascii_digit) && c.get(i + 1).is_some_and(char::is_ascii_digit)
    };
    if !(two(0) && c.get(2) == Some(&':') && two(3) && c.get(5) == Some(&':') && two(6)) {
        return false;
    }
    let field = |i: usize| -> String { c[i..i + 2].iter().collect() };
    if field(0).as_str() > "23" || field(3).as_str() > "59" || field(6).as_str() > "59" {
        return false;
    }
    let rest = &c[8..];
    // `(.[0-9]+)?`: any one character, then digits. The zone cannot start with a digit, so
    // taking every digit is the only way the fraction can match.
    if rest.len() >= 2 && rest[1].is_ascii_digit() {
        let end = 1 + rest[1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if zone(&rest[end..]) {
            return true;
        }
    }
    zone(rest)
}

fn zone(z: &[char]) -> bool {
    match z {
        ['z'] => true,
        [sign, h1, h2, ':', m1, m2] => {
            (*sign == '+' || *sign == '-') && [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_as_go_parses_them() {
        assert_eq!(check_string("ipv4", "192.168.1.1"), Some(true));
        assert_eq!(check_string("ipv4", "256.1.1.1"), Some(false));
        assert_eq!(check_string("ipv4", "1.2.3"), Some(false));
        assert_eq!(check_string("ipv4", "::1"), Some(false), "no dot");
        assert_eq!(check_string("ipv6", "::1"), Some(true));
        assert_eq!(check_string("ipv6", "2001:db8::68"), Some(true));
        assert_eq!(check_string("ipv6", "fe80::1%eth0"), Some(false), "zone");
        assert_eq!(check_string("ipv6", "1.2.3.4"), Some(false), "no colon");
        // An IPv4-mapped IPv6 address has both a dot and a colon: both formats accept it.
        assert_eq!(check_string("ipv4", "::ffff:1.2.3.4"), Some(true));
        assert_eq!(check_string("ipv6", "::ffff:1.2.3.4"), Some(true));
        assert_eq!(check_string("ipv6", "12345::"), Some(false));
        // ipv6 is Go's strict parser: no leading zeros in an IPv4 tail.
        assert_eq!(check_string("ipv6", "::ffff:01.2.3.4"), Some(false));
    }

    /// `ipv4` is k8s.io/utils' `ParseIPSloppy` (Go 1.16's parser): leading zeros are
    /// decimal, not octal, and accepted.
    #[test]
    fn ipv4_reads_leading_zeros_as_the_api_server_does() {
        for ok in [
            "01.2.3.4",
            "010.1.1.1",
            "000.000.000.000",
            "0000000001.2.3.255",
            "::ffff:01.2.3.4",
            "::00001:1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4",
            "::1.2.3.4",
        ] {
            assert_eq!(check_string("ipv4", ok), Some(true), "{ok}");
        }
        for bad in [
            "256.1.1.1",
            "0256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.4 ",
            "1..2.3",
            ".1.2.3",
            "1.2.3.-4",
            "+1.2.3.4",
            "1.2.3.0x4",
            "99999999999.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1:2:3:4:5:1.2.3.4",
            "::10000:1.2.3.4",
            ":::1.2.3.4",
            "1.2.3.4%eth0",
            "",
            ".",
        ] {
            assert_eq!(check_string("ipv4", bad), Some(false), "{bad}");
        }
    }

    /// Without a dot, the sloppy parser agrees with the strict one on IPv6, except for
    /// groups longer than four hex digits.
    #[test]
    fn the_sloppy_parser_reads_ipv6_like_go() {
        for ok in [
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1::8",
            "fe80::1",
            "::0001",
        ] {
            assert!(parse_ip_sloppy(ok), "{ok}");
            assert!(parse_ip(ok).is_some(), "{ok}");
        }
        assert!(parse_ip_sloppy("::00001"));
        for bad in [
            ":",
            ":::",
            "1:::2",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7::8",
            "1:",
            ":1",
            "::1:",
            "g::1",
            "fe80::1%eth0",
            "::10000",
        ] {
            assert!(!parse_ip_sloppy(bad), "{bad}");
        }
    }

    #[test]
    fn date_times_as_the_openapi_registry_checks_them() {
        assert!(is_date_time("1970-01-01T00:00:00Z"));
        assert!(is_date_time("2024-02-29t23:59:59.123+01:00"));
        assert!(!is_date_time("2023-02-29T00:00:00Z"), "not a leap year");
        assert!(!is_date_time("2024-01-01T24:00:00Z"));
        assert!(!is_date_time("2024-01-01 10:00:00Z"));
        assert!(!is_date_time("2024-01-01T10:00:00"), "zone required");
        assert!(
            is_date_time("2024-01-01T10:00:00Zt"),
            "parts after the second are ignored"
        );
        assert_eq!(check_string("uri", "anything"), None);
    }

    #[test]
    fn integer_ranges() {
        assert_eq!(check_integer("int32", 2_147_483_647), Some(true));
        assert_eq!(check_integer("int32", 2_147_483_648), Some(false));
        assert_eq!(check_integer("int64", i128::from(u64::MAX)), Some(false));
    }
}
