//! Long bounded repetitions made unbounded, for patterns whose search length is capped.
//!
//! A pattern like a JWT's (`eyJ[A-Za-z0-9_-]{5,8000}\.…`) compiles its bounded repetitions
//! into one automaton state per repetition: tens of thousands of states, which cost most of
//! the pack's start-up and fill the lazy DFA's cache while a long token is walked. Such a
//! pattern starts with a literal, so its search is anchored at the literal and its span can
//! be capped at the pattern's longest match. Within that cap, `C{n,m}` may be compiled as
//! `C{n,}` without losing a match, when the repetition is greedy, it is on the pattern's
//! spine (concatenations and groups from the root, no alternation or repetition around it),
//! and no byte of `C` can come right after it. Then the repetition always takes the whole
//! run of `C` bytes where it stands (or as much of it as the cap allows): a match of the
//! original is a match of the lifted form with the same end, or a longer one when a run
//! after a repetition at the end runs past `m`; the lifted form also matches text whose
//! runs are longer than `m`, which the original rejects (a token longer than the pattern
//! expected is redacted, not left whole).

use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

use crate::prefilter::{class_set, ByteSet};

/// Repetitions with an upper bound above this are lifted; shorter ones cost little.
const LIFT_ABOVE: u32 = 64;

/// `hir` with its liftable long repetitions unbounded (see the module docs), or `None`
/// when there is none. The caller must cap each search at the original's longest match.
pub(crate) fn lift_long_repetitions(hir: &Hir) -> Option<Hir> {
    let mut lifted = 0;
    let out = lift(hir, &ByteSet::default(), &mut lifted);
    (lifted > 0).then_some(out)
}

fn lift(hir: &Hir, follow: &ByteSet, lifted: &mut usize) -> Hir {
    match hir.kind() {
        HirKind::Concat(items) => {
            let mut rest = *follow;
            let mut out: Vec<Hir> = items
                .iter()
                .rev()
                .map(|item| {
                    let new = lift(item, &rest, lifted);
                    let (first, empty) = first_bytes(item);
                    rest = if empty { first.union(&rest) } else { first };
                    new
                })
                .collect();
            out.reverse();
            Hir::concat(out)
        }
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(lift(&cap.sub, follow, lifted)),
        }),
        HirKind::Repetition(rep) if rep.greedy && rep.max.is_some_and(|m| m > LIFT_ABOVE) => {
            match rep.sub.kind() {
                HirKind::Class(class) if class_set(class).is_disjoint(follow) => {
                    *lifted += 1;
                    Hir::repetition(Repetition {
                        min: rep.min,
                        max: None,
                        greedy: true,
                        sub: rep.sub.clone(),
                    })
                }
                _ => hir.clone(),
            }
        }
        _ => hir.clone(),
    }
}

/// The bytes a match of `hir` can start with, and whether it can match the empty string
/// (look-around assertions match empty and consume nothing).
pub(crate) fn first_bytes(hir: &Hir) -> (ByteSet, bool) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (ByteSet::default(), true),
        HirKind::Literal(lit) => {
            let mut set = ByteSet::default();
            match lit.0.first() {
                Some(&b) => set.insert(b),
                None => return (set, true),
            }
            (set, false)
        }
        HirKind::Class(class) => (class_set(class), false),
        HirKind::Capture(cap) => first_bytes(&cap.sub),
        HirKind::Repetition(rep) => {
            let (set, empty) = first_bytes(&rep.sub);
            (set, empty || rep.min == 0)
        }
        HirKind::Concat(items) => {
            let mut set = ByteSet::default();
            for item in items {
                let (first, empty) = first_bytes(item);
                set = set.union(&first);
                if !empty {
                    return (set, false);
                }
            }
            (set, true)
        }
        HirKind::Alternation(alts) => {
            let mut set = ByteSet::default();
            let mut any_empty = false;
            for alt in alts {
                let (first, empty) = first_bytes(alt);
                set = set.union(&first);
                any_empty |= empty;
            }
            (set, any_empty)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::parse_hir;

    fn lifted(regex: &str) -> Option<String> {
        lift_long_repetitions(&parse_hir(regex).unwrap()).map(|h| h.to_string())
    }

    #[test]
    fn lifts_only_runs_that_nothing_after_them_can_continue() {
        // Each run ends at a `.` (not in the class) or at the end.
        let jwt = lifted(r"eyJ[a-z_]{5,1500}\.eyJ[a-z_]{5,8000}\.[a-z_]{0,1400}").unwrap();
        assert!(!jwt.contains("1500") && !jwt.contains("8000") && !jwt.contains("1400"));
        assert!(jwt.contains("{5,}") && jwt.contains('*'), "{jwt}");
        // Through an optional item and out of a group: `=` is not in the class.
        let bearer = lifted(r"bearer[ ]{1,8}(?P<v>[A-Za-z0-9]{8,2048}={0,2})").unwrap();
        assert!(
            bearer.contains("{8,}") && bearer.contains("{1,8}"),
            "{bearer}"
        );
        // A `.` may follow: the run's length decides where the match ends. Not lifted.
        assert_eq!(lifted(r"abc[a-z.]{1,100}\.x"), None);
        assert_eq!(lifted(r"abc[a-z]{1,100}(?:[0-9]?[a-c])"), None);
        // Inside an alternation, a lifted branch could win where a later one won before.
        assert_eq!(lifted(r"abc(?:[a-z]{1,100}|[0-9]{1,3})"), None);
        // Short and lazy repetitions stay.
        assert_eq!(lifted(r"abc[a-z]{1,64}"), None);
        assert_eq!(lifted(r"abc[a-z]{1,100}?"), None);
    }
}
