#!/usr/bin/env python3
"""Deterministic bench corpus: a mixed log of app lines, nginx access lines, JSON events,
logfmt payment lines and EN/ID chat lines, with a realistic share of personal data.
All identifiers are constructed test values (valid check digits where it matters).

usage: gen_corpus.py OUT_FILE SIZE_MB [--kind mixed|clean|dense|oneline|jsonl|nginx|logfmt|chat|tokens]
"""
import base64
import json
import random
import sys


def luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def card(r):
    body = "4" + "".join(r.choice("0123456789") for _ in range(14))
    s = body + luhn_digit(body)
    return " ".join(s[i:i + 4] for i in range(0, 16, 4)) if r.random() < 0.5 else s


def phone(r):
    nsn = "8" + r.choice("1235789") + "".join(r.choice("0123456789") for _ in range(r.randint(8, 10)))
    form = r.randrange(4)
    if form == 0:
        return "0" + nsn
    if form == 1:
        return "+62 " + "-".join(nsn[i:i + 4] for i in range(0, len(nsn), 4))
    if form == 2:
        return "0" + " ".join(nsn[i:i + 4] for i in range(0, len(nsn), 4))
    return "62" + nsn


def nik(r):
    return "%02d%02d%02d%02d%02d%02d%04d" % (
        r.choice([11, 31, 32, 33, 35, 51, 73]), r.randint(1, 30), r.randint(1, 40),
        r.randint(1, 28) + r.choice([0, 40]), r.randint(1, 12), r.randint(0, 99), r.randint(1, 9999))


def npwp(r):
    body = "".join(r.choice("0123456789") for _ in range(8))
    s = body + luhn_digit(body) + "".join(r.choice("0123456789") for _ in range(6))
    return "%s.%s.%s.%s-%s.%s" % (s[:2], s[2:5], s[5:8], s[8], s[9:12], s[12:])


def email(r, i):
    return "%s%d@%s" % (r.choice(["budi", "siti", "agus", "dewi", "rina"]), i % 9973,
                        r.choice(["gmail.com", "mail.co.id", "contoh.id", "yahoo.co.id"]))


def ip(r):
    return "%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))


def clean_line(r, i):
    return ("2026-11-20T09:%02d:%02d.%03dZ INFO request handled route=/api/v1/orders/%d status=200 "
            "duration=0.%03ds trace=%016x version=1.4.%d" % (i // 60 % 60, i % 60, i % 1000, i % 100000,
                                                            r.randrange(1000), r.getrandbits(64), i % 30))


def pii_line(r, i):
    k = r.randrange(6)
    if k == 0:
        return '%s - - [20/Nov/2026:09:14:%02d +0700] "GET /reset?email=%s&hp=%s HTTP/1.1" 200 512 "-" "Mozilla/5.0"' % (
            ip(r), i % 60, email(r, i).replace("@", "%40"), "%2B62" + phone(r)[-10:])
    if k == 1:
        return '{"ts":"2026-11-20T09:14:%02dZ","level":"info","msg":"otp sent","phone":"%s","client_ip":"%s"}' % (
            i % 60, phone(r), ip(r))
    if k == 2:
        return "ts=2026-11-20T09:14:%02dZ level=info svc=payment card=%s amount=125000 currency=IDR order=%d" % (
            i % 60, card(r), i)
    if k == 3:
        return "[09:14] customer: NIK saya %s, NPWP %s, email %s ya kak 🙏" % (nik(r), npwp(r), email(r, i))
    if k == 4:
        return "[09:15] customer: please call me at %s or write to %s, thanks" % (phone(r), email(r, i))
    return "2026-11-20T09:14:%02dZ WARN login failed user=%s from %s attempts=%d" % (i % 60, email(r, i), ip(r), i % 5)


