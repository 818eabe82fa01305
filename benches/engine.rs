//! Criterion benches of the engine: throughput (bytes/s) on a mixed log, a clean log and a
//! PII-dense log, per action, and the streaming path at 1 and 2 threads.
//! The full side-by-side comparison (cat, ripgrep, perl) is issue #6's bench script.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use samar::{redact_stream, Action, Redactor, StreamConfig};

/// A deterministic corpus: `pii_every` = 0 means no identifiers at all.
fn corpus(bytes: usize, pii_every: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 256);
    let mut i = 0usize;
    while out.len() < bytes {
        let line = if pii_every > 0 && i % pii_every == 0 {
            match (i / pii_every) % 7 {
                0 => format!("2026-11-20T09:14:{:02}Z INFO user budi{i}@mail.co.id logged in req={i:x}\n", i % 60),
                1 => format!("2026-11-20T09:14:{:02}Z INFO otp sent to +62 812-3456-{:04} took 12ms\n", i % 60, i % 10000),
                2 => format!("10.0.{}.{} - - [20/Nov/2026:09:14:02 +0700] \"GET /api/v1/items?page=2 HTTP/1.1\" 200 512\n", i % 256, (i / 7) % 256),
                3 => format!("2026-11-20T09:14:{:02}Z WARN payment card 4526 0181 5908 3012 declined order={i}\n", i % 60),
                4 => format!("2026-11-20T09:14:{:02}Z INFO kyc nik=3273011708900001 npwp=01.234.567.4-091.000\n", i % 60),
                5 => format!("2026-11-20T09:14:{:02}Z DEBUG peer 2001:db8::{i:x} connected version 1.4.2\n", i % 60),
                _ => format!("[09:14] customer: tolong hubungi saya di 0857 1234 {:04} ya kak, makasih 🙏\n", i % 10000),
            }
        } else {
            format!(
                "2026-11-20T09:14:{:02}Z INFO request handled route=/api/v1/orders status=200 duration=0.{:03}s trace={:016x}\n",
                i % 60,
                i % 1000,
                i.wrapping_mul(0x9e3779b97f4a7c15)
            )
        };
        out.extend_from_slice(line.as_bytes());
        i += 1;
    }
    out
}

fn engine(c: &mut Criterion) {
    let redactor = Redactor::new().unwrap();
    let mut g = c.benchmark_group("redact_into");
    for (name, every) in [("clean", 0), ("mixed", 4), ("dense", 1)] {
        let input = corpus(4 << 20, every);
        let mut out = Vec::with_capacity(input.len() * 2);
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(BenchmarkId::new("label", name), |b| {
            b.iter(|| {
                out.clear();
                let mut stats = redactor.new_stats();
                redactor.redact_into(&input, &mut out, &mut stats);
                stats.total_findings()
            })
        });
    }
    let input = corpus(4 << 20, 4);
    for action in [Action::Mask, Action::Partial, Action::Hash, Action::Remove] {
        let r = Redactor::builder()
            .action(action)
            .hash_key("bench key")
            .build()
            .unwrap();
        let mut out = Vec::with_capacity(input.len() * 2);
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(BenchmarkId::new(action.to_string(), "mixed"), |b| {
            b.iter(|| {
                out.clear();
                let mut stats = r.new_stats();
                r.redact_into(&input, &mut out, &mut stats);
                stats.total_findings()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("stream");
    let input = corpus(16 << 20, 4);
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.sample_size(10);
    for threads in [1, 2] {
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

criterion_group!(benches, engine);
criterion_main!(benches);
