//! Where a pattern can match, derived from its regex, so that patterns which make the one
//! automaton slow can be searched only where they can match.
//!
//! From each pattern's syntax tree we compute its [`Shape`]:
//! - the *alphabet*: every byte a match can consume (look-arounds consume none), so a match
//!   lies inside one maximal run of alphabet bytes;
//! - the *minimum length* of a match;
//! - a *required set*: bytes of which every match holds at least one, chosen to be rare in
//!   logs (`@` or `%` for an email).
//!
//! A pattern whose alphabet holds letters and whose matches can start on a letter (so that
//! in an unanchored automaton every word is a possible start, and every position in a word a
//! state of its own) and that has a rare required set goes to a side group: its regions are
//! the runs of its alphabet around each rare byte (found with memchr). A pattern whose matches may be long (a token of up to
//! thousands of bytes) and that starts with a literal (a cue word, `eyJ`) gets a group of its
//! own, searched over all the text by a regex that skips to its literal: in the one automaton
//! its counted repetition multiplies with every other pattern's partial matches, and on long
//! random tokens the lazy DFA spent its time building states it never met again (5 MB of
//! JWTs and Bearer tokens took 15 s). Everything else stays in the main automaton, which runs
//! over all the text. A pattern that starts with a long run of word bytes but holds no rare
//! byte, only one of a few literals of three bytes or more (`budi [at] gmail [dot] com`,
//! `siti et yahoo titik co titik id`), goes to a side group whose regions are the runs of its
//! alphabet around each of those literals (every ASCII case spelling of them, found with
//! regex-automata's literal prefilter: Teddy).
//! Nothing here is written for one detector: a new pattern file gets its grouping from its
//! regex.

use regex_automata::util::prefilter::Prefilter;
use regex_automata::{MatchKind, Span};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Longest match (bytes) a pattern in the main automaton may have when it also starts with a
/// literal; a longer one gets a group of its own (see the module docs).
const LONG_MATCH: usize = 256;

/// Most literals in a pattern's set of inner literals (see [`Shape::inner`]), and most
/// spellings of them all (Teddy's limit).
const MAX_LITERALS: usize = 64;

/// Shortest inner literal worth searching for.
const MIN_LITERAL: usize = 3;

/// A run of word bytes at a match's start at least this long makes every word position a
/// state of the main automaton.
const LONG_WORD_START: u32 = 8;

/// A set of bytes.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub(crate) struct ByteSet([u64; 4]);

impl ByteSet {
    pub(crate) const ALL: ByteSet = ByteSet([u64::MAX; 4]);

    pub(crate) fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    pub(crate) fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }

    #[inline]
    pub(crate) fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    pub(crate) fn union(&self, other: &ByteSet) -> ByteSet {
        let mut u = *self;
        for (a, b) in u.0.iter_mut().zip(other.0) {
            *a |= b;
        }
        u
    }

    pub(crate) fn is_disjoint(&self, other: &ByteSet) -> bool {
        self.0.iter().zip(other.0).all(|(a, b)| a & b == 0)
    }

    pub(crate) fn is_subset(&self, other: &ByteSet) -> bool {
        self.0.iter().zip(other.0).all(|(a, b)| a & !b == 0)
    }

    /// The set's bytes in order (one step per byte in the set, not per possible byte:
    /// building the engine asks this of every class of every pattern).
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros();
                    bits &= bits - 1;
                    (w as u32 * 64 + b) as u8
                })
            })
        })
    }

    fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// How often bytes of this set turn up in logs, roughly (lower is rarer).
    fn cost(&self) -> u32 {
        self.bytes().map(frequency).sum()
    }
}

/// A rough frequency rank of a byte in logs and chat text.
fn frequency(b: u8) -> u32 {
    match b {
        b' ' => 60,
        b'a'..=b'z' | b'0'..=b'9' => 30,
        b'.' => 15,
        b'A'..=b'Z' | b'-' | b':' | b'/' | b'=' => 8,
        b'_' | b',' | b'"' | b'\t' => 4,
        0x80..=0xFF => 2,
        _ => 1,
    }
}

