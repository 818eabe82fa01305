//! The `samar` binary: filters, files, actions, stats, exit codes.

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};

fn samar() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_samar"));
    c.env_remove("SAMAR_HASH_KEY").env_remove("SAMAR_CONFIG");
    c
}

/// samar with these arguments, stdin, stdout and stderr piped.
fn spawn(args: &[&str]) -> std::process::Child {
    samar()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn(args);
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

/// A file in this run's own directory under cargo's temporary directory for integration
/// tests (in `target/`, so runs leave nothing in the system's `/tmp`).
fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("samar-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const LINE: &[u8] = b"budi@mail.co.id called from 0812-3456-7890 at 10.1.2.3\n";

#[test]
fn filters_stdin_to_stdout() {
    let out = run(&[], LINE);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"[EMAIL] called from [PHONE] at [IPV4]\n");
    assert!(out.stderr.is_empty());
}

#[test]
fn reads_files_in_order_and_writes_output_file() {
    let a = tmp("a.log");
    let b = tmp("b.log");
    let o = tmp("out.log");
    std::fs::write(&a, b"a 10.0.0.1\nno newline at end").unwrap();
    std::fs::write(&b, b"b 3273011708900001\n").unwrap();
    let out = run(
        &[
            a.to_str().unwrap(),
            "-",
            b.to_str().unwrap(),
            "-o",
            o.to_str().unwrap(),
        ],
        b"stdin 192.168.0.1\n",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read(&o).unwrap(),
        b"a [IPV4]\nno newline at endstdin [IPV4]\nb [NIK]\n"
    );
}

#[test]
fn unreadable_file_is_reported_and_others_still_processed() {
    let a = tmp("ok.log");
    std::fs::write(&a, b"ok 10.0.0.1\n").unwrap();
    let missing = tmp("does-not-exist.log");
    let dir = std::env::temp_dir();
    let out = run(
        &[
            missing.to_str().unwrap(),
            dir.to_str().unwrap(),
            a.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(out.stdout, b"ok [IPV4]\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("does-not-exist.log") && err.contains("No such file"),
        "{err}"
    );
}

#[test]
fn stats_report_counts_without_values() {
    let out = run(&["--stats"], &LINE.repeat(3));
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    let report: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(report["lines"], 3);
    assert_eq!(report["bytes_in"], LINE.len() * 3);
    assert_eq!(report["bytes_out"], out.stdout.len());
    assert_eq!(report["findings"]["email"], 3);
    assert_eq!(report["findings"]["phone"], 3);
    assert_eq!(report["findings"]["ipv4"], 3);
    assert_eq!(report["findings_total"], 9);
    assert!(report["rejected"].is_object());
    for value in ["budi", "0812", "10.1.2.3"] {
        assert!(!err.contains(value));
    }
}

#[test]
fn actions_global_and_per_detector() {
    let out = run(
        &[
            "--action",
            "mask",
            "--action",
            "email=partial",
            "--action",
            "ipv4=remove",
        ],
        LINE,
    );
    assert_eq!(
        out.stdout,
        b"****@mail.co.id called from ****-****-**** at \n"
    );
    let out = run(&["--action", "partial"], LINE);
    assert_eq!(
        out.stdout,
        b"****@mail.co.id called from ****-****-7890 at 10.1.2.*\n"
    );
}

#[test]
fn hash_needs_a_key_and_is_stable() {
    let out = run(&["--action", "hash"], LINE);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("needs a key") && err.lines().count() == 1,
        "{err}"
    );

    let key = tmp("key");
    std::fs::write(&key, b"s3cret-key\n").unwrap();
    let a = run(
        &[
            "--action",
            "phone=hash",
            "--hash-key-file",
            key.to_str().unwrap(),
        ],
        b"0812-3456-7890 +62 812 3456 7890\n",
    );
    assert_eq!(a.status.code(), Some(0));
    let text = String::from_utf8(a.stdout).unwrap();
    let tokens: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(tokens.len(), 2);
    assert!(
        tokens[0].starts_with("[PHONE:") && tokens[0].len() == "[PHONE:12345678]".len(),
        "{text}"
    );
    assert_eq!(tokens[0], tokens[1], "same number, same token");

    let mut env_run = samar();
    env_run
        .env("SAMAR_HASH_KEY", "s3cret-key")
        .args(["--action", "phone=hash"]);
    let b = pipe(env_run, b"0812-3456-7890\n");
    assert_eq!(
        String::from_utf8(b).unwrap().trim(),
        tokens[0],
        "file key and env key agree"
    );

    let mut other = samar();
    other
        .env("SAMAR_HASH_KEY", "another")
        .args(["--action", "phone=hash"]);
    assert_ne!(
        String::from_utf8(pipe(other, b"0812-3456-7890\n"))
            .unwrap()
            .trim(),
        tokens[0]
    );
}

fn pipe(mut cmd: Command, input: &[u8]) -> Vec<u8> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap().stdout
}

#[test]
fn usage_and_config_errors_exit_2_with_one_line() {
    for args in [
        vec!["--action", "explode"],
        vec!["--action", "nosuch=label"],
        vec!["--only", "nosuch"],
        vec!["--batch-size", "0"],
        vec!["--hash-key-file", "/nonexistent/key", "--action", "hash"],
    ] {
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.trim().is_empty(), "{args:?}");
    }
    let out = run(&["--action", "nosuch=label"], b"");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "samar: unknown detector `nosuch` (see `samar detectors`)"
    );
    let out = run(&["--no-such-flag"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn broken_pipe_exits_zero() {
    let mut child = spawn(&[]);
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let chunk = LINE.repeat(1000);
        for _ in 0..200 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    feeder.join().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(first.starts_with(b"[EMAIL] called from [PHONE]"));
}

/// A sidecar's input pauses between lines: each line written so far comes out redacted
/// while stdin is still open (not when a batch fills or the input ends), also after a fast
/// burst of many lines.
#[test]
fn a_paused_pipe_gets_its_lines_without_waiting_for_more() {
    for threads in ["-j1", "-j2"] {
        let mut child = spawn(&[threads]);
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                if tx.send(line.unwrap()).is_err() {
                    break;
                }
            }
        });
        let wait = std::time::Duration::from_secs(20);
        // A burst bigger than a pipe holds, one of exactly a pipe's size, then single
        // lines with pauses.
        let burst = "ok line without anything in it\n".repeat(10_000);
        stdin.write_all(burst.as_bytes()).unwrap();
        stdin.flush().unwrap();
        for _ in 0..10_000 {
            assert_eq!(
                rx.recv_timeout(wait).unwrap(),
                "ok line without anything in it"
            );
        }
        // Exactly a pipe's 64 KiB (1024 lines of 64 bytes), then a pause.
        let line = format!("{:<63}\n", "a line of sixty-three bytes");
        stdin.write_all(line.repeat(1024).as_bytes()).unwrap();
        stdin.flush().unwrap();
        for _ in 0..1024 {
            assert_eq!(rx.recv_timeout(wait).unwrap(), line.trim_end_matches('\n'));
        }
        for i in 0..3 {
            writeln!(stdin, "call budi{i}@mail.co.id now").unwrap();
            stdin.flush().unwrap();
            // The line arrives while stdin stays open (a liveness check, not a timing one:
            // without the pause rule it would never arrive before stdin closes).
            assert_eq!(
                rx.recv_timeout(wait).unwrap(),
                "call [EMAIL] now",
                "{threads}"
            );
        }
        drop(stdin);
        assert!(child.wait().unwrap().success());
        reader.join().unwrap();
    }
}

