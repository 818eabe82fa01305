//! Where a pattern's value group starts, without a capture search, when the value ends the
//! match (`bearer[ \t]{1,8}(?P<v>…)`).
//!
//! If no byte the value can hold can end what comes before it, the value is exactly the
//! match's longest suffix of bytes from the value's alphabet: the value lies inside that
//! suffix, and the byte just before the value (the context's last byte) is outside it.
//! Else, if no byte the value can start with is anywhere in what comes before it (blanks
//! between a cue word and a number), the value starts at the first such byte of that
//! suffix. The capture search this replaces ran the bounded backtracker, whose visited set
//! (NFA states times span) was cleared for every match: on a log of Bearer tokens a third
//! of the time.

use regex_syntax::hir::{Hir, HirKind};

use crate::prefilter::{alphabet, class_set, ByteSet};

/// A pattern whose value group `v` is its last consuming part, split from its context by
/// the bytes the value can hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValueTail {
    alphabet: ByteSet,
    /// The bytes the value can start with, when the context may end with value bytes.
    first: Option<ByteSet>,
}

impl ValueTail {
    /// The split of a pattern's regex, if its value ends it and is set apart by its bytes.
    pub(crate) fn of(hir: &Hir) -> Option<ValueTail> {
        let HirKind::Concat(parts) = hir.kind() else {
            return None;
        };
        let consuming = |h: &Hir| !matches!(h.kind(), HirKind::Look(_) | HirKind::Empty);
        let at = parts.iter().rposition(consuming)?;
        let HirKind::Capture(cap) = parts[at].kind() else {
            return None;
        };
        if cap.name.as_deref() != Some("v") {
            return None;
        }
        let before = last_bytes(&parts[..at])?;
        let alphabet = alphabet(&cap.sub);
        if before.is_disjoint(&alphabet) {
            return Some(ValueTail {
                alphabet,
                first: None,
            });
        }
        let first = edge(&cap.sub, Side::First);
        let context = parts[..at].iter().fold(ByteSet::default(), |acc, h| {
            acc.union(&crate::prefilter::alphabet(h))
        });
        context.is_disjoint(&first).then_some(ValueTail {
            alphabet,
            first: Some(first),
        })
    }

    /// Where the value starts in the match `s..e`.
    #[inline]
    pub(crate) fn start(&self, hay: &[u8], s: usize, e: usize) -> usize {
        let from = hay[s..e]
            .iter()
            .rposition(|&b| !self.alphabet.contains(b))
            .map_or(s, |i| s + i + 1);
        match &self.first {
            None => from,
            Some(first) => hay[from..e]
                .iter()
                .position(|&b| first.contains(b))
                .map_or(e, |i| from + i),
        }
    }
}

/// Which end of a match [`edge`] reads.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    First,
    Last,
}

/// The bytes a match of the sequence `parts` can end with, or `None` if it can be empty.
fn last_bytes(parts: &[Hir]) -> Option<ByteSet> {
    edge_of_sequence(parts.iter().rev(), Side::Last)
}

/// The bytes at the `side` end of a match of the sequence `parts` (given from that end), or
/// `None` if the sequence can be empty.
fn edge_of_sequence<'a>(parts: impl Iterator<Item = &'a Hir>, side: Side) -> Option<ByteSet> {
    let mut set = ByteSet::default();
    for part in parts {
        set = set.union(&edge(part, side));
        if part.properties().minimum_len().is_some_and(|n| n > 0) {
            return Some(set);
        }
    }
    None
}