/// What a pattern's matches look like, as far as the filter cares.
#[derive(Clone, Debug)]
pub(crate) struct Shape {
    pub(crate) alphabet: ByteSet,
    pub(crate) min_len: usize,
    pub(crate) required: Option<ByteSet>,
    /// Longest match, when bounded.
    pub(crate) max_len: Option<usize>,
    /// Every match starts with one of a finite set of literals, none shorter than 3 bytes
    /// (a regex search can skip to them).
    pub(crate) literal_start: bool,
    /// The bytes a match can start with, from the prefix literals; all bytes when those are
    /// not a small finite set.
    pub(crate) first: ByteSet,
    /// Literals (ASCII lowercase; compare them case-insensitively) of which every match
    /// holds one, when there are few (see [`inner_literals`]); read only for a pattern
    /// that could go to the inner-literal group.
    pub(crate) inner: Option<Vec<Vec<u8>>>,
    /// A match can start with a long run of a class that holds letters (`[a-z0-9.]{1,64}`).
    long_word_start: bool,
}

impl Shape {
    pub(crate) fn of(hir: &Hir) -> Shape {
        let (alphabet, min_len, required) = walk(hir);
        // Only the first three bytes of each literal matter here (a literal start is one of
        // three bytes or more; `first` is their first bytes). Longer literals cost start-up,
        // and their combinations ran past the extractor's total limit on patterns that do
        // start with a few literals (it then gives up: no literal start).
        let prefixes = Extractor::new()
            .kind(ExtractKind::Prefix)
            .limit_literal_len(MIN_LITERAL)
            .extract(hir);
        let lits = prefixes.literals().filter(|lits| !lits.is_empty());
        let literal_start = lits.is_some_and(|lits| lits.iter().all(|l| l.len() >= 3));
        let first = match lits {
            Some(lits) if lits.iter().all(|l| !l.is_empty()) => {
                let mut set = ByteSet::default();
                lits.iter().for_each(|l| set.insert(l.as_bytes()[0]));
                set
            }
            _ => ByteSet::ALL,
        };
        let mut shape = Shape {
            alphabet,
            min_len,
            required,
            max_len: hir.properties().maximum_len(),
            literal_start,
            first,
            inner: None,
            long_word_start: long_word_start(hir),
        };
        // Only a pattern that could go to the inner-literal group needs its literals.
        if shape.long_word_start && !shape.literal_start && shape.side().is_none() {
            shape.inner = inner_literals(hir);
        }
        shape
    }

    /// A long pattern that starts with a literal: it gets a group of its own.
    fn alone(&self) -> bool {
        self.literal_start && self.max_len.is_none_or(|n| n > LONG_MATCH)
    }

    /// The required set, when the pattern belongs in a side group: its alphabet holds more
    /// than a few letters, a match can start on a letter, and the set is at most three rare
    /// bytes (punctuation such as `@`, `%` or `+`, or non-ASCII; never letters, digits,
    /// blanks or the usual separators).
    fn side(&self) -> Option<ByteSet> {
        let letters = self
            .alphabet
            .bytes()
            .filter(u8::is_ascii_alphabetic)
            .count();
        // A match that can only start on a few bytes that are no letters (`%B` of a card's
        // track) makes no word a start: it costs the main automaton little.
        let word_start = self.first.bytes().any(|b| b.is_ascii_alphabetic());
        self.required.filter(|r| {
            letters > 4 && word_start && r.len() <= 3 && r.bytes().all(|b| frequency(b) <= 2)
        })
    }

    /// The inner literals, when the pattern belongs in an inner-literal side group: no rare
    /// byte set, no literal start, but a long run of word bytes at its start and a few
    /// literals of [`MIN_LITERAL`] bytes or more, one of which every match holds.
    fn inner_side(&self) -> Option<&[Vec<u8>]> {
        if self.side().is_some() || self.literal_start || !self.long_word_start {
            return None;
        }
        self.inner
            .as_deref()
            .filter(|lits| lits.iter().all(|l| l.len() >= MIN_LITERAL) && spellings(lits).is_some())
    }
}

/// Every ASCII case spelling of `lits` (lowercase), when there are at most
/// [`MAX_LITERALS`].
fn spellings(lits: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for l in lits {
        let mut forms = vec![Vec::new()];
        for &b in l {
            let cases: &[u8] = if b.is_ascii_lowercase() {
                &[b, b.to_ascii_uppercase()]
            } else {
                &[b]
            };
            forms = product(&forms, &cases.iter().map(|&c| vec![c]).collect::<Vec<_>>())?;
        }
        for f in forms {
            push_new(&mut out, f);
        }
        if out.len() > MAX_LITERALS {
            return None;
        }
    }
    Some(out)
}

