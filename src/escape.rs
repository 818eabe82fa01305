//! Separators written as escapes right before an identifier.
//!
//! Logs often hold a blank or a line break as text that ends in a letter or a digit: a
//! literal `\n` or `\t` in a logfmt message or a flattened stack trace, `\u0022` and `\x20`
//! in escaped payloads, `%20` and `%3D` in query strings, rsyslog's `#011` for a tab, and a
//! terminal colour code (`ESC[33m`). To a word boundary the identifier after one is glued to
//! a word (`msg="Data:\n081234567890"`), and it went out raw.
//!
//! A pattern's start boundary written `(?:\b|_)` (a word boundary, or the `_` that joins a
//! value to a key) also takes one such escape, in a copy of the pattern: [`widen`] rewrites
//! the idiom in its syntax tree. The engine searches the widened copies of the main
//! automaton's patterns as one more group, only from each escape on ([`next`] finds them
//! with memchr), so that the main automaton keeps its states (widened there, it cost the
//! mixed corpus a fifth more instructions). [`len`] tells how many bytes at a match's start
//! are the escape, so that they stay out of the redacted span, and [`ends_before`] lets a
//! group that starts from a literal (`eyJ`) look before it. The regex and [`len`] are kept
//! in step by a test.

use std::sync::OnceLock;

use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

use crate::detector::parse_hir;
use crate::prefilter::{ByteSet, Scanner, Shape};

/// The start boundary idiom of the pattern files.
const BOUNDARY: &str = r"(?:\b|_)";

/// The idiom with the escapes added. `#` is escaped for patterns in `(?x)` mode, and the
/// escapes are case-sensitive whatever the pattern's flags (`\N` is no line break). A hex
/// code is that of a control, a blank, punctuation or a digit (`%20`, `\u0022`, `%3D`) or
/// of the no-break space (`\u00a0`), never of a letter; a `+` only in a backslash escape
/// (`%2B62…` is a phone number's own `+`, which the phone pattern reads). A colour code
/// starts with ESC, so that its states stay out of the automaton's walk over text without
/// one (read from its `[` it made `[09:14]` and every `[` and `;` before digits a state of
/// its own: a fifth more instructions on the mixed corpus).
const WIDENED: &str = concat!(r"(?:\b|_|", escapes!(), ")");

/// A plain word boundary at a sequence's start, widened alike.
const WORD_WIDENED: &str = concat!(r"(?:\b|", escapes!(), ")");

/// The escapes of [`WIDENED`] as one group.
macro_rules! escapes {
    () => {
        concat!(
            r"(?-i:",
            r"\\[ntr]",
            r"|(?:\\u00|\\x)[0-3Aa][0-9A-Fa-f]",
            r"|%(?:[013Aa][0-9A-Fa-f]|2[0-9AC-Fac-f])",
            r"|\#0[0-3][0-7]",
            r"|\x1B\[[0-9;]{0,24}m",
            r")"
        )
    };
}
use escapes;

/// The longest escape [`WIDENED`] takes (a colour code with all its parameters).
pub(crate) const MAX_LEN: usize = COLOUR_PARAMS + 3;

/// The bytes an escape of [`WIDENED`] starts with.
pub(crate) const FIRST: ByteSet = ByteSet::of(b"\\%#\x1b");

/// The scanner of the group of widened patterns (`shapes`: theirs as written): from each
/// escape, the run of their alphabet and the escapes' after it.
pub(crate) fn scanner(shapes: &[&Shape]) -> Scanner {
    Scanner::Escapes {
        alphabet: shapes.iter().fold(ALPHABET, |a, s| a.union(&s.alphabet)),
        min_len: shapes.iter().map(|s| s.min_len).min().unwrap_or(0).max(1),
    }
}

/// Every byte an escape of [`WIDENED`] may hold.
const ALPHABET: ByteSet = ByteSet::of(b"\\ntrux%#;[m\x1b0123456789ABCDEFabcdef");

