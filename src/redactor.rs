//! `Redactor`: the compiled engine plus the policy (which detectors, which action each).
//! Built once, shared across threads (`Send + Sync`); each thread takes its own scratch
//! (search cache, hash buffer) from a pool.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::sync::Arc;

use regex_automata::util::pool::Pool;

use crate::action::{canonical, mask_into, partial_mask, Action, Hasher};
use crate::carry::JsonCarry;
use crate::detector::{builtin_specs, DetectorSpec, ValueKind};
use crate::engine::{Cache, Engine, ScanCounters};
use crate::error::{Error, StreamError};
use crate::finding::Finding;
use crate::format::Format;
use crate::json::{self, Walker};
use crate::keys::KeyRules;
use crate::kv::{self, KvFinding};
use crate::stats::{HeldRejections, Stats};
use crate::stream::{self, StreamConfig};
use crate::view::EscapeView;

/// A detector of a compiled redactor, for listings.
#[derive(Debug, Clone)]
pub struct DetectorInfo {
    /// Id used on the command line and in stats.
    pub id: String,
    /// Label written by the `label` action (without brackets).
    pub label: String,
    /// One-line description.
    pub description: String,
    /// The action applied to its findings.
    pub action: Action,
    /// An example input from the pattern file and its redaction with the label action.
    pub example: Option<(String, String)>,
    kind: ValueKind,
    label_bytes: Box<[u8]>,
    pem_block: bool,
    /// A pattern of it takes a value after a cue ([`Engine::takes_values`]).
    takes_values: bool,
}

/// Per-thread working memory.
pub(crate) struct Scratch {
    pub(crate) cache: Cache,
    /// The text around escaped separators, read with each as a blank.
    view: EscapeView,
    /// The cache of looks over a finding's span (see [`Redactor::next_in_text_over`]).
    over: Cache,
    /// The text being searched is known to hold no escaped separator (the strings of a
    /// JSON line without one): the view is not asked.
    unescaped: bool,
    canon: Vec<u8>,
    fold: Vec<u8>,
    bufs: Vec<Vec<u8>>,
    held: HeldRejections,
    /// The quote that opens the decoded string being scanned (see [`kv::next_kv`]), or
    /// `usize::MAX`.
    opened: usize,
    /// The buffer being redacted ends where its text ends (a whole batch, not a window of
    /// a longer line): a key block's last line needs no newline after it.
    whole: bool,
    /// Key blocks carried from one JSON line to the next (see [`crate::carry`]).
    carry: JsonCarry,
    /// A key block of text that runs to the end of the buffer (a record that a record
    /// after it may carry on, see [`crate::records`]): its detector, how it resumes and the
    /// prefix before its marker.
    text_open: Option<(usize, crate::block::Resume)>,
    text_open_pre: Vec<u8>,
}

impl Scratch {
    /// Forget what earlier searches found: the next may be of different text at the same
    /// address.
    fn fresh_search(&mut self) {
        self.cache.reset();
        self.over.reset();
        self.view.reset();
    }
}

type ScratchPool = Pool<
    Scratch,
    Box<dyn Fn() -> Scratch + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>,
>;