/// Inputs that crashed a build: a span that runs past a window's commit point (a Bearer
/// token across it), and a one-line key block whose END marker has no closing dashes (the
/// search ran on into the next line).
#[test]
fn odd_inputs_found_in_review_do_not_crash() {
    let line = format!(
        "{} Bearer abcDEF1234567890abcdefghijklmnopqrstuvwxyz0123456789 {}\n",
        "a".repeat(3000),
        "b".repeat(9000)
    );
    let out = run(&["--format", "text", "--batch-size", "1"], line.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let got = String::from_utf8(out.stdout).unwrap();
    assert!(
        got.starts_with(&"a".repeat(3000)) && got.ends_with(&format!("{}\n", "b".repeat(9000)))
    );
    assert!(!got.contains("abcDEF1234567890"), "{}", &got[2990..3100]);

    let input =
        b"-----BEGIN PRIVATE KEY-----AAAA-----END x\n{\"a\":\"b-----\"}\nsecond line -----\n";
    let out = run(&[], input);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "[PRIVATE_KEY]\n{\"a\":\"b-----\"}\nsecond line -----\n"
    );
}

#[test]
fn full_disk_exits_1_with_a_message() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let out = run(&["-o", "/dev/full"], &LINE.repeat(100));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write output") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn detectors_are_listed_with_examples() {
    let out = run(&["detectors"], b"");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Every detector of the built-in pack (the pack's own test pins its list).
    let specs = samar::detector::builtin_specs().unwrap();
    let ids: Vec<&str> = specs.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.len() >= 25, "{ids:?}");
    for id in &ids {
        assert!(
            text.lines().any(|l| l.starts_with(id)),
            "{id} missing:\n{text}"
        );
    }
    assert_eq!(text.matches("e.g.").count(), ids.len());
}

