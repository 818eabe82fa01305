//! Streaming: batches cut at line ends, redacted in parallel (rayon), written in order.
//!
//! Memory is bounded: at most `2 × threads + 1` batches are in flight, each of about
//! `batch_size` bytes, and a line longer than a batch is processed in windows that overlap
//! by the longest possible match, so nothing straddling a window edge is missed. The output
//! is the same for every thread count, batch size and read pattern.

mod batcher;

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError};
use std::sync::Arc;

use batcher::{Batcher, Kind};

use crate::error::StreamError;
use crate::redactor::Redactor;
use crate::stats::Stats;

/// Settings of the streaming path.
#[derive(Debug, Clone)]
pub struct StreamConfig {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Target batch size in bytes (a batch ends at the last newline that fits).
    pub batch_size: usize,
    /// When set, no more input is read: what was read is redacted and written, then the
    /// run ends (graceful shutdown on a signal).
    pub stop: Option<Arc<AtomicBool>>,
    /// Flush after every line (`--line-buffered`), not only when the input pauses.
    pub line_buffered: bool,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            threads: 0,
            batch_size: 1 << 20,
            stop: None,
            line_buffered: false,
        }
    }
}

impl StreamConfig {
    fn stopped(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }

    fn resolved_threads(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// One input of a run: a name for messages and the opened reader (or why it could not open).
pub struct Source<R> {
    /// Shown in error messages (a path, or `<stdin>`).
    pub name: String,
    /// The reader, or the error that opening it gave.
    pub reader: io::Result<R>,
}

/// Redact one reader into one writer.
pub fn redact_stream<R: Read, W: Write + Send>(
    redactor: &Redactor,
    input: R,
    output: W,
    cfg: &StreamConfig,
) -> Result<Stats, StreamError> {
    let mut input_error = None;
    let sources = std::iter::once(Source {
        name: "<input>".to_string(),
        reader: Ok(input),
    });
    let stats = redact_sources(redactor, sources, output, cfg, |e| {
        input_error.get_or_insert(e);
    })?;
    match input_error {
        Some(e) => Err(e),
        None => Ok(stats),
    }
}

/// Redact several inputs, one after the other, into one writer. An input that cannot be
/// opened or read is reported to `on_input_error` and the others are still processed
/// (bytes read before a read error are redacted and written). A write error stops the run.
pub fn redact_sources<R, I, W>(
    redactor: &Redactor,
    sources: I,
    mut output: W,
    cfg: &StreamConfig,
    mut on_input_error: impl FnMut(StreamError),
) -> Result<Stats, StreamError>
where
    R: Read,
    I: IntoIterator<Item = Source<R>>,
    W: Write + Send,
{
    let threads = cfg.resolved_threads();
    // The default thread count uses rayon's global pool (no threads started per call, which
    // matters to services that redact many small streams); an explicit count gets its own.
    let own_pool = if threads > 1 && threads != rayon::current_num_threads() {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .ok()
    } else {
        None
    };
    let stats = if threads > 1 {
        parallel(
            redactor,
            sources,
            &mut output,
            cfg,
            threads,
            own_pool.as_ref(),
            &mut on_input_error,
        )
    } else {
        sequential(redactor, sources, &mut output, cfg, &mut on_input_error)
    }?;
    output.flush().map_err(StreamError::Write)?;
    Ok(stats)
}

/// A batch on its way through the pipeline; its buffers are reused.
struct Job {
    seq: u64,
    input: Vec<u8>,
    ctx: usize,
    /// The output: `output`, then `input[tail]` (unchanged bytes, not copied).
    output: Vec<u8>,
    tail: std::ops::Range<usize>,
    stats: Stats,
    flush: bool,
    /// The batch continues a line whose rest a capped value swallows.
    cont: bool,
}

impl Job {
    fn new(redactor: &Redactor) -> Job {
        Job {
            seq: 0,
            input: Vec::new(),
            ctx: 0,
            output: Vec::new(),
            tail: 0..0,
            stats: redactor.new_stats(),
            flush: false,
            cont: false,
        }
    }

    /// Redact a whole batch (it ends at a newline or at the end of its input). With
    /// `copy_tail`, the output is all in `output` (line-buffered writes flush whole lines).
    fn run_final(&mut self, redactor: &Redactor, unterminated: bool, copy_tail: bool) {
        let w = redactor.with_scratch(|s| {
            redactor.redact_window_tail(
                s,
                &self.input,
                self.ctx,
                None,
                self.cont,
                &mut self.output,
                &mut self.stats,
            )
        });
        if copy_tail {
            self.output.extend_from_slice(&self.input[w.tail..w.end]);
        } else {
            self.tail = w.tail..w.end;
        }
        self.stats.lines += memchr::memchr_iter(b'\n', &self.input[self.ctx..]).count() as u64;
        self.stats.lines += u64::from(unterminated);
    }

    /// Redact a window of a long line up to its commit point; returns where it ended and
    /// whether the line's rest is swallowed (the next batch's `cont`).
    fn run_window(&mut self, redactor: &Redactor) -> (usize, bool) {
        let commit = self.input.len() - redactor.overlap();
        let w = redactor.with_scratch(|s| {
            redactor.redact_window(
                s,
                &self.input,
                self.ctx,
                Some(commit),
                self.cont,
                &mut self.output,
                &mut self.stats,
            )
        });
        (w.end, w.open)
    }

    /// Write the job's output.
    fn write<W: Write + ?Sized>(
        &self,
        output: &mut W,
        line_buffered: bool,
    ) -> Result<(), StreamError> {
        write_out(output, &self.output, line_buffered)?;
        write_out(output, &self.input[self.tail.clone()], line_buffered)
    }

    /// Does the job write anything?
    fn has_output(&self) -> bool {
        !self.output.is_empty() || !self.tail.is_empty()
    }

    fn reset(&mut self, seq: u64) {
        self.seq = seq;
        self.output.clear();
        self.tail = 0..0;
        self.stats.reset();
        self.flush = false;
        self.cont = false;
    }
}

fn new_batcher(redactor: &Redactor, cfg: &StreamConfig) -> Batcher {
    let whole_line = if redactor.format().structured() {
        crate::json::MAX_LINE + 1
    } else {
        0
    };
    // A window decides all but its overlap and starts with look-behind context: at twice
    // the overlap, each window moves on by at least the overlap (at the overlap plus the
    // context it moved on by one byte at a time, a long line at `--batch-size 1` crawled).
    Batcher::new(
        cfg.batch_size,
        2 * redactor.overlap() + redactor.lookbehind() + 1,
        whole_line,
    )
}

fn sequential<R: Read, W: Write>(
    redactor: &Redactor,
    sources: impl IntoIterator<Item = Source<R>>,
    output: &mut W,
    cfg: &StreamConfig,
    on_input_error: &mut impl FnMut(StreamError),
) -> Result<Stats, StreamError> {
    let mut total = redactor.new_stats();
    let mut job = Job::new(redactor);
    for source in sources {
        let Some((name, mut reader)) = open(source, on_input_error) else {
            continue;
        };
        let mut batcher = new_batcher(redactor, cfg);
        // Windows run in order, so each knows whether the one before left the line open.
        let mut cont = false;
        while let Some((ctx, kind)) = (!cfg.stopped())
            .then(|| batcher.fill(&mut reader, &mut job.input))
            .flatten()
        {
            job.reset(0);
            job.ctx = ctx;
            job.cont = std::mem::take(&mut cont);
            match kind {
                Kind::Final => job.run_final(
                    redactor,
                    batcher.unterminated() && batcher.at_eof(),
                    cfg.line_buffered,
                ),
                Kind::Window => {
                    let (end, open) = job.run_window(redactor);
                    cont = open;
                    batcher.keep(&job.input, end, redactor.lookbehind());
                }
            }
            job.write(output, cfg.line_buffered)?;
            total.merge(&job.stats);
            if batcher.idle() {
                output.flush().map_err(StreamError::Write)?;
            }
        }
        if let Some(e) = batcher.take_error() {
            on_input_error(StreamError::Read { name, source: e });
        }
    }
    Ok(total)
}

/// Take an input's reader, or report why it could not be opened.
fn open<R>(source: Source<R>, on_input_error: &mut impl FnMut(StreamError)) -> Option<(String, R)> {
    match source.reader {
        Ok(r) => Some((source.name, r)),
        Err(e) => {
            on_input_error(StreamError::Read {
                name: source.name,
                source: e,
            });
            None
        }
    }
}

fn parallel<R: Read, W: Write + Send>(
    redactor: &Redactor,
    sources: impl IntoIterator<Item = Source<R>>,
    output: &mut W,
    cfg: &StreamConfig,
    threads: usize,
    pool: Option<&rayon::ThreadPool>,
    on_input_error: &mut impl FnMut(StreamError),
) -> Result<Stats, StreamError> {
    let inflight = 2 * threads + 1;
    let (free_tx, free_rx) = sync_channel::<Job>(inflight);
    let (done_tx, done_rx) = sync_channel::<Job>(inflight);
    for _ in 0..inflight {
        // Cannot fail: the channel has room for every job.
        let _ = free_tx.send(Job::new(redactor));
    }
    let lookbehind = redactor.lookbehind();
    std::thread::scope(|ts| {
        let line_buffered = cfg.line_buffered;
        let writer =
            ts.spawn(move || write_in_order(redactor, done_rx, free_tx, output, line_buffered));
        let mut seq = 0u64;
        in_scope(pool, |rs| {
            'sources: for source in sources {
                let Some((name, mut reader)) = open(source, on_input_error) else {
                    continue;
                };
                let mut batcher = new_batcher(redactor, cfg);
                // Windows run here, in order, so each knows whether the one before left
                // the line open; the batch that ends the line is told too.
                let mut cont = false;
                loop {
                    // The writer hands jobs back; when it has stopped (write error) we stop too.
                    let Ok(mut job) = free_rx.recv() else {
                        break 'sources;
                    };
                    if cfg.stopped() {
                        let _ = done_tx.send(Job {
                            seq: u64::MAX,
                            ..job
                        });
                        break 'sources;
                    }
                    let Some((ctx, kind)) = batcher.fill(&mut reader, &mut job.input) else {
                        // Nothing more in this input: the unused job waits for the next one.
                        // Cannot fail: we just took it out, so there is room.
                        let _ = done_tx.send(Job {
                            seq: u64::MAX,
                            ..job
                        });
                        break;
                    };
                    job.reset(seq);
                    seq += 1;
                    job.ctx = ctx;
                    job.flush = batcher.idle();
                    job.cont = std::mem::take(&mut cont);
                    match kind {
                        Kind::Final => {
                            let last_line = batcher.unterminated() && batcher.at_eof();
                            let done = done_tx.clone();
                            rs.spawn(move |_| {
                                job.run_final(redactor, last_line, line_buffered);
                                let _ = done.send(job);
                            });
                        }
                        Kind::Window => {
                            let (end, open) = job.run_window(redactor);
                            cont = open;
                            batcher.keep(&job.input, end, lookbehind);
                            if done_tx.send(job).is_err() {
                                break 'sources;
                            }
                        }
                    }
                }
                if let Some(e) = batcher.take_error() {
                    on_input_error(StreamError::Read { name, source: e });
                }
            }
        });
        drop(done_tx);
        drop(free_rx);
        writer.join().unwrap_or_else(|_| {
            Err(StreamError::Write(io::Error::other(
                "writer thread panicked",
            )))
        })
    })
}

/// Write a batch's output; line-buffered, each line is written and flushed on its own.
fn write_out<W: Write + ?Sized>(
    output: &mut W,
    data: &[u8],
    line_buffered: bool,
) -> Result<(), StreamError> {
    if !line_buffered {
        return output.write_all(data).map_err(StreamError::Write);
    }
    for line in data.split_inclusive(|&b| b == b'\n') {
        output.write_all(line).map_err(StreamError::Write)?;
        output.flush().map_err(StreamError::Write)?;
    }
    Ok(())
}

/// Run `f` in a scope of `pool`, or of rayon's global pool.
fn in_scope<'scope, R>(
    pool: Option<&rayon::ThreadPool>,
    f: impl FnOnce(&rayon::Scope<'scope>) -> R,
) -> R {
    match pool {
        Some(pool) => pool.in_place_scope(f),
        None => rayon::in_place_scope(f),
    }
}

/// Write finished jobs in sequence order; flush whenever no finished job is waiting.
fn write_in_order<W: Write>(
    redactor: &Redactor,
    done: Receiver<Job>,
    free: SyncSender<Job>,
    output: &mut W,
    line_buffered: bool,
) -> Result<Stats, StreamError> {
    let mut total = redactor.new_stats();
    let mut next = 0u64;
    let mut pending: BTreeMap<u64, Job> = BTreeMap::new();
    let mut dirty = false;
    loop {
        let job = match done.try_recv() {
            Ok(job) => job,
            Err(TryRecvError::Empty) => {
                if dirty {
                    output.flush().map_err(StreamError::Write)?;
                    dirty = false;
                }
                match done.recv() {
                    Ok(job) => job,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        if job.seq == u64::MAX {
            let _ = free.send(job);
            continue;
        }
        pending.insert(job.seq, job);
        while let Some(job) = pending.remove(&next) {
            job.write(output, line_buffered)?;
            total.merge(&job.stats);
            dirty |= job.has_output();
            if job.flush {
                output.flush().map_err(StreamError::Write)?;
                dirty = false;
            }
            next += 1;
            let _ = free.send(job);
        }
    }
    Ok(total)
}
