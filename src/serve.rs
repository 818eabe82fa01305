//! `samar serve`: redaction over HTTP for Vector's `http` sink, Fluent Bit's `out_http` and
//! ingestion services.
//!
//! - `POST /v1/redact` with `text/plain` (redacted as text, JSON lines as JSON under the
//!   configured format) or `application/x-ndjson` (every line must be JSON; each is redacted
//!   by the JSON rules) answers the redacted body in the same type.
//! - `GET /healthz` answers `ok`; `GET /metrics` the Prometheus text format (requests,
//!   bytes, findings per detector and key rule, errors, a latency histogram; never a value).
//!
//! Limits answer clearly: a body over the limit gets 413, more requests in flight than
//! allowed get 503 (with `Retry-After`), a body that does not arrive in time gets 408,
//! malformed NDJSON gets 400 with the line number, and no partial body is ever sent. With
//! a token file, `/v1/redact` and `/metrics` need `Authorization: Bearer <token>` (401
//! otherwise). SIGTERM or SIGINT stops accepting connections and finishes the requests in
//! flight before the process exits.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::redactor::Redactor;
use crate::stats::Stats;

/// Settings of the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on (default 127.0.0.1:8080).
    pub listen: SocketAddr,
    /// Bearer token required on `/v1/redact` and `/metrics`.
    pub auth_token: Option<Vec<u8>>,
    /// Largest request body accepted.
    pub max_body: usize,
    /// Requests redacted at the same time; more get 503.
    pub max_concurrency: usize,
    /// Time allowed to receive a request body.
    pub timeout: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            auth_token: None,
            max_body: 16 << 20,
            max_concurrency: 64,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
];

struct Metrics {
    by_code: Mutex<BTreeMap<u16, u64>>,
    errors: Mutex<BTreeMap<&'static str, u64>>,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    found: Mutex<Stats>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    micros: AtomicU64,
}

