//! The main automaton's forward search, with a skip loop over text where no match can start.
//!
//! An unanchored lazy DFA walks every byte, even the long stretches of a log where it sits
//! in its start state, and that walk (one dependent table load per byte) was the engine's
//! fixed cost. Which bytes leave the start state is a property of the automaton, so it is
//! read off the automaton when the engine is built: byte `b` after byte `p` is *idle* when
//! the start state for look-behind `p` goes, on `b`, to the start state for look-behind `b`.
//! A run of idle bytes leaves the search exactly where a fresh search after the run would
//! start, so the search jumps over it (positions are independent of each other, so the CPU
//! checks several at once) and resumes the walk at the first byte that is not idle. Nothing
//! here is written for one detector: a pattern that can start on more bytes only makes
//! fewer of them idle.
//!
//! The answer is the DFA's leftmost-first half match (end and pattern), the same as the
//! group's [`Matcher::search_half`]; the caller falls back to that search when this one
//! gives up (a cache that keeps clearing).

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::util::start;
use regex_automata::{Anchored, HalfMatch, Input, MatchKind, PatternID};

use rayon::prelude::*;

use crate::error::Error;
use crate::matcher::Matcher;

/// The main group's forward automaton and where it is idle.
#[derive(Debug, Clone)]
pub(crate) struct SkipDfa {
    dfa: DFA,
    /// For byte `b`: the low byte has bit `r` set when `b` is busy (leaves the start state)
    /// after a byte of row `r`; the high byte is `1 << row(b)`. Rows are the distinct start
    /// states by look-behind byte (at most 8; with more, every byte is busy).
    codes: Box<[u16; 256]>,
    /// For each of the automaton's patterns, the group's pattern it stands for (see
    /// [`Matcher`]: a copy of an earlier pattern is compiled once).
    ids: Box<[PatternID]>,
}
/// Per-thread state of a [`SkipDfa`]: the DFA's cache and its start state for each
/// look-behind byte (state ids change when the cache is cleared).
#[derive(Debug, Clone)]
pub(crate) struct SkipCache {
    cache: DfaCache,
    starts: Box<[LazyStateID; 256]>,
    /// The cache's clear count `starts` was read at (`usize::MAX`: never read).
    clears: usize,
}

/// The search could not finish (the DFA's cache gave up); use another engine.
#[derive(Debug)]
pub(crate) struct GaveUp;

impl SkipDfa {
    /// The forward DFA of `matcher`'s NFA (leftmost-first, pattern order = priority).
    pub(crate) fn new(matcher: &Matcher, cache_capacity: usize) -> Result<SkipDfa, Error> {
        SkipDfa::build(matcher, cache_capacity, false)
    }

