//! The compiled engine: the detectors' patterns in one regex-automata multi-pattern regex
//! (ASCII syntax, leftmost-first, pattern order = priority), except the few that make that
//! automaton slow, which get side regexes searched only where they can match.
//!
//! A pattern goes to a side group when its alphabet holds letters, a match can start on a
//! letter, and every match holds a rare byte (an email and its `@`; see
//! [`crate::prefilter`]): in the one unanchored automaton such a pattern turns every word
//! into live states (one per position up to its length bound), so taking it out makes the
//! main search faster, and its own regions (the run of its bytes around each rare byte,
//! found with memchr) are few. A long token after a
//! literal (a JWT, a Bearer credential) gets a regex of its own that skips to its literal.
//! Each group keeps a cursor (its next accepted finding), and the engine answers with the
//! leftmost of them, the higher-priority pattern on a tie: the same answer as one
//! leftmost-first search over all patterns, since a group finds every position where one of
//! its patterns is accepted.
//!
//! Each group's patterns are compiled by [`crate::matcher`] (a lazy DFA over an NFA without
//! capture groups; the engines that report groups on first need).
//! A candidate's end and pattern come from the group regex's forward search, its start from
//! that pattern's own reverse automaton (small, so it stays in the CPU caches between
//! matches; compiled the first time it is needed, see [`crate::reverse`]); the regex's own
//! reverse search over all its patterns was a tenth of the time.
//! A long-token group instead finds its literals (one scan for all such groups first) and
//! runs an anchored forward search at each, so its start is the literal's; it is searched
//! only when its next literal does not come after the best start the other groups found.
//!
//! A group searched over all the text from no literal (the main automaton) runs its forward
//! search through [`crate::skip`]: the same lazy DFA, walked by hand, which jumps over the
//! bytes that leave it in its start state (read off the automaton when it is built).
//!
//! Find loop in a group: search a region for the leftmost candidate; check its boundary,
//! keywords and validator; on failure give each lower-priority pattern that can start with the
//! same byte its chance at the same start (`Anchored::Pattern`); if none accepts, resume one
//! byte later.

use std::sync::Arc;

use rayon::prelude::*;
use regex_automata::hybrid;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::{Anchored, Input, MatchKind, PatternID, Span};
use regex_syntax::hir::Hir;

use crate::context::{
    boundary_ok, excluded_before, keyword_before, keyword_window, trim_underscores, KEYWORD_WINDOW,
    LEFT_CONTEXT, RIGHT_CONTEXT,
};
use crate::detector::{check_hir, parse_hir, Boundary, DetectorSpec, PatternSpec};
use crate::error::Error;
use crate::finding::{DetectorId, Finding};
use crate::lift::lift_long_repetitions;
use crate::matcher::{Matcher, MatcherCache};
use crate::prefilter::{plan, ByteSet, Plan, Scanner, Shape};
use crate::reverse::Reverse;
use crate::skip::{SkipCache, SkipDfa};
use crate::validate::Validator;
use crate::value::ValueTail;

/// How many shorter matches are tried after a candidate fails its checks.
const MAX_SHORTER: usize = 3;

/// Per-thread search state: one regex cache per group, room for a value group's captures,
/// and each group's next finding for the haystack being scanned.
#[derive(Debug, Clone)]
pub struct Cache {
    groups: Vec<GroupCache>,
    /// The haystack (address, length) and limit the cursors were computed for.
    key: (usize, usize, usize),
    /// Literal-start groups by where their next literal begins (scratch, kept for its room).
    waiting: Vec<(usize, usize)>,
    /// Where the first literal of any literal-start group was from a `from`: (from, found).
    literal: Option<(usize, Option<usize>)>,
    /// Groups not to search (bit `gi`): set by a caller that knows they have no match in
    /// the haystacks it is about to scan (see [`Engine::idle_groups`]).
    idle: u64,
}

#[derive(Debug, Clone)]
struct GroupCache {
    re: MatcherCache,
    /// One per pattern of the group (see [`Group::reverse`]), made on first use.
    rev: Vec<Option<hybrid::dfa::Cache>>,
    cursor: Cursor,
    skip: Option<SkipCache>,
}

/// What a group's search from `from` found: nothing before the limit, or its first
/// accepted candidate (match start, pattern index, finding).
#[derive(Debug, Clone)]
enum Cursor {
    Unknown,
    Searched {
        from: usize,
        found: Option<(usize, usize, Finding)>,
    },
    /// A literal-start group: no match starts in `from..at` (`at` is where its next literal
    /// begins); not searched yet.
    NotBefore {
        from: usize,
        at: usize,
    },
}

impl Cursor {
    /// The group's next accepted candidate from `from` (start, pattern), if this cursor
    /// already tells it: searched from at or before `from`, and what it found is not behind.
    fn known(&self, from: usize) -> Option<Option<(usize, usize)>> {
        match self {
            Cursor::Searched { from: f, found }
                if *f <= from && found.as_ref().is_none_or(|(s, _, _)| *s >= from) =>
            {
                Some(found.as_ref().map(|(s, p, _)| (*s, *p)))
            }
            _ => None,
        }
    }
}

impl Cache {
    /// Skip the groups of `idle` (bit `gi`) until this is called again (with 0 to search
    /// them all): only while scanning pieces of a text for which
    /// [`Engine::idle_groups`] gave `idle`.
    pub(crate) fn set_idle(&mut self, idle: u64) {
        self.idle = idle;
    }

    /// Forget the cursors: the next search is over a new haystack.
    pub fn reset(&mut self) {
        for g in &mut self.groups {
            g.cursor = Cursor::Unknown;
        }
        self.literal = None;
        self.key = (0, 0, 0);
    }
}

#[derive(Debug)]
struct CompiledPattern {
    detector: DetectorId,
    validator: Validator,
    boundary: Boundary,
    keywords: Vec<Box<[u8]>>,
    /// Bytes before the candidate where a keyword may start.
    keyword_window: usize,
    exclude: Vec<Box<[u8]>>,
    /// Bytes a match of this pattern can start with.
    first: ByteSet,
    /// The regex has a group named `v`: the finding is that group, the rest is context
    /// (`bearer\s+(?P<v>…)`). Index in its group's regex.
    value_group: Option<usize>,
    /// The value ends the match and its bytes set it apart: no capture search needed.
    value_tail: Option<ValueTail>,
}

