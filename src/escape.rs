//! Separators written as escapes.
//!
//! Logs often hold a blank or a line break as text that ends in a letter or a digit: a
//! literal `\n` or `\t` in a logfmt message or a flattened stack trace, `\u0022` and `\x20`
//! in escaped payloads, `%20` and `%3D` in query strings, rsyslog's `#011` for a tab, and a
//! terminal colour code (`ESC[33m`). To a word boundary what follows one is glued to a word
//! (`msg="Data:\n081234567890"`). [`next`] finds them with memchr and [`len`] tells how
//! long one is; [`crate::view`] reads the text around them with each as a blank. [`next`]
//! and [`next_read`] also know the Unicode look-alikes of [`crate::lookalike`] (a no-break
//! space, an en dash, full-width digits), which the view reads as the ASCII they stand for.

/// The bytes an escape starts with, but ESC: [`next`] looks for them with memchr3.
const COMMON_FIRST: [u8; 3] = [b'\\', b'%', b'#'];

/// Where the first escaped separator or look-alike (see [`next_read`]) in `hay[from..bound]`
/// starts (it may end past `bound`). First bytes are found with memchr; most of them (`\"`,
/// `%40`, a curly quote) start none.
pub(crate) fn next(hay: &[u8], from: usize, bound: usize) -> Option<usize> {
    next_read(hay, from, bound).map(|(at, _)| at)
}

/// [`next`], with what the view reads there: the length of the escape or look-alike and
/// the ASCII byte it stands for (a blank for an escaped separator).
pub(crate) fn next_read(
    hay: &[u8],
    from: usize,
    bound: usize,
) -> Option<(usize, crate::lookalike::Reading)> {
    let bound = bound.min(hay.len());
    // In windows that double from 512 bytes, so that a call costs about what it passes over
    // however far `bound` is: a scan for each kind to `bound` on each call made a
    // line-by-line caller quadratic (a look-alike on each line of a batch without `\`).
    let mut at = from;
    let mut width = 512usize;
    while at < bound {
        let end = bound.min(at.saturating_add(width));
        if let Some(hit) = first_in(hay, at, end) {
            return Some(hit);
        }
        at = end;
        width = width.saturating_mul(2);
    }
    None
}

/// Where the first escaped separator or look-alike in `hay[from..end]` starts, and its
/// reading.
fn first_in(hay: &[u8], from: usize, end: usize) -> Option<(usize, crate::lookalike::Reading)> {
    let [a, b, c] = COMMON_FIRST;
    let [x, y, z] = crate::lookalike::FIRST;
    let find = |at: usize, found: Option<usize>| found.map_or(end, |p| at + p);
    // The next candidate of each kind at or after `at`, kept until passed: a false one
    // (`\"`, `…`) moves `at` on without scanning again what the others' scans covered.
    let stale = |p: Option<usize>, at: usize| p.is_none_or(|p| p < at);
    let (mut common, mut esc, mut alike) = (None, None, None);
    let mut at = from;
    while at < end {
        if stale(common, at) {
            common = Some(find(at, memchr::memchr3(a, b, c, &hay[at..end])));
        }
        if stale(esc, at) {
            esc = Some(find(at, memchr::memchr(0x1b, &hay[at..end])));
        }
        if stale(alike, at) {
            alike = Some(find(at, memchr::memchr3(x, y, z, &hay[at..end])));
        }
        let (common_at, alike_at) = (common.unwrap_or(end), alike.unwrap_or(end));
        let hit = common_at.min(esc.unwrap_or(end)).min(alike_at);
        if hit >= end {
            return None;
        }
        // A look-alike's first byte starts no escape; the others start no look-alike.
        let read = match hit == alike_at {
            true => crate::lookalike::read(&hay[hit..]),
            false => escaped(&hay[hit..]),
        };
        if let Some(r) = read {
            return Some((hit, r));
        }
        at = hit + 1;
    }
    None
}

/// What the view reads for the escaped separator, escaped `@` or look-alike at the start of
/// `s`: its length, and the ASCII byte it stands for (a blank for an escaped separator).
/// See [`len`] and [`crate::lookalike::read`].
#[cfg(test)]
pub(crate) fn reading(s: &[u8]) -> Option<crate::lookalike::Reading> {
    escaped(s).or_else(|| crate::lookalike::read(s))
}

/// The reading of an escape (a separator, or an `@` or a look-alike written as one).
fn escaped(s: &[u8]) -> Option<crate::lookalike::Reading> {
    match len(s) {
        0 => encoded(s),
        n => Some((n, b' ')),
    }
}

