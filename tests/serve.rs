//! `samar serve` as a real process on real sockets (127.0.0.1 only), with a minimal HTTP/1.1
//! client written here.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samar"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove("SAMAR_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    // Keep reading stderr so the server never blocks on it.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = err.read_to_string(&mut sink);
    });
    Server { child, port }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

fn send(port: u16, raw: &[u8]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(raw).unwrap();
    read_reply(&mut s)
}

fn read_reply(s: &mut TcpStream) -> Reply {
    let mut data = Vec::new();
    s.read_to_end(&mut data).unwrap();
    let split = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&data[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    Reply {
        status,
        head,
        body: data[split + 4..].to_vec(),
    }
}

fn request(method: &str, path: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut r = format!("{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for h in headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    r.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut r = r.into_bytes();
    r.extend_from_slice(body);
    r
}

const AUTH: &str = "Authorization: Bearer s3cr3t-token";

fn token_file() -> String {
    // Under cargo's temporary directory for integration tests (in `target/`, not `/tmp`).
    let p = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("samar-serve-token-{}", std::process::id()));
    std::fs::write(&p, "s3cr3t-token\n").unwrap();
    p.display().to_string()
}

#[test]
fn serve_redacts_bodies_and_answers_limits_clearly() {
    let token = token_file();
    let srv = start(&[
        "--auth-token-file",
        &token,
        "--max-body",
        "4K",
        "--timeout",
        "0.5",
    ]);
    let p = srv.port;

    let r = send(p, &request("GET", "/healthz", &[], b""));
    assert_eq!((r.status, r.body.as_slice()), (200, &b"ok\n"[..]));

    let text = b"login budi@mail.co.id from 10.1.2.3\npassword=hunter2\n";
    let r = send(
        p,
        &request("POST", "/v1/redact", &["Content-Type: text/plain"], text),
    );
    assert_eq!(r.status, 401);
    assert!(r
        .head
        .to_ascii_lowercase()
        .contains("www-authenticate: bearer"));
    let r = send(
        p,
        &request(
            "POST",
            "/v1/redact",
            &[
                "Content-Type: text/plain",
                "Authorization: Bearer wrong-token",
            ],
            text,
        ),
    );
    assert_eq!(r.status, 401);

    let r = send(
        p,
        &request(
            "POST",
            "/v1/redact",
            &["Content-Type: text/plain; charset=utf-8", AUTH],
            text,
        ),
    );
    assert_eq!(r.status, 200);
    assert!(r.head.contains("text/plain"));
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "login [EMAIL] from [IPV4]\npassword=[REDACTED:password]\n"
    );

    let nd = b"{\"to\":6281234567890,\"m\":\"hp 0812-3456-7890\"}\n{\"ok\":true}\n\n[1,\"budi@mail.co.id\"]";
    let r = send(
        p,
        &request(
            "POST",
            "/v1/redact",
            &["Content-Type: application/x-ndjson", AUTH],
            nd,
        ),
    );
    assert_eq!(r.status, 200);
    assert!(r.head.contains("application/x-ndjson"));
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "{\"to\":\"[PHONE]\",\"m\":\"hp [PHONE]\"}\n{\"ok\":true}\n\n[1,\"[EMAIL]\"]"
    );

    // Malformed NDJSON: 400 naming the line, never a partial body or the value.
    let bad = b"{\"e\":\"budi@mail.co.id\"}\n{\"e\":\"siti@mail.co.id\"\n";
    let r = send(
        p,
        &request(
            "POST",
            "/v1/redact",
            &["Content-Type: application/x-ndjson", AUTH],
            bad,
        ),
    );
    assert_eq!(r.status, 400);
    let msg = String::from_utf8(r.body).unwrap();
    assert!(msg.contains("line 2") && !msg.contains("@mail"), "{msg}");

    let r = send(
        p,
        &request(
            "POST",
            "/v1/redact",
            &["Content-Type: text/plain", AUTH],
            &[b'a'; 5000],
        ),
    );
    assert_eq!(r.status, 413);
    let r = send(
        p,
        &request(
            "POST",
            "/v1/redact",
            &["Content-Type: text/html", AUTH],
            b"x",
        ),
    );
    assert_eq!(r.status, 415);
    let r = send(p, &request("GET", "/v1/redact", &[AUTH], b""));
    assert_eq!(r.status, 405);
    let r = send(p, &request("GET", "/nope", &[], b""));
    assert_eq!(r.status, 404);

    // A body that does not arrive in time: 408.
    let mut s = TcpStream::connect(("127.0.0.1", p)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nAuthorization: Bearer s3cr3t-token\r\nContent-Length: 100\r\n\r\nonly part")
        .unwrap();
    assert_eq!(read_reply(&mut s).status, 408);

    let r = send(p, &request("GET", "/metrics", &[], b""));
    assert_eq!(r.status, 401);
    let r = send(p, &request("GET", "/metrics", &[AUTH], b""));
    assert_eq!(r.status, 200);
    let m = String::from_utf8(r.body).unwrap();
    for want in [
        "samar_requests_total{code=\"200\"} 3",
        "samar_requests_total{code=\"401\"} 3",
        "samar_requests_total{code=\"413\"} 1",
        "samar_findings_total{detector=\"email\"} 2",
        "samar_findings_total{detector=\"phone\"} 2",
        "samar_key_findings_total{rule=\"password\"} 1",
        "samar_errors_total{kind=\"malformed\"} 1",
        "samar_errors_total{kind=\"timeout\"} 1",
        "samar_request_duration_seconds_count 12",
    ] {
        assert!(m.contains(want), "{want} missing in\n{m}");
    }
    assert!(
        !m.contains("@mail") && !m.contains("0812"),
        "a value in the metrics"
    );
}

#[test]
fn busy_server_answers_503_and_sigterm_finishes_requests_in_flight() {
    let srv = start(&["--max-concurrency", "1", "--timeout", "20"]);
    let p = srv.port;
    // The first request holds the only slot while its body trickles in.
    let mut slow = TcpStream::connect(("127.0.0.1", p)).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let body = b"hp 0812-3456-7890\n";
    slow.write_all(
        format!(
            "POST /v1/redact HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\nhp ",
            body.len()
        )
        .as_bytes(),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let r = send(
        p,
        &request("POST", "/v1/redact", &["Content-Type: text/plain"], b"x"),
    );
    assert_eq!(r.status, 503);
    assert!(r.head.to_ascii_lowercase().contains("retry-after: 1"));

    // SIGTERM now: no new connections, but the request in flight is finished.
    let ok = Command::new("kill")
        .args(["-TERM", &srv.child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    std::thread::sleep(Duration::from_millis(300));
    slow.write_all(&body[3..]).unwrap();
    let r = read_reply(&mut slow);
    assert_eq!((r.status, r.body.as_slice()), (200, &b"hp [PHONE]\n"[..]));
    let mut srv = srv;
    let status = srv.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