/// One pattern while the engine is built.
struct Entry {
    priority: i32,
    hir: Arc<Hir>,
    compiled: CompiledPattern,
    shape: Shape,
    max_len: usize,
}

impl Entry {
    /// Parse and check pattern `p` of detector `detector` (`spec`).
    fn new(detector: DetectorId, spec: &DetectorSpec, p: &PatternSpec) -> Result<Entry, Error> {
        let perr = |reason: String| Error::Pattern {
            file: format!("{}.toml", spec.id),
            reason: format!("pattern `{}`: {reason}", p.name),
        };
        let hir = parse_hir(&p.regex).map_err(perr)?;
        let max_len = check_hir(&hir).map_err(perr)?;
        let validator = match &p.validator {
            None => Validator::None,
            Some(name) => Validator::from_name(name)
                .ok_or_else(|| perr(format!("unknown validator `{name}`")))?,
        };
        let shape = Shape::of(&hir);
        let compiled = CompiledPattern {
            detector,
            validator,
            boundary: p.boundary,
            keywords: lowercase_all(&p.keywords),
            keyword_window: p.keyword_window.unwrap_or(KEYWORD_WINDOW),
            exclude: lowercase_all(&p.exclude_keywords),
            first: shape.first,
            value_group: None,
            value_tail: ValueTail::of(&hir),
        };
        Ok(Entry {
            priority: p.priority.unwrap_or(spec.priority),
            hir: Arc::new(crate::halfword::behind_boundaries(hir)),
            compiled,
            shape,
            max_len,
        })
    }
}

/// Patterns that share a candidate scanner and a regex.
#[derive(Debug)]
struct Group {
    regex: Matcher,
    /// The group's patterns (the test oracle compiles them as one meta regex).
    #[cfg(test)]
    hirs: Vec<Arc<Hir>>,
    /// Each pattern of the group alone, reversed: where a match that the forward search
    /// says ends at `e` starts. One small automaton per pattern instead of the regex's
    /// reverse search over all of them, whose big transition table was mostly out of the CPU
    /// caches by the next match (it cost 3-4 times as much per match).
    reverse: Vec<Reverse>,
    /// A group of one pattern that starts with a literal (a long token after its cue): the
    /// literals, searched for before an anchored forward search at each, so neither an
    /// unanchored walk nor the reverse one is needed.
    starts: Option<Prefilter>,
    /// The forward automaton with its idle skip, for a group searched over all the text
    /// from no literal (see [`crate::skip`]).
    skip: Option<SkipDfa>,
    scanner: Scanner,
    /// Global pattern index (priority order) of each of the regex's patterns.
    patterns: Vec<usize>,
    max_len: usize,
}

/// All detectors compiled: the main automaton and the side groups (see the module docs).
/// Immutable, `Send + Sync`.
#[derive(Debug)]
pub struct Engine {
    groups: Vec<Group>,
    /// The literals of every literal-start group, for one scan that tells where the first of
    /// them is (when there are several such groups).
    literals: Option<Prefilter>,
    patterns: Vec<CompiledPattern>,
    max_len: usize,
    /// The starts of the labels samar writes (`[REDACTED:`, `[EMAIL]`, `[EMAIL:`): the
    /// context of a match with a value group never holds one (see [`Engine::accept`]).
    labels: Vec<Box<[u8]>>,
}

/// Counters a scan updates, indexed by detector.
pub trait ScanCounters {
    /// A candidate of `detector` failed its boundary, keyword or validator check.
    fn rejected(&mut self, detector: DetectorId);

    /// A candidate of `detector` passed every check but an exclusion keyword before it.
    #[inline]
    fn excluded(&mut self, detector: DetectorId) {
        self.rejected(detector);
    }

    /// As [`ScanCounters::excluded`], for a candidate already counted (see [`OncePerStart`]):
    /// nothing more to count.
    #[inline]
    fn excluded_again(&mut self, _detector: DetectorId) {}
}

/// Counts each detector's rejected candidates at one match start once: a number that fails
/// one pattern's checks and then a lower-priority pattern's of the same detector at the same
/// start (a card's grouping, and the same grouping after a card word) is one candidate.
struct OncePerStart<'c, C> {
    inner: &'c mut C,
    /// Detectors (bit `d`, the first 64) counted at this start.
    seen: u64,
}

impl<C: ScanCounters> OncePerStart<'_, C> {
    /// Was `detector` counted at this start already? Marks it counted.
    fn again(&mut self, detector: DetectorId) -> bool {
        let Some(bit) = u32::try_from(detector)
            .ok()
            .and_then(|d| 1u64.checked_shl(d))
        else {
            return false;
        };
        let again = self.seen & bit != 0;
        self.seen |= bit;
        again
    }
}

impl<C: ScanCounters> ScanCounters for OncePerStart<'_, C> {
    fn rejected(&mut self, detector: DetectorId) {
        if !self.again(detector) {
            self.inner.rejected(detector);
        }
    }

    fn excluded(&mut self, detector: DetectorId) {
        match self.again(detector) {
            false => self.inner.excluded(detector),
            true => self.inner.excluded_again(detector),
        }
    }

    fn excluded_again(&mut self, detector: DetectorId) {
        self.inner.excluded_again(detector);
    }
}

impl Engine {
    /// Compile `specs` (already in priority order; detector ids are their indices).
    pub fn new(specs: &[DetectorSpec]) -> Result<Engine, Error> {
        Engine::build(specs, plan)
    }