impl Metrics {
    fn observe(&self, code: StatusCode, took: Duration) {
        if let Ok(mut m) = self.by_code.lock() {
            *m.entry(code.as_u16()).or_default() += 1;
        }
        let secs = took.as_secs_f64();
        for (b, le) in self.buckets.iter().zip(BUCKETS) {
            if secs <= le {
                b.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    fn error(&self, kind: &'static str) {
        if let Ok(mut m) = self.errors.lock() {
            *m.entry(kind).or_default() += 1;
        }
    }

    fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# HELP samar_requests_total Requests answered, by status code."
        );
        let _ = writeln!(s, "# TYPE samar_requests_total counter");
        if let Ok(m) = self.by_code.lock() {
            for (code, n) in m.iter() {
                let _ = writeln!(s, "samar_requests_total{{code=\"{code}\"}} {n}");
            }
        }
        let _ = writeln!(
            s,
            "# HELP samar_request_bytes_total Bytes of request bodies redacted."
        );
        let _ = writeln!(s, "# TYPE samar_request_bytes_total counter");
        let _ = writeln!(
            s,
            "samar_request_bytes_total {}",
            self.bytes_in.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            s,
            "# HELP samar_response_bytes_total Bytes of redacted bodies sent."
        );
        let _ = writeln!(s, "# TYPE samar_response_bytes_total counter");
        let _ = writeln!(
            s,
            "samar_response_bytes_total {}",
            self.bytes_out.load(Ordering::Relaxed)
        );
        if let Ok(stats) = self.found.lock() {
            let report = stats.to_json();
            let _ = writeln!(
                s,
                "# HELP samar_findings_total Values redacted, by detector."
            );
            let _ = writeln!(s, "# TYPE samar_findings_total counter");
            if let Some(m) = report["findings"].as_object() {
                for (id, n) in m {
                    let _ = writeln!(s, "samar_findings_total{{detector=\"{id}\"}} {n}");
                }
            }
            let _ = writeln!(s, "# HELP samar_key_findings_total Values redacted under a sensitive key, by key rule.");
            let _ = writeln!(s, "# TYPE samar_key_findings_total counter");
            if let Some(m) = report["key_findings"].as_object() {
                for (rule, n) in m {
                    let _ = writeln!(s, "samar_key_findings_total{{rule=\"{rule}\"}} {n}");
                }
            }
        }
        let _ = writeln!(s, "# HELP samar_errors_total Requests refused, by reason.");
        let _ = writeln!(s, "# TYPE samar_errors_total counter");
        if let Ok(m) = self.errors.lock() {
            for (kind, n) in m.iter() {
                let _ = writeln!(s, "samar_errors_total{{kind=\"{kind}\"}} {n}");
            }
        }
        let _ = writeln!(
            s,
            "# HELP samar_request_duration_seconds Time to answer a request."
        );
        let _ = writeln!(s, "# TYPE samar_request_duration_seconds histogram");
        for (b, le) in self.buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                s,
                "samar_request_duration_seconds_bucket{{le=\"{le}\"}} {}",
                b.load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(
            s,
            "samar_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            s,
            "samar_request_duration_seconds_sum {}",
            self.micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(s, "samar_request_duration_seconds_count {count}");
        s
    }
}

struct State {
    redactor: Arc<Redactor>,
    cfg: ServeConfig,
    metrics: Metrics,
    permits: Semaphore,
}

type Answer = Response<Full<Bytes>>;

fn answer(code: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Answer {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = code;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn refuse(state: &State, code: StatusCode, kind: &'static str, message: &str) -> Answer {
    state.metrics.error(kind);
    answer(code, "text/plain; charset=utf-8", format!("{message}\n"))
}

/// The request body's kind, from its media type.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Ndjson,
}

fn kind_of(req: &Request<Incoming>) -> Option<(Kind, &'static str)> {
    let ct = req.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    let media = ct.split(';').next()?.trim().to_ascii_lowercase();
    match media.as_str() {
        "text/plain" => Some((Kind::Text, "text/plain; charset=utf-8")),
        "application/x-ndjson" | "application/jsonl" | "application/json-lines" => {
            Some((Kind::Ndjson, "application/x-ndjson"))
        }
        _ => None,
    }
}

/// Constant-time comparison of the presented bearer token with the configured one.
fn authorized(state: &State, req: &Request<Incoming>) -> bool {
    let Some(token) = &state.cfg.auth_token else {
        return true;
    };
    let Some(given) = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
    else {
        return false;
    };
    given.len() == token.len()
        && given
            .iter()
            .zip(token)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Answer, Infallible> {
    let started = Instant::now();
    let resp = route(&state, req).await;
    state.metrics.observe(resp.status(), started.elapsed());
    Ok(resp)
}

async fn route(state: &Arc<State>, req: Request<Incoming>) -> Answer {
    let path = req.uri().path().to_string();
    match (req.method(), path.as_str()) {
        (&Method::GET, "/healthz") => answer(StatusCode::OK, "text/plain; charset=utf-8", "ok\n"),
        (&Method::GET, "/metrics") => {
            if !authorized(state, &req) {
                return unauthorized(state);
            }
            answer(
                StatusCode::OK,
                "text/plain; version=0.0.4; charset=utf-8",
                state.metrics.render(),
            )
        }
        (&Method::POST, "/v1/redact") => redact_request(state, req).await,
        (_, "/healthz" | "/metrics" | "/v1/redact") => refuse(
            state,
            StatusCode::METHOD_NOT_ALLOWED,
            "method",
            "method not allowed (POST /v1/redact, GET /healthz, GET /metrics)",
        ),
        _ => refuse(
            state,
            StatusCode::NOT_FOUND,
            "not_found",
            "not found (POST /v1/redact, GET /healthz, GET /metrics)",
        ),
    }
}

fn unauthorized(state: &State) -> Answer {
    let mut r = refuse(
        state,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "a bearer token is required: Authorization: Bearer <token>",
    );
    r.headers_mut()
        .insert("www-authenticate", HeaderValue::from_static("Bearer"));
    r
}

async fn redact_request(state: &Arc<State>, req: Request<Incoming>) -> Answer {
    if !authorized(state, &req) {
        return unauthorized(state);
    }
    let Some((kind, content_type)) = kind_of(&req) else {
        return refuse(
            state,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "media_type",
            "Content-Type must be text/plain or application/x-ndjson",
        );
    };
    let max = state.cfg.max_body;
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return too_large(state);
    }
    let Ok(_permit) = state.permits.try_acquire() else {
        let mut r = refuse(
            state,
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "too many requests in flight; retry",
        );
        r.headers_mut()
            .insert("retry-after", HeaderValue::from_static("1"));
        return r;
    };
    let body = Limited::new(req.into_body(), max).collect();
    let body = match tokio::time::timeout(state.cfg.timeout, body).await {
        Err(_) => {
            return refuse(
                state,
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "the request body did not arrive in time",
            )
        }
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return too_large(state),
        Ok(Err(_)) => {
            return refuse(
                state,
                StatusCode::BAD_REQUEST,
                "body",
                "the request body could not be read",
            )
        }
        Ok(Ok(b)) => b.to_bytes(),
    };
    let worker = state.clone();
    let done =
        tokio::task::spawn_blocking(move || redact_body(&worker.redactor, kind, &body)).await;
    match done {
        Ok(Ok((out, stats))) => {
            let m = &state.metrics;
            m.bytes_in.fetch_add(stats.bytes_in, Ordering::Relaxed);
            m.bytes_out.fetch_add(out.len() as u64, Ordering::Relaxed);
            if let Ok(mut f) = m.found.lock() {
                f.merge(&stats);
            }
            answer(StatusCode::OK, content_type, out)
        }
        Ok(Err(message)) => refuse(state, StatusCode::BAD_REQUEST, "malformed", &message),
        Err(_) => refuse(
            state,
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the request could not be processed",
        ),
    }
}

fn too_large(state: &State) -> Answer {
    refuse(
        state,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        &format!("the body is larger than {} bytes", state.cfg.max_body),
    )
}

/// Redact a whole body, or say why it is malformed (never with a value in the message).
fn redact_body(redactor: &Redactor, kind: Kind, body: &[u8]) -> Result<(Vec<u8>, Stats), String> {
    let mut stats = redactor.new_stats();
    let mut out = Vec::with_capacity(body.len() + body.len() / 8);
    match kind {
        Kind::Text => redactor.redact_into(body, &mut out, &mut stats),
        Kind::Ndjson => {
            for (n, line) in body.split_inclusive(|&b| b == b'\n').enumerate() {
                let (content, nl) = match line.strip_suffix(b"\n") {
                    Some(c) => (c, true),
                    None => (line, false),
                };
                let content = content.strip_suffix(b"\r").unwrap_or(content);
                if content.iter().all(u8::is_ascii_whitespace) {
                    out.extend_from_slice(line);
                    continue;
                }
                if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(content) {
                    return Err(format!(
                        "line {} is not JSON (column {}): {}",
                        n + 1,
                        e.column(),
                        match e.classify() {
                            serde_json::error::Category::Eof => "unexpected end",
                            serde_json::error::Category::Syntax => "syntax error",
                            _ => "invalid data",
                        }
                    ));
                }
                if !redactor.redact_json_line(content, &mut out, &mut stats) {
                    return Err(format!(
                        "line {} nests deeper than {} levels",
                        n + 1,
                        crate::json::MAX_DEPTH
                    ));
                }
                stats.lines += 1;
                if line.ends_with(b"\r\n") {
                    out.push(b'\r');
                }
                if nl {
                    out.push(b'\n');
                }
            }
            stats.bytes_in = body.len() as u64;
        }
    }
    Ok((out, stats))
}

/// Serve until SIGTERM or SIGINT; `ready` is called with the bound address once listening.
pub fn run(
    redactor: Arc<Redactor>,
    cfg: ServeConfig,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // Redaction runs on blocking threads, at most one per request allowed in flight.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cfg.max_concurrency.max(1))
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(cfg.listen).await?;
        ready(listener.local_addr()?);
        let state = Arc::new(State {
            metrics: Metrics {
                by_code: Mutex::default(),
                errors: Mutex::default(),
                bytes_in: AtomicU64::new(0),
                bytes_out: AtomicU64::new(0),
                found: Mutex::new(redactor.new_stats()),
                buckets: Default::default(),
                count: AtomicU64::new(0),
                micros: AtomicU64::new(0),
            },
            permits: Semaphore::new(cfg.max_concurrency.max(1)),
            redactor,
            cfg,
        });
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        loop {
            tokio::select! {
                conn = listener.accept() => {
                    let Ok((stream, _)) = conn else { continue };
                    let state = state.clone();
                    let service = hyper::service::service_fn(move |req| handle(state.clone(), req));
                    let conn = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    let conn = graceful.watch(conn);
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                }
                _ = term.recv() => break,
                _ = int.recv() => break,
            }
        }
        drop(listener);
        let grace = state.cfg.timeout + Duration::from_secs(5);
        tokio::select! {
            _ = graceful.shutdown() => {}
            _ = tokio::time::sleep(grace) => {}
        }
        Ok(())
    })
}
