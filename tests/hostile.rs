//! Hostile input, at sizes that keep CI fast (scripts/hostile.sh measures time and memory
//! at 50-100 MB): output is exact, the stream agrees with one call, nothing panics.

use samar::Redactor;

use crate::streaming::{redactor, stream};

/// The stream (small batches, so long lines go through windows) gives the one-call output.
fn agree(input: &[u8]) -> Vec<u8> {
    let once = redactor().redact_bytes(input).into_owned();
    for (threads, batch) in [(1, 64 << 10), (2, 8 << 10)] {
        assert!(
            stream(input, threads, batch, vec![4096, 17, 100_000]) == once,
            "stream differs (threads {threads}, batch {batch})"
        );
    }
    once
}

#[test]
fn invalid_utf8_inside_identifiers() {
    let input = b"a budi@mail\xff.co.id b 0812\xff3456 7890 c \xff3273011708900001\xff d \xc2\xa0budi@mail.co.id\xc0\n";
    // An identifier cut by an invalid byte is no longer one (its parts are too short to be
    // anything); whole identifiers next to invalid bytes are found; bytes pass unchanged.
    let want = b"a budi@mail\xff.co.id b 0812\xff3456 7890 c \xff[NIK]\xff d \xc2\xa0[EMAIL]\xc0\n";
    assert_eq!(agree(input), want.to_vec());
}

/// Many key markers in one JSON string (each once decoded the whole string to see whether
/// it left a block open for the lines after it: 880 KB took 79 s).
#[test]
fn many_key_markers_in_one_json_string() {
    let mut input = format!("{{\"a\":\"{}\"}}\n", "-----BEGIN ".repeat(40_000)).into_bytes();
    let closed = "-----BEGIN RSA PRIVATE KEY-----\\nQUJD\\n-----END RSA PRIVATE KEY-----\\n";
    input.extend_from_slice(format!("{{\"b\":\"{}\"}}\nafter\n", closed.repeat(5_000)).as_bytes());
    let out = agree(&input);
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap().matches("-----BEGIN ").count(), 40_000);
    let second = lines.next().unwrap();
    assert_eq!(second.matches("[PRIVATE_KEY]").count(), 15_000);
    assert!(!second.contains("QUJD"));
    assert_eq!(lines.next(), Some("after"));
}

#[test]
fn a_million_candidate_runs_on_one_line() {
    // Luhn fails, no valid NIK structure: every run is a candidate and none is redacted.
    let input = b"4526018159083013 ".repeat(100_000);
    assert!(agree(&input) == input);
    let valid = b"4526 0181 5908 3012 ".repeat(50_000);
    let out = agree(&valid);
    assert_eq!(out, b"[CARD] ".repeat(50_000));
}

#[test]
fn near_misses_stay_and_stay_linear() {
    for unit in [&b"1."[..], b"@", b"+62", b"1:", b"%40", b"-----BEGIN "] {
        let input = unit.repeat(300_000 / unit.len());
        assert!(
            agree(&input) == input,
            "{:?}",
            String::from_utf8_lossy(unit)
        );
    }
}

#[test]
fn deep_json_and_huge_json_lines_fall_back_to_text() {
    let depth = 1_000_000;
    let mut line = b"[".repeat(depth);
    line.extend_from_slice(b"\"budi@mail.co.id\"");
    line.extend_from_slice(&b"]".repeat(depth));
    line.push(b'\n');
    let out = agree(&line);
    assert_eq!(
        out.len(),
        line.len() - b"budi@mail.co.id".len() + b"[EMAIL]".len()
    );
    // Under the 1 MiB JSON line limit, too deep is counted as not JSON and scanned as text.
    let depth = 100_000;
    let mut line = b"{\"a\":".repeat(depth);
    line.extend_from_slice(b"\"budi@mail.co.id\"");
    line.extend_from_slice(&b"}".repeat(depth));
    let r = Redactor::builder()
        .format(samar::Format::Json)
        .build()
        .unwrap();
    let mut stats = r.new_stats();
    let mut buf = Vec::new();
    r.redact_into(&line, &mut buf, &mut stats);
    assert_eq!((stats.json_lines, stats.json_invalid), (0, 1));
    assert_eq!(
        buf.len(),
        line.len() - b"budi@mail.co.id".len() + b"[EMAIL]".len()
    );
}

#[test]
fn giant_line_without_newline_keeps_every_identifier_out() {
    let mut input = Vec::new();
    let mut n = 0;
    while input.len() < 6 << 20 {
        input.extend_from_slice(b"lorem ipsum dolor sit amet ".repeat(37).as_slice());
        input.extend_from_slice(format!("budi{n}@mail.co.id 0812-3456-7890 ").as_bytes());
        n += 1;
    }
    let out = agree(&input);
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains("@mail") && !text.contains("0812"));
    assert_eq!(text.matches("[EMAIL] [PHONE]").count(), n);
}