    /// Compile with the grouping `plan` gives for the patterns' shapes.
    fn build(
        specs: &[DetectorSpec],
        plan: impl Fn(&[Shape]) -> Vec<Plan>,
    ) -> Result<Engine, Error> {
        // In pack order; sorted by priority below (stable). Parsing and reading each
        // pattern's shape is a fifth of start-up: the cores share it (the first error in
        // pack order is the one reported).
        let jobs: Vec<(DetectorId, &DetectorSpec, &PatternSpec)> = specs
            .iter()
            .enumerate()
            .flat_map(|(detector, spec)| spec.patterns.iter().map(move |p| (detector, spec, p)))
            .collect();
        let entries: Vec<Result<Entry, Error>> = jobs
            .par_iter()
            .map(|&(detector, spec, p)| Entry::new(detector, spec, p))
            .collect();
        let mut ordered: Vec<Entry> = Vec::with_capacity(entries.len());
        for entry in entries {
            ordered.push(entry?);
        }
        let max_len = ordered.iter().map(|o| o.max_len).max().unwrap_or(0);
        if ordered.is_empty() {
            return Err(Error::NoDetectors);
        }
        ordered.sort_by_key(|o| o.priority);
        let shapes: Vec<Shape> = ordered.iter().map(|o| o.shape.clone()).collect();
        let plans = plan(&shapes);
        // Start-up is mostly compiling each group's NFA and reading its skip automaton's
        // idle bytes; the pool's threads share the groups out.
        let built: Vec<Result<Group, Error>> = plans
            .into_par_iter()
            .map(|p| build_group(&ordered, p))
            .collect();
        let mut groups = Vec::new();
        let mut literal_groups = Vec::new();
        for group in built {
            let group = group?;
            for (local, &i) in group.patterns.iter().enumerate() {
                ordered[i].compiled.value_group = group.regex.group_index(local, "v");
            }
            if group.starts.is_some() {
                literal_groups.push(group.patterns[0]);
            }
            groups.push(group);
        }
        let literals = match literal_groups.len() {
            0 | 1 => None,
            _ => {
                let hirs: Vec<&Hir> = literal_groups.iter().map(|&i| &*ordered[i].hir).collect();
                Prefilter::from_hirs_prefix(MatchKind::LeftmostFirst, &hirs)
            }
        };
        Ok(Engine {
            groups,
            literals,
            patterns: ordered.into_iter().map(|o| o.compiled).collect(),
            max_len,
            labels: label_starts(specs),
        })
    }

