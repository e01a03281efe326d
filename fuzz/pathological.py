#!/usr/bin/env python3
"""Measures jwtcheck on the pathological inputs of issue 13 with /usr/bin/time -v: wall time
and peak memory (maximum resident set size) per input, and the exit code.

Usage: python3 fuzz/pathological.py [BINARY]   (default: target/release/jwtcheck; build it
with `cargo build --release --locked` first). tests/it/pathological.rs checks the same inputs in
the suite, with bounds.
"""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile

NOW = "2026-11-24T09:30:00Z"
SECRET = "0123456789abcdef0123456789abcdef"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header, payload, sig="c2ln"):
    return "%s.%s.%s" % (b64(header), b64(payload), sig)


def deep_array(n):
    return b"[" * n + b"]" * n


def deep_object(n):
    return b'{"a":' * n + b"1" + b"}" * n


def cases(d):
    w = lambda name, data: _write(d, name, data)
    hs = b'{"alg":"HS256"}'
    sample_jwks = json.load(open(os.path.join(ROOT, "samples", "jwks.json")))
    key = sample_jwks["keys"][0]
    yield "10,000-deep JSON in the header", ["decode", "@" + w("h.jwt", token(deep_array(10000), b"{}"))]
    yield "10,000-deep JSON in the payload", ["decode", "@" + w("p.jwt", token(hs, deep_array(10000)))]
    sample = "@" + os.path.join(ROOT, "samples", "id-token.jwt")
    yield "10,000-deep JSON key set", ["verify", sample, "--jwks", w("k.json", b'{"keys":' + deep_array(10000) + b"}")]
    cfg = b'{"type":"HS256","key":"%s","claims_map":' % SECRET.encode() + deep_object(10000) + b"}"
    yield "10,000-deep JSON config", ["verify", sample, "--hasura-config", "@" + w("c.json", cfg)]
    yaml = "kind: AuthConfig\nversion: v3\ndefinition:\n  mode: " + "[" * 10000 + "]" * 10000 + "\n"
    yield "10,000-deep YAML AuthConfig", ["verify", sample, "--hasura-config", "@" + w("c.hml", yaml)]
    header = b64(b'{"alg":"HS256","typ":"JWT"}')
    room = 65536 - len(header) - 2 - 43
    start = b'{"exp":1795516200,"x":"'
    filler = b"a" * (room * 3 // 4 - len(start) - 2)
    big = "%s.%s.%s" % (header, b64(start + filler + b'"}'), "A" * 43)
    assert len(big) <= 65536, len(big)
    yield "a 64 KiB token", ["decode", "@" + w("64k.jwt", big)]
    for exp in ["1e400", "-0", "1e20"]:
        t = token(hs, ('{"exp":%s,"sub":"u"}' % exp).encode())
        yield "exp %s" % exp, ["decode", "@" + w("exp%s.jwt" % exp, t)]
    okp = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    keys = w("10k.json", json.dumps({"keys": [dict(okp, kid="k%d" % i) for i in range(10000)]}))
    yield "a key set of 10,000 keys (verify)", ["verify", sample, "--jwks", keys]
    yield "a key set of 10,000 keys (jwks)", ["jwks", keys]
    rsa = w("10k-rsa.json", json.dumps({"keys": [dict(key, kid="k%d" % i) for i in range(10000)]}))
    yield "10,000 RSA keys (4.5 MB, over the cap)", ["verify", sample, "--jwks", rsa]
    n16k = b"\xc5" + os.urandom(2047)
    big_key = {"keys": [{"kty": "RSA", "kid": key["kid"], "n": b64(n16k), "e": "AQAB"}]}
    big_key = w("16k.json", json.dumps(big_key))
    yield "a 16,384-bit RSA modulus (verify)", ["verify", sample, "--jwks", big_key]
    yield "a 16,384-bit RSA modulus (jwks)", ["jwks", big_key]
    path = "$" + "..a..b..c" * 1000
    cfg = json.dumps({"type": "HS256", "key": SECRET, "claims_namespace_path": path})
    yield "$..a..b..c × 1,000 in a claims path", ["verify", sample, "--hasura-config", "@" + w("dots.json", cfg)]
    path = "$" + ".a" * 1000
    cfg = json.dumps({"type": "HS256", "key": SECRET, "claims_namespace_path": path})
    yield "claims_namespace_path of 1,000 segments", ["verify", sample, "--hasura-config", "@" + w("segs.json", cfg)]


def _write(d, name, data):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "jwtcheck")
    print("%-42s %5s %9s %10s  %s" % ("input", "exit", "wall s", "max RSS", "first line"))
    with tempfile.TemporaryDirectory() as d:
        for name, args in cases(d):
            cmd = ["/usr/bin/time", "-v", binary] + args + ["--now", NOW, "--offline"]
            if args[0] in ("decode", "jwks"):
                cmd.remove("--offline")
            p = subprocess.run(cmd, capture_output=True, text=True)
            rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)
            wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
            secs = float(wall.group(3)) + 60 * int(wall.group(2)) + 3600 * int(wall.group(1) or 0)
            first = p.stdout.splitlines()[0] if p.stdout else ""
            print("%-42s %5d %9.2f %7d KB  %s" % (name, p.returncode, secs, int(rss), first[:110]))


if __name__ == "__main__":
    main()
