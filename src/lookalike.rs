//! Unicode characters that stand for an ASCII blank, hyphen, digit or sign.
//!
//! Text pasted into a chat from a word processor or a phone carries a no-break space or an
//! en dash between a number's groups (`4526 0181…`, `0812–3456–7890`), an input method may
//! type full-width digits (`０８１２…`), and a zero-width space can sit inside a number
//! unseen. The patterns are ASCII, so to them such a number is a few short runs of digits.
//! [`read`] says which ASCII byte one of these characters stands for; [`crate::view`] reads
//! the text around them with that byte in their place.

/// The first bytes of the characters [`read`] knows, for memchr3.
pub(crate) const FIRST: [u8; 3] = [0xC2, 0xE2, 0xEF];

/// What a character is read as: its length in bytes, and the ASCII byte it stands for
/// (`None`: nothing, a zero-width character).
pub(crate) type Reading = (usize, Option<u8>);

/// The character at the start of `s` (UTF-8) that stands for an ASCII byte, read.
#[inline]
pub(crate) fn read(s: &[u8]) -> Option<Reading> {
    let byte = match *s {
        // No-break space, soft hyphen (invisible unless a line breaks there).
        [0xC2, 0xA0, ..] => Some(b' '),
        [0xC2, 0xAD, ..] => None,
        // U+2000..U+200A: the typographic spaces (figure, thin, hair, …).
        [0xE2, 0x80, 0x80..=0x8A, ..] => Some(b' '),
        // U+200B..U+200D: zero-width space, non-joiner, joiner.
        [0xE2, 0x80, 0x8B..=0x8D, ..] => None,
        // U+2010..U+2013: hyphen, non-breaking hyphen, figure dash, en dash.
        [0xE2, 0x80, 0x90..=0x93, ..] => Some(b'-'),
        // U+202F narrow no-break space, U+205F medium mathematical space.
        [0xE2, 0x80, 0xAF, ..] | [0xE2, 0x81, 0x9F, ..] => Some(b' '),
        // U+2060 word joiner.
        [0xE2, 0x81, 0xA0, ..] => None,
        // U+2212 minus sign.
        [0xE2, 0x88, 0x92, ..] => Some(b'-'),
        // U+FEFF zero-width no-break space (a byte-order mark inside a line).
        [0xEF, 0xBB, 0xBF, ..] => None,
        // Full-width forms: `＋` `－` `．` and the digits `０`..`９`, `＠`.
        [0xEF, 0xBC, 0x8B, ..] => Some(b'+'),
        [0xEF, 0xBC, 0x8D, ..] => Some(b'-'),
        [0xEF, 0xBC, 0x8E, ..] => Some(b'.'),
        [0xEF, 0xBC, d @ 0x90..=0x99, ..] => Some(b'0' + (d - 0x90)),
        [0xEF, 0xBC, 0xA0, ..] => Some(b'@'),
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
            ("\u{a0}1", Some((2, Some(b' ')))),
            ("\u{ad}1", Some((2, None))),
            ("\u{2007}1", Some((3, Some(b' ')))),
            ("\u{2009}1", Some((3, Some(b' ')))),
            ("\u{200b}1", Some((3, None))),
            ("\u{2011}1", Some((3, Some(b'-')))),
            ("\u{2013}1", Some((3, Some(b'-')))),
            ("\u{202f}1", Some((3, Some(b' ')))),
            ("\u{2060}1", Some((3, None))),
            ("\u{2212}1", Some((3, Some(b'-')))),
            ("\u{feff}1", Some((3, None))),
            ("\u{ff0b}", Some((3, Some(b'+')))),
            ("\u{ff10}", Some((3, Some(b'0')))),
            ("\u{ff19}", Some((3, Some(b'9')))),
            ("\u{ff20}", Some((3, Some(b'@')))),
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
