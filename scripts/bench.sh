#!/usr/bin/env bash
# Throughput and peak RSS of samar beside `cat` and what a user would use instead (ripgrep's
# `rg --passthru -r`, `perl -pe`) with equivalent patterns, on the same generated corpus.
# usage: scripts/bench.sh [SIZE_MB=200] [KIND=mixed]   (corpus is cached in target/bench/)
# KIND: mixed, clean, dense, oneline, jsonl, nginx, logfmt, chat, tokens (see scripts/gen_corpus.py).
# SAMAR_BIN=path/to/samar measures that build instead of building this checkout.
# SAMAR_BASE=path/to/samar adds a baseline build to the same run (before/after in one table).
# RUNS=N rounds (default 3). The tools run interleaved, one after the other in each round, so
# that a machine whose speed drifts slows them alike; the table shows the median of the rounds
# (the fastest in brackets) and the largest peak RSS.
# ripgrep: `cargo install ripgrep` (skipped with a note when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200}
kind=${2:-mixed}
runs=${RUNS:-3}
mkdir -p target/bench
corpus=target/bench/$kind-${size}MB.log
[ -f "$corpus" ] || python3 scripts/gen_corpus.py "$corpus" "$size" --kind "$kind"
if [ -n "${SAMAR_BIN:-}" ]; then
  bin=$SAMAR_BIN
else
  cargo build --release --quiet
  bin=target/release/samar
fi
bytes=$(stat -c %s "$corpus")
threads=$(nproc)

# The patterns a user would write for the same identifiers (no validation, no context rules).
email='[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}'
npwp='\b[0-9]{2}\.[0-9]{3}\.[0-9]{3}\.[0-9]-[0-9]{3}\.[0-9]{3}\b'
card='\b(?:[0-9][ -]?){12,18}[0-9]\b'
phone='(?:\+62|\b62|\b0)8[1-9][0-9 .-]{7,12}[0-9]\b'
intl='\+[1-9][0-9]{0,2}[ .-]?[0-9][0-9 .-]{5,14}[0-9]'
ipv4='\b(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\b'
ipv6='\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{1,4}\b'

# The tools: a key, the name in the table, the command (run with the corpus on stdin).
keys=(cat s1 sn)
declare -A name cmd
name[cat]="cat (pipe)";          cmd[cat]="cat | cat"
name[s1]="samar -j1";            cmd[s1]="\"\$bin\" -j1"
name[sn]="samar -j$threads";     cmd[sn]="\"\$bin\" -j$threads"
if [ -n "${SAMAR_BASE:-}" ]; then
  keys+=(b1 bn)
  name[b1]="baseline -j1";       cmd[b1]="\"\$SAMAR_BASE\" -j1"
  name[bn]="baseline -j$threads"; cmd[bn]="\"\$SAMAR_BASE\" -j$threads"
fi
rg_bin=$(command -v rg || true)
# The commands below run in a child shell: it needs these.
export bin rg_bin email npwp card phone intl ipv4 ipv6 SAMAR_BASE="${SAMAR_BASE:-}"
if [ -n "$rg_bin" ]; then
  keys+=(rg)
  name[rg]="rg --passthru -r"
  cmd[rg]="\"\$rg_bin\" --no-config --passthru -r '[PII]' -e \"\$email\" -e \"\$npwp\" -e \"\$card\" -e \"\$phone\" -e \"\$intl\" -e \"\$ipv4\" -e \"\$ipv6\""
fi
keys+=(perl)
name[perl]="perl -pe"
cmd[perl]="perl -pe \"s/\${email/@/\\\\@}/[EMAIL]/g; s/\$npwp/[NPWP]/g; s/\$card/[CARD]/g; s/\$phone/[PHONE]/g; s/\$intl/[PHONE]/g; s/\$ipv4/[IPV4]/g; s/\$ipv6/[IPV6]/g\""

echo "machine: $threads cores, $(uname -m); corpus: $corpus ($bytes bytes); $runs interleaved rounds"
[ -n "$rg_bin" ] || echo "rg (ripgrep) not installed: cargo install ripgrep"
declare -A secs rss
for _ in $(seq "$runs"); do
  for k in "${keys[@]}"; do
    /usr/bin/time -f '%e %M' -o target/bench/time.txt bash -c "${cmd[$k]}" < "$corpus" > /dev/null
    read -r s kb < target/bench/time.txt
    secs[$k]="${secs[$k]:-} $s"
    if [ "$kb" -gt "${rss[$k]:-0}" ]; then rss[$k]=$kb; fi
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
fastest() { tr ' ' '\n' | sed '/^$/d' | sort -n | head -1; }
printf '%-22s %9s %9s %10s %13s\n' tool seconds MB/s "(fastest)" peak_RSS_MiB
declare -A med
for k in "${keys[@]}"; do
  med[$k]=$(echo "${secs[$k]}" | median)
  best=$(echo "${secs[$k]}" | fastest)
  awk -v n="${name[$k]}" -v s="${med[$k]}" -v f="$best" -v b="$bytes" -v r="${rss[$k]}" \
    'BEGIN{ printf "%-22s %9.2f %9.0f %10s %13.1f\n", n, s, (s>0? b/s/1e6 : 0), (f>0? sprintf("(%.0f)", b/f/1e6) : "-"), r/1024 }'
done
echo
# Speed ratios of medians (time of the other / time of samar): above 1 samar is faster.
ratio() { # LABEL NUMERATOR_KEY DENOMINATOR_KEY
  local a=${med[$2]:-} b=${med[$3]:-}
  [ -n "$a" ] && [ -n "$b" ] && awk -v l="$1" -v a="$a" -v b="$b" 'BEGIN{ if (b > 0) printf "%s: %.2fx\n", l, a/b }'
  return 0
}
ratio "samar -j$threads / samar -j1 speed" s1 sn
ratio "samar -j1 / rg speed" rg s1
ratio "samar -j$threads / rg speed" rg sn
ratio "samar -j1 / perl speed" perl s1
ratio "samar -j1 / baseline -j1 speed" b1 s1
ratio "samar -j$threads / baseline -j$threads speed" bn sn
