#!/usr/bin/env bash
# Load test of `samar serve` on 127.0.0.1 with wrk (Debian package `wrk`): bounded in time
# and connections. Prints requests/s, MB/s, latency percentiles, non-2xx answers, and the
# server's RSS before and after (flat memory).
# usage: scripts/load.sh [SECONDS=30] [CONNECTIONS=8]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
conns=${2:-8}
command -v wrk >/dev/null || { echo "wrk not installed: apt-get install wrk"; exit 2; }
cargo build --release --quiet
port=18081
target/release/samar serve --listen 127.0.0.1:$port 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
sleep 0.5
body=$(python3 - <<'PY'
import json
lines = []
for i in range(50):
    if i % 4 == 0:
        lines.append(json.dumps({"ts": "2026-11-23T02:00:%02dZ" % (i % 60), "msg": "login", "user": "budi%d@mail.co.id" % i, "password": "pw%d" % i, "ip": "10.1.2.%d" % i}))
    else:
        lines.append(json.dumps({"ts": "2026-11-23T02:00:%02dZ" % (i % 60), "msg": "order %d shipped" % i, "status": 200, "route": "/api/v1/orders/%d" % i}))
print("\n".join(lines))
PY
)
lua=$(mktemp)
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/x-ndjson"\nwrk.body = [==[%s\n]==]\n' "$body" > "$lua"
bytes=$(( ${#body} + 1 ))
rss_before=$(ps -o rss= -p $pid)
( for i in 1 2 3 4 5 6; do sleep $(( secs / 6 > 0 ? secs / 6 : 1 )); ps -o rss= -p $pid; done > target/load-rss.txt ) &
sampler=$!
out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$lua" "http://127.0.0.1:$port/v1/redact")
rss_after=$(ps -o rss= -p $pid)
wait "$sampler"
echo "$out"
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
awk -v r="$rps" -v b="$bytes" 'BEGIN{ printf "body %d bytes (50 NDJSON lines): %.0f requests/s, %.1f MB/s of bodies\n", b, r, r*b/1e6 }'
echo "server RSS (KiB): before ${rss_before}; during $(tr -s ' \n' ' ' < target/load-rss.txt); after ${rss_after}"
rm -f "$lua"