#[test]
fn custom_pattern_files_load_or_name_the_file() {
    let good = tmp("order.toml");
    std::fs::write(
        &good,
        "id = \"order\"\nlabel = \"ORDER\"\npriority = 5\ndescription = \"order ids\"\n[[pattern]]\nname = \"ord\"\nregex = '\\bORD-[0-9]{6}\\b'\n",
    )
    .unwrap();
    let out = run(
        &["--patterns", good.to_str().unwrap()],
        b"ORD-123456 from 10.0.0.1\n",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, b"[ORDER] from [IPV4]\n");

    let bad = tmp("bad.toml");
    std::fs::write(&bad, "id = \"bad\"\nlabel = \"B\"\npriority = 5\ndescription = \"d\"\n[[pattern]]\nname = \"greedy\"\nregex = 'x.*'\n").unwrap();
    let out = run(&["--patterns", bad.to_str().unwrap()], b"x\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("bad.toml") && err.contains("pattern `greedy`") && err.contains("unbounded"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn usage_errors_are_one_line() {
    let out = run(&["--no-such-flag"], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("samar: unexpected argument '--no-such-flag'"),
        "{err}"
    );
}

fn testdata(path: &str) -> String {
    format!("{}/testdata/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn check_config_reports_every_mistake_with_its_position() {
    let file = testdata("config/three-mistakes.toml");
    let out = run(&["check-config", &file], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with(&file)).collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].contains(":6:") && lines[0].contains("ipv7"),
        "{err}"
    );
    assert!(
        lines[1].contains(":10:") && lines[1].contains("blur"),
        "{err}"
    );
    assert!(
        lines[2].contains(":21:") && lines[2].contains("unbounded"),
        "{err}"
    );
    // samar refuses to start with it, naming the same mistakes.
    let out = run(&["--config", &file], LINE);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).matches(&file).count(),
        4
    );
    // A good config checks clean.
    let out = run(&["check-config", &testdata("config/good.toml")], b"");
    assert_eq!(out.status.code(), Some(0), "{:?}", out);
}

