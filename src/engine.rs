//! The compiled engine: every pattern of every detector in ONE regex-automata multi-pattern
//! regex (ASCII syntax, leftmost-first, pattern order = priority).
//!
//! Find loop: search for the leftmost candidate; check its boundary, keywords and validator;
//! on failure give each lower-priority pattern that can start with the same byte its chance
//! at the same start (`Anchored::Pattern`); if none accepts, resume one byte later.

use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternID};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use crate::context::{
    boundary_ok, excluded_before, keyword_before, trim_underscores, LEFT_CONTEXT, RIGHT_CONTEXT,
};
use crate::detector::{check_regex, parse_hir, syntax_config, Boundary, DetectorSpec};
use crate::error::Error;
use crate::finding::{DetectorId, Finding};
use crate::validate::Validator;

/// How many shorter matches are tried after a candidate fails its checks.
const MAX_SHORTER: usize = 3;

/// Per-thread search state: the regex cache and room for a value group's captures.
#[derive(Debug, Clone)]
pub struct Cache {
    re: meta::Cache,
    caps: Captures,
}

#[derive(Debug)]
struct CompiledPattern {
    detector: DetectorId,
    validator: Validator,
    boundary: Boundary,
    keywords: Vec<Box<[u8]>>,
    exclude: Vec<Box<[u8]>>,
    /// Bytes a match of this pattern can start with (256-bit set).
    first: [u64; 4],
    /// The regex has a group named `v`: the finding is that group, the rest is context
    /// (`bearer\s+(?P<v>…)`).
    value_group: Option<usize>,
}

/// All detectors compiled into one automaton. Immutable, `Send + Sync`.
#[derive(Debug)]
pub struct Engine {
    regex: Regex,
    patterns: Vec<CompiledPattern>,
    max_len: usize,
}

/// Counters a scan updates, indexed by detector.
pub trait ScanCounters {
    /// A candidate of `detector` failed its boundary, keyword or validator check.
    fn rejected(&mut self, detector: DetectorId);
}

impl Engine {
    /// Compile `specs` (already in priority order; detector ids are their indices).
    pub fn new(specs: &[DetectorSpec]) -> Result<Engine, Error> {
        // (priority, regex, compiled) in pack order; sorted by priority below (stable).
        let mut ordered: Vec<(i32, &str, CompiledPattern)> = Vec::new();
        let mut max_len = 0;
        for (detector, spec) in specs.iter().enumerate() {
            for p in &spec.patterns {
                let perr = |reason: String| Error::Pattern {
                    file: format!("{}.toml", spec.id),
                    reason: format!("pattern `{}`: {reason}", p.name),
                };
                max_len = max_len.max(check_regex(&p.regex).map_err(perr)?);
                let validator = match &p.validator {
                    None => Validator::None,
                    Some(name) => Validator::from_name(name)
                        .ok_or_else(|| perr(format!("unknown validator `{name}`")))?,
                };
                let hir = parse_hir(&p.regex).map_err(perr)?;
                let compiled = CompiledPattern {
                    detector,
                    validator,
                    boundary: p.boundary,
                    keywords: lowercase_all(&p.keywords),
                    exclude: lowercase_all(&p.exclude_keywords),
                    first: first_bytes(&hir),
                    value_group: None,
                };
                ordered.push((
                    p.priority.unwrap_or(spec.priority),
                    p.regex.as_str(),
                    compiled,
                ));
            }
        }
        ordered.sort_by_key(|(priority, _, _)| *priority);
        let (regexes, mut patterns): (Vec<&str>, Vec<CompiledPattern>) =
            ordered.into_iter().map(|(_, r, c)| (r, c)).unzip();
        if regexes.is_empty() {
            return Err(Error::NoDetectors);
        }
        let regex = Regex::builder()
            .syntax(syntax_config())
            .configure(
                Regex::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .utf8_empty(false)
                    .hybrid_cache_capacity(8 << 20),
            )
            .build_many(&regexes)
            .map_err(|e| Error::Compile(e.to_string()))?;
        for (pid, p) in patterns.iter_mut().enumerate() {
            p.value_group = regex
                .group_info()
                .to_index(PatternID::new_unchecked(pid), "v");
        }
        Ok(Engine {
            regex,
            patterns,
            max_len,
        })
    }

    /// A function that makes caches for this engine (for a per-thread pool).
    pub fn cache_factory(&self) -> impl Fn() -> Cache + Send + Sync + 'static {
        let regex = self.regex.clone();
        move || Cache {
            re: regex.create_cache(),
            caps: regex.create_captures(),
        }
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