/// Every byte a match of `hir` can start or end with (a superset is fine: it only turns
/// the fast path off, or finds the same start).
fn edge(hir: &Hir, side: Side) -> ByteSet {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => ByteSet::default(),
        HirKind::Literal(lit) => {
            let mut set = ByteSet::default();
            let b = match side {
                Side::First => lit.0.first(),
                Side::Last => lit.0.last(),
            };
            if let Some(&b) = b {
                set.insert(b);
            }
            set
        }
        HirKind::Class(class) => class_set(class),
        HirKind::Capture(cap) => edge(&cap.sub, side),
        HirKind::Repetition(rep) => edge(&rep.sub, side),
        HirKind::Concat(parts) => match side {
            Side::First => edge_of_sequence(parts.iter(), side),
            Side::Last => edge_of_sequence(parts.iter().rev(), side),
        }
        .unwrap_or_else(|| alphabet(hir)),
        HirKind::Alternation(subs) => subs
            .iter()
            .fold(ByteSet::default(), |acc, s| acc.union(&edge(s, side))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::parse_hir;

    fn tail(regex: &str) -> Option<ValueTail> {
        ValueTail::of(&parse_hir(regex).unwrap())
    }

    #[test]
    fn a_value_set_apart_by_its_bytes_ends_the_match() {
        let t = tail(r"(?i)\bbearer[\x20\t]{1,8}(?P<v>[A-Za-z0-9._~+/-]{8,64}={0,2})").unwrap();
        let hay = b"Authorization: Bearer  abc.DEF-123== ok";
        // The match as the regex reports it: from `Bearer` to the padding.
        assert_eq!(t.start(hay, 15, 36), 23);
        assert_eq!(&hay[23..36], b"abc.DEF-123==");
        // Optional context before the value counts with what it follows.
        let t = tail(r#"aws.{0,4}[:=][\x20]{0,4}["']?(?P<v>[A-Za-z0-9/+]{4})"#).unwrap();
        assert_eq!(t.start(b"aws: 'AbC9", 0, 10), 6);
        assert_eq!(t.start(b"aws=AbC9", 0, 8), 4);
        let t = tail(r"(?i)\b(?:otp|pin)\b[^\n@0-9]{0,24}?(?P<v>[0-9]{4,8})").unwrap();
        assert_eq!(t.start(b"OTP 1234", 0, 8), 4);
        assert_eq!(t.start(b"pin1234", 0, 7), 3);
    }

    #[test]
    fn no_split_when_the_value_is_not_set_apart() {
        // The context can end with a byte the value holds.
        assert!(tail(r"key[a-z0-9]{0,4}=?(?P<v>[a-z0-9]{8})").is_none());
        assert!(tail(r"id(?P<v>[0-9]{8})").is_some());
        assert!(tail(r"id(?P<v>[a-z0-9]{8})").is_none());
        // Something follows the value.
        assert!(tail(r"://(?P<v>[^@]{1,8}:[^@]{1,8})@").is_none());
        // The value is not the group named `v`, or there is nothing before it.
        assert!(tail(r"id (?P<w>[0-9]{8})").is_none());
        assert!(tail(r"(?P<v>[0-9]{8})").is_none());
        assert!(tail(r"x?(?P<v>[0-9]{8})").is_none());
        // A look-around after the value does not consume.
        assert!(tail(r"id (?P<v>[0-9]{8})\b").is_some());
        // Blanks end the context and are value bytes: the value starts with a digit, and
        // the context has none.
        assert!(tail(r"id\x20{0,3}(?P<v>[0-9](?:\x20?[0-9]){7})").is_some());
        assert!(tail(r"id2\x20{0,3}(?P<v>[0-9](?:\x20?[0-9]){7})").is_none());
        assert!(tail(r"id\x20{0,3}(?P<v>\x20?[0-9](?:\x20?[0-9]){7})").is_none());
    }

    #[test]
    fn a_value_after_blanks_starts_at_its_first_byte() {
        let t = tail(
            r"(?i)\bnpwp[\x20\t]{0,3}:?[\x20\t]{0,3}(?P<v>[0-9](?:[\x20\t.\-]{0,3}[0-9]){14,15})",
        )
        .unwrap();
        let hay = b"x NPWP :  0925 4294 3407 000";
        assert_eq!(t.start(hay, 2, hay.len()), 10);
        let hay = b"npwp\t0925.4294.3407.000";
        assert_eq!(t.start(hay, 0, hay.len()), 5);
    }
}
