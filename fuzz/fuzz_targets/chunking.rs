//! Property: the parallel streaming path, with arbitrary read sizes, batch sizes and thread
//! counts, gives exactly the output of one single-threaded `redact_bytes` call.
#![no_main]

use std::io::Read;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use samar::{redact_stream, Redactor, StreamConfig};

struct Chunked<'a> {
    data: &'a [u8],
    size: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.size.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fuzz_target!(|input: &[u8]| {
    static R: OnceLock<Redactor> = OnceLock::new();
    let redactor = R.get_or_init(|| Redactor::new().expect("built-in pack compiles"));
    if input.len() < 3 {
        return;
    }
    let (knobs, data) = input.split_at(3);
    let threads = 1 + usize::from(knobs[0] % 3);
    let batch = 1 + usize::from(knobs[1]) * 7;
    let read = 1 + usize::from(knobs[2]);
    let reference = redactor.redact_bytes(data).into_owned();
    let mut out = Vec::new();
    let cfg = StreamConfig {
        threads,
        batch_size: batch,
        stop: None,
        line_buffered: false,
    };
    redact_stream(redactor, Chunked { data, size: read }, &mut out, &cfg).expect("in-memory I/O");
    assert!(out == reference, "threads={threads} batch={batch} read={read}");
});