/// Where the first escaped separator in `hay[from..bound]` starts (it may end past `bound`).
/// Its first bytes are found with memchr; most of them (`\"`, `%40`) start none.
pub(crate) fn next(hay: &[u8], from: usize, bound: usize) -> Option<usize> {
    let bound = bound.min(hay.len());
    // ESC, a fourth first byte, is looked for on its own: colour codes are rarer still.
    let esc_from = |at: usize| memchr::memchr(0x1b, &hay[at..bound]).map_or(bound, |p| at + p);
    let mut at = from;
    let mut esc = esc_from(at);
    while at < bound {
        if esc < at {
            esc = esc_from(at);
        }
        let common = memchr::memchr3(b'\\', b'%', b'#', &hay[at..bound]).map_or(bound, |p| at + p);
        let hit = common.min(esc);
        if hit < bound && len(&hay[hit..]) > 0 {
            return Some(hit);
        }
        at = hit + 1;
    }
    None
}

/// `hir` (a pattern parsed with [`parse_hir`]) with its start boundary idioms widened to
/// take an escaped separator, or `None` when it has none. An idiom that ends a sequence (the
/// regex, a group, a branch) is an end boundary and is kept: a match never ends in an
/// escape, and the automaton's states only grew with it. (Rewritten in the syntax tree:
/// parsing each widened regex again cost a tenth of the start-up.)
pub(crate) fn widen(hir: &Hir) -> Option<Hir> {
    let forms = FORMS
        .get_or_init(|| {
            Some(Forms {
                idiom: parse_hir(BOUNDARY).ok()?,
                wide: parse_hir(&format!("(?x){WIDENED}")).ok()?,
                word: parse_hir(r"\b").ok()?,
                word_wide: parse_hir(&format!("(?x){WORD_WIDENED}")).ok()?,
            })
        })
        .as_ref()?;
    let mut changed = false;
    let out = rewrite(hir, forms, &mut changed);
    changed.then_some(out)
}

/// The boundaries [`widen`] rewrites and what it writes for them.
struct Forms {
    idiom: Hir,
    wide: Hir,
    /// A plain word boundary, widened only where a sequence starts with it (`\b` before an
    /// IPv6 or MAC address, a cue word).
    word: Hir,
    word_wide: Hir,
}

static FORMS: OnceLock<Option<Forms>> = OnceLock::new();

fn rewrite(hir: &Hir, forms: &Forms, changed: &mut bool) -> Hir {
    let mut again = |h: &Hir| rewrite(h, forms, changed);
    match hir.kind() {
        HirKind::Concat(parts) => {
            let last = parts.len() - 1;
            let mut out = Vec::with_capacity(parts.len());
            for (k, part) in parts.iter().enumerate() {
                if k < last && part == &forms.idiom {
                    out.push(forms.wide.clone());
                    *changed = true;
                } else if k == 0 && part == &forms.word {
                    out.push(forms.word_wide.clone());
                    *changed = true;
                } else {
                    out.push(rewrite(part, forms, changed));
                }
            }
            Hir::concat(out)
        }
        HirKind::Alternation(branches) => Hir::alternation(branches.iter().map(again).collect()),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(again(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(again(&c.sub)),
            ..c.clone()
        }),
        _ => hir.clone(),
    }
}

