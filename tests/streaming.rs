//! The streaming path gives exactly the output of one `redact_bytes` call on the whole
//! input, whatever the thread count, batch size or read pattern, and bytes outside findings
//! pass through unchanged.

use std::io::{self, Read, Write};

use samar::{redact_stream, Redactor, StreamConfig, StreamError};

pub fn redactor() -> &'static Redactor {
    static R: std::sync::OnceLock<Redactor> = std::sync::OnceLock::new();
    R.get_or_init(|| Redactor::new().unwrap())
}

/// A reader that hands out data in the given chunk sizes (cycled).
pub struct Chunked<'a> {
    pub data: &'a [u8],
    pub sizes: Vec<usize>,
    pub i: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.data.is_empty() {
            return Ok(0);
        }
        let want = self.sizes[self.i % self.sizes.len()].max(1);
        self.i += 1;
        let n = want.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

pub fn stream(input: &[u8], threads: usize, batch_size: usize, sizes: Vec<usize>) -> Vec<u8> {
    stream_by(redactor(), input, threads, batch_size, sizes)
}

/// The default detectors, every line read as text: a line longer than a batch goes
/// through windows (the default format keeps a line up to the JSON line limit whole).
pub fn text_redactor() -> &'static Redactor {
    static R: std::sync::OnceLock<Redactor> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        Redactor::builder()
            .format(samar::Format::Text)
            .build()
            .unwrap()
    })
}

pub fn stream_by(
    r: &Redactor,
    input: &[u8],
    threads: usize,
    batch_size: usize,
    sizes: Vec<usize>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let reader = Chunked {
        data: input,
        sizes,
        i: 0,
    };
    redact_stream(
        r,
        reader,
        &mut out,
        &StreamConfig {
            threads,
            batch_size,
            stop: None,
            line_buffered: false,
        },
    )
    .unwrap();
    out
}

fn mixed_corpus() -> Vec<u8> {
    let mut s = Vec::new();
    for i in 0..200 {
        if i % 8 == 3 {
            s.extend_from_slice(b"\xff\xfe invalid utf8 \xc3 before 10.9.8.7\xff\n");
        }
        let line = match i % 8 {
            0 => format!("{i} user budi{i}@mail.co.id logged in from 10.0.{}.{}\n", i % 256, (i * 7) % 256),
            1 => format!("{i} WA +62 812-3456-{:04} / 0812 3456 7890 ok\r\n", i),
            2 => format!("{i} card 4526 0181 5908 3012 npwp 01.234.567.4-091.000 nik 3273011708900001\n"),
            3 => format!("{i} \x1b[31mERROR\x1b[0m ip fe80::1ff:fe23:4567:890a%eth0 bad utf8\n"),
            4 => format!("{i} nul\0byte 2001:db8::{i:x} version 1.2.3.4.5 took 0.812345s\n"),
            5 => format!("{i} uuid 3f2504e0-4f89-41d3-9a0c-0305e82c3301 Rp 1.250.000 order 4526018159083013\n"),
            6 => format!("{i} long {} end 08123456789\n", "x".repeat(i * 13)),
            _ => format!("{i} q=?email=siti%40mail.com&hp=%2B6281234567890 {}\n", "y ".repeat(i % 50)),
        };
        s.extend_from_slice(line.as_bytes());
    }
    s.extend_from_slice(b"last line without newline 192.168.1.1");
    s
}

#[test]
fn same_output_for_every_thread_count_and_batch_size() {
    let input = mixed_corpus();
    let reference = redactor().redact_bytes(&input).into_owned();
    assert_ne!(reference, input, "the corpus has findings");
    for threads in [1, 2, 4] {
        for batch in [1, 7, 64, 333, 4096, 1 << 20] {
            for sizes in [vec![1 << 16], vec![1, 3, 17, 4096], vec![5]] {
                let out = stream(&input, threads, batch, sizes.clone());
                assert!(
                    out == reference,
                    "threads={threads} batch={batch} reads={sizes:?}"
                );
            }
        }
    }
}