    /// A function that makes caches for this engine (for a per-thread pool).
    pub fn cache_factory(&self) -> impl Fn() -> Cache + Send + Sync + 'static {
        type Automata = (Matcher, usize, Option<SkipDfa>);
        let automata: Vec<Automata> = self
            .groups
            .iter()
            .map(|g| (g.regex.clone(), g.reverse.len(), g.skip.clone()))
            .collect();
        move || Cache {
            groups: automata
                .iter()
                .map(|(r, rev, skip)| GroupCache {
                    re: r.create_cache(),
                    rev: vec![None; *rev],
                    cursor: Cursor::Unknown,
                    skip: skip.as_ref().map(SkipDfa::create_cache),
                })
                .collect(),
            key: (0, 0, 0),
            waiting: Vec::new(),
            literal: None,
            idle: 0,
        }
    }

    /// The groups (bit `gi`, the first 64) that have no match in any piece of `hay`: none
    /// of their rare bytes or literals occurs in it, and each of their matches holds one.
    /// The JSON walker scans each string of a line without escapes apart, with its key
    /// before it as context only: every such string is a piece of the line.
    pub(crate) fn idle_groups(&self, hay: &[u8]) -> u64 {
        let whole = Span::from(0..hay.len());
        let no_literal = self
            .literals
            .as_ref()
            .map(|all| all.find(hay, whole).is_none());
        let mut idle = 0u64;
        for (gi, group) in self.groups.iter().enumerate().take(64) {
            let none = match &group.starts {
                Some(starts) => no_literal.unwrap_or_else(|| starts.find(hay, whole).is_none()),
                None => group.scanner.absent_from(hay),
            };
            if none {
                idle |= 1 << gi;
            }
        }
        idle
    }

    /// Does a pattern of `detector` take a value after its cue (a group named `v`)? The
    /// extent of such a value is read loosely (`no rek 1234567890 0812-…` takes digit
    /// groups up to 18 digits), not checked as an identifier's own format is.
    pub(crate) fn takes_values(&self, detector: DetectorId) -> bool {
        self.patterns
            .iter()
            .any(|p| p.detector == detector && p.value_group.is_some())
    }

    /// How many bytes past a window's commit point a scan needs to decide every candidate
    /// that starts before it: the longest match plus the right context rules read.
    pub fn overlap(&self) -> usize {
        self.max_len + RIGHT_CONTEXT
    }

    /// How many bytes before the scan start the context rules may read.
    pub fn lookbehind(&self) -> usize {
        LEFT_CONTEXT
    }

    /// Find the first accepted finding whose match starts in `from..limit` (it may end
    /// past `limit`). Bytes of `hay` before `from` are context only.
    ///
    /// Successive calls on the same `hay` and `limit` with growing `from` reuse what each
    /// group found before; call [`Cache::reset`] before scanning a different haystack.
    /// The result is that of one leftmost-first search over all patterns: the leftmost
    /// match start where some pattern is accepted, the highest-priority pattern there.
    pub fn next_finding(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        from: usize,
        limit: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        let limit = limit.min(hay.len());
        if from >= limit {
            // A span that ran past the limit: nothing starts in `from..limit`.
            return None;
        }
        let key = (hay.as_ptr() as usize, hay.len(), limit);
        if cache.key != key {
            cache.reset();
            cache.key = key;
        }
        let mut best: Option<(usize, usize, usize)> = None; // (start, pattern, group)
        let consider = |best: &mut Option<(usize, usize, usize)>, found, gi| {
            if let Some((s, p)) = found {
                if best.is_none_or(|(bs, bp, _)| (s, p) < (bs, bp)) {
                    *best = Some((s, p, gi));
                }
            }
        };
        // Groups that start with a literal wait: one whose next literal comes after the best
        // start of the others cannot win, and is not searched (a JWT inside a Bearer
        // credential is not walked twice).
        let mut waiting = std::mem::take(&mut cache.waiting);
        waiting.clear();
        for (gi, group) in self.groups.iter().enumerate() {
            if gi < 64 && cache.idle >> gi & 1 == 1 {
                continue;
            }
            match &group.starts {
                None => consider(
                    &mut best,
                    self.settle(gi, cache, hay, from, limit, counters),
                    gi,
                ),
                Some(starts) => {
                    if let Some(at) = self.next_literal(starts, gi, cache, hay, from, limit) {
                        waiting.push((at, gi));
                    }
                }
            }
        }
        waiting.sort_unstable();
        for &(at, gi) in &waiting {
            if best.is_some_and(|(bs, _, _)| at > bs) {
                break;
            }
            consider(
                &mut best,
                self.settle(gi, cache, hay, from, limit, counters),
                gi,
            );
        }
        cache.waiting = waiting;
        let (_, _, gi) = best?;
        match &cache.groups[gi].cursor {
            Cursor::Searched {
                found: Some((_, _, f)),
                ..
            } => Some(f.clone()),
            _ => None,
        }
    }

    /// The group's first accepted candidate from `from` (start, pattern), searched unless its
    /// cursor already knows it.
    fn settle(
        &self,
        gi: usize,
        cache: &mut Cache,
        hay: &[u8],
        from: usize,
        limit: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<(usize, usize)> {
        let cursor = &cache.groups[gi].cursor;
        if let Some(known) = cursor.known(from) {
            return known;
        }
        let search_from = match cursor {
            Cursor::NotBefore { from: f, at } if *f <= from => from.max(*at),
            _ => from,
        };
        let found = self.group_next(gi, cache, hay, search_from, limit, counters);
        let next = found.as_ref().map(|(s, p, _)| (*s, *p));
        cache.groups[gi].cursor = Cursor::Searched { from, found };
        next
    }

    /// Where the next of a literal-start group's literals begins at or after `from` (no
    /// match of it starts before), or `None` if none begins before `limit`.
    fn next_literal(
        &self,
        starts: &Prefilter,
        gi: usize,
        cache: &mut Cache,
        hay: &[u8],
        from: usize,
        limit: usize,
    ) -> Option<usize> {
        let cursor = &cache.groups[gi].cursor;
        if let Some(known) = cursor.known(from) {
            return known.map(|(s, _)| s);
        }
        if let Cursor::NotBefore { from: f, at } = cursor {
            if *f <= from && *at >= from {
                return Some(*at);
            }
        }
        // All such groups' literals in one scan first: most text holds none of them.
        let Some(floor) = self.first_literal(cache, hay, from, limit) else {
            cache.groups[gi].cursor = Cursor::Searched { from, found: None };
            return None;
        };
        let cursor = &mut cache.groups[gi].cursor;
        let end = hay.len().min(limit.saturating_add(starts.max_needle_len()));
        match starts.find(hay, Span::from(floor..end)) {
            Some(m) if m.start < limit => {
                *cursor = Cursor::NotBefore { from, at: m.start };
                Some(m.start)
            }
            _ => {
                *cursor = Cursor::Searched { from, found: None };
                None
            }
        }
    }

    /// Where the first literal of any literal-start group begins at or after `from`, or
    /// `None` if none begins before `limit`.
    fn first_literal(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        from: usize,
        limit: usize,
    ) -> Option<usize> {
        let Some(all) = &self.literals else {
            return Some(from);
        };
        match cache.literal {
            Some((f, found)) if f <= from && found.is_none_or(|at| at >= from) => return found,
            _ => {}
        }
        let end = hay.len().min(limit.saturating_add(all.max_needle_len()));
        let found = all
            .find(hay, Span::from(from..end))
            .map(|m| m.start)
            .filter(|&at| at < limit);
        cache.literal = Some((from, found));
        found
    }

    /// The first accepted candidate of group `gi` whose match starts in `from..limit`.
    fn group_next(
        &self,
        gi: usize,
        cache: &mut Cache,
        hay: &[u8],
        from: usize,
        limit: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<(usize, usize, Finding)> {
        let group = &self.groups[gi];
        // A match that starts before `limit` ends within `max_len` of it and never crosses a
        // newline; searching further would only find a later match to throw away. When the
        // byte before `limit` is a newline, that is where every such match has ended (a scan
        // up to a line start must not read the next line: the JSON path asks for one line,
        // or the run of text lines before a JSON line, at a time).
        let cap = hay.len().min(limit.saturating_add(group.max_len));
        let nl_from = limit.saturating_sub(1).max(from);
        let bound = match hay.get(nl_from..cap) {
            Some(rest) => memchr::memchr(b'\n', rest).map_or(cap, |p| nl_from + p),
            None => cap,
        };
        let gc = &mut cache.groups[gi];
        let mut pos = from;
        while pos < limit {
            let region = group
                .scanner
                .next_region(hay, pos, limit, bound, group.max_len)?;
            let stop = region.end.min(bound);
            let mut at = region.start;
            while at < limit.min(stop) {
                let input = Input::new(hay).span(at..stop);
                let Some((s, e, local)) = search(group, gc, &input) else {
                    break;
                };
                if s >= limit {
                    return None;
                }
                let counters = &mut OncePerStart {
                    inner: &mut *counters,
                    seen: 0,
                };
                if let Some(f) = self.try_at(group, gc, hay, local, s, e, stop, counters) {
                    return Some((s, group.patterns[local], f));
                }
                let first = hay[s];
                for next in local + 1..group.patterns.len() {
                    if !self.patterns[group.patterns[next]].first.contains(first) {
                        continue;
                    }
                    if let Some(e) = anchored_end(group, gc, hay, next, s, stop) {
                        if let Some(f) = self.try_at(group, gc, hay, next, s, e, stop, counters) {
                            return Some((s, group.patterns[next], f));
                        }
                    }
                }
                at = s + 1;
            }
            pos = region.end.max(pos + 1);
        }
        None
    }

    /// Accept the match `s..e` of the group's pattern `local`, or else a shorter match of
    /// the same pattern that ends before one of its separators (`0810000000 0.0.0.0`: the
    /// greedy match took a group too many and failed the validator; the number alone is
    /// valid).
    #[allow(clippy::too_many_arguments)]
    fn try_at(
        &self,
        group: &Group,
        gc: &mut GroupCache,
        hay: &[u8],
        local: usize,
        s: usize,
        e: usize,
        stop: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        if let Some(f) = self.accept(group, gc, hay, local, s, e, counters) {
            return Some(f);
        }
        let mut end = e;
        for _ in 0..MAX_SHORTER {
            let cut = s + hay[s..end]
                .iter()
                .rposition(|b| matches!(b, b' ' | b'-' | b'.'))?;
            if cut == s {
                return None;
            }
            end = match anchored_end(group, gc, hay, local, s, cut.min(stop)) {
                Some(e) => {
                    if let Some(f) = self.accept(group, gc, hay, local, s, e, counters) {
                        return Some(f);
                    }
                    e
                }
                None => cut,
            };
        }
        None
    }

    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn accept(
        &self,
        group: &Group,
        gc: &mut GroupCache,
        hay: &[u8],
        local: usize,
        s: usize,
        e: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        let p = &self.patterns[group.patterns[local]];
        let m = s;
        // A rule that reads only what comes before the match is tested before the value is
        // looked for (a capture search costs more): `an` after no number is English.
        let before_only = matches!(p.boundary, Boundary::Option | Boundary::AfterNumber);
        if before_only && !boundary_ok(p.boundary, hay, m, m, e) {
            counters.rejected(p.detector);
            return None;
        }
        let (s, e) = match (p.value_group, p.value_tail) {
            (None, _) => (s, e),
            (Some(_), Some(tail)) => (tail.start(hay, s, e), e),
            (Some(g), None) => {
                let input = Input::new(hay)
                    .span(s..e)
                    .anchored(Anchored::Pattern(PatternID::new_unchecked(local)));
                match group.regex.capture(&mut gc.re, &input, g) {
                    Some(v) => v,
                    None => {
                        counters.rejected(p.detector);
                        return None;
                    }
                }
            }
        };
        // A cue read through a label an earlier pass wrote (`pwd=[REDACTED:pwd] x1234567`:
        // the first pass saw a digit where the label is, and took no value there).
        if s > m && self.label_within(hay, m, s) {
            counters.rejected(p.detector);
            return None;
        }
        let (s, e) = match p.boundary {
            Boundary::Token => trim_underscores(hay, s, e),
            _ => (s, e),
        };
        let span = match before_only || boundary_ok(p.boundary, hay, m, s, e) {
            true => p.validator.check(hay, s, e),
            false => None,
        };
        // The keyword look comes last: it costs more than most validators (a memchr per
        // keyword over the window), and most candidates of a keyword pattern fail their
        // validator (digit runs that are no card, no NIK). Same answer in either order.
        let span = span.filter(|_| {
            p.keywords.is_empty()
                || keyword_before(
                    hay,
                    s,
                    keyword_window(p.boundary, hay, s, p.keyword_window),
                    &p.keywords,
                )
        });
        match span {
            Some((s, e)) if s < e => {
                if !p.exclude.is_empty() && excluded_before(hay, s, &p.exclude) {
                    counters.excluded(p.detector);
                    return None;
                }
                Some(Finding {
                    detector: p.detector,
                    span: s..e,
                })
            }
            _ => {
                counters.rejected(p.detector);
                None
            }
        }
    }
}

impl Engine {
    /// Does a label samar writes lie in, or reach into, `hay[m..s]` (a cue word may be the
    /// name inside a label: `[REDACTED:pwd] x`)?
    fn label_within(&self, hay: &[u8], m: usize, s: usize) -> bool {
        let lo = m.saturating_sub(LABEL_REACH);
        memchr::memchr_iter(b'[', &hay[lo..s]).any(|i| {
            let at = &hay[lo + i..];
            self.labels
                .iter()
                .any(|l| at.get(..l.len()).is_some_and(|t| t == &l[..]))
                && at[..at.len().min(LABEL_REACH)]
                    .iter()
                    .position(|&b| b == b']')
                    .is_some_and(|end| lo + i + end >= m)
        })
    }
}

/// How far before a match a label that reaches into it may start.
const LABEL_REACH: usize = 96;

/// The starts of every label the detectors and key rules write: `[REDACTED:`, and `[LABEL]`
/// and `[LABEL:` (the hash action) for each detector.
fn label_starts(specs: &[DetectorSpec]) -> Vec<Box<[u8]>> {
    let mut out: Vec<Box<[u8]>> = vec![b"[REDACTED:".to_vec().into_boxed_slice()];
    for s in specs {
        for end in ["]", ":"] {
            out.push(format!("[{}{end}", s.label).into_bytes().into_boxed_slice());
        }
    }
    out
}

/// The leftmost-first match of the group's regex in `input`: (start, end, pattern). The
/// forward search gives the end and the pattern; that pattern's own reverse automaton, run
/// back from the end to the search's start, gives the start (the same answer as the
/// regex's own reverse search; if the reverse automaton fails, that search is used).
fn search(group: &Group, gc: &mut GroupCache, input: &Input<'_>) -> Option<(usize, usize, usize)> {
    if let Some(starts) = &group.starts {
        let mut at = input.start();
        while at < input.end() {
            let c = starts
                .find(input.haystack(), Span::from(at..input.end()))?
                .start;
            // No match is longer than the group's longest; its regex may be lifted (see
            // `lift`) and match more when not capped.
            let stop = input.end().min(c.saturating_add(group.max_len));
            let here = input.clone().span(c..stop).anchored(Anchored::Yes);
            if let Some(half) = group.regex.search_half(&mut gc.re, &here) {
                return Some((c, half.offset(), half.pattern().as_usize()));
            }
            at = c + 1;
        }
        return None;
    }
    let forward = match (&group.skip, &mut gc.skip) {
        (Some(skip), Some(sc)) => skip.find(sc, input).ok(),
        _ => None,
    };
    let half = match forward {
        Some(found) => found?,
        None => group.regex.search_half(&mut gc.re, input)?,
    };
    let (e, local) = (half.offset(), half.pattern().as_usize());
    let back = input.clone().span(input.start()..e).anchored(Anchored::Yes);
    match group.reverse[local].start(&mut gc.rev[local], &back) {
        Some(start) => Some((start, e, local)),
        None => group
            .regex
            .search(&mut gc.re, input)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize())),
    }
}