/// How many bytes at the start of `s` are an escaped separator of [`WIDENED`] (0 if none).
pub(crate) fn len(s: &[u8]) -> usize {
    // `plus`: the code of `+` (2B) is one.
    let code = |a: u8, b: u8, plus: bool| {
        b.is_ascii_hexdigit()
            && match a {
                b'0' | b'1' | b'3' | b'A' | b'a' => true,
                b'2' => plus || !matches!(b, b'B' | b'b'),
                _ => false,
            }
    };
    let coded = |lead: usize, plus: bool| match s.get(lead..lead + 2) {
        Some(&[a, b]) if code(a, b, plus) => lead + 2,
        _ => 0,
    };
    match s {
        [b'\\', b'n' | b't' | b'r', ..] => 2,
        [b'\\', b'u', b'0', b'0', ..] => coded(4, true),
        [b'\\', b'x', ..] => coded(2, true),
        [b'%', ..] => coded(1, false),
        [b'#', b'0', b'0'..=b'3', b'0'..=b'7', ..] => 4,
        [0x1b, b'[', rest @ ..] => {
            let params = rest
                .iter()
                .take(COLOUR_PARAMS)
                .take_while(|&&b| b.is_ascii_digit() || b == b';')
                .count();
            match rest.get(params) {
                Some(b'm') => params + 3,
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// Most parameter bytes of a colour code ([`WIDENED`]'s `{0,24}`: `38;5;208`, `1;4;31`, a
/// true colour's `38;2;255;100;0`).
const COLOUR_PARAMS: usize = 24;

/// Does an escaped separator of [`WIDENED`] end right before `at` in `hay`?
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
    use regex_automata::meta::Regex;
    use regex_automata::{Anchored, Input};

    fn escapes() -> &'static Regex {
        static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
        RE.get_or_init(|| {
            // The widened idiom without its first two branches: the escapes alone.
            let only = WIDENED.replacen(r"\b|_|", "", 1);
            Regex::builder()
                .syntax(crate::detector::syntax_config())
                .build(&format!("(?x){only}"))
                .unwrap()
        })
    }

    fn regex_len(re: &Regex, s: &[u8]) -> usize {
        re.find(Input::new(s).anchored(Anchored::Yes))
            .map_or(0, |m| m.end())
    }

    #[test]
    fn the_regex_and_the_trim_agree() {
        let re = escapes();
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
            (b"\x1b[K0812", 0),
            (b"\x1b[0812", 0),
            (b"[33m0812", 0),
            (b"\x1b[38;2;255;100;0m0812", 17),
            (b"\x1b[111111111111111111111111m", 27),
            (b"\x1b[1111111111111111111111111m", 0),
            (b"0812", 0),
            (b"", 0),
        ];
        for &(s, want) in cases {
            let show = String::from_utf8_lossy(s);
            assert_eq!(len(s), want, "{show:?}");
            assert_eq!(regex_len(re, s), want, "{show:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn any_bytes_trim_as_the_regex_matches(
            s in proptest::collection::vec(proptest::sample::select(
                b"\\ntrNux%#0123789aAbBcCfFgm;[\x1b".to_vec()), 0..24)
        ) {
            let n = len(&s);
            proptest::prop_assert_eq!(n, regex_len(escapes(), &s));
            proptest::prop_assert!(s[..n].iter().all(|&b| ALPHABET.contains(b)));
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
    fn escapes_start_with_first_and_fit_max_len() {
        for b in 0..=255u8 {
            let forms: [&[u8]; 5] = [
                &[b, b'n'],
                &[b, b'2', b'0'],
                &[b, b'0', b'1', b'1'],
                &[b, b'[', b'm'],
                &[b, b'u', b'0', b'0', b'2', b'0'],
            ];
            assert_eq!(FIRST.contains(b), forms.iter().any(|f| len(f) > 0), "{b}");
        }
        assert_eq!(len(b"\x1b[38;2;255;100;0;48;5;21;1m"), MAX_LEN);
        assert_eq!(len(b"\x1b[38;2;255;100;0;48;5;21;1;m"), 0);
    }

    #[test]
    fn only_start_idioms_are_widened() {
        let w = |re: &str| widen(&parse_hir(re).unwrap());
        let text = |re: &str| parse_hir(re).unwrap();
        assert_eq!(w(r"x\b[0-9]{4}\b"), None);
        assert_eq!(w(r"[0-9]{4}(?:\b|_)"), None);
        assert_eq!(
            w(r"\b[0-9]{4}\b"),
            Some(text(&format!(r"(?x) {WORD_WIDENED} [0-9]{{4}} \b")))
        );
        assert_eq!(
            w(r"(?x) (?:\b|_) [0-9]{4} (?:\b|_)"),
            Some(text(&format!(r"(?x) {WIDENED} [0-9]{{4}} (?:\b|_)")))
        );
        assert_eq!(
            w(r"(?x) (?: \+ 62 | (?:\b|_) 0 ) (?P<v> (?:\b|_) [0-9]{9} ) (?:\b|_)"),
            Some(text(&format!(
                r"(?x) (?: \+ 62 | {WIDENED} 0 ) (?P<v> {WIDENED} [0-9]{{9}} ) (?:\b|_)"
            )))
        );
    }
}
