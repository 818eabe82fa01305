//! What happens to a finding: label, mask, partial, keyed hash, or remove.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::detector::ValueKind;
use crate::error::Error;

/// How a finding is rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Action {
    /// `[EMAIL]`, `[PHONE]`, ... (the default).
    #[default]
    Label,
    /// Same length; letters and digits become `*`, separators stay.
    Mask,
    /// Like `mask`, but keeps the last four letters/digits, or an email's domain.
    Partial,
    /// `[EMAIL:9f2c41d0]`: HMAC-SHA256 of the normalised value under the user's key.
    Hash,
    /// Nothing is written.
    Remove,
}

impl FromStr for Action {
    type Err = Error;
    fn from_str(s: &str) -> Result<Action, Error> {
        Ok(match s {
            "label" => Action::Label,
            "mask" => Action::Mask,
            "partial" => Action::Partial,
            "hash" => Action::Hash,
            "remove" => Action::Remove,
            _ => return Err(Error::UnknownAction(s.to_string())),
        })
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Label => "label",
            Action::Mask => "mask",
            Action::Partial => "partial",
            Action::Hash => "hash",
            Action::Remove => "remove",
        })
    }
}

/// Keyed pseudonyms: HMAC-SHA256 under a user key. The key is set up once; each token
/// clones the keyed state (no allocation).
#[derive(Clone)]
pub struct Hasher {
    mac: Hmac<Sha256>,
    key_id: String,
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hasher")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Hasher {
    /// Key the hasher. Surrounding whitespace (a trailing newline in a key file) is ignored.
    pub fn new(key: &[u8]) -> Result<Hasher, Error> {
        let key = key.trim_ascii();
        if key.is_empty() {
            return Err(Error::EmptyHashKey);
        }
        let mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| Error::EmptyHashKey)?;
        let mut id = mac.clone();
        id.update(b"samar key id");
        let key_id = hex8(&id.finalize().into_bytes());
        Ok(Hasher {
            mac,
            key_id: String::from_utf8_lossy(&key_id).into_owned(),
        })
    }

    /// A short public id of the key (not secret), for reports: lets operators see which key
    /// produced a set of tokens when keys rotate.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The 8 hex characters of the token for `canonical` found by detector `detector`.
    pub fn token(&self, detector: &str, canonical: &[u8]) -> [u8; 8] {
        let mut mac = self.mac.clone();
        mac.update(detector.as_bytes());
        mac.update(&[0]);
        mac.update(canonical);
        hex8(&mac.finalize().into_bytes())
    }
}

fn hex8(bytes: &[u8]) -> [u8; 8] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 8];
    for (i, b) in bytes.iter().take(4).enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 15)];
    }
    out
}

/// The normalised form a hash is taken over, written into `buf` (cleared first).
pub fn canonical(kind: ValueKind, value: &[u8], buf: &mut Vec<u8>) {
    buf.clear();
    // Digits as ASCII, also those written as look-alikes (full-width `０８１２…`).
    let digits = |v: &[u8], buf: &mut Vec<u8>| {
        buf.extend(units(v).filter_map(|(_, _, d)| d.filter(u8::is_ascii_digit)));
    };
    match kind {
        ValueKind::Email | ValueKind::Text | ValueKind::Secret | ValueKind::Ip => {
            buf.extend(value.iter().map(u8::to_ascii_lowercase));
        }
        ValueKind::Digits => digits(value, buf),
        ValueKind::Phone => {
            let (intl, rest) = match value {
                [b'%', b'2', b'b' | b'B', rest @ ..] => (true, rest),
                _ => (
                    value.contains(&b'+') || value.starts_with("＋".as_bytes()),
                    value,
                ),
            };
            digits(rest, buf);
            // National forms to international: 0062.. -> 62.., 0.. -> 62.., 620.. -> 62..
            if buf.starts_with(b"0062") {
                buf.drain(..2);
            } else if buf.first() == Some(&b'0') && !intl {
                buf[0] = b'2';
                buf.insert(0, b'6');
            }
            if buf.starts_with(b"620") {
                buf.remove(2);
            }
        }
    }
}

/// The characters of `value` for the masks: (start, length, the data it holds: the ASCII
/// letter or digit it is or stands for, `*` for any other letter outside ASCII; `None` for
/// punctuation and the blanks and dashes of other scripts, which the masks keep). A byte
/// that starts no UTF-8 character is one of data.
fn units(value: &[u8]) -> impl Iterator<Item = (usize, usize, Option<u8>)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let &b = value.get(i)?;
        let (len, data) = if b.is_ascii() {
            (1, b.is_ascii_alphanumeric().then_some(b))
        } else if let Some((len, read)) = crate::lookalike::read(&value[i..]) {
            (len, Some(read).filter(u8::is_ascii_alphanumeric))
        } else {
            let len = match b {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            };
            let whole = value
                .get(i + 1..i + len)
                .is_some_and(|rest| rest.iter().all(|&c| c & 0xC0 == 0x80));
            (if whole { len } else { 1 }, Some(b'*'))
        };
        let unit = (i, len, data);
        i += len;
        Some(unit)
    })
}

/// Mask the letters and digits of `value[masked]` with `*` (one for each character, also
/// outside ASCII: full-width digits, accented letters); everything else is kept.
pub fn mask_into(value: &[u8], masked: Range<usize>, out: &mut Vec<u8>) {
    for (i, len, data) in units(value) {
        match data {
            Some(_) if masked.contains(&i) => out.push(b'*'),
            _ => out.extend_from_slice(&value[i..i + len]),
        }
    }
}