/// Compile the group `p` of the patterns `ordered` (parsed with [`parse_hir`]; priority
/// order).
fn build_group(ordered: &[Entry], p: Plan) -> Result<Group, Error> {
    let hirs: Vec<&Arc<Hir>> = p.members.iter().map(|&i| &ordered[i].hir).collect();
    // A pattern alone in a group over all the text that starts with a literal is searched
    // from its literals (`starts`). A side group has its regions already (its literals in
    // the scan of all literals cost the clean corpus 3 %).
    let starts = match &hirs[..] {
        [hir]
            if ordered[p.members[0]].shape.literal_start
                && matches!(p.scanner, Scanner::Everything) =>
        {
            Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, hir)
        }
        _ => None,
    };
    let regex = match (&starts, &hirs[..]) {
        // Such a search is anchored and its span capped at the longest match: the
        // pattern's long repetitions can be compiled unbounded (see `lift`), which keeps big
        // token patterns from dominating start-up.
        (Some(_), [hir]) => match lift_long_repetitions(hir) {
            Some(lifted) => Matcher::new(&[Arc::new(lifted)])?,
            None => Matcher::new(&[Arc::clone(hir)])?,
        },
        _ => Matcher::new(&hirs.iter().map(|&h| Arc::clone(h)).collect::<Vec<_>>())?,
    };
    // A literal-start group's matches start at its literals: it needs no reverse
    // automaton.
    let reverse = match starts {
        Some(_) => Vec::new(),
        None => hirs.iter().map(|&h| Reverse::new(Arc::clone(h))).collect(),
    };
    let skip = match (&starts, &p.scanner) {
        (None, Scanner::Everything) => Some(SkipDfa::new(&regex, 8 << 20)?),
        _ => None,
    };
    Ok(Group {
        regex,
        #[cfg(test)]
        hirs: hirs.into_iter().cloned().collect(),
        reverse,
        starts,
        skip,
        scanner: p.scanner,
        max_len: p
            .members
            .iter()
            .map(|&i| ordered[i].max_len)
            .max()
            .unwrap_or(0),
        patterns: p.members,
    })
}

