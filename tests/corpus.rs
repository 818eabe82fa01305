//! Golden corpus: realistic logs and chat transcripts (testdata/corpus/X) and their
//! reviewed redaction (X.out), through the library and the streaming path.

use samar::{redact_stream, StreamConfig};

use crate::streaming::redactor;

const FILES: &[&str] = &[
    "formats-valid.txt",
    "chat-id.txt",
    "chat-en.txt",
    "app.log",
    "access.log",
    "events.jsonl",
    "lookalikes.txt",
];

/// A golden pair under testdata/: `dir/name` and its reviewed redaction `dir/name.out`.
pub fn golden(dir: &str, name: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = format!("{}/testdata/{dir}/", env!("CARGO_MANIFEST_DIR"));
    let input = std::fs::read(format!("{dir}{name}")).unwrap();
    let expected = std::fs::read(format!("{dir}{name}.out")).unwrap();
    (input, expected)
}

fn load(name: &str) -> (Vec<u8>, Vec<u8>) {
    golden("corpus", name)
}

/// The first line where `got` and `want` differ, for assertion messages.
pub fn first_difference(got: &[u8], want: &[u8]) -> String {
    let got = String::from_utf8_lossy(got);
    let want = String::from_utf8_lossy(want);
    for (n, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        if g != w {
            return format!("line {}:\n  got  {g}\n  want {w}", n + 1);
        }
    }
    format!(
        "line counts differ: got {}, want {}",
        got.lines().count(),
        want.lines().count()
    )
}

#[test]
fn golden_files_through_the_library() {
    for name in FILES {
        let (input, expected) = load(name);
        let got = redactor().redact_bytes(&input);
        assert!(
            got[..] == expected[..],
            "{name}: {}",
            first_difference(&got, &expected)
        );
    }
}

#[test]
fn golden_files_through_the_stream() {
    for name in FILES {
        let (input, expected) = load(name);
        for (threads, batch_size) in [(1, 1 << 20), (2, 64), (4, 1)] {
            let mut out = Vec::new();
            let stats = redact_stream(
                redactor(),
                &input[..],
                &mut out,
                &StreamConfig {
                    threads,
                    batch_size,
                    stop: None,
                    line_buffered: false,
                },
            )
            .unwrap();
            assert!(
                out == expected,
                "{name} threads={threads} batch={batch_size}: {}",
                first_difference(&out, &expected)
            );
            assert_eq!(
                stats.lines,
                input
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .count() as u64
            );
        }
    }
}

#[test]
fn lookalikes_are_left_alone() {
    let (input, expected) = load("lookalikes.txt");
    assert_eq!(
        input, expected,
        "the look-alike file must come out unchanged"
    );
}

#[test]
fn every_golden_file_has_findings_except_lookalikes() {
    for name in FILES.iter().filter(|n| **n != "lookalikes.txt") {
        let (input, expected) = load(name);
        assert_ne!(input, expected, "{name}");
    }
}