def nginx_line(r, i):
    """An nginx access log line; about a quarter carry an email or phone in the query."""
    q = "page=%d" % (i % 50)
    if r.random() < 0.25:
        q = "email=%s&hp=%s" % (email(r, i).replace("@", "%40"), "%2B62" + phone(r)[-10:].replace(" ", "").replace("-", ""))
    return '%s - - [20/Nov/2026:09:%02d:%02d +0700] "GET /api/v1/items?%s HTTP/1.1" %d %d "-" "Mozilla/5.0 (X11; Linux x86_64)"' % (
        ip(r), i // 60 % 60, i % 60, q, r.choice([200, 200, 200, 304, 404]), r.randrange(200, 9000))


def logfmt_line(r, i):
    """A logfmt payment log line; about a quarter carry a card number or an email."""
    ts = "2026-11-20T09:%02d:%02d.%03dZ" % (i // 60 % 60, i % 60, i % 1000)
    if r.random() < 0.25:
        return "ts=%s level=warn svc=payment msg=declined card=%s email=%s amount=%d currency=IDR" % (
            ts, card(r), email(r, i), r.randrange(10000, 5000000))
    return "ts=%s level=info svc=payment msg=settled order=%d amount=%d currency=IDR latency_ms=%d" % (
        ts, i, r.randrange(10000, 5000000), r.randrange(1, 400))


CHAT = [
    "[09:%02d] agent: Selamat pagi kak, ada yang bisa kami bantu?",
    "[09:%02d] customer: pesanan saya belum sampai dari kemarin",
    "[09:%02d] agent: Hello, thanks for waiting. Could you share your order number?",
    "[09:%02d] customer: ok sebentar ya kak",
]


def chat_line(r, i):
    """A customer-service chat line (English and Indonesian); about a quarter carry PII."""
    if r.random() < 0.25:
        k = r.randrange(3)
        if k == 0:
            return "[09:%02d] customer: NIK saya %s, email %s ya kak" % (i % 60, nik(r), email(r, i))
        if k == 1:
            return "[09:%02d] customer: please call me at %s, thanks" % (i % 60, phone(r))
        return "[09:%02d] customer: NPWP kantor %s, WA %s" % (i % 60, npwp(r), phone(r))
    return CHAT[i % len(CHAT)] % (i % 60)


def json_line(r, i):
    """A JSON-lines app log event; about a quarter carry personal data or a secret."""
    ts = "2026-11-20T09:%02d:%02d.%03dZ" % (i // 60 % 60, i % 60, i % 1000)
    if r.random() >= 0.25:
        return ('{"ts":"%s","level":"info","svc":"orders","msg":"request handled","route":"/api/v1/orders/%d",'
                '"status":200,"duration_ms":%d,"trace":"%016x","tags":["web","v1"],"user_id":%d}'
                % (ts, i % 100000, r.randrange(1000), r.getrandbits(64), i % 5000))
    k = r.randrange(4)
    if k == 0:
        return ('{"ts":"%s","level":"info","svc":"auth","msg":"login","user":"%s","password":"%s","ip":"%s"}'
                % (ts, email(r, i), "pw%x" % r.getrandbits(32), ip(r)))
    if k == 1:
        return ('{"ts":"%s","level":"info","svc":"notif","msg":"sms queued","msisdn":%s,"template":"otp_v3"}'
                % (ts, "62" + phone(r)[-10:].replace("-", "").replace(" ", "")))
    if k == 2:
        return ('{"ts":"%s","level":"warn","svc":"pay","msg":"card %s declined for %s","amount":150000}'
                % (ts, card(r), email(r, i)))
    return ('{"ts":"%s","level":"info","svc":"kyc","msg":"verified","kyc":{"nik":"%s","npwp":"%s"},"note":"hubungi %s"}'
            % (ts, nik(r), npwp(r), phone(r)))


B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def tokens_line(r, i):
    """An API gateway line that logs its Authorization header: a Bearer JWT on every line."""
    claims = {"sub": str(r.randrange(10**9)), "name": "user%d" % i, "iat": 1700000000 + i,
              "scope": "read write " * r.randrange(1, 20)}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    sig = "".join(r.choice(B64URL) for _ in range(43))
    jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + payload + "." + sig
    return '2026-11-20T09:%02d:%02dZ INFO GET /api/v1/orders/%d status=200 ip=%s auth="Bearer %s" ua="Mozilla/5.0"' % (
        i // 60 % 60, i % 60, i % 100000, ip(r), jwt)


# The line maker of each kind; `mixed` (the default) draws a quarter PII lines, the rest clean.
LINES = {
    "clean": clean_line,
    "jsonl": json_line,
    "nginx": nginx_line,
    "logfmt": logfmt_line,
    "chat": chat_line,
    "tokens": tokens_line,
    "dense": pii_line,
    "oneline": pii_line,
}


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    kind = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--kind" else "mixed"
    r = random.Random(20261122)
    target = int(size_mb * 1_000_000)
    written = 0
    i = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        sep = " " if kind == "oneline" else "\n"
        while written < target:
            one_kind = LINES.get(kind)
            if one_kind:
                line = one_kind(r, i)
            else:
                line = pii_line(r, i) if r.random() < 0.25 else clean_line(r, i)
            line += sep
            f.write(line)
            written += len(line.encode())
            i += 1
        if kind == "oneline":
            f.write("\n")


if __name__ == "__main__":
    main()