/// The strings `hir` matches (ASCII lowercased), when they are at most [`MAX_LITERALS`]:
/// literals, small classes, optional parts, and concatenations and alternations of those.
fn exact(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(lit) => Some(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Class(class) => {
            let mut lits = Vec::new();
            for b in class_set(class).bytes() {
                push_new(&mut lits, vec![b.to_ascii_lowercase()]);
                if lits.len() > 4 {
                    return None;
                }
            }
            Some(lits)
        }
        HirKind::Capture(cap) => exact(&cap.sub),
        HirKind::Repetition(rep) if rep.max == Some(1) && rep.min <= 1 => {
            let mut lits = exact(&rep.sub)?;
            if rep.min == 0 {
                push_new(&mut lits, Vec::new());
            }
            (lits.len() <= MAX_LITERALS).then_some(lits)
        }
        HirKind::Repetition(_) => None,
        HirKind::Concat(subs) => subs
            .iter()
            .try_fold(vec![Vec::new()], |acc, sub| product(&acc, &exact(sub)?)),
        HirKind::Alternation(subs) => {
            let mut lits = Vec::new();
            for sub in subs {
                for l in exact(sub)? {
                    push_new(&mut lits, l);
                }
                if lits.len() > MAX_LITERALS {
                    return None;
                }
            }
            Some(lits)
        }
    }
}

fn push_new(lits: &mut Vec<Vec<u8>>, l: Vec<u8>) {
    if !lits.contains(&l) {
        lits.push(l);
    }
}

/// Every string of `a` followed by every string of `b`, when there are at most
/// [`MAX_LITERALS`].
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len().saturating_mul(b.len()) > MAX_LITERALS {
        return None;
    }
    let mut out = Vec::new();
    for x in a {
        for y in b {
            push_new(&mut out, [x.as_slice(), y.as_slice()].concat());
        }
    }
    Some(out)
}

/// Literals (ASCII lowercased) of which every match of `hir` holds one: from its exact
/// strings, a run of parts of a concatenation with exact strings, or every branch of an
/// alternation. Of several such sets, the one whose shortest literal is longest (then the
/// smaller one).
pub(crate) fn inner_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(lits) = exact(hir).filter(|l| l.iter().all(|l| !l.is_empty())) {
        return Some(lits);
    }
    match hir.kind() {
        HirKind::Capture(cap) => inner_literals(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => inner_literals(&rep.sub),
        HirKind::Concat(subs) => {
            let exacts: Vec<Option<Vec<Vec<u8>>>> = subs.iter().map(exact).collect();
            let mut best = None;
            for (i, sub) in subs.iter().enumerate() {
                best = better(best, inner_literals(sub));
                let mut run = vec![Vec::new()];
                for next in &exacts[i..] {
                    let Some(lits) = next.as_ref().and_then(|e| product(&run, e)) else {
                        break;
                    };
                    run = lits;
                    if run.iter().all(|l| !l.is_empty()) {
                        best = better(best, Some(run.clone()));
                    }
                }
            }
            best
        }
        HirKind::Alternation(subs) => {
            let mut lits = Vec::new();
            for sub in subs {
                for l in inner_literals(sub)? {
                    push_new(&mut lits, l);
                }
            }
            (lits.len() <= MAX_LITERALS).then_some(lits)
        }
        _ => None,
    }
}

fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    let key = |l: &Vec<Vec<u8>>| {
        (
            l.iter().map(Vec::len).min().unwrap_or(0),
            std::cmp::Reverse(l.len()),
        )
    };
    match (a, b) {
        (Some(a), Some(b)) => Some(if key(&b) > key(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Can a match of `hir` start with a long run of a class that holds letters (see
/// [`LONG_WORD_START`])?
fn long_word_start(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Capture(cap) => long_word_start(&cap.sub),
        HirKind::Concat(subs) => subs
            .iter()
            .find(|s| !matches!(s.kind(), HirKind::Look(_)))
            .is_some_and(long_word_start),
        HirKind::Repetition(rep) => {
            rep.max.is_none_or(|m| m >= LONG_WORD_START)
                && matches!(rep.sub.kind(), HirKind::Class(c)
                    if class_set(c).bytes().any(|b| b.is_ascii_alphabetic()))
        }
        _ => false,
    }
}

/// (alphabet, minimum length, best required set) of `hir`.
fn walk(hir: &Hir) -> (ByteSet, usize, Option<ByteSet>) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (ByteSet::default(), 0, None),
        HirKind::Literal(lit) => {
            let mut set = ByteSet::default();
            for &b in lit.0.iter() {
                set.insert(b);
            }
            let best = lit
                .0
                .iter()
                .copied()
                .min_by_key(|&b| frequency(b))
                .map(|b| {
                    let mut r = ByteSet::default();
                    r.insert(b);
                    r
                });
            (set, lit.0.len(), best)
        }
        HirKind::Class(class) => {
            let set = class_set(class);
            (set, 1, Some(set))
        }
        HirKind::Capture(cap) => walk(&cap.sub),
        HirKind::Repetition(rep) => {
            let (set, len, req) = walk(&rep.sub);
            let min = usize::try_from(rep.min).unwrap_or(usize::MAX);
            (
                set,
                len.saturating_mul(min),
                if rep.min > 0 { req } else { None },
            )
        }
        HirKind::Concat(subs) => {
            let mut set = ByteSet::default();
            let mut len = 0usize;
            // The rarest required set, with its cost.
            let mut best: Option<(ByteSet, u32)> = None;
            for sub in subs {
                let (s, l, r) = walk(sub);
                set = set.union(&s);
                len = len.saturating_add(l);
                if let Some(r) = r {
                    let cost = r.cost();
                    if best.is_none_or(|(_, c)| cost < c) {
                        best = Some((r, cost));
                    }
                }
            }
            (set, len, best.map(|(r, _)| r))
        }
        HirKind::Alternation(subs) => {
            let mut set = ByteSet::default();
            let mut len = usize::MAX;
            let mut req = Some(ByteSet::default());
            for sub in subs {
                let (s, l, r) = walk(sub);
                set = set.union(&s);
                len = len.min(l);
                req = match (req, r) {
                    (Some(a), Some(b)) => Some(a.union(&b)),
                    _ => None,
                };
            }
            (set, if subs.is_empty() { 0 } else { len }, req)
        }
    }
}

/// Every byte a match of `hir` can hold.
pub(crate) fn alphabet(hir: &Hir) -> ByteSet {
    walk(hir).0
}

pub(crate) fn class_set(class: &Class) -> ByteSet {
    let mut set = ByteSet::default();
    match class {
        Class::Bytes(c) => {
            for r in c.iter() {
                set.insert_range(r.start(), r.end());
            }
        }
        Class::Unicode(c) => {
            for r in c.iter() {
                let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                if lo < 0x80 {
                    // Both ends are below 0x80 here, so the casts are exact.
                    set.insert_range(lo as u8, hi.min(0x7F) as u8);
                }
                if hi >= 0x80 {
                    set.insert_range(0x80, 0xFF);
                }
            }
        }
    }
    set
}

/// How a group finds the regions worth searching.
#[derive(Debug)]
pub(crate) enum Scanner {
    /// All of the text is one region.
    Everything,
    /// Every match lies in a run of `alphabet` bytes at least `min_len` long that holds one
    /// of the (at most three) rare `needles`; found with memchr.
    Rare {
        needles: Vec<u8>,
        alphabet: ByteSet,
        min_len: usize,
    },
    /// Every match lies in a run of `alphabet` bytes at least `min_len` long that holds one
    /// of the literals `finder` looks for.
    Literals {
        finder: Prefilter,
        alphabet: ByteSet,
        min_len: usize,
    },
}

/// A region to search: `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Scanner {
    /// Is there no region anywhere in `hay`: none of the rare bytes or literals every
    /// region holds? (`Everything` always has one.)
    pub(crate) fn absent_from(&self, hay: &[u8]) -> bool {
        match self {
            Scanner::Everything => false,
            Scanner::Rare { needles, .. } => match needles.as_slice() {
                [a] => memchr::memchr(*a, hay).is_none(),
                [a, b] => memchr::memchr2(*a, *b, hay).is_none(),
                [a, b, c] => memchr::memchr3(*a, *b, *c, hay).is_none(),
                _ => false,
            },
            Scanner::Literals { finder, .. } => {
                finder.find(hay, Span::from(0..hay.len())).is_none()
            }
        }
    }

    /// The first region that starts in `from..limit`; no region reaches past `bound`.
    pub(crate) fn next_region(
        &self,
        hay: &[u8],
        from: usize,
        limit: usize,
        bound: usize,
        max_len: usize,
    ) -> Option<Region> {
        let limit = limit.min(hay.len());
        let bound = bound.min(hay.len());
        if from >= limit {
            return None;
        }
        match self {
            // A region lies in `from..bound` (short JSON strings end here).
            Scanner::Rare { min_len, .. } | Scanner::Literals { min_len, .. }
                if bound.saturating_sub(from) < *min_len =>
            {
                None
            }
            Scanner::Everything => Some(Region {
                start: from,
                end: bound,
            }),
            Scanner::Rare {
                needles,
                alphabet,
                min_len,
            } => {
                let mut at = from;
                while at < bound {
                    let rest = &hay[at..bound];
                    let hit = at
                        + match needles.as_slice() {
                            [a] => memchr::memchr(*a, rest),
                            [a, b] => memchr::memchr2(*a, *b, rest),
                            [a, b, c] => memchr::memchr3(*a, *b, *c, rest),
                            _ => None,
                        }?;
                    let floor = from.max(hit.saturating_sub(max_len));
                    let (start, end) = run_around(hay, alphabet, floor, hit..hit + 1, bound);
                    if start >= limit {
                        return None;
                    }
                    if end - start >= *min_len {
                        return Some(Region { start, end });
                    }
                    at = end;
                }
                None
            }
            Scanner::Literals {
                finder,
                alphabet,
                min_len,
            } => {
                let mut at = from;
                while at < bound {
                    let hit = finder.find(hay, Span::from(at..bound))?;
                    let (hit, hit_end) = (hit.start, hit.end);
                    let floor = from.max(hit.saturating_sub(max_len));
                    let (start, end) = run_around(hay, alphabet, floor, hit..hit_end, bound);
                    if start >= limit {
                        return None;
                    }
                    if end - start >= *min_len {
                        return Some(Region { start, end });
                    }
                    at = end.max(hit + 1);
                }
                None
            }
        }
    }
}