#[test]
fn long_line_windows_do_not_lose_straddling_identifiers() {
    // One 600 KB line with identifiers at every possible offset relative to window edges.
    let mut line = Vec::new();
    let ids: [&[u8]; 6] = [
        b"budi.santoso@gmail.com",
        b"+62 812-3456-7890",
        b"4526 0181 5908 3012",
        b"3273011708900001",
        b"2001:db8::1",
        b"203.0.113.255",
    ];
    let mut k = 0;
    while line.len() < 600_000 {
        line.extend_from_slice(b" ".repeat(1 + k % 37).as_slice());
        line.extend_from_slice(ids[k % ids.len()]);
        line.extend_from_slice(b" filler-");
        k += 1;
    }
    // Text: the default format keeps a line up to the JSON line limit whole.
    let reference = text_redactor().redact_bytes(&line).into_owned();
    for id in ids {
        assert!(!reference.windows(id.len()).any(|w| w == id));
    }
    for threads in [1, 2] {
        for batch in [1, 500, 1000, 4097, 65536, 200_000] {
            let out = stream_by(text_redactor(), &line, threads, batch, vec![8192, 1, 333]);
            assert!(out == reference, "threads={threads} batch={batch}");
        }
    }
}

#[test]
fn bytes_outside_findings_pass_through() {
    let input: &[u8] = b"\xff\xfe\x00 a\r\n\x1b[1mbold\x1b[0m\t\xc3\xa9 mail budi@mail.co.id\r\n\xf0\x9f\x98\x80 end";
    let out = stream(input, 2, 4, vec![3]);
    assert_eq!(
        out,
        b"\xff\xfe\x00 a\r\n\x1b[1mbold\x1b[0m\t\xc3\xa9 mail [EMAIL]\r\n\xf0\x9f\x98\x80 end"
    );
    let clean: &[u8] = b"no personal data here\nnor here\r\n\x00\xff";
    assert_eq!(stream(clean, 2, 1 << 20, vec![4096]), clean);
}

#[test]
fn stats_count_lines_bytes_and_findings() {
    let input = b"a budi@mail.co.id\nb 10.0.0.1 c 10.0.0.2\nd 4526 0181 5908 3013\nno newline";
    let mut out = Vec::new();
    let stats = redact_stream(
        redactor(),
        &input[..],
        &mut out,
        &StreamConfig {
            threads: 2,
            batch_size: 8,
            stop: None,
            line_buffered: false,
        },
    )
    .unwrap();
    assert_eq!(stats.lines, 4);
    assert_eq!(stats.bytes_in, input.len() as u64);
    assert_eq!(stats.bytes_out, out.len() as u64);
    assert_eq!(stats.findings_of("email"), Some(1));
    assert_eq!(stats.findings_of("ipv4"), Some(2));
    assert_eq!(stats.findings_of("card"), Some(0));
    assert!(
        stats.rejected_of("card").unwrap() >= 1,
        "the Luhn failure is counted"
    );
    let json = stats.to_json().to_string();
    assert!(!json.contains("budi") && !json.contains("10.0.0.1") && !json.contains("4526"));
}

struct FailAfter<'a> {
    data: &'a [u8],
}

