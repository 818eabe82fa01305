//! A group's patterns compiled for searching: a forward lazy DFA over one NFA without
//! capture groups, for where matches end (the skip automaton of [`crate::skip`] is built
//! over the same NFA), and, compiled the first time a search needs them, a PikeVM over the
//! group for what the DFA cannot answer, and each pattern's own backtracker and PikeVM for
//! the span of its value. A pattern's own NFA is small: the backtracker clears a bit per
//! NFA state and haystack byte at each search, which over the group's NFA was a memset of
//! up to its 256 KiB limit per value.
//!
//! A meta regex per group compiled three NFAs besides the skip automaton's: its forward
//! one with captures (whose capture states also made every lazy DFA state dearer to
//! build, 7 % of the instructions on the mixed corpus), and a reverse one, which only
//! served a fallback (the engine finds starts with each pattern's own reverse automaton,
//! see [`crate::reverse`]). Those compilations were a third of start-up, and a clean log
//! needs no capture search.
//!
//! A pattern identical to an earlier (higher-priority) one of its group is compiled once:
//! a leftmost-first search never answers with the later one, and its states only doubled
//! the work of building each DFA state. Callers speak of patterns by their index among
//! the group's (`local`); a copy is searched through the first.

use std::sync::{Arc, OnceLock};

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, HalfMatch, Input, Match, MatchKind, PatternID};
use regex_syntax::hir::{Hir, HirKind};

use crate::error::Error;

/// How big a lazy DFA's cache may grow (per thread) before it is cleared.
const DFA_CACHE: usize = 8 << 20;

/// A group's compiled patterns (see the module docs). Cheap to clone (shared inside).
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    nfa: NFA,
    dfa: DFA,
    slow: Arc<Slow>,
    /// For each compiled pattern, the first of the group's patterns it stands for.
    local_of: Box<[PatternID]>,
    /// For each of the group's patterns, the compiled pattern that stands for it.
    compiled_of: Box<[PatternID]>,
}

/// The engines that report capture groups, each compiled on first use. `None` inside
/// one: it could not be compiled (the patterns compiled once already, so this does not
/// happen; a search then finds nothing, as a failed check would).
#[derive(Debug)]
struct Slow {
    /// The distinct patterns, in compiled order.
    hirs: Vec<Arc<Hir>>,
    /// All of them, for the searches the DFA gave up on.
    group: OnceLock<Option<SlowEngines>>,
    /// Each alone, for its value's span.
    each: Vec<OnceLock<Option<SlowEngines>>>,
}

#[derive(Debug)]
struct SlowEngines {
    backtrack: BoundedBacktracker,
    pikevm: PikeVM,
}

/// Per-thread state of a [`Matcher`]. The slow engines' parts are made the first time a
/// search needs them (most threads never do).
#[derive(Debug, Clone)]
pub(crate) struct MatcherCache {
    dfa: DfaCache,
    group: Option<SlowCache>,
    each: Vec<Option<SlowCache>>,
}

#[derive(Debug, Clone)]
struct SlowCache {
    backtrack: backtrack::Cache,
    pikevm: pikevm::Cache,
    caps: Captures,
}

impl SlowCache {
    fn new(engines: &SlowEngines) -> SlowCache {
        SlowCache {
            backtrack: engines.backtrack.create_cache(),
            pikevm: engines.pikevm.create_cache(),
            caps: engines.pikevm.create_captures(),
        }
    }
}

