"""Fuzz the portal's API against its own OpenAPI document with schemathesis.

Run by `cargo xtask test` against a portal started with `--dev` on a fresh
database: a citizen account is made through the API (the one-time code is
read from the dev outbox), and schemathesis runs twice, signed out and
signed in. It must find no 5xx answer and no answer that departs from the
document (status code, content type, body schema).

    python run_schemathesis.py http://127.0.0.1:PORT
"""

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE = sys.argv[1].rstrip("/")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
ST = str(Path(sys.executable).with_name("schemathesis"))


def call(method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    req.add_header("x-motcua", "1")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req, timeout=10) as res:
        raw = res.read()
        return res.status, res.headers, (json.loads(raw) if raw else None)


def session_cookie():
    stamp = int(time.time()) % 1_000_000
    cccd, phone = f"020090{stamp:06d}", f"0916{stamp:06d}"
    _, _, sent = call("POST", "/api/v1/accounts/register", {
        "citizen_id": cccd, "full_name": "Thử Nghiệm Fuzz", "birth_date": "01/01/1990",
        "phone": phone, "email": ""})
    challenge = sent["challenge"]
    _, _, outbox = call("GET", "/api/v1/dev/outbox")
    text = [m["text"] for m in outbox if m["phone"] == phone][-1]
    code = re.search(r"\b(\d{6})\b", text).group(1)
    call("POST", f"/api/v1/challenges/{challenge}/verify", {"code": code})
    _, headers, _ = call("POST", "/api/v1/accounts/password",
                         {"challenge": challenge, "password": "Fuzz#2026ls"})
    return headers["set-cookie"].split(";")[0]


def run(extra, label):
    cmd = [ST, "run", f"{BASE}/api/v1/openapi.json", "--checks", CHECKS,
           "--header", "x-motcua: 1", "--max-examples", "25", "--seed", "2026",
           "--phases", "examples,coverage,fuzzing", "--workers", "2",
           "--exclude-path", "/api/v1/session", *extra]
    print(f"    schemathesis ({label}): {' '.join(cmd[2:4])} …", flush=True)
    done = subprocess.run(cmd)
    return done.returncode


def main():
    cookie = session_cookie()
    failed = run([], "signed out")
    failed |= run(["--header", f"Cookie: {cookie}"], "signed in")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