impl Read for FailAfter<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.data.is_empty() {
            return Err(io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.data.len()).min(10);
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn read_error_keeps_what_was_read_and_redacts_it() {
    for threads in [1, 2] {
        let mut out = Vec::new();
        let reader = FailAfter {
            data: b"ok 10.0.0.1\npartial budi@mail.co.id",
        };
        let err = redact_stream(
            redactor(),
            reader,
            &mut out,
            &StreamConfig {
                threads,
                batch_size: 64,
                stop: None,
                line_buffered: false,
            },
        )
        .unwrap_err();
        assert!(matches!(err, StreamError::Read { .. }), "{err}");
        assert_eq!(out, b"ok [IPV4]\npartial [EMAIL]");
    }
}

struct FailingWriter {
    written: usize,
    kind: io::ErrorKind,
}

impl Write for FailingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 100 {
            return Err(io::Error::new(self.kind, "no space"));
        }
        self.written += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_errors_stop_the_run() {
    let input = "budi@mail.co.id 10.0.0.1\n".repeat(10_000);
    for threads in [1, 2] {
        for kind in [io::ErrorKind::StorageFull, io::ErrorKind::BrokenPipe] {
            let w = FailingWriter { written: 0, kind };
            let cfg = StreamConfig {
                threads,
                batch_size: 512,
                stop: None,
                line_buffered: false,
            };
            let err = redact_stream(redactor(), input.as_bytes(), w, &cfg).unwrap_err();
            assert!(matches!(err, StreamError::Write(_)));
            assert_eq!(err.is_broken_pipe(), kind == io::ErrorKind::BrokenPipe);
        }
    }
}

/// Records what was written between flushes.
#[derive(Default)]
struct FlushLog {
    pending: Vec<u8>,
    flushed: Vec<Vec<u8>>,
}

impl Write for FlushLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            self.flushed.push(std::mem::take(&mut self.pending));
        }
        Ok(())
    }
}

#[test]
fn line_buffered_flushes_every_line() {
    let input = b"a 10.1.2.3\nb\nc budi@mail.co.id\n";
    for (threads, line_buffered, want) in [
        (1, true, vec![&b"a [IPV4]\n"[..], b"b\n", b"c [EMAIL]\n"]),
        (2, true, vec![&b"a [IPV4]\n"[..], b"b\n", b"c [EMAIL]\n"]),
        (1, false, vec![&b"a [IPV4]\nb\nc [EMAIL]\n"[..]]),
    ] {
        let mut log = FlushLog::default();
        let cfg = StreamConfig {
            threads,
            line_buffered,
            ..StreamConfig::default()
        };
        redact_stream(redactor(), &input[..], &mut log, &cfg).unwrap();
        assert_eq!(
            log.flushed, want,
            "threads {threads} line_buffered {line_buffered}"
        );
    }
}