/// The run of `alphabet` bytes around `hit` (a rare byte or a literal): back to no further
/// than `floor` (the scan's start, or a match's length before the hit), on to `bound`.
#[inline]
fn run_around(
    hay: &[u8],
    alphabet: &ByteSet,
    floor: usize,
    hit: std::ops::Range<usize>,
    bound: usize,
) -> (usize, usize) {
    let mut start = hit.start;
    while start > floor && alphabet.contains(hay[start - 1]) {
        start -= 1;
    }
    let mut end = hit.end;
    while end < bound && alphabet.contains(hay[end]) {
        end += 1;
    }
    (start, end)
}

/// One group of patterns that share a scanner.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) scanner: Scanner,
    /// Indices of the patterns (in the order given to [`plan`]).
    pub(crate) members: Vec<usize>,
}

/// Put patterns in groups, each with the scanner that suits it best.
pub(crate) fn plan(shapes: &[Shape]) -> Vec<Plan> {
    let mut main = Vec::new();
    let mut alone = Vec::new();
    // (required set, members) of side groups; a set that holds another's is merged.
    let mut side: Vec<(ByteSet, Vec<usize>)> = Vec::new();
    // Members and literals of the inner-literal group (one for all such patterns).
    let mut inner: (Vec<usize>, Vec<Vec<u8>>) = (Vec::new(), Vec::new());
    for (i, shape) in shapes.iter().enumerate() {
        if shape.alone() {
            alone.push(i);
            continue;
        }
        if let Some(lits) = shape.inner_side() {
            inner.0.push(i);
            lits.iter().for_each(|l| push_new(&mut inner.1, l.clone()));
            continue;
        }
        match shape.side() {
            Some(r) => match side
                .iter_mut()
                .find(|(g, _)| (r.is_subset(g) || g.is_subset(&r)) && g.union(&r).len() <= 3)
            {
                Some((g, members)) => {
                    *g = g.union(&r);
                    members.push(i);
                }
                None => side.push((r, vec![i])),
            },
            None => main.push(i),
        }
    }
    let mut plans = Vec::new();
    if !main.is_empty() {
        plans.push(Plan {
            scanner: Scanner::Everything,
            members: main,
        });
    }
    for i in alone {
        plans.push(Plan {
            scanner: Scanner::Everything,
            members: vec![i],
        });
    }
    for (set, members) in side {
        let alphabet = members
            .iter()
            .fold(ByteSet::default(), |a, &i| a.union(&shapes[i].alphabet));
        plans.push(Plan {
            scanner: Scanner::Rare {
                needles: set.bytes().collect(),
                alphabet,
                min_len: min_len(shapes, &members),
            },
            members,
        });
    }
    if !inner.0.is_empty() {
        let members = inner.0;
        let alphabet = members
            .iter()
            .fold(ByteSet::default(), |a, &i| a.union(&shapes[i].alphabet));
        let finder =
            spellings(&inner.1).and_then(|forms| Prefilter::new(MatchKind::LeftmostFirst, &forms));
        let scanner = match finder {
            Some(finder) => Scanner::Literals {
                finder,
                alphabet,
                min_len: min_len(shapes, &members),
            },
            // Several patterns' spellings together may be too many: searched over all the
            // text then (correct, not fast).
            None => Scanner::Everything,
        };
        plans.push(Plan { scanner, members });
    }
    plans
}