    /// [`SkipDfa::new`]; `tiny_cache` lets the capacity be below what the DFA needs, so that
    /// tests can make its cache clear all the time.
    fn build(matcher: &Matcher, cache_capacity: usize, tiny_cache: bool) -> Result<SkipDfa, Error> {
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .specialize_start_states(true)
                    .cache_capacity(cache_capacity)
                    .skip_cache_capacity_check(tiny_cache),
            )
            .build_from_nfa(matcher.nfa().clone())
            .map_err(|e| Error::Compile(e.to_string()))?;
        let codes = idle_codes(&dfa);
        Ok(SkipDfa {
            dfa,
            codes,
            ids: matcher.locals().into(),
        })
    }

    pub(crate) fn create_cache(&self) -> SkipCache {
        SkipCache {
            cache: self.dfa.create_cache(),
            starts: Box::new([LazyStateID::default(); 256]),
            clears: usize::MAX,
        }
    }

    #[cfg(test)]
    fn is_idle(&self, prev: u8, b: u8) -> bool {
        self.codes[usize::from(b)] & (self.codes[usize::from(prev)] >> 8) == 0
    }

    /// The first position in `at..end` (at > 0) whose byte is not idle after the byte
    /// before it, or `end`.
    #[inline]
    fn skip(&self, hay: &[u8], at: usize, end: usize) -> usize {
        let codes = &*self.codes;
        let hay = &hay[..end];
        let mut prev = codes[usize::from(hay[at - 1])] >> 8;
        let mut i = at;
        // Four bytes a round: the tests do not depend on each other, only the row does.
        while let Some(q) = hay.get(i..i + 4) {
            let c = [
                codes[usize::from(q[0])],
                codes[usize::from(q[1])],
                codes[usize::from(q[2])],
                codes[usize::from(q[3])],
            ];
            let busy =
                (c[0] & prev) | (c[1] & (c[0] >> 8)) | (c[2] & (c[1] >> 8)) | (c[3] & (c[2] >> 8));
            if busy != 0 {
                break;
            }
            prev = c[3] >> 8;
            i += 4;
        }
        while i < end {
            let c = codes[usize::from(hay[i])];
            if c & prev != 0 {
                return i;
            }
            prev = c >> 8;
            i += 1;
        }
        end
    }

    /// The leftmost-first match in `input` (unanchored): where it ends and its pattern.
    pub(crate) fn find(
        &self,
        sc: &mut SkipCache,
        input: &Input<'_>,
    ) -> Result<Option<HalfMatch>, GaveUp> {
        let dfa = &self.dfa;
        let hay = input.haystack();
        let end = input.end();
        let span = &hay[..end];
        let mut at = input.start();
        if sc.clears != sc.cache.clear_count() {
            self.read_starts(sc)?;
        }
        // In the start state for the byte before `at` (no match pending)?
        let (mut sid, mut idle) = match at.checked_sub(1) {
            Some(p) => (sc.starts[usize::from(hay[p])], true),
            None => (
                dfa.start_state(&mut sc.cache, &start::Config::new().anchored(Anchored::No))
                    .map_err(|_| GaveUp)?,
                false,
            ),
        };
        let mut mat = None;
        'search: while at < end {
            if idle {
                at = self.skip(hay, at, end);
                if at == end {
                    break;
                }
                sid = sc.starts[usize::from(hay[at - 1])];
            }
            // Walk until the automaton is back in a start state. Start states are tagged
            // (see `read_starts`), so the walk tests one tag per byte.
            loop {
                sid = dfa
                    .next_state(&mut sc.cache, sid, span[at])
                    .map_err(|_| GaveUp)?;
                at += 1;
                // Most steps go from an untagged state through a transition already in
                // the cache: those take the unchecked path (a third of the instructions
                // of `next_state`), and anything else goes back to the checked one.
                if !sid.is_tagged() {
                    while at < end {
                        #[allow(unsafe_code)]
                        // SAFETY: `sid` is untagged and the latest state id that this cache
                        // gave (by `next_state` above or by this call on the step before).
                        let next =
                            unsafe { dfa.next_state_untagged_unchecked(&sc.cache, sid, span[at]) };
                        if next.is_tagged() {
                            if !next.is_unknown() {
                                sid = next;
                                at += 1;
                            }
                            break;
                        }
                        sid = next;
                        at += 1;
                    }
                }
                if sid.is_tagged() {
                    if sid.is_match() {
                        mat = Some(HalfMatch::new(self.pattern(sc, sid), at - 1));
                    } else if sid.is_dead() {
                        return Ok(mat);
                    } else if sid.is_quit() {
                        return Err(GaveUp);
                    } else if sid.is_start()
                        && mat.is_none()
                        && sid == sc.starts[usize::from(span[at - 1])]
                        && sc.clears == sc.cache.clear_count()
                    {
                        // The ids in `starts` are only good if the cache was not cleared
                        // meanwhile; after a clear the walk goes on to the next `find`.
                        idle = true;
                        continue 'search;
                    }
                }
                if at >= end {
                    break 'search;
                }
            }
        }
        // The transition past the span's end: the byte after it, or the end of the text.
        sid = match hay.get(end) {
            Some(&b) => dfa.next_state(&mut sc.cache, sid, b),
            None => dfa.next_eoi_state(&mut sc.cache, sid),
        }
        .map_err(|_| GaveUp)?;
        if sid.is_match() {
            mat = Some(HalfMatch::new(self.pattern(sc, sid), end));
        } else if sid.is_quit() {
            return Err(GaveUp);
        }
        Ok(mat)
    }

    /// The pattern (index among the `hirs` given to [`SkipDfa::new`]) of the match state
    /// `sid`.
    #[inline]
    fn pattern(&self, sc: &SkipCache, sid: LazyStateID) -> PatternID {
        self.ids[self.dfa.match_pattern(&sc.cache, sid, 0).as_usize()]
    }

    /// Read the start state for every look-behind byte into the cache. They must be
    /// tagged as start states for the walk to see them: a state already cached from a
    /// transition keeps its untagged id, so if any is untagged (after a cache clear) the
    /// cache is reset and they are read first. Gives up if reading them cleared the cache.
    fn read_starts(&self, sc: &mut SkipCache) -> Result<(), GaveUp> {
        // Until they are all read, the ids are good for no clear count (a reset puts the
        // count back to 0, so it could come back to the old one).
        sc.clears = usize::MAX;
        for attempt in 0..2 {
            let before = sc.cache.clear_count();
            for p in 0..=255u8 {
                sc.starts[usize::from(p)] = self
                    .dfa
                    .start_state(&mut sc.cache, &unanchored_after(p))
                    .map_err(|_| GaveUp)?;
            }
            if sc.cache.clear_count() != before {
                return Err(GaveUp);
            }
            if attempt == 0 && sc.starts.iter().any(|s| !s.is_start()) {
                sc.cache.reset(&self.dfa);
                continue;
            }
            sc.clears = before;
            return Ok(());
        }
        Err(GaveUp)
    }
}

