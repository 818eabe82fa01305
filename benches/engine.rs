//! Criterion benches (throughput in bytes/s): the engine on each corpus kind of
//! `scripts/gen_corpus.py` (mixed, clean, dense, JSON lines, nginx, logfmt, chat), each
//! detector alone, each action, the JSON path against the text path, and the streaming path
//! at 1, 2 and all threads. The side-by-side comparison with cat, ripgrep and perl is
//! `scripts/bench.sh`.
//!
//! Corpora are generated once into `target/bench/` (4 MB each); without python3 the benches
//! fall back to a built-in mixed corpus.

use std::path::PathBuf;
use std::process::Command;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use samar::{redact_stream, Action, Format, KeyRules, Redactor, StreamConfig};

const CORPUS_MB: &str = "4";

/// The generated corpus of `kind`, or the built-in one when it cannot be generated.
fn corpus(kind: &str) -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(format!("target/bench/criterion-{kind}-{CORPUS_MB}MB.log"));
    if !path.exists() {
        let _ = std::fs::create_dir_all(root.join("target/bench"));
        let _ = Command::new("python3")
            .arg(root.join("scripts/gen_corpus.py"))
            .arg(&path)
            .arg(CORPUS_MB)
            .args(["--kind", kind])
            .status();
    }
    std::fs::read(&path).unwrap_or_else(|_| builtin(4 << 20))
}

/// A deterministic mixed log, one line in four with personal data.
fn builtin(bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 256);
    let mut i = 0usize;
    while out.len() < bytes {
        let line = if i.is_multiple_of(4) {
            match (i / 4) % 4 {
                0 => format!(
                    "2026-11-20T09:14:{:02}Z INFO user budi{i}@mail.co.id logged in\n",
                    i % 60
                ),
                1 => format!(
                    "2026-11-20T09:14:{:02}Z INFO otp sent to +62 812-3456-{:04}\n",
                    i % 60,
                    i % 10000
                ),
                2 => format!(
                    "2026-11-20T09:14:{:02}Z WARN card 4526 0181 5908 3012 declined\n",
                    i % 60
                ),
                _ => format!(
                    "[09:14] customer: NIK saya 3273011708900001, WA 0857 1234 {:04}\n",
                    i % 10000
                ),
            }
        } else {
            format!(
                "2026-11-20T09:14:{:02}Z INFO request handled route=/api/v1/orders status=200 trace={:016x}\n",
                i % 60,
                i.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            )
        };
        out.extend_from_slice(line.as_bytes());
        i += 1;
    }
    out
}

fn run(r: &Redactor, input: &[u8], out: &mut Vec<u8>) -> u64 {
    out.clear();
    let mut stats = r.new_stats();
    r.redact_into(input, out, &mut stats);
    stats.total_findings()
}

fn corpora(c: &mut Criterion) {
    let redactor = Redactor::new().unwrap();
    let mut g = c.benchmark_group("corpus");
    g.sample_size(10);
    for kind in [
        "mixed", "clean", "dense", "jsonl", "nginx", "logfmt", "chat",
    ] {
        let input = corpus(kind);
        let mut out = Vec::with_capacity(input.len() * 2);
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(BenchmarkId::new("label", kind), |b| {
            b.iter(|| run(&redactor, &input, &mut out))
        });
    }
    g.finish();
}

/// One group: each redactor of `cases` on the same input.
fn compare(c: &mut Criterion, group: &str, input: &[u8], cases: Vec<(BenchmarkId, Redactor)>) {
    let mut out = Vec::with_capacity(input.len() * 2);
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.throughput(Throughput::Bytes(input.len() as u64));
    for (id, r) in cases {
        g.bench_function(id, |b| b.iter(|| run(&r, input, &mut out)));
    }
    g.finish();
}

fn detectors(c: &mut Criterion) {
    let ids: Vec<String> = Redactor::new()
        .unwrap()
        .detectors()
        .iter()
        .map(|d| d.id.clone())
        .collect();
    let mut cases: Vec<(BenchmarkId, Redactor)> = ids
        .iter()
        .map(|id| {
            let r = Redactor::builder()
                .only([id.as_str()])
                .key_rules(KeyRules::none())
                .build()
                .unwrap();
            (BenchmarkId::new("alone", id), r)
        })
        .collect();
    cases.push((
        BenchmarkId::new("all", "with-key-rules"),
        Redactor::new().unwrap(),
    ));
    compare(c, "detector", &corpus("mixed"), cases);
}

fn actions(c: &mut Criterion) {
    let cases = [
        Action::Label,
        Action::Mask,
        Action::Partial,
        Action::Hash,
        Action::Remove,
    ]
    .into_iter()
    .map(|action| {
        let r = Redactor::builder()
            .action(action)
            .hash_key("bench key")
            .build()
            .unwrap();
        (BenchmarkId::new(action.to_string(), "mixed"), r)
    })
    .collect();
    compare(c, "action", &corpus("mixed"), cases);
}

fn formats(c: &mut Criterion) {
    let cases = [("json", Format::Json), ("text", Format::Text)]
        .into_iter()
        .map(|(name, format)| {
            let r = Redactor::builder().format(format).build().unwrap();
            (BenchmarkId::new(name, "jsonl"), r)
        })
        .collect();
    compare(c, "format", &corpus("jsonl"), cases);
}

fn threads(c: &mut Criterion) {
    let redactor = Redactor::new().unwrap();
    let one = corpus("mixed");
    let input = one.repeat(4);
    let mut g = c.benchmark_group("stream");
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.sample_size(10);
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut counts = vec![1, 2, all];
    counts.dedup();
    for threads in counts {
        g.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                let cfg = StreamConfig {
                    threads,
                    batch_size: 1 << 20,
                    stop: None,
                    line_buffered: false,
                };
                redact_stream(&redactor, &input[..], std::io::sink(), &cfg)
                    .unwrap()
                    .total_findings()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, corpora, detectors, actions, formats, threads);
criterion_main!(benches);