/// What `partial` masks: an email's local part, an IP's host part (IPv4 keeps /24, IPv6 the
/// first three groups), else all but the last four letters/digits (all of a value with
/// fewer than eight).
pub fn partial_mask(kind: ValueKind, value: &[u8]) -> Range<usize> {
    match kind {
        ValueKind::Email => {
            let at = value
                .iter()
                .rposition(|&b| b == b'@')
                .or_else(|| {
                    value
                        .windows(5)
                        .rposition(|w| w.eq_ignore_ascii_case(b"%2540"))
                })
                .or_else(|| {
                    value
                        .windows(3)
                        .rposition(|w| w.eq_ignore_ascii_case(b"%40"))
                });
            0..at.unwrap_or(value.len())
        }
        ValueKind::Ip => {
            let sep = if value.contains(&b':') { b':' } else { b'.' };
            let net_end = value
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == sep)
                .nth(2)
                .map_or(0, |(i, _)| i + 1);
            net_end..value.len()
        }
        ValueKind::Secret => 0..value.len(),
        ValueKind::Phone | ValueKind::Digits | ValueKind::Text => {
            let data = || units(value).filter(|u| u.2.is_some());
            let n = data().count();
            if n < 8 {
                return 0..value.len();
            }
            // Up to the fourth last character of data.
            data().nth(n - 4).map_or(0..value.len(), |u| 0..u.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_canonical_forms_agree() {
        let mut a = Vec::new();
        let mut forms = Vec::new();
        for v in [
            "(0812) 3456 7890",
            "0812-3456-7890",
            "+62 812 3456 7890",
            "+62 (0)812 3456 7890",
            "6281234567890",
            "0062 812 3456 7890",
            "%2B6281234567890",
        ] {
            canonical(ValueKind::Phone, v.as_bytes(), &mut a);
            forms.push(String::from_utf8(a.clone()).unwrap());
        }
        assert!(forms.iter().all(|f| f == "6281234567890"), "{forms:?}");
    }

    #[test]
    fn partial_and_mask() {
        let cases: &[(ValueKind, &str, &str)] = &[
            (ValueKind::Phone, "0812-3456-7890", "****-****-7890"),
            (ValueKind::Email, "budi.s@mail.co.id", "****.*@mail.co.id"),
            (ValueKind::Email, "budi%40mail.co.id", "****%40mail.co.id"),
            (ValueKind::Ip, "203.0.113.255", "203.0.113.***"),
            (
                ValueKind::Ip,
                "2001:db8:85a3::8a2e:370:7334",
                "2001:db8:85a3::****:***:****",
            ),
            (ValueKind::Ip, "::1", "::*"),
            // Four or fewer letters/digits kept of a short value would reveal it: mask it whole.
            (ValueKind::Digits, "12", "**"),
            (ValueKind::Secret, "Rahasia123", "**********"),
            // One `*` for each character outside ASCII too; other scripts' blanks and
            // dashes are kept, as ASCII ones are.
            (
                ValueKind::Phone,
                "０８１２３４５６７８９０",
                "********７８９０",
            ),
            (
                ValueKind::Phone,
                "0812\u{2013}3456\u{a0}7890",
                "****\u{2013}****\u{a0}7890",
            ),
            (ValueKind::Email, "bùdi@mail.co.id", "****@mail.co.id"),
            (ValueKind::Digits, "4526\u{200b}0181", "****\u{200b}0181"),
        ];
        for (kind, value, want) in cases {
            let mut out = Vec::new();
            mask_into(
                value.as_bytes(),
                partial_mask(*kind, value.as_bytes()),
                &mut out,
            );
            assert_eq!(String::from_utf8(out).unwrap(), *want, "{kind:?} {value}");
        }
    }

    #[test]
    fn look_alike_digits_are_digits_to_the_mask_and_the_hash() {
        let mut out = Vec::new();
        mask_into("hp ０８１２".as_bytes(), 0..100, &mut out);
        assert_eq!(out, b"** ****");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        canonical(
            ValueKind::Phone,
            "０８１２３４５６７８９０".as_bytes(),
            &mut a,
        );
        canonical(ValueKind::Phone, b"081234567890", &mut b);
        assert_eq!(a, b"6281234567890");
        assert_eq!(a, b);
        canonical(
            ValueKind::Phone,
            "＋６２８１２３４５６７８９０".as_bytes(),
            &mut a,
        );
        assert_eq!(a, b);
        canonical(ValueKind::Digits, "3273\u{a0}0117".as_bytes(), &mut a);
        assert_eq!(a, b"32730117");
        // A cut character is one byte of data.
        out.clear();
        mask_into(b"\xE2\x80x", 0..3, &mut out);
        assert_eq!(out, b"***");
    }

    #[test]
    fn hash_is_keyed_and_stable() {
        let h1 = Hasher::new(b"k1\n").unwrap();
        let h2 = Hasher::new(b"k2").unwrap();
        assert_eq!(
            h1.token("email", b"a@b.co"),
            Hasher::new(b"k1").unwrap().token("email", b"a@b.co")
        );
        assert_ne!(h1.token("email", b"a@b.co"), h2.token("email", b"a@b.co"));
        assert_ne!(h1.token("email", b"a@b.co"), h1.token("email", b"c@b.co"));
        assert!(Hasher::new(b" \n").is_err());
        assert_eq!(h1.key_id().len(), 8);
    }
}
