#!/usr/bin/env bash
# Throughput and peak RSS of samar beside `cat` on the same generated corpus.
# usage: scripts/bench.sh [SIZE_MB=100] [KIND=mixed]   (corpus is cached in target/bench/)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100}
kind=${2:-mixed}
mkdir -p target/bench
corpus=target/bench/$kind-${size}MB.log
[ -f "$corpus" ] || python3 scripts/gen_corpus.py "$corpus" "$size" --kind "$kind"
cargo build --release --quiet
bin=target/release/samar
bytes=$(stat -c %s "$corpus")
echo "machine: $(nproc) cores, $(uname -m); corpus: $corpus ($bytes bytes)"
printf '%-24s %10s %10s %12s\n' tool seconds MB/s peak_RSS_MiB
measure() {
  local name=$1; shift
  local best=""
  local rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o target/bench/time.txt "$@" < "$corpus" > /dev/null
    read -r secs kb < target/bench/time.txt
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    rss=$kb
  done
  awk -v n="$name" -v s="$best" -v b="$bytes" -v k="$rss" \
    'BEGIN{ printf "%-24s %10.2f %10.0f %12.1f\n", n, s, (s>0? b/s/1e6 : 0), k/1024 }'
}
measure "cat (pipe)" sh -c 'cat | cat'
measure "samar -j1" "$bin" -j1
measure "samar -j$(nproc)" "$bin" -j"$(nproc)"