fn min_len(shapes: &[Shape], members: &[usize]) -> usize {
    members
        .iter()
        .map(|&i| shapes[i].min_len)
        .min()
        .unwrap_or(0)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::parse_hir;

    fn shape(re: &str) -> Shape {
        Shape::of(&parse_hir(re).unwrap())
    }

    fn set(bytes: &[u8]) -> ByteSet {
        let mut s = ByteSet::default();
        for &b in bytes {
            s.insert(b);
        }
        s
    }

    #[test]
    fn shapes_of_patterns() {
        let s = shape(r"(?:\b|_)[0-9]{2}\.[0-9]{3}(?:\b|_)");
        assert_eq!(s.min_len, 6);
        assert_eq!(s.required, Some(set(b".")));
        assert!(
            s.alphabet.contains(b'_') && s.alphabet.contains(b'7') && !s.alphabet.contains(b'a')
        );
        // Digits only: stays in the main automaton.
        assert_eq!(s.side(), None);
        let s = shape(r"(?i)[a-z0-9.]{1,64}(?:@|%40)[a-z]{2,10}");
        assert_eq!(s.required, Some(set(b"@%")));
        assert_eq!(s.min_len, 4);
        assert_eq!(s.side(), Some(set(b"@%")));
        assert_eq!(shape(r"x?[0-9]+").min_len, 1);
        // Letters but no rare byte required: main.
        assert_eq!(shape(r"(?i)\bbearer\x20[a-z]{8}").side(), None);
        // Letters and a rare byte, but every match starts with `%B`: no word is a start,
        // so it stays in the main automaton.
        let s = shape(r"%B[0-9]{13,19}\^[^\^\n]{0,26}\^[0-9A-Za-z]{0,20}");
        assert_eq!(s.required, Some(set(b"%")));
        assert_eq!(s.side(), None);
        // An optional rare byte is not required.
        assert_eq!(
            shape(r"[a-z]+@?[a-z]+").required.map(|r| r.contains(b'@')),
            Some(false)
        );
    }

    fn regions<'a>(scanner: &Scanner, hay: &'a [u8], max_len: usize) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(r) = scanner.next_region(hay, at, hay.len(), hay.len(), max_len) {
            out.push(std::str::from_utf8(&hay[r.start..r.end]).unwrap());
            at = r.end;
        }
        out
    }

    #[test]
    fn plans_and_regions() {
        let shapes = [
            shape(r"\b[0-9]{3}-[0-9]{4}\b"),
            shape(r"[a-z]{1,8}@[a-z]{1,8}\.[a-z]{2,3}"),
            shape(r"(?i)\bbearer\x20[a-z]{8}"),
        ];
        let p = plan(&shapes);
        assert_eq!(p.len(), 2);
        assert!(matches!(p[0].scanner, Scanner::Everything));
        assert_eq!(p[0].members, [0, 2]);
        assert!(matches!(p[1].scanner, Scanner::Rare { .. }));
        assert_eq!(p[1].members, [1]);
        assert_eq!(
            regions(&p[1].scanner, b"mail a@b.id, x@ or budi@mail.com @", 24),
            ["a@b.id", "budi@mail.com"]
        );
        // No further back than a match's length from the rare byte.
        assert_eq!(
            regions(&p[1].scanner, b"abcdefghijklmnop@mail.com", 12),
            ["efghijklmnop@mail.com"]
        );
        assert_eq!(regions(&p[0].scanner, b"any text", 8), ["any text"]);
    }

    fn sorted(lits: Option<Vec<Vec<u8>>>) -> Option<Vec<String>> {
        let mut v: Vec<String> = lits?
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        v.sort();
        Some(v)
    }

    #[test]
    fn inner_literals_of_patterns() {
        let lits = |re: &str| sorted(inner_literals(&parse_hir(re).unwrap()));
        let v = |l: &[&str]| Some(l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        // Case folded; a small class is spelled out; the longest shortest literal wins.
        assert_eq!(
            lits(r"(?i)[a-z]{1,9}\x20(?:at|ET)\x20[a-z]{2}"),
            v(&[" at ", " et "])
        );
        assert_eq!(lits(r"[a-z]+[\x20\t]at[a-z]+"), v(&["\tat", " at"]));
        assert_eq!(
            lits(r"(?i)[a-z]+(?:\[at\]|\x20at\x20)[a-z]+\.[a-z]{2,3}"),
            v(&[" at ", "[at]"])
        );
        assert_eq!(lits(r"x?y?[a-z]+"), None);
        // An optional part is no literal of every match, a repeated one is.
        assert_eq!(lits(r"[0-9]+(?:abc)?[0-9]"), None);
        assert_eq!(lits(r"[0-9]+(?:abc){1,3}"), v(&["abc"]));
        // Too many spellings: none.
        assert_eq!(lits(r"[a-z]{3}[0-9]{3}"), None);
        // The group: a long word start, no rare byte, no literal start.
        let s = shape(r"(?i)\b[a-z0-9.]{1,64}(?:\[at\]|\x20at\x20)[a-z]{1,9}\.[a-z]{2,3}");
        assert!(s.inner_side().is_some());
        let p = plan(&[shape(r"\b[0-9]{4}\b"), s]);
        assert!(matches!(p[1].scanner, Scanner::Literals { .. }));
        assert_eq!(
            regions(
                &p[1].scanner,
                b"x budi [AT] mail.com. and a at b, c At d.id",
                30
            ),
            ["x budi [AT] mail.com. and a at b", " c At d.id"]
        );
        // No further back than a match's length; a run without a literal is none.
        assert_eq!(
            regions(
                &p[1].scanner,
                b"no literal here, and this budi at mail.id",
                12
            ),
            ["nd this budi at mail.id"]
        );
        // A literal start or a short word start: main.
        assert!(shape(r"(?i)\bkode\x20[a-z]{1,9}\x20at\x20")
            .inner_side()
            .is_none());
        assert!(shape(r"(?i)\b[a-z]{1,4}\x20at\x20[a-z]+")
            .inner_side()
            .is_none());
    }

    #[test]
    fn first_byte_sets() {
        let s = shape(r"\b[0-9]{4}x").first;
        assert!(s.contains(b'0') && s.contains(b'9') && !s.contains(b'a'));
        let s = shape(r"(?i)(?:\+|%2b)62").first;
        assert!(s.contains(b'+') && s.contains(b'%') && !s.contains(b'6'));
        let s = shape(r"[^x]y").first;
        assert!(s.contains(b'a') && s.contains(0xff));
    }

    #[test]
    fn long_tokens_after_a_literal_go_alone() {
        let s = shape(r"(?:\b|_)eyJ[A-Za-z0-9_\-]{5,1500}\.eyJ[A-Za-z0-9_\-]{5,1500}");
        assert!(s.literal_start && s.alone());
        assert!(shape(r"(?i)\bbearer[\x20\t]{1,8}[a-z0-9]{8,2048}").alone());
        // Short after a literal, long without one, or a literal too short to skip to: main.
        assert!(!shape(r"(?i)\bbearer\x20[a-z]{8}").alone());
        assert!(!shape(r"\b[0-9a-z]{8,2048}").alone());
        assert!(!shape(r"(?:x|ab)[a-z]{8,2048}").alone());
        let shapes = [
            shape(r"\b[0-9]{3}-[0-9]{4}\b"),
            shape(r"eyJ[a-z]{5,1500}"),
            shape(r"(?i)\bbasic\x20[a-z]{6,1024}"),
        ];
        let p = plan(&shapes);
        let members: Vec<&[usize]> = p.iter().map(|g| g.members.as_slice()).collect();
        assert_eq!(members, [&[0][..], &[1], &[2]]);
        assert!(p.iter().all(|g| matches!(g.scanner, Scanner::Everything)));
    }
}