    /// Find the first accepted finding that starts in `from..limit` (it may end past
    /// `limit`). Bytes of `hay` before `from` are context only.
    pub fn next_finding(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        from: usize,
        limit: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        // A match that starts before `limit` ends within `max_len` of it and never crosses a
        // newline; searching further would only find a later match to throw away.
        // (Look-around assertions still see the bytes past the span.)
        let cap = hay.len().min(limit.saturating_add(self.max_len));
        let end = match hay.get(limit..cap) {
            Some(rest) => memchr::memchr(b'\n', rest).map_or(cap, |p| limit + p),
            None => cap,
        };
        let mut at = from;
        while at < limit {
            let input = Input::new(hay).span(at..end);
            let m = self.regex.search_with(&mut cache.re, &input)?;
            let s = m.start();
            if s >= limit {
                return None;
            }
            if let Some(f) = self.try_at(cache, hay, m.pattern(), s, m.end(), counters) {
                return Some(f);
            }
            let first = hay[s];
            for pid in m.pattern().as_usize() + 1..self.patterns.len() {
                let p = &self.patterns[pid];
                if p.first[usize::from(first >> 6)] & (1 << (first & 63)) == 0 {
                    continue;
                }
                let pid = PatternID::new_unchecked(pid);
                if let Some(e) = self.anchored_end(cache, hay, pid, s, hay.len()) {
                    if let Some(f) = self.try_at(cache, hay, pid, s, e, counters) {
                        return Some(f);
                    }
                }
            }
            at = s + 1;
        }
        None
    }

    /// Where a match of pattern `pid` starting exactly at `s` and ending by `end` ends.
    fn anchored_end(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        pid: PatternID,
        s: usize,
        end: usize,
    ) -> Option<usize> {
        let input = Input::new(hay)
            .span(s..end)
            .anchored(Anchored::Pattern(pid));
        self.regex
            .search_with(&mut cache.re, &input)
            .map(|m| m.end())
    }

    /// Accept the match `s..e` of `pid`, or else a shorter match of the same pattern that
    /// ends before one of its separators (`0810000000 0.0.0.0`: the greedy match took a
    /// group too many and failed the validator; the number alone is valid).
    fn try_at(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        pid: PatternID,
        s: usize,
        e: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        if let Some(f) = self.accept(cache, hay, pid, s, e, counters) {
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
            end = match self.anchored_end(cache, hay, pid, s, cut) {
                Some(e) => {
                    if let Some(f) = self.accept(cache, hay, pid, s, e, counters) {
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
    fn accept(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        pid: PatternID,
        s: usize,
        e: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        let p = &self.patterns[pid.as_usize()];
        let (s, e) = match p.value_group {
            None => (s, e),
            Some(g) => {
                let input = Input::new(hay).span(s..e).anchored(Anchored::Pattern(pid));
                self.regex
                    .search_captures_with(&mut cache.re, &input, &mut cache.caps);
                match cache.caps.get_group(g) {
                    Some(v) => (v.start, v.end),
                    None => {
                        counters.rejected(p.detector);
                        return None;
                    }
                }
            }
        };
        let (s, e) = match p.boundary {
            Boundary::Token => trim_underscores(hay, s, e),
            _ => (s, e),
        };
        let ok = boundary_ok(p.boundary, hay, s, e)
            && (p.keywords.is_empty() || keyword_before(hay, s, &p.keywords))
            && (p.exclude.is_empty() || !excluded_before(hay, s, &p.exclude));
        let span = if ok {
            p.validator.check(hay, s, e)
        } else {
            None
        };
        match span {
            Some((s, e)) if s < e => Some(Finding {
                detector: p.detector,
                span: s..e,
            }),
            _ => {
                counters.rejected(p.detector);
                None
            }
        }
    }
}

fn lowercase_all(words: &[String]) -> Vec<Box<[u8]>> {
    words
        .iter()
        .map(|k| k.to_ascii_lowercase().into_bytes().into_boxed_slice())
        .collect()
}

/// The set of bytes a match can start with, from the regex's prefix literals; all bytes when
/// the prefixes are not a small finite set.
fn first_bytes(hir: &regex_syntax::hir::Hir) -> [u64; 4] {
    let all = [u64::MAX; 4];
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let Some(lits) = seq.literals() else {
        return all;
    };
    let mut set = [0u64; 4];
    for lit in lits {
        let Some(&b) = lit.as_bytes().first() else {
            return all;
        };
        set[usize::from(b >> 6)] |= 1 << (b & 63);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::parse_hir;

    #[test]
    fn first_byte_sets() {
        let has = |set: &[u64; 4], b: u8| set[usize::from(b >> 6)] & (1 << (b & 63)) != 0;
        let s = first_bytes(&parse_hir(r"\b[0-9]{4}x").unwrap());
        assert!(has(&s, b'0') && has(&s, b'9') && !has(&s, b'a'));
        let s = first_bytes(&parse_hir(r"(?i)(?:\+|%2b)62").unwrap());
        assert!(has(&s, b'+') && has(&s, b'%') && !has(&s, b'6'));
        let s = first_bytes(&parse_hir(r"[^x]y").unwrap());
        assert!(has(&s, b'a') && has(&s, 0xff));
    }
}