fn unanchored_after(p: u8) -> start::Config {
    start::Config::new()
        .anchored(Anchored::No)
        .look_behind(Some(p))
}

/// Which (previous byte, byte) pairs keep `dfa` in a start state, as [`SkipDfa::codes`]
/// (see the module docs). Each transition read costs a whole DFA state's construction
/// (the start state holds every pattern's start), and they were a fifth of start-up on one
/// core: the pool's threads share the byte classes out, each with a cache of its own.
fn idle_codes(dfa: &DFA) -> Box<[u16; 256]> {
    let classes = dfa.byte_classes();
    let mut members: Vec<Vec<u8>> = vec![Vec::new(); classes.alphabet_len()];
    for b in 0..=255u8 {
        members[usize::from(classes.get(b))].push(b);
    }
    members.retain(|m| !m.is_empty());
    let shares = rayon::current_num_threads().clamp(1, members.len().max(1));
    let parts: Vec<Option<Box<[u16; 256]>>> = (0..shares)
        .into_par_iter()
        .map(|k| {
            let mine: Vec<u8> = members
                .iter()
                .skip(k)
                .step_by(shares)
                .flatten()
                .copied()
                .collect();
            idle_codes_of(dfa, &mine)
        })
        .collect();
    let mut codes = Box::new([0u16; 256]);
    for part in parts {
        let Some(part) = part else {
            return Box::new([0x01ffu16; 256]);
        };
        for (c, p) in codes.iter_mut().zip(part.iter()) {
            *c |= p;
        }
    }
    codes
}

