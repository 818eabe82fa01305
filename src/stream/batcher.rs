//! The roll buffer: cuts a byte stream into batches that end at a newline. A line longer
//! than a batch comes out as windows; the caller tells where a window's decided part ends
//! and the rest (plus look-behind context) rolls over into the next batch.

use std::io::{self, Read};

use crate::block::{open_block_start, MAX_BLOCK};
use crate::carry::MAX_JSON_BLOCK;

/// When `buf[ctx..]` starts with a key block whose END line has not been read yet and is
/// not longer than the block can be: how many bytes hold the block at its longest (its
/// BEGIN line, then [`MAX_BLOCK`] of key material). After the windows of a long line
/// (`ctx` > 0) the block's BEGIN marker may end that line, and the context before `ctx`
/// (the same line, no newline) may hold the start of the marker.
fn open_block_len(buf: &[u8], ctx: usize) -> Option<usize> {
    // While the BEGIN line is not complete, up to MAX_BLOCK of it. A block over JSON
    // records holds more (each line of key material comes with a record's metadata).
    let json = buf[ctx..].iter().find(|&&b| b != b' ' && b != b'\t') == Some(&b'{');
    let bound = if json { MAX_JSON_BLOCK } else { MAX_BLOCK };
    let len = memchr::memchr(b'\n', &buf[ctx..]).map_or(ctx, |nl| ctx + nl + 1) + bound;
    if buf.len() > len {
        return None;
    }
    let open = match memchr::memrchr(b'\n', &buf[ctx..]) {
        Some(last) => {
            let lo = ctx.saturating_sub(BEGIN_MARKER.len());
            open_block_start(&buf[..=ctx + last], lo).is_some_and(|s| s <= ctx)
        }
        None => ctx == 0 && buf.starts_with(BEGIN_MARKER),
    };
    open.then_some(len)
}

const BEGIN_MARKER: &[u8] = b"-----BEGIN ";

/// What a filled batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Ends at a newline or at the end of the input: redact all of it.
    Final,
    /// Part of a line longer than a batch: redact up to a commit point, then call `keep`.
    Window,
}

pub(crate) struct Batcher {
    carry: Vec<u8>,
    carry_ctx: usize,
    batch: usize,
    whole_line: usize,
    eof: bool,
    idle: bool,
    seen_any: bool,
    last_byte: u8,
    error: Option<io::Error>,
    /// Where reads land before they are appended to a batch: zeroed once, when it grows.
    /// Reading straight into a batch meant zeroing the rest of it first (a read needs
    /// initialised bytes), a whole batch for every 64 KiB a pipe hands over.
    area: Vec<u8>,
}

impl Batcher {
    /// `batch` is the target batch size; `min_window` the least a window must hold so that
    /// it can make progress (more than the overlap); a line up to `whole_line` bytes is
    /// always delivered whole (JSON lines), whatever the batch size.
    pub(crate) fn new(batch: usize, min_window: usize, whole_line: usize) -> Batcher {
        Batcher {
            carry: Vec::new(),
            carry_ctx: 0,
            batch: batch.max(min_window).max(1),
            whole_line,
            eof: false,
            idle: false,
            seen_any: false,
            last_byte: b'\n',
            area: Vec::new(),
            error: None,
        }
    }

    /// Fill `buf` with the next batch: `buf[..ctx]` is context already written. Returns
    /// `None` when the input is exhausted. A read error ends the input; the bytes read
    /// before it are still returned, and the error is kept for [`Batcher::take_error`].
    pub(crate) fn fill<R: Read + ?Sized>(
        &mut self,
        src: &mut R,
        buf: &mut Vec<u8>,
    ) -> Option<(usize, Kind)> {
        buf.clear();
        std::mem::swap(buf, &mut self.carry);
        let ctx = std::mem::take(&mut self.carry_ctx);
        let mut target = ctx + self.batch;
        self.idle = false;
        loop {
            self.read_to(src, buf, target);
            // A line that must come whole: read on (doubling) until its newline or its limit.
            let line =
                !self.idle && buf.len() < self.whole_line && memchr::memchr(b'\n', buf).is_none();
            // A key block that starts the batch is read whole (up to its limit), even across
            // a pause: a block split over two batches would leave its tail unrecognised.
            let block = open_block_len(buf, ctx);
            if self.eof || !((line && ctx == 0) || block.is_some()) {
                break;
            }
            let limit = match block {
                Some(len) => len + 1,
                None => self.whole_line,
            };
            target = (target * 2)
                .max(buf.len() + 1)
                .min(limit.max(buf.len() + 1));
        }
        if buf.len() > ctx {
            self.seen_any = true;
            self.last_byte = buf[buf.len() - 1];
        }
        if self.eof {
            return (buf.len() > ctx).then_some((ctx, Kind::Final));
        }
        match memchr::memrchr(b'\n', &buf[ctx..]) {
            Some(i) => {
                let mut cut = ctx + i + 1;
                // Keep an open key block for the next batch (it starts that batch).
                if let Some(start) = open_block_start(&buf[..cut], ctx) {
                    if start > ctx {
                        cut = start;
                    }
                }
                self.carry.extend_from_slice(&buf[cut..]);
                buf.truncate(cut);
                Some((ctx, Kind::Final))
            }
            None => Some((ctx, Kind::Window)),
        }
    }

    /// Read into `buf` until it holds `target` bytes, the input ends or pauses.
    fn read_to<R: Read + ?Sized>(&mut self, src: &mut R, buf: &mut Vec<u8>, target: usize) {
        while !self.eof && buf.len() < target {
            // Ask for the rest of the batch, so that a read that returns less tells that the
            // source had no more for now (past a batch, a line that must come whole is read
            // on until its newline anyway).
            let want = (target - buf.len()).min(self.batch);
            if self.area.len() < want {
                self.area.resize(want, 0);
            }
            match src.read(&mut self.area[..want]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    let got = &self.area[..n.min(want)];
                    buf.extend_from_slice(got);
                    // A short read: hand over what is complete, so that a paused pipe is not
                    // held back waiting for a full batch.
                    if n < want && memchr::memchr(b'\n', got).is_some() {
                        self.idle = true;
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    self.error = Some(e);
                }
            }
        }
    }

    /// After a window was written up to `end`, roll the rest over, with up to `lookbehind`
    /// bytes before `end` as context.
    pub(crate) fn keep(&mut self, buf: &[u8], end: usize, lookbehind: usize) {
        let from = end.saturating_sub(lookbehind);
        self.carry.clear();
        self.carry.extend_from_slice(&buf[from..]);
        self.carry_ctx = end - from;
    }

    /// True when the last fill stopped because the source had nothing more for now.
    pub(crate) fn idle(&self) -> bool {
        self.idle
    }

    /// True when the input had bytes and did not end with a newline (its last line counts).
    pub(crate) fn unterminated(&self) -> bool {
        self.seen_any && self.last_byte != b'\n'
    }

    /// True once the input is exhausted (the batch just filled is its last).
    pub(crate) fn at_eof(&self) -> bool {
        self.eof && self.carry.is_empty()
    }

    /// The read error that ended the input, if any.
    pub(crate) fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }
}