/// Redacts personal data from text. Build with [`Redactor::builder`].
pub struct Redactor {
    engine: Engine,
    detectors: Vec<DetectorInfo>,
    ids: Arc<[String]>,
    hasher: Option<Hasher>,
    pool: ScratchPool,
    keys: KeyRules,
    key_names: Arc<[String]>,
    allow: HashSet<Box<[u8]>>,
    format: Format,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("detectors", &self.ids)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Redactor`]: the built-in pack by default, a global action and per-detector
/// actions, detectors enabled or disabled, and the hash key.
#[derive(Debug, Clone, Default)]
pub struct RedactorBuilder {
    specs: Option<Vec<DetectorSpec>>,
    action: Option<Action>,
    per_detector: Vec<(String, Action)>,
    only: Option<Vec<String>>,
    disabled: Vec<String>,
    hash_key: Option<Vec<u8>>,
    keys: Option<KeyRules>,
    allow: Vec<String>,
    format: Format,
}

impl RedactorBuilder {
    /// The key rules (default: [`KeyRules::default`]; [`KeyRules::none`] turns them off).
    pub fn key_rules(mut self, rules: KeyRules) -> Self {
        self.keys = Some(rules);
        self
    }

    /// Values never redacted, compared exactly (a company's own support address, say).
    pub fn allow<I: IntoIterator<Item = S>, S: Into<String>>(mut self, values: I) -> Self {
        self.allow.extend(values.into_iter().map(Into::into));
        self
    }

    /// How lines are read (default: [`Format::Auto`]).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Use these detector specs instead of the built-in pack.
    pub fn specs(mut self, specs: Vec<DetectorSpec>) -> Self {
        self.specs = Some(specs);
        self
    }

    /// The action of every detector without a per-detector action (default: label).
    pub fn action(mut self, action: Action) -> Self {
        self.action = Some(action);
        self
    }

    /// The action of one detector, by id.
    pub fn detector_action(mut self, id: &str, action: Action) -> Self {
        self.per_detector.push((id.to_string(), action));
        self
    }

    /// Enable only these detectors.
    pub fn only<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.only = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Disable a detector.
    pub fn disable(mut self, id: &str) -> Self {
        self.disabled.push(id.to_string());
        self
    }

    /// The key for the hash action.
    pub fn hash_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.hash_key = Some(key.into());
        self
    }

    /// Compile.
    pub fn build(self) -> Result<Redactor, Error> {
        let mut specs = match self.specs {
            Some(s) => s,
            None => builtin_specs()?,
        };
        let known: Vec<String> = specs.iter().map(|s| s.id.clone()).collect();
        let check = |id: &String| {
            if known.contains(id) {
                Ok(())
            } else {
                Err(Error::UnknownDetector(id.clone()))
            }
        };
        let mut actions: HashMap<String, Action> = HashMap::new();
        for (id, a) in &self.per_detector {
            check(id)?;
            actions.insert(id.clone(), *a);
        }
        self.disabled.iter().try_for_each(check)?;
        if let Some(only) = &self.only {
            only.iter().try_for_each(check)?;
            specs.retain(|s| only.contains(&s.id));
        }
        specs.retain(|s| !self.disabled.contains(&s.id));
        if specs.is_empty() {
            return Err(Error::NoDetectors);
        }
        specs.sort_by_key(|s| s.priority);
        // The default key rules (a tenth of a core's start-up) are built beside the engine.
        let given_keys = self.keys;
        let (engine, keys) = rayon::join(|| Engine::new(&specs), || given_keys.unwrap_or_default());
        let engine = engine?;
        let global = self.action.unwrap_or_default();
        let detectors: Vec<DetectorInfo> = specs
            .iter()
            .enumerate()
            .map(|(i, s)| DetectorInfo {
                id: s.id.clone(),
                label: s.label.clone(),
                description: s.description.clone(),
                action: actions.get(&s.id).copied().unwrap_or(global),
                example: s
                    .examples
                    .first()
                    .map(|e| (e.text.clone(), e.redacted.clone())),
                kind: s.kind,
                label_bytes: format!("[{}]", s.label).into_bytes().into_boxed_slice(),
                pem_block: s.patterns.iter().any(|p| p.pem_block),
                takes_values: engine.takes_values(i),
            })
            .collect();
        let needs_key = detectors.iter().any(|d| d.action == Action::Hash);
        let hasher = match (&self.hash_key, needs_key) {
            (Some(k), true) => Some(Hasher::new(k)?),
            (None, true) => return Err(Error::MissingHashKey),
            (_, false) => None,
        };
        let factory = engine.cache_factory();
        let token_max = engine.overlap();
        let pool: ScratchPool = Pool::new(Box::new(move || Scratch {
            cache: factory(),
            view: EscapeView::new(factory(), token_max),
            over: factory(),
            unescaped: false,
            canon: Vec::new(),
            fold: Vec::new(),
            bufs: Vec::new(),
            held: HeldRejections::default(),
            opened: usize::MAX,
            whole: false,
            carry: JsonCarry::default(),
            text_open: None,
            text_open_pre: Vec::new(),
        }));
        let ids: Arc<[String]> = detectors.iter().map(|d| d.id.clone()).collect();
        let key_names: Arc<[String]> = keys.names().iter().cloned().collect();
        let allow = self
            .allow
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| v.into_bytes().into_boxed_slice())
            .collect();
        Ok(Redactor {
            engine,
            detectors,
            ids,
            hasher,
            pool,
            keys,
            key_names,
            allow,
            format: self.format,
        })
    }
}

impl Redactor {
    /// Start building a redactor.
    pub fn builder() -> RedactorBuilder {
        RedactorBuilder::default()
    }

    /// The built-in pack with the label action.
    pub fn new() -> Result<Redactor, Error> {
        Redactor::builder().build()
    }

    /// The enabled detectors, in priority order (a [`Finding::detector`] indexes this).
    pub fn detectors(&self) -> &[DetectorInfo] {
        &self.detectors
    }

    /// Zeroed stats for this redactor's detectors.
    pub fn new_stats(&self) -> Stats {
        Stats::new(self.ids.clone(), self.key_names.clone())
    }

    /// The key rules in use.
    pub fn key_rules(&self) -> &KeyRules {
        &self.keys
    }

    /// How lines are read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// How many bytes past a window's commit point a scan needs to decide every span that
    /// starts before it: a detector match that starts before the commit point (its span
    /// may start after it), a value under a key that starts by that span with the pairs
    /// that start inside it (bounded by [`kv::MAX_SPAN`] from its start), and a match or a
    /// value that starts inside those and runs past them (see `rewrite`).
    pub(crate) fn overlap(&self) -> usize {
        2 * (self.engine.overlap() + kv::MAX_SPAN.max(crate::block::ONE_LINE_MAX))
    }

    /// How many bytes before a scan start the rules may read.
    pub(crate) fn lookbehind(&self) -> usize {
        self.engine.lookbehind().max(kv::LOOKBEHIND)
    }

    /// The id of the hash key in use, if the hash action is on.
    pub fn hash_key_id(&self) -> Option<&str> {
        self.hasher.as_ref().map(Hasher::key_id)
    }

    pub(crate) fn with_scratch<T>(&self, f: impl FnOnce(&mut Scratch) -> T) -> T {
        let mut guard = self.pool.get();
        f(&mut guard)
    }

    /// Redact a string. Borrowed when nothing was found.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.redact_bytes(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            // Detectors match ASCII only and labels are UTF-8, so the result is UTF-8.
            Cow::Owned(v) => Cow::Owned(
                String::from_utf8(v)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
        }
    }

    /// Redact bytes (any bytes: invalid UTF-8 passes through). Borrowed when nothing was found.
    pub fn redact_bytes<'a>(&self, input: &'a [u8]) -> Cow<'a, [u8]> {
        let mut stats = self.new_stats();
        let mut out = Vec::new();
        self.with_scratch(|scratch| {
            self.redact_window(scratch, input, 0, None, false, &mut out, &mut stats)
        });
        if stats.total_findings() + stats.total_key_findings() == 0 {
            Cow::Borrowed(input)
        } else {
            Cow::Owned(out)
        }
    }

    /// Redact one JSON text (no newline) by the JSON rules into `out`. Returns `false`,
    /// with `out` unchanged, when it is not valid JSON or nests deeper than the limit.
    pub fn redact_json_line(&self, line: &[u8], out: &mut Vec<u8>, stats: &mut Stats) -> bool {
        let ok = self.with_scratch(|scratch| {
            scratch.carry.clear();
            Walker::new(
                &self.keys,
                WalkScan {
                    redactor: self,
                    scratch,
                    stats: &mut *stats,
                },
            )
            .line(line, out)
        });
        if ok {
            stats.json_lines += 1;
        }
        ok
    }

    /// Redact a JSON value as the JSON path does (strings scanned, values under sensitive
    /// keys replaced whole, identifier numbers become string labels). Returns `None` when
    /// nothing was redacted.
    pub fn redact_json_value(&self, value: &serde_json::Value) -> Option<serde_json::Value> {
        let text = serde_json::to_vec(value).ok()?;
        let mut out = Vec::with_capacity(text.len());
        let mut stats = self.new_stats();
        let unprocessable = || serde_json::Value::String("[REDACTED:unprocessable]".into());
        // serde_json's own output always parses; too deep a value is replaced (fail closed).
        if !self.redact_json_line(&text, &mut out, &mut stats) {
            return Some(unprocessable());
        }
        if stats.total_findings() + stats.total_key_findings() == 0 {
            return None;
        }
        Some(serde_json::from_slice(&out).unwrap_or_else(|_| unprocessable()))
    }

    /// Every detector finding in `input` read as text, in order (key rules and the JSON
    /// structure are not applied here).
    pub fn find(&self, input: &[u8]) -> Vec<Finding> {
        let mut stats = self.new_stats();
        let mut found = Vec::new();
        self.with_scratch(|scratch| {
            scratch.fresh_search();
            let mut at = 0;
            while let Some(f) = self.next_detection(scratch, input, at, input.len(), &mut stats) {
                at = f.span.end;
                found.push(f);
            }
        });
        found
    }

    /// Redact `input` and append the result to `out`, counting into `stats`.
    pub fn redact_into(&self, input: &[u8], out: &mut Vec<u8>, stats: &mut Stats) {
        self.with_scratch(|scratch| {
            let w = self.redact_window(scratch, input, 0, None, false, out, stats);
            debug_assert_eq!(w.end, input.len());
        });
        stats.lines += memchr::memchr_iter(b'\n', input).count() as u64;
        if input.last().is_some_and(|&b| b != b'\n') {
            stats.lines += 1;
        }
    }

    /// One record of a [`crate::Records`] sequence: `text[..from]` is written already (the
    /// lines that carried on the block the record before left open); redact the rest into
    /// `out`. Returns the key block this record leaves open at its end, with the prefix
    /// before its marker in `pre`.
    pub(crate) fn redact_record(
        &self,
        text: &[u8],
        from: usize,
        out: &mut Vec<u8>,
        pre: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> Option<(usize, crate::block::Resume)> {
        self.with_scratch(|scratch| {
            scratch.text_open = None;
            let w = self.redact_window(scratch, text, from, None, false, out, stats);
            debug_assert_eq!(w.end, text.len());
            let open = scratch.text_open.take();
            if open.is_some() {
                pre.clear();
                pre.extend_from_slice(&scratch.text_open_pre);
            }
            open
        })
    }

    /// [`Redactor::carried_lines`] for a record of a [`crate::Records`] sequence.
    pub(crate) fn record_carried_lines(
        &self,
        detector: usize,
        text: &[u8],
        pre: &[u8],
        resume: &mut crate::block::Resume,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> Option<crate::block::Carry> {
        self.with_scratch(|scratch| {
            self.carried_lines(scratch, detector, text, pre, resume, out, stats)
        })
    }

    /// The lines with which a record's `text` carries on a block the record before left
    /// open (see [`crate::block::carry_on`]), written as a block's lines are (its prefix
    /// kept); `None` when it does not carry the block on.
    #[allow(clippy::too_many_arguments)]
    fn carried_lines(
        &self,
        scratch: &mut Scratch,
        detector: usize,
        text: &[u8],
        pre: &[u8],
        resume: &mut crate::block::Resume,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> Option<crate::block::Carry> {
        let carry = crate::block::carry_on(text, pre, resume)?;
        let n = crate::block::prefix_len(text, pre).min(carry.len);
        out.extend_from_slice(&text[..n]);
        self.block_lines(scratch, detector, &text[n..carry.len], pre, out, stats);
        Some(carry)
    }

    /// Redact a stream with the default settings (all cores, 1 MiB batches).
    pub fn redact_stream(
        &self,
        input: impl Read,
        output: impl Write + Send,
    ) -> Result<Stats, StreamError> {
        stream::redact_stream(self, input, output, &StreamConfig::default())
    }

    /// Redact `buf[ctx..]` into `out`; `buf[..ctx]` is context already written. With a
    /// `commit` point (a window of a line too long for a batch: always text), only spans
    /// starting before it are decided and the written part ends at `end` (at least
    /// `commit`); without one, all of `buf` is done, whole lines, JSON lines as JSON when
    /// the format says so. Counts bytes and findings (not lines) into `stats`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn redact_window(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        ctx: usize,
        commit: Option<usize>,
        cont: bool,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> Written {
        let w = self.redact_window_tail(scratch, buf, ctx, commit, cont, out, stats);
        out.extend_from_slice(&buf[w.tail..w.end]);
        Written { tail: w.end, ..w }
    }

    /// As [`Redactor::redact_window`], but the unchanged bytes the output ends with,
    /// `buf[tail..end]`, are not copied into `out` (the output is `out` then those bytes):
    /// a batch with nothing to redact is written from its input.
    ///
    /// `cont` says that `buf[ctx..]` continues a line whose rest a capped value swallows
    /// (the previous window returned `open`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn redact_window_tail(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        ctx: usize,
        commit: Option<usize>,
        cont: bool,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> Written {
        let out_before = out.len();
        scratch.whole = commit.is_none();
        // The context before `ctx` was swallowed too, so a `\r` just before it is the line's.
        let rest = if cont {
            self.swallow_line(scratch, buf, 0, ctx.saturating_sub(1), out, stats)
        } else {
            Some(ctx)
        };
        // A line left open is decided up to a window's commit point only: the rest of the
        // buffer comes again in the next batch (the batch that ends the line counts it).
        let open = Written {
            end: commit.unwrap_or(buf.len()),
            tail: commit.unwrap_or(buf.len()),
            open: true,
        };
        let w = match rest {
            None => open,
            Some(from) => match commit {
                None if self.format.structured() => {
                    let (tail, open) = self.structured(scratch, buf, from, out, stats);
                    Written {
                        end: buf.len(),
                        tail,
                        open,
                    }
                }
                _ => {
                    let limit = commit.unwrap_or(buf.len()).max(from);
                    let r = self.rewrite(scratch, buf, from, limit, true, out, stats);
                    if r.open {
                        open
                    } else {
                        Written {
                            end: commit.map_or(buf.len(), |c| c.max(r.end)),
                            tail: r.end,
                            open: false,
                        }
                    }
                }
            },
        };
        // Swallowed bytes (before `from`) count as read.
        stats.bytes_in += (w.end - ctx) as u64;
        stats.bytes_out += (out.len() - out_before + (w.end - w.tail)) as u64;
        w
    }

    /// Whole lines: JSON lines through the JSON walker, runs of other lines as text.
    /// Returns where the unchanged bytes the output ends with start (not copied to `out`),
    /// and whether `buf` ends inside a line whose rest a capped value swallows.
    fn structured(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        ctx: usize,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> (usize, bool) {
        let mut text_from = ctx;
        let mut i = ctx;
        scratch.carry.clear();
        while i < buf.len() {
            let nl = memchr::memchr(b'\n', &buf[i..]).map_or(buf.len(), |p| i + p);
            let line = &buf[i..nl];
            let first = line.iter().find(|&&b| b != b' ' && b != b'\t').copied();
            let try_json = match self.format {
                Format::Json => first.is_some(),
                _ => first == Some(b'{'),
            };
            // A JSON line without escapes in which the text scan sees nothing is left as
            // it is (the common case, and one scan instead of one per value).
            // A line that may carry on a key block a line before it left open is walked.
            let (escaped, person) = match try_json {
                true => crate::parent::escapes_and_persons(line),
                false => (true, false),
            };
            let unquoted = !escaped;
            // Its strings are pieces of it: without an escaped separator in the line (`%20`),
            // neither they nor the line have any for the view to read.
            let unescaped = unquoted && crate::escape::next(line, 0, line.len()).is_none();
            // Groups with no rare byte or literal in the line have no match in it or in any
            // piece of it (its strings, below): neither scan searches them.
            let idle = match unquoted {
                true => self.engine.idle_groups(line),
                false => 0,
            };
            // A person's object (`"customer":{"name":…}`) is read by the walk only.
            let plain = unquoted && !person && !scratch.carry.pending() && {
                scratch.unescaped = unescaped;
                scratch.cache.set_idle(idle);
                let found = self.finds_any(scratch, buf, i, nl, stats);
                scratch.cache.set_idle(0);
                scratch.unescaped = false;
                !found
            };
            // The run of text lines before this one first; a key block in it may carry on
            // over this line and the next (with `--format json` they are tried as JSON).
            let walk = !plain && try_json && line.len() <= json::MAX_LINE;
            if (plain || walk) && text_from < i {
                let end = self
                    .rewrite(scratch, buf, text_from, i, true, out, stats)
                    .end;
                if end > i {
                    text_from = end;
                    i = match memchr::memchr(b'\n', &buf[end - 1..]) {
                        Some(p) => end + p,
                        None => buf.len(),
                    };
                    continue;
                }
                out.extend_from_slice(&buf[end..i]);
                text_from = i;
            }
            if !walk && scratch.carry.pending() {
                scratch.carry.clear();
            }
            if plain {
                out.extend_from_slice(line);
                stats.json_lines += 1;
                text_from = line_end(buf, nl, out);
            } else if walk {
                scratch.carry.start_line(nl);
                // Each string of a line without escapes is a piece of it.
                scratch.cache.set_idle(idle);
                scratch.unescaped = unescaped;
                let mut walker = Walker::new(
                    &self.keys,
                    WalkScan {
                        redactor: self,
                        scratch: &mut *scratch,
                        stats: &mut *stats,
                    },
                );
                let ok = walker.line(line, out);
                drop(walker);
                scratch.cache.set_idle(0);
                scratch.unescaped = false;
                scratch.carry.end_line(nl);
                if ok {
                    stats.json_lines += 1;
                    text_from = line_end(buf, nl, out);
                } else {
                    scratch.carry.clear();
                    // Not JSON after all: scanned as text with the lines after it.
                    stats.json_invalid += 1;
                }
            }
            i = nl + 1;
        }
        if text_from < buf.len() {
            let r = self.rewrite(scratch, buf, text_from, buf.len(), true, out, stats);
            return (r.end, r.open);
        }
        (buf.len(), false)
    }

    /// Does `buf[from..limit]` hold anything to redact, read as text?
    fn finds_any(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        from: usize,
        limit: usize,
        stats: &mut Stats,
    ) -> bool {
        scratch.fresh_search();
        // Any key the walker would take (whatever its value, or its blanks before `:`).
        if kv::any_key(&self.keys, buf, from, limit, &mut scratch.fold) {
            return true;
        }
        // Candidates rejected here count only if this scan decides the line (nothing found:
        // the line is kept as it is); otherwise the JSON walk scans the values again. A
        // candidate excluded by a keyword before it sends the line to the walker, which reads
        // each value with its own member's key as context only.
        let mut held = std::mem::take(&mut scratch.held);
        held.clear();
        let found = self
            .next_detection(scratch, buf, from, limit, &mut held)
            .is_some()
            || held.any_excluded();
        if !found {
            held.add_to(stats);
        }
        scratch.held = held;
        found
    }

    /// The next detector finding from `at` that is not an allowed value, in the text or
    /// in its view with escaped separators read as blanks (see [`crate::view`]). Where the
    /// two readings' findings overlap, the span is their union.
    fn next_detection(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        at: usize,
        limit: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        // The text's next finding, past matches inside an escape (`cvv#011`: its `011`).
        let mut from = at;
        let text = loop {
            let t = self.next_in_text(scratch, buf, from, limit, counters);
            match t {
                Some(t) if self.escape_end(scratch, buf, t.span.start) >= Some(t.span.end) => {
                    from = t.span.end;
                }
                t => break t,
            }
        };
        let viewed = self.next_in_view(scratch, buf, at, limit);
        let overlap =
            |a: &Finding, b: &Finding| a.span.start < b.span.end && b.span.start < a.span.end;
        // The view's finding first: the text's reading of the same bytes (its match may
        // start past the limit) is asked for over it, so that the label does not depend on
        // where a window's limit falls.
        let text = match (text, &viewed) {
            (t, Some(v)) if t.as_ref().is_none_or(|t| v.span.start < t.span.start) => {
                let mut from = at;
                let mut over = None;
                while let Some(g) = self.next_in_text_over(scratch, buf, from, v.span.end) {
                    if g.span.end > v.span.start {
                        over = Some(g);
                        break;
                    }
                    from = g.span.end.max(from + 1);
                }
                over.or(t)
            }
            (t, _) => t,
        };
        let mut f = match text {
            None => viewed?,
            Some(t) => {
                // A match in the text that starts inside an escape (the digits of `%09` or
                // `#011` before a number) reads the escape's own bytes. The view's reading
                // of the number may start past the limit: asked for over the match.
                let e = self.escape_end(scratch, buf, t.span.start);
                let v = match (viewed, e) {
                    (Some(v), _) if overlap(&t, &v) || v.span.start < t.span.start => Some(v),
                    (v, Some(e)) => match self.view_reach(scratch, buf, &t.span) {
                        // The view's findings over the match, as one, after the escape.
                        Some(end) => Some(Finding {
                            span: e..end,
                            detector: self
                                .next_in_view(scratch, buf, t.span.start, end)
                                .map_or(t.detector, |g| g.detector),
                        }),
                        None => v,
                    },
                    (v, None) => v,
                };
                match (v, e) {
                    // The view's reading wins, with the rest of the text's match.
                    (Some(v), Some(e)) if overlap(&t, &v) => Finding {
                        span: v.span.start.min(e)..v.span.end.max(t.span.end),
                        ..v
                    },
                    // The two readings' matches may start apart (a cue glued to an escape
                    // is found only in the view): the union now, not left to the widening.
                    (Some(v), None) if overlap(&t, &v) => Finding {
                        span: t.span.start.min(v.span.start)..t.span.end.max(v.span.end),
                        detector: t.detector,
                    },
                    (Some(v), _) if v.span.start < t.span.start => v,
                    // Or the text's match without the escape.
                    (_, Some(e)) => Finding {
                        span: e..t.span.end,
                        ..t
                    },
                    (_, None) => t,
                }
            }
        };
        // A text match that starts before the limit may hold its value after it (a cue's):
        // a view finding between goes first, wherever its match starts, or the limit
        // would decide whether it is redacted; one that runs into the value is united
        // with it, as one pass unites them.
        if f.span.start >= limit {
            if let Some(v) = self
                .next_in_view(scratch, buf, at, f.span.start)
                .filter(|v| v.span.start < f.span.start)
            {
                f = match v.span.end <= f.span.start {
                    true => v,
                    false => Finding {
                        span: v.span.start..v.span.end.max(f.span.end),
                        detector: f.detector,
                    },
                };
            }
        }
        // A finding of either reading that starts inside `f` and runs past it widens it
        // (`0812%203456%207890` is one number only in the view; `no rek 1234567890
        // 0812-3456-7890`, where the account's value ends inside the phone number), also
        // one that starts where it does (a card where an OTP cue's value ended). Without a
        // view region over `f`, only a cue's value (whose extent a loose pattern reads)
        // followed by a number that may run on is looked at: another detector's reading of
        // an identifier's own digits (a landline in a NIK's last groups) would take what
        // follows it, and a match that runs into the next identifier would leave that
        // one's rest raw. A match of its own detector that starts inside it reads the same
        // digits grouped otherwise; one that starts past its first end is taken.
        let viewed = !scratch.unescaped && scratch.view.overlaps(buf, &f.span);
        let info = &self.detectors[f.detector];
        if info.pem_block || !(viewed || (info.takes_values && runs_on(buf, f.span.end))) {
            return Some(f);
        }
        let (detector, first_end) = (f.detector, f.span.end);
        loop {
            let end = f.span.end;
            // Whatever the limit (a window's commit point): `f` runs on past it. A match
            // that starts inside `f` ends within the longest match after it: the search
            // reads no further.
            let bound = buf.len().min(end.saturating_add(self.engine.overlap()));
            let mut from = f.span.start;
            while from < f.span.end {
                let to = f.span.end;
                let Some(g) = self
                    .next_in_text_over(scratch, &buf[..bound], from, to)
                    .filter(|g| g.span.start < f.span.end)
                else {
                    break;
                };
                if viewed || g.detector != detector || g.span.start >= first_end {
                    f.span.end = f.span.end.max(g.span.end);
                }
                from = g.span.start + 1;
            }
            // The view's, whatever their match starts at.
            if let Some(reach) = self.view_reach(scratch, buf, &f.span) {
                f.span.end = f.span.end.max(reach);
            }
            if f.span.end == end {
                return Some(f);
            }
        }
    }

    /// The furthest end of the view's findings that overlap `span` (see
    /// [`EscapeView::reach_over`]).
    fn view_reach(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        span: &std::ops::Range<usize>,
    ) -> Option<usize> {
        if scratch.unescaped {
            return None;
        }
        scratch
            .view
            .reach_over(&self.engine, buf, span, |f| self.view_keeps(buf, f))
    }

    /// Where the escape that `buf` position `p` is inside (after its first byte) ends.
    fn escape_end(&self, scratch: &mut Scratch, buf: &[u8], p: usize) -> Option<usize> {
        // Most findings follow a blank or punctuation of their own, and are told by it.
        let inside = p
            .checked_sub(1)
            .is_some_and(|i| crate::escape::holds(buf[i]));
        match inside && !scratch.unescaped {
            true => scratch.view.escape_end(buf, p),
            false => None,
        }
    }

    /// The next detector finding in the text from `at` that is not an allowed value.
    fn next_in_text(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        at: usize,
        limit: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        self.next_with(&mut scratch.cache, buf, at, limit, counters)
    }

    /// As [`Redactor::next_in_text`], for a look over a finding's span (up to `limit`),
    /// with a cache of its own: its limits would make the scan's cache forget how far its
    /// groups found nothing.
    fn next_in_text_over(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        at: usize,
        limit: usize,
    ) -> Option<Finding> {
        let uncounted = &mut crate::view::Uncounted;
        self.next_with(&mut scratch.over, buf, at, limit, uncounted)
    }

    fn next_with(
        &self,
        cache: &mut Cache,
        buf: &[u8],
        mut at: usize,
        limit: usize,
        counters: &mut impl ScanCounters,
    ) -> Option<Finding> {
        loop {
            let f = self.engine.next_finding(cache, buf, at, limit, counters)?;
            if self.redactable(&buf[f.span.clone()]) {
                return Some(f);
            }
            at = f.span.end;
        }
    }

    /// Does a finding of the view count? Key blocks are left to the text, which reads them
    /// line by line, and allowed values are passed over.
    fn view_keeps(&self, buf: &[u8], f: &Finding) -> bool {
        !self.detectors[f.detector].pem_block && self.redactable(&buf[f.span.clone()])
    }

    /// Is `value` to be redacted (not one the allow list keeps)?
    fn redactable(&self, value: &[u8]) -> bool {
        self.allow.is_empty() || !self.allow.contains(value)
    }

    /// The next detector finding from `at` in the view of the text around escapes that
    /// is not an allowed value (in `buf`'s positions). Key blocks are left to the text,
    /// which reads them line by line.
    fn next_in_view(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        at: usize,
        limit: usize,
    ) -> Option<Finding> {
        if scratch.unescaped {
            return None;
        }
        scratch
            .view
            .next_finding(&self.engine, buf, at, limit, |f| self.view_keeps(buf, f))
    }

    /// The next value under a sensitive key from `at` that is not an allowed value.
    fn next_pair(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        mut at: usize,
        limit: usize,
    ) -> Option<KvFinding> {
        loop {
            let k = kv::next_kv(
                &self.keys,
                buf,
                at,
                limit,
                scratch.opened,
                &mut scratch.fold,
            )?;
            if self.redactable(&buf[k.span.clone()]) {
                return Some(k);
            }
            at = k.span.end;
        }
    }

    /// Write `buf[pos..]` with detector findings (and, with `pairs`, values under sensitive
    /// keys) rewritten, for spans starting before `limit`. Returns where the copied part
    /// ends (the end of the last span, or `pos`) and how many spans were rewritten.
    ///
    /// A value that reaches [`kv::MAX_VALUE`] (or a chain of pairs inside a value that runs
    /// past [`kv::MAX_SPAN`]) takes the rest of its line: its end is unknown within the
    /// bound, and a value is never cut short (a leak). When the line goes on past `buf`,
    /// the result is `open` and the next window continues swallowing it.
    ///
    /// The decisions are those of one pass over all of `buf` (a window of a long line ends
    /// where that pass would be): a detector's match may start before `limit` and its span
    /// after it, and a span may end past `limit`, so near the limit each side is searched
    /// as far as the comparison needs, not only to `limit`.
    #[allow(clippy::too_many_arguments)]
    fn rewrite(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        mut pos: usize,
        limit: usize,
        pairs: bool,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> Rewrote {
        scratch.fresh_search();
        let pairs = pairs && !self.keys.is_empty();
        let mut n = 0;
        let mut det = Slot::new(pos);
        let mut kv = Slot::new(pos);
        if !pairs {
            kv.next = Next::Done;
            kv.to = usize::MAX;
        }
        loop {
            if let Next::Pending = det.next {
                det.search(pos, limit, |from, to| {
                    self.next_detection(scratch, buf, from, to, stats)
                });
            }
            if let Next::Pending = kv.next {
                kv.search(pos, limit, |from, to| {
                    self.next_pair(scratch, buf, from, to)
                });
            }
            // Each side known as far as the other's next span start (a pair wins a tie).
            if let Next::Found(f) = &det.next {
                let to = f.span.start + 1;
                kv.extend(to, |from, to| self.next_pair(scratch, buf, from, to));
            }
            if let Next::Found(k) = &kv.next {
                let to = k.span.start;
                det.extend(to, |from, to| {
                    self.next_detection(scratch, buf, from, to, stats)
                });
            }
            // Overlapping spans are redacted as their union; a value under a sensitive key
            // keeps the key rule's label (`hp: +62 812 3456 7890` is one [REDACTED:hp]).
            let take_pair = match (&det.next, &kv.next) {
                (Next::Found(f), Next::Found(k)) => k.span.start <= f.span.start,
                (_, Next::Found(_)) => true,
                (Next::Found(_), _) => false,
                // Nothing more before the limit. (A match that starts before `pos` with its
                // span after it cannot be left: taking a pair searched to `pos` already, and
                // taking a finding sets the search from its end.)
                _ => break,
            };
            if take_pair {
                let Next::Found(k) = std::mem::replace(&mut kv.next, Next::Pending) else {
                    break;
                };
                out.extend_from_slice(&buf[pos..k.span.start]);
                out.extend_from_slice(self.keys.label(k.rule));
                stats.key_findings[k.rule] += 1;
                pos = k.span.end;
                // A pair whose value starts inside this value and runs past it goes too
                // (`--token=cookie:sid=1;uid=2`: a `Cookie:` value runs to the line end).
                // The chain is bounded (as one value is) so that a window decides it alike.
                // A value that ends at its string's closing quote ends there: a pair inside
                // it that runs past the quote is a stray separator in the string
                // (`token="a ?email=["x`, `"Authorization: Bearer a ?email=["x"…`), and the
                // text after the quote is scanned as itself.
                let quoted = k.closed;
                let cap = k.span.start + kv::MAX_SPAN;
                let mut capped = k.capped;
                let mut from = k.span.start + 1;
                while let Some(inner) = (!capped && !quoted)
                    .then(|| self.next_pair(scratch, buf, from, pos))
                    .flatten()
                {
                    capped = inner.capped || inner.span.end > cap;
                    pos = pos.max(inner.span.end);
                    from = inner.span.start + 1;
                }
                if capped {
                    n += 1;
                    match self.swallow_line(scratch, buf, k.span.start, pos, out, stats) {
                        Some(p) => pos = p,
                        None => return Rewrote::open(buf.len(), n),
                    }
                    det.next = Next::Pending;
                    kv.next = Next::Pending;
                    continue;
                }
                // A finding that starts inside the value and runs past it goes too, and a
                // key block whose BEGIN marker is in the value takes its lines
                // (`SSH_KEY=-----BEGIN OPENSSH PRIVATE KEY-----` and the key below it).
                det.extend(pos, |from, to| {
                    self.next_detection(scratch, buf, from, to, stats)
                });
                if let Next::Found(f) = &det.next {
                    if f.span.start < pos && self.detectors[f.detector].pem_block {
                        let (d, span) = (f.detector, f.span.clone());
                        if let Some(end) = self.carry_block(scratch, d, buf, span, pos, out, stats)
                        {
                            stats.findings[d] += 1;
                            pos = end;
                        }
                    } else if f.span.start < pos && f.span.end > pos {
                        pos = f.span.end;
                    }
                }
            } else {
                let Next::Found(f) = std::mem::replace(&mut det.next, Next::Pending) else {
                    break;
                };
                out.extend_from_slice(&buf[pos..f.span.start]);
                if self.detectors[f.detector].pem_block {
                    pos = self.apply_block(scratch, f.detector, buf, f.span.clone(), out, stats);
                } else {
                    self.apply(scratch, f.detector, &buf[f.span.clone()], out);
                    pos = f.span.end;
                }
                stats.findings[f.detector] += 1;
                // A value under a key that starts inside the finding: the rest of it goes too.
                kv.extend(pos, |from, to| self.next_pair(scratch, buf, from, to));
                if let Next::Found(k) = &kv.next {
                    if k.span.start < pos && k.span.end > pos {
                        out.extend_from_slice(self.keys.label(k.rule));
                        stats.key_findings[k.rule] += 1;
                        pos = k.span.end;
                        if k.capped {
                            n += 1;
                            let lo = k.span.start;
                            match self.swallow_line(scratch, buf, lo, pos, out, stats) {
                                Some(p) => pos = p,
                                None => return Rewrote::open(buf.len(), n),
                            }
                            det.next = Next::Pending;
                            kv.next = Next::Pending;
                            continue;
                        }
                    }
                }
            }
            n += 1;
            if matches!(&det.next, Next::Found(f) if f.span.start < pos) {
                det.next = Next::Pending;
            }
            if matches!(&kv.next, Next::Found(k) if k.span.start < pos) {
                kv.next = Next::Pending;
            }
        }
        Rewrote {
            end: pos,
            spans: n,
            open: false,
        }
    }

    /// A key block: the finding is carried over the block's lines; each line is rewritten,
    /// line ends are kept (a record per line stays a record per line). Returns the end.
    fn apply_block(
        &self,
        scratch: &mut Scratch,
        detector: usize,
        buf: &[u8],
        span: std::ops::Range<usize>,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> usize {
        let from = span.start;
        self.carry_block(scratch, detector, buf, span, from, out, stats)
            .unwrap_or(from)
    }

    /// The block whose BEGIN marker is `span`, written from `from` (a line already written
    /// up to there) to its end, which is returned; `None` when it ends before `from`. In a
    /// JSON string, a block that runs to the string's end is left open for the JSON lines
    /// after it (see [`crate::carry`]).
    #[allow(clippy::too_many_arguments)]
    fn carry_block(
        &self,
        scratch: &mut Scratch,
        detector: usize,
        buf: &[u8],
        span: std::ops::Range<usize>,
        from: usize,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> Option<usize> {
        // A whole batch or a decoded JSON string: its last line ends the text.
        let in_json = scratch.opened != usize::MAX;
        let complete = scratch.whole || in_json;
        // A decoded string's text starts after its opening quote (the key before it is
        // context, not a log writer's prefix).
        let ts = match in_json {
            true => (scratch.opened + 1).min(span.start),
            false => 0,
        };
        let text = &buf[ts..];
        let (start, end) = (span.start - ts, span.end - ts);
        let ext = crate::block::extend(text, start, end, text.len(), complete);
        let block_end = ts + ext.end;
        if block_end <= from && from > span.start {
            return None;
        }
        let pre = crate::block::line_prefix(text, start);
        match ext.open {
            Some(resume) if in_json => scratch.carry.open(detector, resume, pre),
            Some(resume) => {
                scratch.text_open = Some((detector, resume));
                scratch.text_open_pre.clear();
                scratch.text_open_pre.extend_from_slice(pre);
            }
            None => {}
        }
        self.block_lines(scratch, detector, &buf[from..block_end], pre, out, stats);
        Some(block_end)
    }

    /// The rest of a line a capped value swallows, from `from` (see [`line_rest`]). A key
    /// block's BEGIN marker at the end of the line (after `lo`) still opens its block: the
    /// block's lines after this one are written as [`Redactor::apply_block`] writes them,
    /// and the block's end is returned.
    fn swallow_line(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        lo: usize,
        from: usize,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> Option<usize> {
        let p = line_rest(buf, from, out)?;
        // A block's BEGIN line ends within ONE_LINE_MAX of its marker.
        let near = p.saturating_sub(crate::block::ONE_LINE_MAX).max(lo);
        let Some(at) = memchr::memmem::rfind(&buf[near..p], b"-----BEGIN ").map(|b| near + b)
        else {
            return Some(p);
        };
        // A search of its own (the cache may hold a different search of the same buffer).
        scratch.fresh_search();
        let f = self
            .next_detection(scratch, buf, at, at + 1, stats)
            .filter(|f| f.span.start == at && self.detectors[f.detector].pem_block);
        let Some(f) = f else {
            return Some(p);
        };
        match self.carry_block(scratch, f.detector, buf, f.span.clone(), p, out, stats) {
            Some(end) => {
                stats.findings[f.detector] += 1;
                Some(end)
            }
            None => Some(p),
        }
    }

    /// A block's lines, each rewritten, line ends kept (a record per line stays a record
    /// per line). A line after the first that starts with a prefix of the shape of `pre`
    /// (the BEGIN line's, see [`crate::block::line_prefix`]) keeps it.
    fn block_lines(
        &self,
        scratch: &mut Scratch,
        detector: usize,
        lines: &[u8],
        pre: &[u8],
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) {
        let quote = crate::block::prefix_quote(pre);
        let mut first = true;
        for mut line in lines.split(|&b| b == b'\n') {
            // The BEGIN line's value starts after its prefix (a quote, if the prefix has one).
            let (mut prefixed, mut quoted) = (first, first);
            if !first {
                out.push(b'\n');
                let n = crate::block::prefix_len(line, pre);
                out.extend_from_slice(&line[..n]);
                quoted = n > 0 && quote == Some(line[n - 1]);
                line = &line[n..];
                prefixed = n > 0;
            }
            first = false;
            let (value, cr) = match line.strip_suffix(b"\r") {
                Some(v) => (v, true),
                None => (line, false),
            };
            // The quote that closes the prefix's stays (`msg="[PRIVATE_KEY]"`), and so do
            // the fields after the value, scanned as text (`msg="[PRIVATE_KEY]"
            // component=tls`, `msg=[PRIVATE_KEY] component=tls`).
            let split = quote
                .filter(|_| prefixed)
                .and_then(|q| crate::block::value_split(value, q, quoted).map(|at| (q, at)));
            let (value, closing, fields) = match split {
                Some((q, (end, start))) => (
                    &value[..end],
                    (start > end).then_some(q),
                    Some(&value[start..]).filter(|f| !f.is_empty()),
                ),
                None => (value, None, None),
            };
            // An indent stays (a block under a YAML `|` key keeps the file's shape).
            let indent = value
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            out.extend_from_slice(&value[..indent]);
            if value.len() > indent {
                self.apply(scratch, detector, &value[indent..], out);
            }
            out.extend(closing);
            if let Some(fields) = fields {
                self.fields_after_block_line(fields, out, stats);
            }
            if cr {
                out.push(b'\r');
            }
        }
    }

    /// The fields after a key block line's closing quote, redacted as text with a scratch
    /// of their own (the caller's is in the middle of its line).
    fn fields_after_block_line(&self, fields: &[u8], out: &mut Vec<u8>, stats: &mut Stats) {
        self.with_scratch(|scratch| {
            scratch.opened = usize::MAX;
            scratch.whole = true;
            let r = self.rewrite(scratch, fields, 0, fields.len(), true, out, stats);
            if !r.open {
                out.extend_from_slice(&fields[r.end..]);
            }
            // A block opened at the end of these fields goes on in no later record.
            scratch.text_open = None;
        });
    }

    fn apply(&self, scratch: &mut Scratch, detector: usize, value: &[u8], out: &mut Vec<u8>) {
        let d = &self.detectors[detector];
        match d.action {
            Action::Label => out.extend_from_slice(&d.label_bytes),
            Action::Remove => {}
            Action::Mask => mask_into(value, 0..value.len(), out),
            Action::Partial => mask_into(value, partial_mask(d.kind, value), out),
            Action::Hash => {
                canonical(d.kind, value, &mut scratch.canon);
                match &self.hasher {
                    Some(h) => {
                        let token = h.token(&d.id, &scratch.canon);
                        out.push(b'[');
                        out.extend_from_slice(d.label.as_bytes());
                        out.push(b':');
                        out.extend_from_slice(&token);
                        out.push(b']');
                    }
                    // Unreachable by construction (build() demands a key); fail closed anyway.
                    None => out.extend_from_slice(&d.label_bytes),
                }
            }
        }
    }
}

/// What a window's redaction wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Written {
    /// Where the decided part ends (at least the commit point of a window).
    pub(crate) end: usize,
    /// `buf[tail..end]` is output not yet copied.
    pub(crate) tail: usize,
    /// The line goes on past the buffer and its rest is swallowed by a capped value: the
    /// next window of the line continues that.
    pub(crate) open: bool,
}

/// What [`Redactor::rewrite`] did.
struct Rewrote {
    /// Where the copied part ends.
    end: usize,
    /// How many spans were rewritten.
    spans: u64,
    /// The last span swallows the line past the buffer's end.
    open: bool,
}

impl Rewrote {
    fn open(end: usize, spans: u64) -> Rewrote {
        Rewrote {
            end,
            spans,
            open: true,
        }
    }
}

/// After a JSON line written to `out`: its `\n` (at `nl`, if `buf` holds one) is written
/// too, and the text after it starts past it. Rewriting the lone `\n` as a run of text
/// cost a search set-up per line (13 % of the JSON-lines corpus's instructions).
fn line_end(buf: &[u8], nl: usize, out: &mut Vec<u8>) -> usize {
    if nl < buf.len() {
        out.push(b'\n');
        nl + 1
    } else {
        nl
    }
}

/// The rest of a line a capped value swallows, from `from`: where its `\n` is (a `\r`
/// before it, after `from`, is written to `out`), or `None` when the line goes on past
/// `buf`.
fn line_rest(buf: &[u8], from: usize, out: &mut Vec<u8>) -> Option<usize> {
    let p = from + memchr::memchr(b'\n', buf.get(from..)?)?;
    if p > from && buf[p - 1] == b'\r' {
        out.push(b'\r');
    }
    Some(p)
}

/// A lookahead slot of the rewrite loop.
enum Next<T> {
    /// Not searched since the position moved.
    Pending,
    Found(T),
    /// Nothing more before the limit.
    Done,
}

impl<T> From<Option<T>> for Next<T> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Next::Done, Next::Found)
    }
}