#[test]
fn config_file_drives_a_run() {
    let cfg = tmp("samar.toml");
    std::fs::write(
        &cfg,
        r#"
[detectors]
disable = ["ipv4"]
[actions]
phone = "partial"
[key_rules]
add = ["nomorKartu"]
remove = ["pin"]
[allow]
values = ["cs@contoh.co.id"]
[[detector]]
id = "member"
label = "MEMBER"
priority = 80
description = "member number"
[[detector.pattern]]
name = "member"
regex = 'MBR-[0-9]{8}'
[[detector.example]]
text = "id MBR-12345678"
redacted = "id [MEMBER]"
"#,
    )
    .unwrap();
    let input = b"cs@contoh.co.id budi@mail.co.id 0812-3456-7890 10.1.2.3 MBR-12345678 nomor_kartu=77 pin=12\n";
    let want = "cs@contoh.co.id [EMAIL] ****-****-7890 10.1.2.3 [MEMBER] nomor_kartu=[REDACTED:nomor_kartu] pin=12\n";
    let out = run(&["--config", cfg.to_str().unwrap()], input);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
    // The same through SAMAR_CONFIG; a command-line action overrides the file.
    let mut child = samar()
        .env("SAMAR_CONFIG", &cfg)
        .args(["--action", "phone=label"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        want.replace("****-****-7890", "[PHONE]")
    );
}

#[test]
fn format_option_and_key_rule_stats() {
    let input = b"{\"msisdn\":6281234567890,\"m\":\"x\"}\nnot json password=abc\n";
    let out = run(&["--format", "json", "--stats"], input);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"msisdn\":\"[REDACTED:msisdn]\",\"m\":\"x\"}\nnot json password=[REDACTED:password]\n"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(report["key_findings"]["msisdn"], 1);
    assert_eq!(report["key_findings"]["password"], 1);
    assert_eq!(report["json_lines"], 1);
    assert_eq!(report["json_invalid"], 1);
    let out = run(&["--format", "yaml"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format `yaml`"));
}

#[test]
fn readme_config_example_checks_clean() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .find("**Config file**")
        .expect("README has a config section");
    let start = section + readme[section..].find("```toml\n").expect("a toml block") + 8;
    let len = readme[start..].find("```").unwrap();
    let file = tmp("readme.toml");
    std::fs::write(&file, &readme[start..start + len]).unwrap();
    let out = run(&["check-config", file.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

fn send_signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig} {pid}");
}

#[test]
fn sigterm_mid_stream_writes_whole_redacted_lines_and_exits_143() {
    let mut child = spawn(&["-j2"]);
    let mut input = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let mut n = 0u64;
        let mut chunk = Vec::new();
        loop {
            chunk.clear();
            for _ in 0..1000 {
                n += 1;
                chunk.extend_from_slice(format!("budi{n}@mail.co.id line {n}\n").as_bytes());
            }
            if input.write_all(&chunk).is_err() {
                return n;
            }
        }
    });
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).unwrap();
        out
    });
    std::thread::sleep(std::time::Duration::from_millis(400));
    send_signal(child.id(), "-TERM");
    let status = child.wait().unwrap();
    let out = reader.join().unwrap();
    feeder.join().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(143), "{err}");
    assert!(err.contains("stopped by SIGTERM"), "{err}");
    assert!(
        !out.is_empty() && out.ends_with(b"\n"),
        "output ends mid-line"
    );
    let text = String::from_utf8(out).unwrap();
    for (i, line) in text.lines().enumerate() {
        assert_eq!(line, format!("[EMAIL] line {}", i + 1));
    }
}

#[test]
fn sigint_while_waiting_for_input_exits_130_after_writing_what_was_read() {
    let mut child = spawn(&[]);
    let mut input = child.stdin.take().unwrap();
    input.write_all(b"a 10.1.2.3\nb 0812-3456-7890\n").unwrap();
    input.flush().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while got.iter().filter(|&&b| b == b'\n').count() < 2 {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "output ended early");
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"a [IPV4]\nb [PHONE]\n");
    let started = std::time::Instant::now();
    send_signal(child.id(), "-INT");
    let status = child.wait().unwrap();
    drop(input);
    assert_eq!(status.code(), Some(130));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("stopped by SIGINT"), "{err}");
}