impl Matcher {
    /// Compile `hirs` (parsed with [`crate::detector::parse_hir`]; leftmost-first, pattern
    /// order = priority).
    pub(crate) fn new(hirs: &[Arc<Hir>]) -> Result<Matcher, Error> {
        let cerr = |e: &dyn std::fmt::Display| Error::Compile(e.to_string());
        let mut local_of = Vec::new();
        let mut compiled_of = Vec::with_capacity(hirs.len());
        let mut distinct: Vec<Arc<Hir>> = Vec::new();
        for (i, hir) in hirs.iter().enumerate() {
            let at = match distinct.iter().position(|d| d == hir) {
                Some(at) => at,
                None => {
                    distinct.push(Arc::clone(hir));
                    local_of.push(PatternID::new(i).map_err(|e| cerr(&e))?);
                    distinct.len() - 1
                }
            };
            compiled_of.push(PatternID::new(at).map_err(|e| cerr(&e))?);
        }
        let nfa = compile(&distinct, thompson::WhichCaptures::None)?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .starts_for_each_pattern(true)
                    .cache_capacity(DFA_CACHE),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| cerr(&e))?;
        Ok(Matcher {
            nfa,
            dfa,
            slow: Arc::new(Slow {
                each: distinct.iter().map(|_| OnceLock::new()).collect(),
                hirs: distinct,
                group: OnceLock::new(),
            }),
            local_of: local_of.into_boxed_slice(),
            compiled_of: compiled_of.into_boxed_slice(),
        })
    }

    /// The NFA the DFA runs on (no capture groups; its patterns are the distinct ones, see
    /// [`Matcher::locals`]).
    pub(crate) fn nfa(&self) -> &NFA {
        &self.nfa
    }

    /// For each compiled pattern, the group's pattern it stands for.
    pub(crate) fn locals(&self) -> &[PatternID] {
        &self.local_of
    }

    /// The index of the capture group named `name` of the group's pattern `local`, if it
    /// has one (as [`Matcher::capture`] takes it).
    pub(crate) fn group_index(&self, local: usize, name: &str) -> Option<usize> {
        let hir = &self.slow.hirs[self.compiled_of[local].as_usize()];
        capture_index(hir, name)
    }

    pub(crate) fn create_cache(&self) -> MatcherCache {
        MatcherCache {
            dfa: self.dfa.create_cache(),
            group: None,
            each: vec![None; self.slow.hirs.len()],
        }
    }

    /// `input` with `Anchored::Pattern` of a group's pattern turned into its compiled one.
    fn compiled_input<'h>(&self, input: &Input<'h>) -> Input<'h> {
        match input.get_anchored() {
            Anchored::Pattern(local) => input
                .clone()
                .anchored(Anchored::Pattern(self.compiled_of[local.as_usize()])),
            _ => input.clone(),
        }
    }

    /// The end and pattern (the group's index) of the leftmost-first match in `input`.
    pub(crate) fn search_half(
        &self,
        cache: &mut MatcherCache,
        input: &Input<'_>,
    ) -> Option<HalfMatch> {
        let input = self.compiled_input(input);
        let half = match self.dfa.try_search_fwd(&mut cache.dfa, &input) {
            Ok(half) => half,
            Err(_) => self
                .pikevm_search(cache, &input)
                .map(|m| HalfMatch::new(m.pattern(), m.end())),
        }?;
        Some(HalfMatch::new(
            self.local_of[half.pattern().as_usize()],
            half.offset(),
        ))
    }

    /// The leftmost-first match in `input` (start, end and the group's pattern). Slow (a
    /// PikeVM): for when the faster ways gave up.
    pub(crate) fn search(&self, cache: &mut MatcherCache, input: &Input<'_>) -> Option<Match> {
        let input = self.compiled_input(input);
        let m = self.pikevm_search(cache, &input)?;
        Some(Match::new(self.local_of[m.pattern().as_usize()], m.range()))
    }

    fn pikevm_search(&self, cache: &mut MatcherCache, input: &Input<'_>) -> Option<Match> {
        let engines = self
            .slow
            .group
            .get_or_init(|| SlowEngines::new(&self.slow.hirs))
            .as_ref()?;
        let sc = cache.group.get_or_insert_with(|| SlowCache::new(engines));
        engines.pikevm.search(&mut sc.pikevm, input, &mut sc.caps);
        sc.caps.get_match()
    }

    /// The span of capture group `group` of the match in `input` (anchored at the group's
    /// pattern), if that match exists and the group took part in it.
    pub(crate) fn capture(
        &self,
        cache: &mut MatcherCache,
        input: &Input<'_>,
        group: usize,
    ) -> Option<(usize, usize)> {
        let Anchored::Pattern(local) = input.get_anchored() else {
            return None;
        };
        let compiled = self.compiled_of[local.as_usize()].as_usize();
        let engines = self.slow.each[compiled]
            .get_or_init(|| SlowEngines::new(&self.slow.hirs[compiled..=compiled]))
            .as_ref()?;
        let sc = cache.each[compiled].get_or_insert_with(|| SlowCache::new(engines));
        let input = input.clone().anchored(Anchored::Yes);
        let fits = input.get_span().len() <= engines.backtrack.max_haystack_len();
        let done = fits
            && engines
                .backtrack
                .try_search(&mut sc.backtrack, &input, &mut sc.caps)
                .is_ok();
        if !done {
            engines.pikevm.search(&mut sc.pikevm, &input, &mut sc.caps);
        }
        sc.caps.get_group(group).map(|s| (s.start, s.end))
    }
}