/// A lookahead slot and how far it was searched: `Done` means nothing starts in
/// `from..to`.
struct Slot<T> {
    next: Next<T>,
    from: usize,
    to: usize,
}

impl<T> Slot<T> {
    fn new(at: usize) -> Self {
        Slot {
            next: Next::Pending,
            from: at,
            to: at,
        }
    }

    /// Search `from..to`.
    fn search(&mut self, from: usize, to: usize, find: impl FnOnce(usize, usize) -> Option<T>) {
        self.next = Next::from(find(from, to));
        self.from = from;
        self.to = to;
    }

    /// When nothing was found, search on up to `to`.
    fn extend(&mut self, to: usize, find: impl FnOnce(usize, usize) -> Option<T>) {
        if let Next::Done = self.next {
            if self.to < to {
                let from = self.from.max(self.to);
                self.next = Next::from(find(from, to));
                self.to = to;
            }
        }
    }
}

/// Does text after a finding that ends at `end` go on as a number may: digits, right away
/// or after up to three blanks, hyphens, dots or slashes (`-7890`, ` 0181 …`)?
fn runs_on(buf: &[u8], end: usize) -> bool {
    let rest = &buf[end.min(buf.len())..buf.len().min(end.saturating_add(4))];
    let seps = rest
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'-' | b'.' | b'/'))
        .count();
    rest.get(seps).is_some_and(u8::is_ascii_digit)
}

