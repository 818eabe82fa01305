//! `Redactor`: the compiled engine plus the policy (which detectors, which action each).
//! Built once, shared across threads (`Send + Sync`); each thread takes its own scratch
//! (search cache, hash buffer) from a pool.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;

use regex_automata::util::pool::Pool;

use crate::action::{canonical, mask_into, partial_mask, Action, Hasher};
use crate::detector::{builtin_specs, DetectorSpec, ValueKind};
use crate::engine::{Cache, Engine};
use crate::error::{Error, StreamError};
use crate::finding::Finding;
use crate::stats::Stats;
use crate::stream::{self, StreamConfig};

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
}

/// Per-thread working memory.
pub(crate) struct Scratch {
    pub(crate) cache: Cache,
    canon: Vec<u8>,
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
}

impl RedactorBuilder {
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
        let engine = Engine::new(&specs)?;
        let global = self.action.unwrap_or_default();
        let detectors: Vec<DetectorInfo> = specs
            .iter()
            .map(|s| DetectorInfo {
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
            })
            .collect();
        let needs_key = detectors.iter().any(|d| d.action == Action::Hash);
        let hasher = match (&self.hash_key, needs_key) {
            (Some(k), true) => Some(Hasher::new(k)?),
            (None, true) => return Err(Error::MissingHashKey),
            (_, false) => None,
        };
        let factory = engine.cache_factory();
        let pool: ScratchPool = Pool::new(Box::new(move || Scratch {
            cache: factory(),
            canon: Vec::new(),
        }));
        let ids: Arc<[String]> = detectors.iter().map(|d| d.id.clone()).collect();
        Ok(Redactor {
            engine,
            detectors,
            ids,
            hasher,
            pool,
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
        Stats::new(self.ids.clone())
    }

    /// The id of the hash key in use, if the hash action is on.
    pub fn hash_key_id(&self) -> Option<&str> {
        self.hasher.as_ref().map(Hasher::key_id)
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
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
        self.with_scratch(|scratch| {
            let engine = &self.engine;
            let Some(first) =
                engine.next_finding(&mut scratch.cache, input, 0, input.len(), &mut stats)
            else {
                return Cow::Borrowed(input);
            };
            let mut out = Vec::with_capacity(input.len() + 16);
            let end = self.rewrite_from(
                scratch,
                input,
                0,
                input.len(),
                Some(first),
                &mut out,
                &mut stats,
            );
            out.extend_from_slice(&input[end..]);
            Cow::Owned(out)
        })
    }

    /// Every finding in `input`, in order (the spans the redaction would replace).
    pub fn find(&self, input: &[u8]) -> Vec<Finding> {
        let mut stats = self.new_stats();
        let mut found = Vec::new();
        self.with_scratch(|scratch| {
            let mut at = 0;
            while let Some(f) =
                self.engine
                    .next_finding(&mut scratch.cache, input, at, input.len(), &mut stats)
            {
                at = f.span.end;
                found.push(f);
            }
        });
        found
    }

    /// Redact `input` and append the result to `out`, counting into `stats`.
    pub fn redact_into(&self, input: &[u8], out: &mut Vec<u8>, stats: &mut Stats) {
        self.with_scratch(|scratch| {
            let n = self.redact_window(scratch, input, 0, None, out, stats);
            debug_assert_eq!(n, input.len());
        });
        stats.lines += memchr::memchr_iter(b'\n', input).count() as u64;
        if input.last().is_some_and(|&b| b != b'\n') {
            stats.lines += 1;
        }
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
    /// `commit` point, only findings starting before it are decided and the return value is
    /// where the written part ends (at least `commit`); without one, all of `buf` is done.
    /// Counts bytes and findings (not lines) into `stats`.
    pub(crate) fn redact_window(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        ctx: usize,
        commit: Option<usize>,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> usize {
        let limit = commit.unwrap_or(buf.len());
        let out_before = out.len();
        let first = self
            .engine
            .next_finding(&mut scratch.cache, buf, ctx, limit, stats);
        let mut end = self.rewrite_from(scratch, buf, ctx, limit, first, out, stats);
        let stop = commit.map_or(buf.len(), |c| c.max(end));
        out.extend_from_slice(&buf[end..stop]);
        end = stop;
        stats.bytes_in += (end - ctx) as u64;
        stats.bytes_out += (out.len() - out_before) as u64;
        end
    }

    /// Write `buf[pos..]` with findings rewritten, starting from an already found `next`;
    /// returns where the copied part ends (the end of the last finding, or `pos`).
    #[allow(clippy::too_many_arguments)]
    fn rewrite_from(
        &self,
        scratch: &mut Scratch,
        buf: &[u8],
        mut pos: usize,
        limit: usize,
        mut next: Option<Finding>,
        out: &mut Vec<u8>,
        stats: &mut Stats,
    ) -> usize {
        while let Some(f) = next {
            out.extend_from_slice(&buf[pos..f.span.start]);
            self.apply(scratch, f.detector, &buf[f.span.clone()], out);
            stats.findings[f.detector] += 1;
            pos = f.span.end;
            next = self
                .engine
                .next_finding(&mut scratch.cache, buf, pos, limit, stats);
        }
        pos
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
