//! Word boundaries that stand right before a byte of known kind, compiled as the
//! look-behind they are.
//!
//! `\b` looks both ways: at the previous byte and at the next. In a lazy DFA a look at the
//! next byte is resolved when that byte is read, by computing the state's whole set of
//! NFA states again with the assertion now known (regex-automata's determinizer does
//! this for every transition out of a state that holds such an assertion). Nearly every
//! pattern of the pack starts with `\b` or `(?:\b|_)`, and the main automaton searches
//! unanchored, so every state it builds held those assertions and paid for its set twice
//! (building states was a fifth of the instructions on 20 MB of JSON lines; this took 4-8 %
//! off the bench corpora's instructions).
//!
//! When a byte certainly follows the boundary and that byte is a word byte (`\b[0-9]`,
//! `\b(?i:rek)`), `\b` holds exactly when the previous byte is not a word byte (or there is
//! none): `\b{start-half}`, a pure look-behind, which the determinizer settles when the
//! state is built. `\B` before a byte that is not a word byte is the same look-behind. The
//! language does not change; only how the automaton learns the answer.

use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};

use crate::lift::first_bytes;
use crate::prefilter::ByteSet;

/// `hir` with each boundary that a known byte follows turned into a look-behind (see the
/// module docs).
pub(crate) fn behind_boundaries(hir: Hir) -> Hir {
    rewrite(hir, None, &word_bytes())
}

/// `[0-9A-Za-z_]`, the bytes an ASCII `\b` calls word bytes.
fn word_bytes() -> ByteSet {
    let mut set = ByteSet::default();
    set.insert_range(b'0', b'9');
    set.insert_range(b'A', b'Z');
    set.insert_range(b'a', b'z');
    set.insert(b'_');
    set
}

/// `follow`: a set of bytes one of which certainly comes right after `hir`'s match (`None`
/// when the match may be followed by any byte or by the end of the text). A part without
/// a boundary is given back as it is (rebuilding a syntax tree allocates at every node).
fn rewrite(hir: Hir, follow: Option<ByteSet>, word: &ByteSet) -> Hir {
    let looks = hir.properties().look_set();
    if !looks.contains(Look::WordAscii) && !looks.contains(Look::WordAsciiNegate) {
        return hir;
    }
    match hir.into_kind() {
        HirKind::Look(Look::WordAscii) if follow.is_some_and(|f| f.is_subset(word)) => {
            Hir::look(Look::WordStartHalfAscii)
        }
        HirKind::Look(Look::WordAsciiNegate) if follow.is_some_and(|f| f.is_disjoint(word)) => {
            Hir::look(Look::WordStartHalfAscii)
        }
        HirKind::Look(look) => Hir::look(look),
        HirKind::Concat(items) => {
            let mut rest = follow;
            let mut out: Vec<Hir> = items
                .into_iter()
                .rev()
                .map(|item| {
                    let (first, empty) = first_bytes(&item);
                    let new = rewrite(item, rest, word);
                    rest = if empty {
                        rest.map(|r| first.union(&r))
                    } else {
                        Some(first)
                    };
                    new
                })
                .collect();
            out.reverse();
            Hir::concat(out)
        }
        HirKind::Alternation(alts) => {
            Hir::alternation(alts.into_iter().map(|a| rewrite(a, follow, word)).collect())
        }
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name,
            sub: Box::new(rewrite(*cap.sub, follow, word)),
        }),
        HirKind::Repetition(rep) => {
            // After one round comes another round or what follows the repetition.
            let after = match rep.max {
                Some(1) => follow,
                _ => follow.map(|f| f.union(&first_bytes(&rep.sub).0)),
            };
            Hir::repetition(Repetition {
                min: rep.min,
                max: rep.max,
                greedy: rep.greedy,
                sub: Box::new(rewrite(*rep.sub, after, word)),
            })
        }
        // Not reached: these hold no boundary (see the look set above).
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Empty => Hir::empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::parse_hir;

    fn rewritten(regex: &str) -> String {
        behind_boundaries(parse_hir(regex).unwrap()).to_string()
    }

    #[test]
    fn boundaries_before_a_word_byte_look_behind() {
        for (regex, want) in [
            (r"\b[0-9]{4}", r"\b{start-half}[0-9]{4}"),
            // The boundary at the end has no byte after it: it stays.
            (r"\b[0-9]{4}\b", r"\b{start-half}[0-9]{4}\b"),
            (r"(?:\b|_)[0-9]", r"(?:\b{start-half}|_)[0-9]"),
            (
                r"(?i:\b(?:rek|no))x",
                r"\b{start-half}(?:[Rr][Ee][Kk]|[Nn][Oo])x",
            ),
            (r"(?:\bab)+", r"(?:\b{start-half}ab)+"),
            (r"\b(?:ab)?[0-9]", r"\b{start-half}(?:ab)?[0-9]"),
            // `\B` before a byte that is not a word byte is the same look-behind.
            (r"\B-p", r"\b{start-half}-p"),
            // An optional group's boundary, and a digit after it either way.
            (r"(?:\b|x)?[0-9]", r"(?:\b{start-half}|x)?[0-9]"),
        ] {
            assert_eq!(normal(&rewritten(regex)), normal(want), "{regex}");
        }
    }

    #[test]
    fn boundaries_with_no_certain_word_byte_after_them_stay() {
        for regex in [
            r"\b",
            r"[a-z]+\b",
            r"\bx?",
            r"\b(?:-x|y)",
            r"\b\.",
            r"\B[0-9]",
            // A round may be followed by another, which may start with `-`.
            r"(?:\b|-)*[0-9]",
        ] {
            assert_eq!(
                rewritten(regex),
                parse_hir(regex).unwrap().to_string(),
                "{regex}"
            );
        }
    }

    /// A regex as the syntax tree prints it, so that two spellings can be compared.
    fn normal(regex: &str) -> String {
        parse_hir(regex).unwrap().to_string()
    }
}