/// [`idle_codes`] for the bytes `bytes` after every byte: the row bits of every byte, and
/// the busy bits of `bytes`. A pair is idle only when that was seen with one set of state
/// ids; `None` if the cache was cleared meanwhile, or there are too many rows (then every
/// byte is busy: nothing is skipped, nothing is lost).
fn idle_codes_of(dfa: &DFA, bytes: &[u8]) -> Option<Box<[u16; 256]>> {
    let mut cache = dfa.create_cache();
    let mut starts = [LazyStateID::default(); 256];
    for p in 0..=255u8 {
        starts[usize::from(p)] = dfa.start_state(&mut cache, &unanchored_after(p)).ok()?;
    }
    let clears = cache.clear_count();
    let mut rows: Vec<LazyStateID> = Vec::new();
    let mut codes = Box::new([0u16; 256]);
    for p in 0..=255u8 {
        let from = starts[usize::from(p)];
        let row = match rows.iter().position(|&r| r == from) {
            Some(r) => r,
            None => {
                rows.push(from);
                rows.len() - 1
            }
        };
        if row >= 8 {
            return None;
        }
        codes[usize::from(p)] |= 1 << (8 + row);
    }
    for (row, &from) in rows.iter().enumerate() {
        for &b in bytes {
            let to = dfa.next_state(&mut cache, from, b).ok()?;
            if to != starts[usize::from(b)] {
                codes[usize::from(b)] |= 1 << row;
            }
        }
    }
    (cache.clear_count() == clears).then_some(codes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::syntax_config;

    fn skip_dfa(regexes: &[&str]) -> SkipDfa {
        SkipDfa::new(&Matcher::of_regexes(regexes), 1 << 20).unwrap()
    }

    fn both(regexes: &[&str], hay: &[u8]) {
        let skip = skip_dfa(regexes);
        let meta = regex_automata::meta::Regex::builder()
            .syntax(syntax_config())
            .build_many(regexes)
            .unwrap();
        let mut sc = skip.create_cache();
        for start in 0..hay.len() {
            for end in start..=hay.len() {
                let input = Input::new(hay).span(start..end);
                assert_eq!(
                    skip.find(&mut sc, &input).unwrap(),
                    meta.search_half(&input),
                    "{regexes:?} in {:?} at {start}..{end}",
                    String::from_utf8_lossy(hay)
                );
            }
        }
    }

    #[test]
    fn finds_what_the_regex_finds() {
        let hay = b"ok 0812 3456 7890, x0812345678 pwd: hunter2\nline 10.1.2.3 id_42 end";
        both(&[r"\b0[0-9 ]{9,13}[0-9]\b", r"(?i)\bpwd:\s*\S+"], hay);
        both(&[r"\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b", r"_[0-9]+"], hay);
        both(&[r"(?m)^line\b", r"end$"], hay);
        // A pattern repeated later is left out of the automaton; the others keep their
        // indices (the regex never answers with the repeat either).
        let repeated = [
            r"\b[0-9]{4}\b",
            r"(?i)\bpwd:\s*\S+",
            r"\b[0-9]{4}\b",
            r"[0-9]{2}\.[0-9]",
        ];
        assert_eq!(skip_dfa(&repeated).ids.len(), 3);
        both(&repeated, hay);
    }

    /// With a cache that keeps clearing, every answer is still the regex's (or a give-up),
    /// and most searches still finish: the start states are read again, tagged, after a
    /// clear.
    #[test]
    fn a_clearing_cache_changes_no_answer() {
        let regexes = [
            r"\b0[0-9 ]{9,13}[0-9]\b",
            r"(?i)\bpwd:\s*\S+",
            r"\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b",
        ];
        let skip = SkipDfa::build(&Matcher::of_regexes(&regexes), 0, true).unwrap();
        let meta = regex_automata::meta::Regex::builder()
            .syntax(syntax_config())
            .build_many(&regexes)
            .unwrap();
        let hay = b"ok 0812 3456 7890, x0812345678 pwd: hunter2\nline 10.1.2.3 pwd end 0811";
        let mut sc = skip.create_cache();
        let (mut answered, mut gave_up) = (0, 0);
        for start in 0..hay.len() {
            let input = Input::new(hay).span(start..hay.len());
            match skip.find(&mut sc, &input) {
                Ok(found) => {
                    assert_eq!(found, meta.search_half(&input), "at {start}");
                    answered += 1;
                }
                Err(GaveUp) => gave_up += 1,
            }
        }
        assert!(sc.cache.clear_count() > 0);
        assert!(answered > gave_up, "{answered} answered, {gave_up} gave up");
    }

    /// The skip (four bytes a round, then one at a time) stops where a byte-by-byte test of
    /// `is_idle` first fails, for every start and end.
    #[test]
    fn the_skip_stops_at_the_first_busy_byte() {
        let skip = skip_dfa(&[r"\bpin\b", r"\b[0-9]{4}\b", r"@"]);
        let hay = b"xx spin pin 12345 a 1234@bb pinpin  pin\n9999";
        for at in 1..hay.len() {
            for end in at..=hay.len() {
                let want = (at..end)
                    .find(|&i| !skip.is_idle(hay[i - 1], hay[i]))
                    .unwrap_or(end);
                assert_eq!(skip.skip(hay, at, end), want, "at {at}..{end}");
            }
        }
    }

    /// The codes read in shares of byte classes, a cache per share, are those one cache
    /// reads over all bytes.
    #[test]
    fn shared_out_idle_codes_are_those_of_one_reading() {
        let skip = skip_dfa(&[r"\bpin\b", r"\b[0-9]{4}\b", r"@[a-z]+", r"(?m)^x", r"y$"]);
        let all: Vec<u8> = (0..=255).collect();
        let one = idle_codes_of(&skip.dfa, &all).unwrap();
        for threads in [1, 2, 3, 7] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(
                pool.install(|| idle_codes(&skip.dfa)),
                one,
                "{threads} threads"
            );
        }
        assert_eq!(&skip.codes, &one);
    }

    #[test]
    fn letters_inside_words_are_idle_after_a_word_boundary_start() {
        let skip = skip_dfa(&[r"\bpin\b"]);
        // `p` starts a match only after a non-word byte.
        assert!(!skip.is_idle(b' ', b'p'));
        assert!(skip.is_idle(b'x', b'p'));
        assert!(skip.is_idle(b' ', b'q'));
    }
}