/// An `@` written as a hex escape (`budi\u0040gmail.com` in JSON text a prefix kept from
/// being decoded, `\x40`), which the view reads as itself, or a look-alike written as one
/// (`0812\u20133456`, `\uff10`): its length and what it stands for.
fn encoded(s: &[u8]) -> Option<crate::lookalike::Reading> {
    if let Some(r) = encoded_look_alike(s) {
        return Some(r);
    }
    let lead = match s {
        [b'\\', b'u', b'0', b'0', ..] => 4,
        [b'\\', b'U', b'0', b'0', b'0', b'0', b'0', b'0', ..] => 8,
        [b'\\', b'x', ..] => 2,
        _ => return None,
    };
    (s.get(lead..lead + 2) == Some(b"40")).then_some((lead + 2, b'@'))
}

/// How many bytes at the start of `s` are an escaped separator (0 if none): `\n`, `\t`, `\r`,
/// `\f`, `\v`; a hex code (`\u00XX`, `\U000000XX`, `\xXX`, `%XX`) of a control, a blank,
/// punctuation or a digit, or of the no-break space (`\u00a0`), never of a letter, and `+`
/// (2B) only after a backslash (`%2B62…` is a phone number's own `+`); `%5Cn`; rsyslog's
/// octal `#0NN`; a terminal control sequence (`ESC[33m`, `ESC[K`), also with its ESC written
/// out (`\x1b[`, `\u001b[`, `\033[`, `\e[`).
pub(crate) fn len(s: &[u8]) -> usize {
    // `plus`: the code of `+` (2B) is one.
    let code = |a: u8, b: u8, plus: bool| {
        b.is_ascii_hexdigit()
            && match (a, b.to_ascii_uppercase()) {
                (b'0' | b'1' | b'3' | b'A' | b'a', _) => true,
                (b'2', b'B') => plus,
                (b'2', _) => true,
                // `[` `\` `]` `^` `_` and `{` `|` `}` `~` (never a letter or the backquote).
                (b'5', b'B'..=b'F') | (b'7', b'B'..=b'E') => true,
                _ => false,
            }
    };
    // A hex code after `lead` bytes; a written-out ESC (`\x1b`, `\u001b`) takes the
    // control sequence after it.
    let coded = |lead: usize, plus: bool| match s.get(lead..lead + 2) {
        Some(&[a, b]) if code(a, b, plus) => {
            let n = lead + 2;
            match (a, b) {
                (b'1', b'b' | b'B') => n + control(&s[n..]).unwrap_or(0),
                _ => n,
            }
        }
        _ => 0,
    };
    match s {
        [b'\\', b'n' | b't' | b'r' | b'f' | b'v', ..] => 2,
        [b'\\', b'u', b'0', b'0', ..] => coded(4, true),
        [b'\\', b'U', b'0', b'0', b'0', b'0', b'0', b'0', ..] => coded(8, true),
        [b'\\', b'x', ..] => coded(2, true),
        // ESC written as `\e` or in octal, with its control sequence only.
        [b'\\', b'e', rest @ ..] => control(rest).map_or(0, |n| n + 2),
        [b'\\', b'0', b'3', b'3', rest @ ..] => control(rest).map_or(0, |n| n + 4),
        // A backslash escape percent-encoded (`%5Cn`).
        [b'%', b'5', b'C' | b'c', b'n' | b't' | b'r', ..] => 4,
        [b'%', ..] => coded(1, false),
        [b'#', b'0', b'0'..=b'3', b'0'..=b'7', ..] => 4,
        [0x1b, rest @ ..] => control(rest).map_or(0, |n| n + 1),
        _ => 0,
    }
}

/// A look-alike written as `\uXXXX`.
fn encoded_look_alike(s: &[u8]) -> Option<crate::lookalike::Reading> {
    let hex = s.strip_prefix(b"\\u")?.get(..4)?;
    let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    let mut utf8 = [0; 4];
    let c = char::from_u32(code)?.encode_utf8(&mut utf8);
    crate::lookalike::read(c.as_bytes()).map(|(_, byte)| (6, byte))
}

/// May `b` be a byte of an escape or look-alike, or of a run of them, before its last? (A
/// place right after any other byte is inside none.)
pub(crate) fn holds(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || !b.is_ascii()
        || matches!(b, b'\\' | b'%' | b'#' | b'[' | b';' | b'?' | 0x1b)
}

