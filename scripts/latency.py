#!/usr/bin/env python3
"""Round-trip latency of one line through samar as a pipe: write a line to its stdin, time
until the redacted line is back on stdout. Prints p50/p99/max in milliseconds.

usage: scripts/latency.py [N=2000] [samar args...]   (builds nothing: run `cargo build --release`)
"""
import os
import subprocess
import sys
import time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
args = sys.argv[2:]
binary = os.path.join(os.path.dirname(__file__), "..", "target", "release", "samar")
p = subprocess.Popen([binary, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
lines = [b"login budi@mail.co.id from 10.1.2.3 ok\n", b"order 42 shipped\n",
         b'{"user":"budi@mail.co.id","password":"x"}\n']
times = []
out = p.stdout
for i in range(n):
    line = lines[i % len(lines)]
    t0 = time.perf_counter()
    os.write(p.stdin.fileno(), line)
    got = b""
    while not got.endswith(b"\n"):
        chunk = os.read(out.fileno(), 65536)
        if not chunk:
            sys.exit("samar closed its output")
        got += chunk
    times.append(time.perf_counter() - t0)
p.stdin.close()
p.wait()
times.sort()
ms = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
print("samar %s: %d round trips, p50 %.3f ms, p99 %.3f ms, max %.3f ms"
      % (" ".join(args) or "(defaults)", n, ms(0.5), ms(0.99), times[-1] * 1000))