/// The redactor as the JSON walker sees it.
struct WalkScan<'a> {
    redactor: &'a Redactor,
    scratch: &'a mut Scratch,
    stats: &'a mut Stats,
}

impl json::Scan for WalkScan<'_> {
    fn text(&mut self, hay: &[u8], ctx: usize, depth: usize, out: &mut Vec<u8>) -> bool {
        // `hay[ctx - 1]` is the string's opening quote; the decoded string follows it.
        self.scratch.opened = ctx.wrapping_sub(1);
        let key = || crate::carry::member_key(&hay[..ctx]);
        // A key block a line before this one left open under the same key: its lines.
        let mut from = ctx;
        let carried = match self.scratch.carry.carrying() {
            true => key().and_then(|k| self.scratch.carry.take(k, depth)),
            false => None,
        };
        if let Some(mut c) = carried {
            let text = &hay[ctx..];
            let (d, pre) = (c.detector, &c.pre);
            let r = self.redactor;
            match r.carried_lines(self.scratch, d, text, pre, &mut c.resume, out, self.stats) {
                Some(carry) => {
                    from = ctx + carry.len;
                    if carry.open {
                        self.scratch.carry.keep(c);
                    }
                }
                None => self.scratch.carry.put_back(c),
            }
        }
        let r = self
            .redactor
            .rewrite(self.scratch, hay, from, hay.len(), true, out, self.stats);
        self.scratch.opened = usize::MAX;
        if self.scratch.carry.opened() {
            self.scratch.carry.opened_under(key(), depth);
        }
        out.extend_from_slice(&hay[r.end..]);
        r.spans > 0 || from > ctx
    }

    fn number(&mut self, hay: &[u8], ctx: usize, out: &mut Vec<u8>) -> bool {
        let r = self
            .redactor
            .rewrite(self.scratch, hay, ctx, hay.len(), false, out, self.stats);
        out.extend_from_slice(&hay[r.end..]);
        r.spans > 0
    }

    fn key_rule(&mut self, rule: usize) {
        self.stats.key_findings[rule] += 1;
    }

    fn allowed(&self, value: &[u8]) -> bool {
        !self.redactor.allow.is_empty() && self.redactor.allow.contains(value)
    }

    fn take_buf(&mut self) -> Vec<u8> {
        self.scratch.bufs.pop().unwrap_or_default()
    }

    fn give_buf(&mut self, buf: Vec<u8>) {
        if self.scratch.bufs.len() < 16 {
            self.scratch.bufs.push(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redact `line` as two windows split at commit point `commit` (the second window
    /// starting where the first ended, with context before it), as the stream does for a
    /// line longer than a batch.
    fn two_windows(r: &Redactor, line: &[u8], commit: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut stats = r.new_stats();
        r.with_scratch(|s| {
            let w = r.redact_window(s, line, 0, Some(commit), false, &mut out, &mut stats);
            let from = w.end.saturating_sub(r.lookbehind());
            let rest = &line[from..];
            r.redact_window(s, rest, w.end - from, None, w.open, &mut out, &mut stats);
        });
        out
    }

    #[test]
    fn a_window_commit_point_anywhere_gives_the_one_pass_output() {
        let r = Redactor::builder().format(Format::Text).build().unwrap();
        let lines: [&[u8]; 9] = [
            br#"a otp:"4821 abc secret" b"#,
            b"kode OTP: 482913 ok",
            b"x password=abc y",
            b"app --token=cookie:sid=abc123;uid=42 x",
            b"hp: +62 812 3456 7890 y",
            br#"{"pin" : "12 34", "email": "budi@mail.co.id"}"#,
            b"npwp 01.234.567.4-091.000 z password=s3cret",
            b"Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl k",
            b"nik 3273011708900001 otp 4821 pin=1234 10.1.2.3",
        ];
        for line in lines {
            let one = r.redact_bytes(line).into_owned();
            for commit in 0..=line.len() {
                let two = two_windows(&r, line, commit);
                assert!(
                    two == one,
                    "{:?} at {commit}: {:?} vs {:?}",
                    String::from_utf8_lossy(line),
                    String::from_utf8_lossy(&two),
                    String::from_utf8_lossy(&one)
                );
            }
        }
    }

    #[test]
    fn a_capped_value_swallows_its_line_alike_at_any_commit_point() {
        let r = Redactor::builder().format(Format::Text).build().unwrap();
        let long = "S".repeat(kv::MAX_VALUE + 10);
        let near = "s".repeat(kv::MAX_VALUE - 3);
        let lines = [
            format!("a password={long} b 10.1.2.3"),
            format!("a password={near} 10.1.2.3 password={long}\r"),
            format!("x Cookie: {near} Cookie: sid={long} y"),
            format!("p token=\"{long}\" q"),
        ];
        for line in &lines {
            let line = line.as_bytes();
            let one = r.redact_bytes(line).into_owned();
            assert!(!one.contains(&b'S') && !one.ends_with(b"[IPV4]"));
            let mut commit = 0;
            while commit <= line.len() {
                let two = two_windows(&r, line, commit);
                assert!(
                    two == one,
                    "at {commit}: {:?}",
                    String::from_utf8_lossy(&two)
                );
                commit += 97;
            }
        }
    }

    fn fragment() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "otp",
            ":",
            "\"",
            "4821",
            " ",
            "  ",
            "abc",
            "password",
            "=",
            "kode OTP: ",
            "pin",
            "+62 812 3456 7890",
            "token",
            "--",
            "cookie:",
            "sid=abc;",
            "Bearer ",
            "x-",
            "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl",
            "budi@mail.co.id",
            "10.1.2.3",
            "npwp ",
            "01.234.567.4-091.000",
            "3273011708900001",
            "\\\"",
            "[",
            "]",
            "hp: ",
            "{",
            "}",
            ",",
            "4526 0181 5908 3012",
            "api_key",
            "'",
            "&",
            "?email=",
            "<",
            ">",
            "</",
            "<ns:",
            " type=\"t\"",
            "<![CDATA[",
        ])
    }

    /// The pieces of [`fragment`] and escaped separators with what they meet.
    fn escaped_fragment() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::prop_oneof![
            fragment(),
            proptest::sample::select(vec![
                "\\n",
                "%20",
                "%0D%0A",
                "#011",
                "\x1b[33m",
                "\u{a0}",
                "\u{2013}",
                "\u{200b}",
                "\u{ff18}",
                "no rek",
                "1234567890",
                "0812",
            ]),
        ]
    }

    /// `text` with every run of labels samar writes as one `[X]`, without escaped
    /// separators and blanks, and with look-alikes as what they stand for: the data bytes
    /// and whether each is redacted.
    fn unlabelled(text: &[u8]) -> String {
        let mut bare = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            match crate::escape::reading(&text[i..]) {
                None => {
                    if !matches!(text[i], b' ' | b'\t') {
                        bare.push(text[i]);
                    }
                    i += 1;
                }
                Some((n, byte)) => {
                    if byte != b' ' {
                        bare.push(byte);
                    }
                    i += n;
                }
            }
        }
        let mut out = String::new();
        let mut rest = &*String::from_utf8_lossy(&bare);
        while let Some(open) = rest.find('[') {
            out.push_str(&rest[..open]);
            let tail = &rest[open..];
            let close = tail.find(']').filter(|&c| {
                let name = &tail[1..c];
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_:-".contains(&b))
            });
            match close {
                Some(c) => {
                    if !out.ends_with("[X]") {
                        out.push_str("[X]");
                    }
                    rest = &tail[c + 1..];
                }
                None => {
                    out.push('[');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 256, ..Default::default() })]

        /// Around escapes a window redacts the same data bytes as one pass. An escape's
        /// own bytes, a blank next to one and the label may differ: the text's and the
        /// view's matches of one identifier start apart (a cue glued to an escape), and
        /// which of them a window's limit lets in decides them.
        #[test]
        fn a_window_redacts_what_one_pass_redacts_around_escapes(
            parts in proptest::collection::vec(escaped_fragment(), 1..24),
        ) {
            let r = Redactor::builder().format(Format::Text).build().unwrap();
            let line = parts.concat();
            let one = unlabelled(&r.redact_bytes(line.as_bytes()));
            for commit in 0..=line.len() {
                let two = unlabelled(&two_windows(&r, line.as_bytes(), commit));
                proptest::prop_assert!(two == one, "{:?} at {}: {:?} vs {:?}", line, commit, two, one);
            }
        }

        #[test]
        fn a_window_never_changes_what_one_pass_decides(
            parts in proptest::collection::vec(fragment(), 1..24),
        ) {
            let r = Redactor::builder().format(Format::Text).build().unwrap();
            let line = parts.concat();
            let one = r.redact_bytes(line.as_bytes()).into_owned();
            for commit in 0..=line.len() {
                let two = two_windows(&r, line.as_bytes(), commit);
                proptest::prop_assert!(
                    two == one,
                    "{:?} at {}: {:?} vs {:?}",
                    line,
                    commit,
                    String::from_utf8_lossy(&two),
                    String::from_utf8_lossy(&one)
                );
            }
        }
    }
}