#[cfg(test)]
impl Matcher {
    /// `regexes` (pack syntax) compiled; panics on a bad one (tests only).
    pub(crate) fn of_regexes(regexes: &[&str]) -> Matcher {
        let hirs: Vec<Arc<Hir>> = regexes
            .iter()
            .map(|r| Arc::new(crate::detector::parse_hir(r).unwrap()))
            .collect();
        Matcher::new(&hirs).unwrap()
    }
}

impl SlowEngines {
    fn new(hirs: &[Arc<Hir>]) -> Option<SlowEngines> {
        let nfa = compile(hirs, thompson::WhichCaptures::All).ok()?;
        Some(SlowEngines {
            backtrack: BoundedBacktracker::builder()
                .build_from_nfa(nfa.clone())
                .ok()?,
            pikevm: PikeVM::builder()
                .configure(PikeVM::config().match_kind(MatchKind::LeftmostFirst))
                .build_from_nfa(nfa)
                .ok()?,
        })
    }
}

fn compile(hirs: &[Arc<Hir>], captures: thompson::WhichCaptures) -> Result<NFA, Error> {
    let hirs: Vec<&Hir> = hirs.iter().map(|h| &**h).collect();
    thompson::Compiler::new()
        .configure(thompson::Config::new().utf8(false).which_captures(captures))
        .build_many_from_hir(&hirs)
        .map_err(|e| Error::Compile(e.to_string()))
}

/// The index of the capture group named `name` in `hir` (0 is the whole match), as an
/// NFA compiled with all its groups numbers it.
fn capture_index(hir: &Hir, name: &str) -> Option<usize> {
    match hir.kind() {
        HirKind::Capture(cap) if cap.name.as_deref() == Some(name) => {
            usize::try_from(cap.index).ok()
        }
        HirKind::Capture(cap) => capture_index(&cap.sub, name),
        HirKind::Repetition(rep) => capture_index(&rep.sub, name),
        HirKind::Concat(items) | HirKind::Alternation(items) => {
            items.iter().find_map(|h| capture_index(h, name))
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(regexes: &[&str]) -> Matcher {
        Matcher::of_regexes(regexes)
    }

    #[test]
    fn copies_are_searched_through_the_first_and_answer_as_it() {
        let m = matcher(&["b[0-9]+", "a(?P<v>[0-9]+)", "a(?P<v>[0-9]+)", "a[0-9]+x"]);
        let mut c = m.create_cache();
        let hay = b"zz a123x";
        let half = m.search_half(&mut c, &Input::new(hay)).unwrap();
        assert_eq!((half.pattern().as_usize(), half.offset()), (1, 7));
        // The copy anchored at its own index: the same end, and its value group.
        let at = |local: usize| {
            Input::new(hay)
                .span(3..8)
                .anchored(Anchored::Pattern(PatternID::new_unchecked(local)))
        };
        let copy = m.search_half(&mut c, &at(2)).unwrap();
        assert_eq!((copy.pattern().as_usize(), copy.offset()), (1, 7));
        let last = m.search_half(&mut c, &at(3)).unwrap();
        assert_eq!((last.pattern().as_usize(), last.offset()), (3, 8));
        assert_eq!(m.search_half(&mut c, &at(0)), None);
        let v = m.group_index(2, "v").unwrap();
        assert_eq!(m.capture(&mut c, &at(2), v), Some((4, 7)));
        assert_eq!(m.group_index(3, "v"), None);
        let full = m.search(&mut c, &Input::new(hay)).unwrap();
        assert_eq!((full.pattern().as_usize(), full.range()), (1, 3..7));
        assert_eq!(
            m.locals(),
            &[PatternID::ZERO, PatternID::must(1), PatternID::must(3)]
        );
    }

    #[test]
    fn a_capture_too_long_for_the_backtracker_is_found_by_the_pikevm() {
        let m = matcher(&["k=(?P<v>[a-z]+)"]);
        let mut c = m.create_cache();
        let limit = SlowEngines::new(&m.slow.hirs[..1])
            .unwrap()
            .backtrack
            .max_haystack_len();
        let long = limit + 10;
        let hay = format!("k={}", "x".repeat(long));
        let input = Input::new(hay.as_bytes()).anchored(Anchored::Pattern(PatternID::ZERO));
        let v = m.group_index(0, "v").unwrap();
        assert_eq!(m.capture(&mut c, &input, v), Some((2, hay.len())));
    }
}
