//! Unicode characters that stand for an ASCII blank, hyphen, digit or sign.
//!
//! Text pasted into a chat from a word processor or a phone carries a no-break space or an
//! en dash between a number's groups (`4526 0181…`, `0812–3456–7890`), an input method may
//! type full-width digits (`０８１２…`), and a zero-width space can sit inside a number
//! unseen (it is read as a blank, as an escape is: read as nothing it would glue words
//! into tokens the text does not hold). The patterns are ASCII, so to them such a number is a few short runs of digits.
//! [`read`] says which ASCII byte one of these characters stands for; [`crate::view`] reads
//! the text around them with that byte in their place.

/// The first bytes of the characters [`read`] knows, for memchr3.
pub(crate) const FIRST: [u8; 3] = [0xC2, 0xE2, 0xEF];

/// What a character is read as: its length in bytes, and the ASCII byte it stands for.
pub(crate) type Reading = (usize, u8);

/// The character at the start of `s` (UTF-8) that stands for an ASCII byte, read (a
/// zero-width one as a blank).
#[inline]
pub(crate) fn read(s: &[u8]) -> Option<Reading> {
    let byte = match *s {
        // No-break space, soft hyphen (invisible unless a line breaks there).
        [0xC2, 0xA0, ..] | [0xC2, 0xAD, ..] => b' ',
        // U+2000..U+200A: the typographic spaces (figure, thin, hair, …).
        [0xE2, 0x80, 0x80..=0x8A, ..] => b' ',
        // U+200B..U+200D: zero-width space, non-joiner, joiner.
        [0xE2, 0x80, 0x8B..=0x8D, ..] => b' ',
        // U+2010..U+2013: hyphen, non-breaking hyphen, figure dash, en dash.
        [0xE2, 0x80, 0x90..=0x93, ..] => b'-',
        // U+202F narrow no-break space, U+205F medium mathematical space.
        [0xE2, 0x80, 0xAF, ..] | [0xE2, 0x81, 0x9F, ..] => b' ',
        // U+2060 word joiner.
        [0xE2, 0x81, 0xA0, ..] => b' ',
        // U+2212 minus sign.
        [0xE2, 0x88, 0x92, ..] => b'-',
        // U+FEFF zero-width no-break space (a byte-order mark inside a line).
        [0xEF, 0xBB, 0xBF, ..] => b' ',
        // Full-width forms: `＋` `－` `．`, the digits `０`..`９`, `：` and `＠`.
        [0xEF, 0xBC, 0x8B, ..] => b'+',
        [0xEF, 0xBC, 0x8D, ..] => b'-',
        [0xEF, 0xBC, 0x8E, ..] => b'.',
        [0xEF, 0xBC, d @ 0x90..=0x99, ..] => b'0' + (d - 0x90),
        [0xEF, 0xBC, 0x9A, ..] => b':',
        [0xEF, 0xBC, 0xA0, ..] => b'@',
        // U+FE63 small hyphen-minus.
        [0xEF, 0xB9, 0xA3, ..] => b'-',
        _ => return None,
    };
    let len = if s[0] == 0xC2 { 2 } else { 3 };
    Some((len, byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings() {
        let cases: &[(&str, Option<Reading>)] = &[
            ("\u{a0}1", Some((2, b' '))),
            ("\u{ad}1", Some((2, b' '))),
            ("\u{2007}1", Some((3, b' '))),
            ("\u{2009}1", Some((3, b' '))),
            ("\u{200b}1", Some((3, b' '))),
            ("\u{2011}1", Some((3, b'-'))),
            ("\u{2013}1", Some((3, b'-'))),
            ("\u{202f}1", Some((3, b' '))),
            ("\u{2060}1", Some((3, b' '))),
            ("\u{2212}1", Some((3, b'-'))),
            ("\u{feff}1", Some((3, b' '))),
            ("\u{ff0b}", Some((3, b'+'))),
            ("\u{ff10}", Some((3, b'0'))),
            ("\u{ff19}", Some((3, b'9'))),
            ("\u{ff20}", Some((3, b'@'))),
            ("\u{ff1a}", Some((3, b':'))),
            ("\u{fe63}", Some((3, b'-'))),
            // Not separators: an em dash, curly quotes, an ellipsis, `é`, full-width `Ａ`.
            ("\u{2014}1", None),
            ("\u{201c}1", None),
            ("\u{2026}", None),
            ("\u{e9}", None),
            ("\u{ff21}", None),
            ("1", None),
            ("", None),
        ];
        for &(s, want) in cases {
            assert_eq!(read(s.as_bytes()), want, "{s:?}");
        }
        // A cut character reads as nothing.
        assert_eq!(read(&[0xE2, 0x80]), None);
        assert_eq!(read(&[0xC2]), None);
    }
}
