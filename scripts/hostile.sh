#!/usr/bin/env bash
# Hostile inputs at two sizes: wall time and peak RSS (time must be linear, memory flat).
# usage: scripts/hostile.sh [SIZE_MB=50]   (inputs are written to target/hostile/, not kept)
# KINDS="digit-runs long-tokens" runs only those inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-50}
dir=target/hostile
mkdir -p "$dir"
cargo build --release --quiet
bin=target/release/samar
gen() { # kind bytes file
  python3 - "$1" "$2" "$3" <<'PY'
import random, sys
kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
unit = {
    "line-no-newline": b"budi@mail.co.id 0812-3456-7890 lorem ipsum dolor 10.1.2.3 ",
    "digit-runs": b"4526018159083013 ",
    "dotted": b"1.",
    "at-signs": b"@",
    "plus62": b"+62",
    "deep-json": None,
    "long-tokens": None,
    "utf8-broken-ids": b"budi@mail\xff.co.id 0812\xff3456 7890 3273011708900001\xff \xc2\xa0\n",
}[kind]
with open(out, "wb") as f:
    if kind == "deep-json":
        half = n // 2
        f.write(b"[" * half + b"]" * half + b"\n")
    elif kind == "long-tokens":
        # JWT-like and Bearer tokens of random base64url bytes, up to the patterns' bounds.
        rng = random.Random(7)
        abc = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        tok = lambda k: bytes(rng.choice(abc) for _ in range(k))
        written = 0
        while written < n:
            line = b"eyJ" + tok(rng.randint(5, 1500)) + b".eyJ" + tok(rng.randint(5, 1500))
            line += b"." + tok(50) + b"\nAuthorization: Bearer " + tok(rng.randint(8, 2048)) + b"\n"
            line = line[: n - written]
            f.write(line)
            written += len(line)
    else:
        reps = n // len(unit) + 1
        f.write((unit * reps)[:n])
PY
}
printf '%-18s %8s %9s %8s %9s\n' input MB seconds MB/s RSS_MiB
all="line-no-newline digit-runs dotted at-signs plus62 deep-json utf8-broken-ids long-tokens"
for kind in ${KINDS:-$all}; do
  for mb in "$size" $((size * 2)); do
    f=$dir/$kind-$mb.in
    gen "$kind" $((mb * 1000000)) "$f"
    /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$bin" -j2 < "$f" > /dev/null
    read -r secs kb < "$dir/time.txt"
    awk -v k="$kind" -v m="$mb" -v s="$secs" -v r="$kb" \
      'BEGIN{ printf "%-18s %8d %9.2f %8.0f %9.1f\n", k, m, s, (s>0? m/s : 0), r/1024 }'
    rm -f "$f"
  done
done