/// The length of a terminal control sequence after its ESC: `[`, parameters, a final
/// letter (a colour's `m`, an erase's `K`, a cursor's `?25l`).
fn control(rest: &[u8]) -> Option<usize> {
    let params = rest.strip_prefix(b"[")?;
    let n = params
        .iter()
        .take(COLOUR_PARAMS)
        .take_while(|&&b| b.is_ascii_digit() || b == b';' || b == b'?')
        .count();
    params
        .get(n)
        .filter(|b| b.is_ascii_alphabetic())
        .map(|_| n + 2)
}

/// Most parameter bytes of a colour code (`38;5;208`, `1;4;31`, a
/// true colour's `38;2;255;100;0`).
const COLOUR_PARAMS: usize = 24;

/// Does an escaped separator end right before `at` in `hay`?
pub(crate) fn ends_before(hay: &[u8], at: usize) -> bool {
    // Every escape ends in a letter or digit: most places are told by that byte alone.
    if at == 0 || !hay[at - 1].is_ascii_alphanumeric() {
        return false;
    }
    let is_at = |k: usize| len(&hay[k..at]) == at - k;
    // The fixed lengths: `\n`, `%20`, `\x20` and `#011`, `\u0020`.
    if [2, 3, 4, 6].iter().any(|&n| at >= n && is_at(at - n)) {
        return true;
    }
    // A colour code: its `m`, parameters, `[` and ESC.
    if hay[at - 1] != b'm' {
        return false;
    }
    let head = &hay[..at - 1];
    let params = head
        .iter()
        .rev()
        .take(COLOUR_PARAMS)
        .take_while(|&&b| b.is_ascii_digit() || b == b';')
        .count();
    head.len() >= params + 2 && is_at(head.len() - params - 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_lengths() {
        let cases: &[(&[u8], usize)] = &[
            (b"\\n0812", 2),
            (b"\\t4526", 2),
            (b"\\r\\n", 2),
            (b"\\N0812", 0),
            (b"\\u00220812", 6),
            (b"\\u00A00812", 6),
            (b"\\u002B62812", 6),
            (b"\\x2b62812", 4),
            (b"\\u00300812", 6),
            (b"\\u00410812", 0),
            (b"\\u00470812", 0),
            (b"\\u0040x", 0),
            (b"\\x200812", 4),
            (b"\\xa0", 4),
            (b"%200812", 3),
            (b"%3D0812", 3),
            (b"%3a0812", 3),
            (b"%2B62812", 0),
            (b"%2b62812", 0),
            (b"%40x", 0),
            (b"%2", 0),
            (b"#011081", 4),
            (b"#0120", 4),
            (b"#018", 0),
            (b"#411", 0),
            (b"\x1b[33m0812", 5),
            (b"\x1b[1;33m0812", 7),
            (b"\x1b[m0812", 3),
            (b"\x1b[0812", 0),
            (b"\x1b[K0812", 3),
            (b"\x1b[2K0812", 4),
            (b"\x1b[?25l0812", 6),
            (b"\x1b0812", 0),
            (b"\\f0812", 2),
            (b"\\v0812", 2),
            (b"\\x1b[33m0812", 8),
            (b"\\x1b0812", 4),
            (b"\\u001b[1;33m0812", 12),
            (b"\\U00000020x", 10),
            (b"\\U00000041x", 0),
            (b"\\033[33m0812", 8),
            (b"\\0330812", 0),
            (b"\\e[0m0812", 5),
            (b"\\e0812", 0),
            (b"%5Cn0812", 4),
            (b"%5c0812", 3),
            (b"%7C192", 3),
            (b"%5f1", 3),
            (b"%7F1", 0),
            (b"%5A1", 0),
            (b"%601", 0),
            (b"[33m0812", 0),
            (b"\x1b[38;2;255;100;0m0812", 17),
            (b"\x1b[111111111111111111111111m", 27),
            (b"\x1b[1111111111111111111111111m", 0),
            (b"0812", 0),
            (b"", 0),
        ];
        for &(s, want) in cases {
            assert_eq!(len(s), want, "{:?}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn holds_the_bytes_of_each_form() {
        let forms: [&[u8]; 10] = [
            b"\\n",
            b"\\u0022",
            b"\\U00000020",
            b"%5Cn",
            b"#011",
            b"\x1b[?25l",
            b"\x1b[1;31m",
            b"\\x1b[0m",
            b"\\033[K",
            b"\\e[2K",
        ];
        for f in forms {
            assert_eq!(len(f), f.len(), "{:?}", String::from_utf8_lossy(f));
            assert!(
                f.iter().all(|&b| holds(b)),
                "{:?}",
                String::from_utf8_lossy(f)
            );
        }
        assert!(!holds(b' ') && !holds(b'=') && !holds(b'"') && !holds(b':'));
    }

    proptest::proptest! {
        /// Every byte of an escape but its last is one `holds` tells.
        #[test]
        fn holds_every_byte_of_an_escape_but_its_last(
            s in proptest::collection::vec(proptest::sample::select(
                b"\\ntrfvuUxe%#0123579aAbBcCfF;[?mK\x1b".to_vec()), 0..30)
        ) {
            let n = len(&s);
            proptest::prop_assert!(n == 0 || s[..n - 1].iter().all(|&b| holds(b)));
        }
    }

    #[test]
    fn an_escape_ends_before_exactly_where_it_ends() {
        for (hay, at, want) in [
            (&b"ab\\n0812"[..], 4, true),
            (b"ab\\n0812", 3, false),
            (b"\\u00220812", 6, true),
            (b"x%3D0812", 4, true),
            (b"x%2B0812", 4, false),
            (b"#0110812", 4, true),
            (b"\x1b[1;33meyJ", 7, true),
            (b"\x1b[1;33meyJ", 6, false),
            (b"[33meyJ", 4, false),
            (b"n0812", 1, false),
            (b"", 0, false),
        ] {
            assert_eq!(
                ends_before(hay, at),
                want,
                "{:?} {at}",
                String::from_utf8_lossy(hay)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn ends_before_is_len_read_back(
            pre in proptest::collection::vec(proptest::sample::select(
                b"\\ntrux%#0123aAbB;[m\x1b".to_vec()), 0..12),
            esc in proptest::sample::select(vec![
                &b"\\n"[..], b"\\u00a0", b"\\x2b", b"%3D", b"#012", b"\x1b[m", b"\x1b[1;31m",
            ]),
        ) {
            let hay = [&pre[..], esc].concat();
            proptest::prop_assert!(ends_before(&hay, hay.len()));
        }
    }

    #[test]
    fn the_scan_finds_each_escape() {
        let hay = b"a\\\"b %40 %2B62 \\n1 #0xy \x1b[1;31mx %20 #011 \\u0022";
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(p) = next(hay, at, hay.len()) {
            found.push(p);
            at = p + 1;
        }
        assert_eq!(found, [15, 24, 33, 37, 42]);
        assert_eq!(next(hay, 0, 15), None);
        assert_eq!(next(hay, 16, 30), Some(24));
    }

    #[test]
    fn the_scan_finds_look_alikes_and_passes_over_other_characters() {
        let hay = "“a” … 4526\u{a0}0181 é 0812\u{2013}3456 ０ x\u{200b}y".as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(p) = next(hay, at, hay.len()) {
            found.push(p);
            at = p + 1;
        }
        let nbsp = hay
            .windows(2)
            .position(|w| w == "\u{a0}".as_bytes())
            .unwrap();
        let dash = hay
            .windows(3)
            .position(|w| w == "\u{2013}".as_bytes())
            .unwrap();
        let zero = hay.windows(3).position(|w| w == "０".as_bytes()).unwrap();
        let zw = hay
            .windows(3)
            .position(|w| w == "\u{200b}".as_bytes())
            .unwrap();
        assert_eq!(found, [nbsp, dash, zero, zw]);
    }

    #[test]
    fn an_escaped_at_sign_reads_as_itself() {
        for (s, want) in [
            (&b"\\u0040gmail"[..], Some((6, b'@'))),
            (b"\\x40gmail", Some((4, b'@'))),
            (b"\\U00000040x", Some((10, b'@'))),
            (b"\\u0041", None),
            (b"\\x4", None),
            (b"%40x", None),
            (b"\\u0020x", Some((6, b' '))),
        ] {
            assert_eq!(reading(s), want, "{:?}", String::from_utf8_lossy(s));
        }
        assert_eq!(next(b"budi\\u0040gmail.com", 0, 19), Some(4));
        assert_eq!(next(b"a\\u0041 b", 0, 10), None);
    }

    proptest::proptest! {
        /// The scan answers what reading each position in turn would.
        #[test]
        fn the_scan_is_the_first_reading(
            hay in proptest::collection::vec(proptest::sample::select(
                b"\\n%20#011\x1b[m \xc2\xa0\xe2\x80\x93\x9c\xef\xbc\x90ax4u".to_vec()), 0..40),
            from in 0usize..40,
            bound in 0usize..48,
        ) {
            let end = bound.min(hay.len());
            let naive = (from..end).find(|&p| reading(&hay[p..]).is_some());
            proptest::prop_assert_eq!(next(&hay, from, bound), naive);
        }
    }
}