/// Where a match of the group's pattern `local` starting exactly at `s` and ending by
/// `end` ends.
fn anchored_end(
    group: &Group,
    gc: &mut GroupCache,
    hay: &[u8],
    local: usize,
    s: usize,
    end: usize,
) -> Option<usize> {
    let input = Input::new(hay)
        .span(s..end)
        .anchored(Anchored::Pattern(PatternID::new_unchecked(local)));
    group
        .regex
        .search_half(&mut gc.re, &input)
        .map(|m| m.offset())
}

fn lowercase_all(words: &[String]) -> Vec<Box<[u8]>> {
    words
        .iter()
        .map(|k| k.to_ascii_lowercase().into_bytes().into_boxed_slice())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything in the main automaton, no side groups.
    fn single(specs: &[DetectorSpec]) -> Engine {
        Engine::build(specs, |shapes| {
            vec![Plan {
                scanner: Scanner::Everything,
                members: (0..shapes.len()).collect(),
            }]
        })
        .unwrap()
    }

    struct NoCounters;
    impl ScanCounters for NoCounters {
        fn rejected(&mut self, _: DetectorId) {}
    }

    fn findings(engine: &Engine, hay: &[u8]) -> Vec<Finding> {
        let mut cache = engine.cache_factory()();
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(f) = engine.next_finding(&mut cache, hay, at, hay.len(), &mut NoCounters) {
            at = f.span.end.max(at + 1);
            out.push(f);
        }
        out
    }

    /// Patterns are parsed on several threads; the error is still the first bad pattern's
    /// in pack order, whichever thread failed first.
    #[test]
    fn the_first_bad_pattern_in_pack_order_is_reported() {
        let mut specs = crate::detector::builtin_specs().unwrap();
        let last = specs.len() - 1;
        for (i, bad) in [(2, "(unclosed"), (last, "[")] {
            specs[i].patterns[0].regex = bad.to_string();
        }
        let want = format!("{}.toml", specs[2].id);
        match Engine::new(&specs) {
            Err(Error::Pattern { file, reason }) => {
                assert_eq!(file, want);
                let name = &specs[2].patterns[0].name;
                assert!(
                    reason.starts_with(&format!("pattern `{name}`: ")),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
        specs[2].patterns[0].regex = "x[0-9]{4}y".to_string();
        match Engine::new(&specs) {
            Err(Error::Pattern { file, .. }) => {
                assert_eq!(file, format!("{}.toml", specs[last].id))
            }
            other => panic!("{other:?}"),
        }
    }

    /// A pattern's reverse automaton is compiled when a match of it first needs its start,
    /// not at start-up: after a text with one email, only the email pattern has one.
    #[test]
    fn reverse_automata_are_compiled_on_first_use() {
        let specs = crate::detector::builtin_specs().unwrap();
        let e = Engine::new(&specs).unwrap();
        let compiled = |e: &Engine| -> Vec<&str> {
            let mut ids: Vec<&str> = e
                .groups
                .iter()
                .flat_map(|g| g.patterns.iter().zip(&g.reverse))
                .filter(|(_, r)| r.is_compiled())
                .map(|(&p, _)| specs[e.patterns[p].detector].id.as_str())
                .collect();
            ids.dedup();
            ids
        };
        assert!(compiled(&e).is_empty());
        let found = findings(&e, b"status=200 mail budi@example.co.id done");
        assert_eq!(found.len(), 1);
        assert_eq!(compiled(&e), ["email"]);
        // The next match of it reuses it; the start is the same as the regex's.
        let found = findings(&e, b"a@b.id c@d.id");
        assert_eq!(
            found.iter().map(|f| f.span.clone()).collect::<Vec<_>>(),
            [0..6, 7..13]
        );
        assert_eq!(compiled(&e), ["email"]);
    }

    #[test]
    fn the_default_pack_groups() {
        let specs = crate::detector::builtin_specs().unwrap();
        let e = Engine::new(&specs).unwrap();
        let detector_of = |g: &Group| -> Vec<&str> {
            g.patterns
                .iter()
                .map(|&p| specs[e.patterns[p].detector].id.as_str())
                .collect()
        };
        // The main automaton first, over all the text.
        assert!(matches!(e.groups[0].scanner, Scanner::Everything));
        assert!(detector_of(&e.groups[0]).contains(&"phone"));
        // Emails (and URL credentials) around their rare bytes.
        assert!(e.groups[1..].iter().any(
            |g| matches!(g.scanner, Scanner::Rare { .. }) && detector_of(g).contains(&"email")
        ));
        // Spelled-out emails around their `[at]`, ` at `, ` dot `… literals.
        let spelled: Vec<Vec<&str>> = e.groups[1..]
            .iter()
            .filter(|g| matches!(g.scanner, Scanner::Literals { .. }))
            .map(detector_of)
            .collect();
        assert_eq!(spelled, vec![vec!["email"]]);
        // Long tokens after a literal, each in a group of its own: JWTs, Bearer and Basic.
        let alone: Vec<Vec<&str>> = e.groups[1..]
            .iter()
            .filter(|g| matches!(g.scanner, Scanner::Everything))
            .map(detector_of)
            .collect();
        assert_eq!(alone, vec![vec!["jwt"], vec!["auth"], vec!["auth"]]);
        assert!(!detector_of(&e.groups[0]).contains(&"jwt"));
    }

    /// The JWT group's regex is compiled with its long runs unbounded and searched within
    /// the pattern's longest match: a payload longer than the original bound is still one
    /// finding, and no finding is longer than the longest match.
    #[test]
    fn lifted_token_patterns_match_within_their_cap() {
        let specs = crate::detector::builtin_specs().unwrap();
        let e = Engine::new(&specs).unwrap();
        let jwt = specs.iter().position(|s| s.id == "jwt").unwrap();
        let token = |payload: usize| {
            format!(
                "t eyJhbGciOiJIUzI1NiJ9.eyJ{}.c2lnbmF0dXJl end",
                "a".repeat(payload)
            )
        };
        let hay = token(12_000);
        let found = findings(&e, hay.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].detector, jwt);
        assert_eq!(found[0].span, 2..hay.len() - 4);
        // Uncapped, the lifted regex would take a longer token whole: past the longest
        // match there is none (the signature's `.` is beyond the cap).
        let longest = e
            .groups
            .iter()
            .filter(|g| g.patterns.iter().any(|&p| e.patterns[p].detector == jwt))
            .map(|g| g.max_len)
            .max()
            .unwrap();
        let hay = token(longest);
        assert_eq!(findings(&e, hay.as_bytes()), vec![]);
    }

    /// Identifiers, near misses and separators to concatenate at random.
    fn soup() -> impl proptest::strategy::Strategy<Value = Vec<&'static str>> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "budi@mail.co.id",
                "a.b+c@x.org",
                "%40",
                "%2540",
                "@",
                "@@",
                "user%40host.com",
                "https://u:p@h.com/x",
                "ftp://a:b@c",
                "budi [at] gmail",
                " at ",
                " (AT) ",
                " dot ",
                " titik ",
                "[dot]com",
                "co.id",
                "0812-3456-7890",
                "+62 812 3456 7890",
                "+6281234567890@wa.me",
                "10.1.2.3",
                "3273011708900001",
                "4526 0181 5908 3012",
                "01.234.567.4-091.000",
                "2001:db8::1",
                "password=x",
                "bearer abcdefgh12",
                "eyJhbGciOi.eyJzdWIiOi.sig",
                "fe80::1%eth0",
                "1:2:3:4:5:6:7:8",
                "09:14:56",
                "AKIAIOSFODNN7EXAMPLE",
                "-----BEGIN RSA PRIVATE KEY-----",
                "kode OTP: 123456",
                "tokennya  12345678",
                "PIN\t0042",
                "Basic dXNlcjpwYXNz==",
                "mysql -u root -p",
                "redis-cli -h cache -a ",
                "docker login -p '",
                " -u bob:pw",
                "\t--user=:tok",
                "my_aws secret = ",
                "sandi baru: Rahasia_99",
                "no rek BCA ",
                "a/c ",
                " dan ",
                "NPWP ",
                "npwp saya:  ",
                "0925 4294 3407 000",
                "tgl lahir ",
                "17-08-1990",
                "IG saya ",
                "t.me/",
                "@budi_s",
                "/bot123456789:",
                "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",
                "\t",
                "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"",
                "=",
                " ",
                "\n",
                "_",
                ".",
                "-",
                ":",
                "x",
                "9",
                "é",
            ]),
            0..24,
        )
    }

    fn default_engines() -> &'static (Engine, Engine) {
        static ENGINES: std::sync::OnceLock<(Engine, Engine)> = std::sync::OnceLock::new();
        ENGINES.get_or_init(|| {
            let specs = crate::detector::builtin_specs().unwrap();
            (Engine::new(&specs).unwrap(), single(&specs))
        })
    }

    /// The oracle for a group's searches: its patterns as one meta regex (its own forward
    /// and reverse searches, captures from its own engines), leftmost-first.
    fn oracle(group: &Group) -> regex_automata::meta::Regex {
        regex_automata::meta::Regex::builder()
            .configure(
                regex_automata::meta::Regex::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .utf8_empty(false),
            )
            .build_many_from_hir(&group.hirs)
            .unwrap()
    }

    /// Each default engine's groups' oracles (see [`oracle`]).
    fn default_oracles() -> &'static [Vec<regex_automata::meta::Regex>; 2] {
        static ORACLES: std::sync::OnceLock<[Vec<regex_automata::meta::Regex>; 2]> =
            std::sync::OnceLock::new();
        ORACLES.get_or_init(|| {
            let (grouped, single) = default_engines();
            [grouped, single].map(|e| e.groups.iter().map(oracle).collect())
        })
    }

    /// Run `check` on every group of both default engines, each with a fresh cache and its
    /// oracle.
    fn each_group(
        mut check: impl FnMut(
            &Group,
            &mut GroupCache,
            &regex_automata::meta::Regex,
        ) -> Result<(), proptest::test_runner::TestCaseError>,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let (grouped, single) = default_engines();
        for (engine, oracles) in [grouped, single].into_iter().zip(default_oracles()) {
            let mut cache = engine.cache_factory()();
            for ((group, gc), oracle) in engine.groups.iter().zip(&mut cache.groups).zip(oracles) {
                check(group, gc, oracle)?;
            }
        }
        Ok(())
    }

    /// Each pattern of the default pack as written and as compiled (its boundaries turned
    /// into look-behinds, see [`crate::halfword`]), each as a meta regex.
    fn written_and_compiled(
    ) -> &'static [(regex_automata::meta::Regex, regex_automata::meta::Regex)] {
        static PAIRS: std::sync::OnceLock<
            Vec<(regex_automata::meta::Regex, regex_automata::meta::Regex)>,
        > = std::sync::OnceLock::new();
        PAIRS.get_or_init(|| {
            let meta = |hir: &Hir| {
                regex_automata::meta::Regex::builder()
                    .configure(
                        regex_automata::meta::Regex::config()
                            .match_kind(MatchKind::LeftmostFirst)
                            .utf8_empty(false),
                    )
                    .build_from_hir(hir)
                    .unwrap()
            };
            crate::detector::builtin_specs()
                .unwrap()
                .iter()
                .flat_map(|spec| spec.patterns.iter())
                .map(|p| {
                    let hir = parse_hir(&p.regex).unwrap();
                    let compiled = crate::halfword::behind_boundaries(hir.clone());
                    (meta(&hir), meta(&compiled))
                })
                .collect()
        })
    }

    proptest::proptest! {
        /// Boundaries compiled as look-behinds change no match and no capture of any
        /// pattern, at any start.
        #[test]
        fn look_behind_boundaries_match_as_written(parts in soup()) {
            let hay = parts.concat();
            for (written, compiled) in written_and_compiled() {
                let mut want = written.create_captures();
                let mut got = compiled.create_captures();
                for start in 0..=hay.len() {
                    let input = Input::new(&hay).span(start..hay.len());
                    written.search_captures(&input, &mut want);
                    compiled.search_captures(&input, &mut got);
                    let spans = |c: &regex_automata::util::captures::Captures| {
                        (0..c.group_len()).map(|g| c.get_group(g)).collect::<Vec<_>>()
                    };
                    proptest::prop_assert_eq!(spans(&want), spans(&got), "{:?} at {}", hay, start);
                }
            }
        }

        /// Side groups change nothing: the same findings as one automaton over all patterns.
        #[test]
        fn side_groups_find_what_one_automaton_finds(parts in soup()) {
            let (grouped, single) = default_engines();
            let hay = parts.concat();
            proptest::prop_assert_eq!(findings(grouped, hay.as_bytes()), findings(single, hay.as_bytes()));
        }

        /// Each pattern's own reverse automaton finds the start the regex's own search
        /// reports, from every search start, in every group of both engines.
        #[test]
        fn per_pattern_reverse_finds_the_regex_start(parts in soup()) {
            let hay = parts.concat();
            let hay = hay.as_bytes();
            each_group(|group, gc, oracle| {
                for at in 0..=hay.len() {
                    let input = Input::new(hay).span(at..hay.len());
                    let ours = search(group, gc, &input);
                    let theirs = oracle
                        .search(&input)
                        .map(|m| (m.start(), m.end(), m.pattern().as_usize()));
                    proptest::prop_assert_eq!(ours, theirs, "from {}", at);
                }
                Ok(())
            })?;
        }

        /// The forward search that skips idle text ends where the regex's own half search
        /// ends, for every span, in every group that has one.
        #[test]
        fn skip_search_ends_where_the_regex_ends(parts in soup()) {
            let hay = parts.concat();
            let hay = hay.as_bytes();
            each_group(|group, gc, oracle| {
                let (Some(skip), Some(sc)) = (&group.skip, &mut gc.skip) else {
                    return Ok(());
                };
                for at in 0..=hay.len() {
                    for end in at..=hay.len() {
                        let input = Input::new(hay).span(at..end);
                        let ours = skip.find(sc, &input).ok();
                        let theirs = oracle.search_half(&input);
                        proptest::prop_assert_eq!(ours, Some(theirs), "{}..{}", at, end);
                    }
                }
                Ok(())
            })?;
        }

        /// Anchored at a pattern, a group's search ends where the oracle's does, and the
        /// value group the capture search gives over that match is the oracle's, for
        /// every start, pattern and group of both engines.
        #[test]
        fn anchored_ends_and_values_are_the_oracles(parts in soup()) {
            let hay = parts.concat();
            let hay = hay.as_bytes();
            each_group(|group, gc, oracle| {
                let mut caps = oracle.create_captures();
                for local in 0..group.patterns.len() {
                    let value = group.regex.group_index(local, "v");
                    proptest::prop_assert_eq!(value, oracle.group_info().to_index(PatternID::must(local), "v"));
                    for at in 0..hay.len() {
                        let input = Input::new(hay)
                            .span(at..hay.len())
                            .anchored(Anchored::Pattern(PatternID::must(local)));
                        let end = group.regex.search_half(&mut gc.re, &input);
                        oracle.search_captures(&input, &mut caps);
                        proptest::prop_assert_eq!(
                            end.map(|h| (h.offset(), h.pattern().as_usize())),
                            caps.get_match().map(|m| (m.end(), m.pattern().as_usize())),
                            "pattern {} from {}", local, at
                        );
                        let (Some(m), Some(g)) = (caps.get_match(), value) else {
                            continue;
                        };
                        let matched = input.clone().span(at..m.end());
                        proptest::prop_assert_eq!(
                            group.regex.capture(&mut gc.re, &matched, g),
                            caps.get_group(g).map(|v| (v.start, v.end)),
                            "pattern {} from {}", local, at
                        );
                    }
                }
                Ok(())
            })?;
        }

        /// Where the value ends the match, its start from the value's bytes is the start the
        /// capture search reports, for every match of every such pattern.
        #[test]
        fn value_tail_finds_the_captured_value(parts in soup()) {
            let hay = parts.concat();
            let hay = hay.as_bytes();
            let engine = &default_engines().0;
            let mut tails = 0;
            for (group, oracle) in engine.groups.iter().zip(&default_oracles()[0]) {
                for (local, &p) in group.patterns.iter().enumerate() {
                    let pattern = &engine.patterns[p];
                    let (Some(g), Some(tail)) = (pattern.value_group, pattern.value_tail) else {
                        continue;
                    };
                    tails += 1;
                    let mut caps = oracle.create_captures();
                    for at in 0..hay.len() {
                        let input = Input::new(hay)
                            .span(at..hay.len())
                            .anchored(Anchored::Pattern(PatternID::new_unchecked(local)));
                        oracle.search_captures(&input, &mut caps);
                        let (Some(m), Some(v)) = (caps.get_match(), caps.get_group(g)) else {
                            continue;
                        };
                        proptest::prop_assert_eq!(v.end, m.end());
                        proptest::prop_assert_eq!(tail.start(hay, m.start(), m.end()), v.start);
                    }
                }
            }
            // Bearer, Basic, the AWS secret, the password and OTP after their cues, a quoted
            // `-u 'user:password'`, redis-cli's `-a X`, `docker login -p X`, iptables' MAC=;
            // after blanks: the bank account after its cue or a bank's name, the NPWP after
            // the word, the code after `kode` or `token`, a handle after its network's name
            // or in a profile link, a webhook URL after its `/` (a Telegram bot's token after
            // an optional `bot` has no fixed last byte before it, and a birth date may start
            // with a month's letters, as its cue's place does: the capture search finds
            // those).
            proptest::prop_assert_eq!(tails, 18);
        }
    }
}
