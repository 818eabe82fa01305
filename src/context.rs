//! Context rules around a candidate: token boundaries and keywords. They look at most
//! [`LEFT_CONTEXT`] bytes before and [`RIGHT_CONTEXT`] bytes after a candidate, never across
//! a newline in a way that could differ between a batch start and a line start.

use crate::detector::Boundary;

/// Bytes before a candidate that context rules may read (keywords, dash-joined tokens).
pub const LEFT_CONTEXT: usize = 96;
/// Bytes after a candidate that context rules may read.
pub const RIGHT_CONTEXT: usize = 48;
/// How far before a candidate a keyword may start.
pub const KEYWORD_WINDOW: usize = 32;
/// How far before a candidate an exclude keyword may start.
pub const EXCLUDE_WINDOW: usize = 12;
const HEX_RUN: usize = 32;

#[inline]
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Letters and digits join a token; `_` does not (`3273…_ktp.jpg`, `hp_0812…` are found).
#[inline]
fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Patterns with the token rule may take one `_` on either side (a regex cannot say "after
/// an underscore" without consuming it); it is not part of the value.
#[inline]
pub fn trim_underscores(hay: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    if e - s > 1 && hay[s] == b'_' {
        s += 1;
    }
    if e - s > 1 && hay[e - 1] == b'_' {
        e -= 1;
    }
    (s, e)
}

/// Is the candidate `hay[s..e]` a whole token under `rule`? `m` is where its match starts
/// (before `s` when the candidate is a value after a cue).
#[inline]
pub fn boundary_ok(rule: Boundary, hay: &[u8], m: usize, s: usize, e: usize) -> bool {
    match rule {
        Boundary::None => true,
        Boundary::Option => m
            .checked_sub(1)
            .is_none_or(|i| matches!(hay[i], b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'')),
        Boundary::AfterNumber => number_before(hay, m),
        // A match that starts with a percent-encoded byte of its own (`saya%2B62…`, a `+`)
        // starts its token whatever comes before it.
        Boundary::Token if hay[s] == b'%' => token_ok(&hay[s..], 0, e - s),
        Boundary::Token => token_ok(hay, s, e),
        Boundary::Ipv6 => {
            let before = s.checked_sub(1).map(|i| hay[i]);
            // A ':' right after is punctuation ("…::1: refused") unless more address follows.
            let after = match hay.get(e).copied() {
                Some(b':') => hay.get(e + 1).copied().filter(|&b| is_word(b) || b == b':'),
                other => other,
            };
            // A ':' right before is a key's separator (`host:2001:db8::1`) when the word
            // before it cannot be an address group (it has a non-hex letter, or more than 4).
            let before_ok = match before {
                Some(b':') => key_before_colon(hay, s - 1),
                Some(b) => !(is_word(b) || b == b'.'),
                None => true,
            };
            before_ok && !after.is_some_and(|b| is_word(b) || b == b':')
        }
    }
}

/// Digits a number before a cue needs ([`Boundary::AfterNumber`]): an account number's
/// fewest.
const NUMBER_DIGITS: usize = 8;

/// Do one to three blanks, and before them a number of [`NUMBER_DIGITS`] digits or more,
/// end right before `m`? The number's groups may be apart by one space, `-` or `.`
/// (`123 456 7890`, `0123-01-012345-50-1`). It reads no further back than
/// [`LEFT_CONTEXT`].
fn number_before(hay: &[u8], m: usize) -> bool {
    let lo = m.saturating_sub(LEFT_CONTEXT);
    let mut i = m;
    while i > lo && m - i < 3 && matches!(hay[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == m || i == lo || !hay[i - 1].is_ascii_digit() {
        return false;
    }
    let mut digits = 0;
    while i > lo {
        match hay[i - 1] {
            b'0'..=b'9' => digits += 1,
            b' ' | b'-' | b'.' if i - 1 > lo && hay[i - 2].is_ascii_digit() => {}
            _ => break,
        }
        if digits == NUMBER_DIGITS {
            return true;
        }
        i -= 1;
    }
    false
}

/// Is the word that ends at the `:` at `colon` no IPv6 group (a key such as `host`)?
fn key_before_colon(hay: &[u8], colon: usize) -> bool {
    let mut n = 0;
    let mut i = colon;
    while i > 0 && is_word(hay[i - 1]) {
        if n == 4 || !hay[i - 1].is_ascii_hexdigit() {
            return true;
        }
        n += 1;
        i -= 1;
    }
    false
}

/// Digits inside a longer alphanumeric token, a dash-joined hex token (UUIDs, hashes) or a
/// dotted number (versions, OIDs) are not identifiers of their own. `_` separates.
fn token_ok(hay: &[u8], s: usize, e: usize) -> bool {
    if s > 0 {
        let b = hay[s - 1];
        if is_alnum(b) {
            return false;
        }
        if b == b'.' && s >= 2 && hay[s - 2].is_ascii_digit() {
            return false;
        }
        if b == b'-' && hex_token_before(hay, s - 1) {
            return false;
        }
    }
    if let Some(&b) = hay.get(e) {
        if is_alnum(b) {
            return false;
        }
        if b == b'.' && hay.get(e + 1).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        if b == b'-' && hex_token_after(hay, e + 1) {
            return false;
        }
    }
    true
}

/// Is `hay[..dash]` ended by a dash-joined run of whole hex tokens that holds a digit and a
/// letter (`3f2504e0-`, `…-9a0c-0850-`)? Tokens of digits alone are numbers of their own
/// (`081234567890-081298765432` is two phone numbers).
fn hex_token_before(hay: &[u8], dash: usize) -> bool {
    let (mut digit, mut letter) = (false, false);
    let mut end = dash;
    for _ in 0..HEX_TOKENS {
        let lo = end.saturating_sub(HEX_RUN);
        let mut i = end;
        while i > lo && hay[i - 1].is_ascii_hexdigit() {
            digit |= hay[i - 1].is_ascii_digit();
            letter |= hay[i - 1].is_ascii_alphabetic();
            i -= 1;
        }
        if i == end || (i > 0 && is_alnum(hay[i - 1])) {
            return false;
        }
        if digit && letter {
            return true;
        }
        match i.checked_sub(1) {
            Some(d) if hay[d] == b'-' => end = d,
            _ => return false,
        }
    }
    false
}

/// Does `hay[from..]` start with a dash-joined run of whole hex tokens that holds a digit
/// and a letter (`-4f89`, `-0a1b2c`, `-0850-8eecfb236959`)?
fn hex_token_after(hay: &[u8], from: usize) -> bool {
    let (mut digit, mut letter) = (false, false);
    let mut start = from;
    for _ in 0..HEX_TOKENS {
        let hi = (start + HEX_RUN).min(hay.len());
        let mut i = start;
        while i < hi && hay[i].is_ascii_hexdigit() {
            digit |= hay[i].is_ascii_digit();
            letter |= hay[i].is_ascii_alphabetic();
            i += 1;
        }
        if i == start || hay.get(i).is_some_and(|&b| is_alnum(b)) {
            return false;
        }
        if digit && letter {
            return true;
        }
        match hay.get(i) {
            Some(b'-') => start = i + 1,
            _ => return false,
        }
    }
    false
}

/// Most tokens of a dash-joined hex run read for a letter (a UUID has five).
const HEX_TOKENS: usize = 5;

/// Does one of `keywords` (lowercase ASCII) start in the `width` bytes before `s` on the
/// same line (a pattern's window; [`KEYWORD_WINDOW`] by default, at most [`LEFT_CONTEXT`])?
pub fn keyword_before(hay: &[u8], s: usize, width: usize, keywords: &[Box<[u8]>]) -> bool {
    keyword_within(hay, s, width.min(LEFT_CONTEXT), keywords)
}

/// A pattern's keyword window before `s` under its boundary `rule`: `width` bytes, but for
/// an option not past the end of the command before it (`;`, `|`, `&`): the command's name
/// is the option's own.
pub fn keyword_window(rule: Boundary, hay: &[u8], s: usize, width: usize) -> usize {
    let lo = s.saturating_sub(width);
    match rule {
        Boundary::Option => match memchr::memrchr3(b';', b'|', b'&', &hay[lo..s]) {
            Some(i) => s - (lo + i + 1),
            None => width,
        },
        _ => width,
    }
}

/// Does one of `keywords` occur in the [`EXCLUDE_WINDOW`] bytes before `s` on the same line?
pub fn excluded_before(hay: &[u8], s: usize, keywords: &[Box<[u8]>]) -> bool {
    keyword_within(hay, s, EXCLUDE_WINDOW, keywords)
}

/// A keyword that starts with a blank (`" ic "`: not `traffic`) matches after any byte that
/// is no letter or digit, and at the start of the line (`IC 900817…`). A window that starts
/// at the buffer's start starts a line: a batch starts at a line start, and a later window
/// of a long line has more context before it than any keyword window.
fn keyword_within(hay: &[u8], s: usize, width: usize, keywords: &[Box<[u8]>]) -> bool {
    let lo = s.saturating_sub(width);
    let mut window = &hay[lo..s];
    let mut line_start = lo == 0;
    if let Some(nl) = memchr::memrchr(b'\n', window) {
        window = &window[nl + 1..];
        line_start = true;
    }
    keywords.iter().any(|k| match k.strip_prefix(b" ") {
        // The word after any byte that is no letter or digit (`(IC `, `\tIC `, `"ic:`).
        Some(word) => occurrences(window, word).any(|i| match i.checked_sub(1) {
            Some(p) => !window[p].is_ascii_alphanumeric(),
            None => line_start || lo + i > 0 && !hay[lo - 1].is_ascii_alphanumeric(),
        }),
        None => occurrences(window, k).next().is_some(),
    })
}

/// Where the lowercase `word` occurs in `window`, ignoring ASCII case: the places of its
/// first byte in either case (memchr), each compared in full.
pub(crate) fn occurrences<'a>(
    window: &'a [u8],
    word: &'a [u8],
) -> impl Iterator<Item = usize> + 'a {
    let (first, rest) = match word.split_first() {
        Some((&f, rest)) => (f, rest),
        None => (0, &[][..]),
    };
    let last = window.len().saturating_sub(word.len());
    let ends = if word.is_empty() || word.len() > window.len() {
        &window[..0]
    } else {
        &window[..=last]
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), ends)
        .filter(move |&i| window[i + 1..i + word.len()].eq_ignore_ascii_case(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_rules() {
        let t = |h: &str, s: usize, e: usize| token_ok(h.as_bytes(), s, e);
        assert!(t("x 123 y", 2, 5));
        assert!(!t("a123 y", 1, 4));
        assert!(!t("x 123b", 2, 5));
        assert!(!t("1.123 y", 2, 5));
        assert!(!t("x 123.4", 2, 5));
        assert!(t("x 123.", 2, 5));
        assert!(!t("3f2504e0-123 y", 9, 12));
        assert!(t("ID-123 y", 3, 6));
        assert!(t("HP-123 y", 3, 6));
        assert!(!t("x 123-4f89 y", 2, 5));
        assert!(t("x 123-ok", 2, 5));
        assert!(t("ktp_123_x", 4, 7));
        assert_eq!(trim_underscores(b"a_123_b", 1, 6), (2, 5));
        assert_eq!(trim_underscores(b"_", 0, 1), (0, 1));
    }

    #[test]
    fn an_option_follows_a_blank_and_its_keywords_its_own_command() {
        let h = b"mysql -u r -pX; ps --pid=1 -pY";
        assert!(boundary_ok(Boundary::Option, h, 11, 13, 14));
        assert!(!boundary_ok(Boundary::Option, h, 20, 21, 22));
        // `-pX` reads back to the line start; `-pY` only to the `;` before `ps`.
        assert_eq!(keyword_window(Boundary::Option, h, 13, 96), 96);
        assert_eq!(keyword_window(Boundary::Option, h, 29, 96), 14);
        assert_eq!(keyword_window(Boundary::Token, h, 29, 96), 96);
    }

    #[test]
    fn a_cue_after_a_number_follows_eight_digits_and_blanks() {
        let ok = |h: &str| {
            let m = h.find("an").unwrap();
            boundary_ok(Boundary::AfterNumber, h.as_bytes(), m, m + 3, h.len())
        };
        assert!(ok("1234567890 an Budi"));
        assert!(ok("12345678\t an Budi"));
        assert!(ok("rek 123 456 7890 an Budi"));
        assert!(ok("0123-01-012345-50-1  an Budi"));
        assert!(ok("25.000.000 an Budi"));
        assert!(ok("1234 5678 an Budi"));
        // Too few digits, no blank, too many blanks, a letter glued to the number, the
        // line's start.
        assert!(!ok("paid 25000 an hour"));
        assert!(!ok("1234567890an Budi"));
        assert!(!ok("1234567890    an Budi"));
        assert!(!ok("x1234567 an Budi"));
        assert!(!ok("an Budi"));
        // Two separators in a row end the number.
        assert!(!ok("1234  5678 an Budi"));
    }

    #[test]
    fn keywords_stay_on_the_line() {
        let kw: Vec<Box<[u8]>> = vec![b"npwp".to_vec().into()];
        let h = b"NPWP: 123";
        assert!(keyword_before(h, 6, KEYWORD_WINDOW, &kw));
        let h = b"npwp\n123";
        assert!(!keyword_before(h, 5, KEYWORD_WINDOW, &kw));
        let h = b"npwp and a very long text before it 123";
        assert!(!keyword_before(h, 36, KEYWORD_WINDOW, &kw));
        // A pattern's wider window, never wider than the left context.
        assert!(keyword_before(h, 36, 40, &kw));
        let far = [b"npwp".as_slice(), &[b' '; 100], b"123"].concat();
        assert!(!keyword_before(&far, 104, 1000, &kw));
        // A leading blank: a word start, or the line's start.
        let kw: Vec<Box<[u8]>> = vec![b" ic ".to_vec().into()];
        assert!(keyword_before(b"IC 900817", 3, KEYWORD_WINDOW, &kw));
        assert!(keyword_before(
            b"x
ic 900817",
            5,
            KEYWORD_WINDOW,
            &kw
        ));
        assert!(keyword_before(b"my ic 900817", 6, KEYWORD_WINDOW, &kw));
        assert!(!keyword_before(b"traffic 900817", 8, KEYWORD_WINDOW, &kw));
        assert!(!keyword_before(b"xic 900817", 4, KEYWORD_WINDOW, &kw));
        assert!(keyword_before(b"(ic 900817", 4, KEYWORD_WINDOW, &kw));
        assert!(keyword_before(b"a\tic 900817", 5, KEYWORD_WINDOW, &kw));
        // Any case, up to the window's last byte; a window shorter than the keyword.
        let kw: Vec<Box<[u8]>> = vec![b"npwp".to_vec().into()];
        assert!(keyword_before(b"xNpWp123", 5, KEYWORD_WINDOW, &kw));
        assert!(!keyword_before(b"xNpWp123", 4, KEYWORD_WINDOW, &kw));
        assert!(!keyword_before(b"npw123", 3, KEYWORD_WINDOW, &kw));
        assert!(!keyword_before(b"nPWx npwq", 9, KEYWORD_WINDOW, &kw));
    }
}