#[test]
fn long_lines_keep_cue_values_whole_at_every_window_offset() {
    // A cue detector's match (`otp:"4821`) starts at its cue and a key rule's value at the
    // quote: with a window's commit point between the two, the windows once took the
    // detector's digits and lost the rest of the value (`otp:"[SECRET] abc secret"`).
    let mut input = Vec::new();
    for pad in 0..64 {
        let mut line = "y".repeat(pad);
        // Longer than the least window (about 82 KiB), so that `batch_size: 1` cuts it.
        while line.len() < 200_000 {
            line.push_str(r#" otp:"4821 abc secret" x"#);
        }
        line.push('\n');
        input.extend_from_slice(line.as_bytes());
    }
    // Text: lines up to the JSON line limit are otherwise kept whole in a batch.
    let text = Redactor::builder()
        .format(samar::Format::Text)
        .build()
        .unwrap();
    let reference = text.redact_bytes(&input).into_owned();
    assert!(!reference.windows(10).any(|w| w == b"abc secret"));
    for threads in [1, 2] {
        let out = stream_by(&text, &input, threads, 1, vec![1 << 30]);
        assert!(out == reference, "threads={threads}");
    }
}

#[test]
fn a_value_longer_than_the_bound_takes_the_rest_of_its_line_in_every_window() {
    // A value over 16 KiB (the bound that keeps a pair short enough for the windows) once
    // kept what was past the bound: `Cookie: sid=S…` kept ~15 K of its S's, and a chain of
    // pairs inside a value kept the tail of the inner value. Now the rest of the line goes
    // with it, the same way whether or not the line is cut into windows.
    // Lines longer than the least window (about 82 KiB), so that `batch_size: 1` cuts them.
    let s = "S".repeat(200_000);
    let lines = [
        format!(
            "a Cookie: {} Cookie: sid={s} tail 10.1.2.3",
            "a".repeat(16_000)
        ),
        format!("password={s} after 10.1.2.3"),
        format!("x token=\"{s}\" after"),
        format!(r#"log {{\"pin\":\"{s}\"}} after"#),
        format!("crlf password={s}\r"),
        format!("Authorization: Bearer {s}"),
        "ok 10.1.2.3 password=short".to_string(),
    ];
    let mut input = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        // Padding moves the value across window commit points.
        input.extend_from_slice(" ".repeat(i * 4099).as_bytes());
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
    }
    let text = Redactor::builder()
        .format(samar::Format::Text)
        .build()
        .unwrap();
    let reference = text.redact_bytes(&input).into_owned();
    let out = String::from_utf8(reference.clone()).unwrap();
    let got: Vec<&str> = out.split_terminator('\n').map(str::trim_start).collect();
    assert_eq!(
        got,
        [
            "a Cookie: [REDACTED:cookie]",
            "password=[REDACTED:password]",
            "x token=\"[REDACTED:token]",
            r#"log {\"pin\":\"[REDACTED:pin]"#,
            "crlf password=[REDACTED:password]\r",
            "Authorization: [REDACTED:authorization]",
            "ok [IPV4] password=[REDACTED:password]",
        ]
    );
    for threads in [1, 2] {
        for batch_size in [1, 50_000, 1 << 20] {
            let out = stream_by(&text, &input, threads, batch_size, vec![1 << 30]);
            assert!(out == reference, "threads={threads} batch={batch_size}");
        }
    }
}

/// The stream gives `reference` for `input` with one and two threads, small and large
/// batches, and reads of several sizes.
fn same_in_every_batching(input: &[u8], reference: &[u8]) {
    for threads in [1, 2] {
        for batch in [1, 100_000, 1 << 20] {
            for sizes in [vec![1 << 16], vec![4096, 17, 100_000]] {
                let out = stream(input, threads, batch, sizes.clone());
                assert!(
                    out == reference,
                    "threads={threads} batch={batch} {sizes:?}"
                );
            }
        }
    }
}

#[test]
fn a_key_block_longer_than_its_bound_ends_at_the_same_line_in_every_batching() {
    // The bound on a block's key material once counted from the BEGIN marker while the
    // batcher read a block from its line's start: with text before the marker, a block
    // past the bound ended at a different line in one 1 MiB batch than in small batches.
    let mut input = Vec::new();
    for i in 0..3000 {
        input.extend_from_slice(format!("log line {i} ok\n").as_bytes());
    }
    input.extend_from_slice("prefix text ".repeat(200).as_bytes());
    input.extend_from_slice(b"-----BEGIN RSA PRIVATE KEY-----\n");
    let (mut material, mut within) = (0, 0);
    for i in 0..20_000 {
        // Base64-like lines, one in nine an armour header.
        let line = if i % 9 == 4 {
            format!("Comment: key part {i}\n")
        } else {
            format!("{:0>63}\n", format!("MIIBOgIBAAJBAKj34GkxFhD90vcN{i}"))
        };
        material += line.len();
        within += usize::from(material <= 1 << 20);
        input.extend_from_slice(line.as_bytes());
    }
    input.extend_from_slice(b"after the key 10.1.2.3\n");
    let reference = redactor().redact_bytes(&input).into_owned();
    // The BEGIN line and the material lines within the bound (1 MiB) are redacted.
    let text = String::from_utf8(reference.clone()).unwrap();
    assert_eq!(text.matches("[PRIVATE_KEY]").count(), 1 + within);
    assert!(text.ends_with("after the key [IPV4]\n"));
    same_in_every_batching(&input, &reference);
}

#[test]
fn a_key_block_over_json_records_ends_at_the_same_record_in_every_batching() {
    // One JSON record per key line (Docker's json-file driver): the records that carry the
    // block on are bounded (256 KiB of lines after the BEGIN line), so every batching ends
    // it at the same record.
    let mut input = Vec::new();
    for i in 0..2000 {
        input.extend_from_slice(format!("{{\"log\":\"request {i} ok\\n\"}}\n").as_bytes());
    }
    input.extend_from_slice(
        b"{\"log\":\"-----BEGIN RSA PRIVATE KEY-----\\n\",\"stream\":\"stdout\"}\n",
    );
    let (mut lines, mut within) = (0, 0);
    for i in 0..4000 {
        let line = format!(
            "{{\"log\":\"{:0>64}\\n\",\"stream\":\"stdout\"}}\n",
            format!("MIIBOgIBAAJBAKj34GkxFhD90vcN{i}")
        );
        lines += line.len();
        within += usize::from(lines <= 256 * 1024);
        input.extend_from_slice(line.as_bytes());
    }
    input.extend_from_slice(b"{\"log\":\"after the key 10.1.2.3\\n\"}\n");
    let reference = redactor().redact_bytes(&input).into_owned();
    let text = String::from_utf8(reference.clone()).unwrap();
    assert!(within > 2000 && within < 4000, "{within}");
    assert_eq!(text.matches("[PRIVATE_KEY]").count(), 1 + within);
    assert!(text.ends_with("{\"log\":\"after the key [IPV4]\\n\"}\n"));
    same_in_every_batching(&input, &reference);
}

#[test]
fn a_key_block_after_a_capped_value_is_still_redacted() {
    // A capped value swallows the rest of its line; a BEGIN marker at that line's end still
    // opens its block (the key lines once passed through unchanged).
    let key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xt\n-----END PRIVATE KEY-----\nafter 10.1.2.3\n";
    let want = "[PRIVATE_KEY]\n[PRIVATE_KEY]\n[PRIVATE_KEY]\nafter [IPV4]\n";
    let z = "Z".repeat(20_000);
    let text = Redactor::builder()
        .format(samar::Format::Text)
        .build()
        .unwrap();
    // Lines shorter and longer than the least window (about 82 KiB).
    for pad in [0, 50_000, 120_000] {
        let input = format!("{}password={z} {key}", "x ".repeat(pad));
        let want = format!("{}password=[REDACTED:password]\n{want}", "x ".repeat(pad));
        assert!(text.redact(&input) == want, "pad {pad}");
        for threads in [1, 2] {
            for batch_size in [1, 100_000, 1 << 20] {
                let out = stream_by(&text, input.as_bytes(), threads, batch_size, vec![1 << 30]);
                assert!(
                    out == want.as_bytes(),
                    "pad {pad} threads={threads} batch={batch_size}"
                );
            }
        }
    }
    // Inside a JSON string (newlines escaped), as the walker decodes it.
    let line = serde_json::json!({ "msg": format!("password={z} {key}") }).to_string();
    let out: serde_json::Value = serde_json::from_str(&redactor().redact(&line)).unwrap();
    assert_eq!(out["msg"], format!("password=[REDACTED:password]\n{want}"));
}

#[test]
fn a_last_line_left_open_at_a_window_end_is_counted() {
    // A window that ends exactly at the input's end inside a capped value once took the
    // whole buffer, so no final batch ran and the unterminated line was not counted.
    let text = Redactor::builder()
        .format(samar::Format::Text)
        .build()
        .unwrap();
    let batch_size = 200 * 1024;
    let input = format!("password={}", "Z".repeat(batch_size - 9));
    for threads in [1, 2] {
        let mut out = Vec::new();
        let cfg = StreamConfig {
            threads,
            batch_size,
            stop: None,
            line_buffered: false,
        };
        let stats = redact_stream(&text, input.as_bytes(), &mut out, &cfg).unwrap();
        assert_eq!(out, b"password=[REDACTED:password]");
        assert_eq!(stats.lines, 1, "threads={threads}");
        assert_eq!(stats.bytes_in, input.len() as u64);
    }
}
