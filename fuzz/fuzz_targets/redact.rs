//! Property: the parallel streaming path with its default settings (every core, 1 MiB
//! batches, the reader handing over whatever it has) gives exactly the output of one
//! single-threaded `redact_bytes` call on the whole input, and keeps every line: the label
//! action never adds or removes a newline.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use samar::{redact_stream, Redactor, StreamConfig};

fuzz_target!(|data: &[u8]| {
    static R: OnceLock<Redactor> = OnceLock::new();
    let redactor = R.get_or_init(|| Redactor::new().expect("built-in pack compiles"));
    let reference = redactor.redact_bytes(data).into_owned();
    let mut out = Vec::new();
    let cfg = StreamConfig {
        threads: 2,
        ..StreamConfig::default()
    };
    redact_stream(redactor, data, &mut out, &cfg).expect("in-memory I/O");
    assert!(out == reference, "stream and single call differ");
    let lines = |b: &[u8]| memchr_count(b);
    assert_eq!(lines(data), lines(&out), "line count changed");
});

fn memchr_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}
