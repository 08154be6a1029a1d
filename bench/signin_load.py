"""Password + code sign-ins per second at saturation (P1), and meanwhile how fast the code step
and a passkey's finish answer (P2), against a running Gatehouse from other processes.

Each sign-in is what a browser does: `log_in` (argon2 on the server), then `verify_code`
with a code from the person's authenticator (pyotp works the codes out here). A code works
once, so every person signs in twice, with the previous step's code and then the current one:
the run starts at the beginning of a 30-second step and lasts at most 25 s. The load comes
from the compiled generator (bench/loadgen, 16 keep-alive connections, each person from an
address of their own, in the browser their sign-up left known), since the load shares the
server's two cores: Python clients took about 5 % of them. While the load keeps the hashing
threads busy, the generator times every `verify_code`, and one probe thread times
`verify_code` for people of its own (their password step is not timed) and a passkey's
`passkey_sign_in_finish`, in turn, about 20 times a second. Prints one `BENCH` line of JSON.

Then the same again while the support form is flooded (issue 27): `FLOODERS` clients send,
each from a new address (the server trusts loopback as its proxy, so no per-address limit
holds them back), requests whose fields are right and whose ten files are 7,745 × 7,745 PNGs
of zeros (about 60 megapixels each, under the pixel bound, a few hundred KB sent). Every one is
admitted, read and decoded. Prints a `BENCH_FLOOD` line: the same figures, and how many
uploads were answered and how.

Then (BENCH_OIDC=1) whole OpenID Connect sign-ins the same way: each starts at the `bench`
application's authorization request (bench/gatehouse.toml), goes through password and code, and
ends with the application redeeming its code for an ID token; meanwhile the generator times
token exchanges for browsers already signed in, about 20 a second. Prints a `BENCH_OIDC` line.

    python3 bench/signin_load.py ORIGIN SECONDS HASH_SECONDS  (GATEHOUSE_BIN, GATEHOUSE_* for the CLI)
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pyotp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from passkey_load import LOADGEN, Setup, register  # noqa: E402
from oidc_load import loadgen_args, signed_in_browsers  # noqa: E402
import conftest  # noqa: E402  (put on the path by passkey_load)

CONNECTIONS = 16
# Between the probe's rounds: about 20 a second, a few hundred timings in a run, little load.
PROBE_PAUSE_S = 0.05
# A smoke run (make test) shows that the flood runs, with one client.
FLOODERS = 1 if os.environ.get("BENCH_SMOKE") == "1" else 8
FLOOD_SIDE = 7745


def sign_up(setup, i):
    """Email, TOTP key, and the browser cookie the sign-up left (name=value, or None)."""
    person = conftest.sign_up(setup, f"load{i}.{os.getpid()}.{time.time_ns()}@example.com")
    browser = person.client.http.cookies.get("gatehouse-browser")
    return person.email, person.totp_key.replace(" ", ""), browser and f"gatehouse-browser={browser}"


def password_then_code(conn, origin, email, code):
    """One whole sign-in on `conn`: the seconds `verify_code` took, or None if refused."""
    conn.request("POST", "/api/log_in", body=urlencode({"user_name": email, "password": conftest.PASSWORD}),
                 headers={"Origin": origin, "Content-Type": "application/x-www-form-urlencoded"})
    res = conn.getresponse()
    res.read()
    cookie = (res.getheader("Set-Cookie") or "").split(";", 1)[0]
    if res.status != 200 or not cookie:
        return None
    began = time.monotonic()
    conn.request("POST", "/api/verify_code", body=urlencode({"code": code}), headers={
        "Origin": origin, "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    res = conn.getresponse()
    res.read()
    return time.monotonic() - began if res.status == 200 else None


def post(conn, origin, function, body):
    conn.request("POST", f"/api/{function}", body=urlencode(body), headers={
        "Origin": origin, "Content-Type": "application/x-www-form-urlencoded"})
    res = conn.getresponse()
    return res.status, res.read()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else 0.0


def connect(origin):
    url = urlparse(origin)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=60)


def codes(secret, step):
    totp = pyotp.TOTP(secret)
    return [totp.at((step - 1) * 30), totp.at(step * 30)]


def bench_fields(stdout):
    line = next(line for line in stdout.splitlines() if line.startswith("BENCH "))
    return dict(field.split("=", 1) for field in line.split()[1:])


def load(origin, people, step, seconds, oidc=False):
    """Runs the compiled generator over `people` for `seconds`: the fields of its `BENCH` line."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.json"
        path.write_text(json.dumps([{"email": email, "password": conftest.PASSWORD, "codes": codes(secret, step),
                                     "browser": browser} for email, secret, browser in people]))
        whole = loadgen_args(origin) + ["--oidc"] if oidc else [str(LOADGEN), "--origin", origin]
        run = subprocess.run(whole + ["--password-people", str(path), "--seconds", str(seconds),
                                      "--connections", str(CONNECTIONS)], check=True, capture_output=True, text=True)
    return bench_fields(run.stdout)


def token_probe(origin, browsers, seconds, out):
    """Token exchanges for signed-in browsers, one connection, about 20 a second."""
    run = subprocess.run(loadgen_args(origin) + ["--token-sessions", str(browsers), "--seconds", str(seconds),
                                                 "--connections", "1", "--pause-ms", "50"],
                         check=True, capture_output=True, text=True)
    out.update(bench_fields(run.stdout))


def probe(origin, people, authenticator, step, until, code_times, finish_times):
    conn = connect(origin)
    queue = [(email, code) for email, secret, _ in people for code in codes(secret, step)]
    while time.monotonic() < until:
        # Paced: the probe measures the load and must not be part of it.
        time.sleep(PROBE_PAUSE_S)
        if queue:
            email, code = queue.pop(0)
            took = password_then_code(conn, origin, email, code)
            if took is not None:
                code_times.append(took)
        status, body = post(conn, origin, "passkey_sign_in_start", {})
        if status == 200:
            start = json.loads(body)
            answer = authenticator.get(start["options"], origin)
            began = time.monotonic()
            status, _ = post(conn, origin, "passkey_sign_in_finish",
                             {"ceremony": start["ceremony"], "credential": json.dumps(answer)})
            if status == 200:
                finish_times.append(time.monotonic() - began)


def flood_png():
    """A PNG of zeros just under the pixel bound: small to send, a minute's decoding for ten."""
    import io
    from PIL import Image
    out = io.BytesIO()
    Image.new("L", (FLOOD_SIDE, FLOOD_SIDE)).save(out, format="PNG", compress_level=9)
    return out.getvalue()


def flood(origin, png, until, answers):
    """Support requests with right fields and ten huge PNGs, each from a new address."""
    import random
    import requests
    fields = {"area": "Account", "requester_email": "flood@example.com", "account_name": "Flood",
              "subject": "Reset 2FA", "description": "Flood.", "target_email": "someone@example.com"}
    parts = [(k, (None, v)) for k, v in fields.items()] + [("attachments", (f"zero{i}.png", png)) for i in range(10)]
    http = requests.Session()
    while time.monotonic() < until:
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        try:
            res = http.post(f"{origin}/support/requests", files=parts, timeout=120, headers={
                "Origin": origin, "Accept": "application/json", "X-Forwarded-For": address})
            answers.append(res.status_code)
        except requests.RequestException:
            answers.append("error")


def measured(origin, people, probed, authenticator, seconds, flood_png_bytes=None, oidc_browsers=None):
    """One round of P1 and P2 (with an upload flood running if given; whole OpenID Connect
    sign-ins and token exchanges timed if `oidc_browsers` is): the BENCH fields."""
    # Every code used before is of an earlier step than the two used now (the previous, the current).
    step = int(time.time() // 30) + 2
    time.sleep(step * 30 - time.time() + 0.05)
    until = time.monotonic() + seconds
    code_times, finish_times, uploads = [], [], []
    threads = [threading.Thread(target=probe, args=(origin, probed, authenticator, step, until, code_times,
                                                      finish_times))]
    if flood_png_bytes:
        threads += [threading.Thread(target=flood, args=(origin, flood_png_bytes, until, uploads))
                    for _ in range(FLOODERS)]
    tokens = {}
    if oidc_browsers:
        threads.append(threading.Thread(target=token_probe, args=(origin, oidc_browsers, seconds, tokens)))
    for t in threads:
        t.start()
    result = load(origin, people, step, seconds, oidc=bool(oidc_browsers))
    for t in threads:
        t.join()
    ok, failed, elapsed = int(result["ok"]), int(result["failed"]), float(result["seconds"])
    fields = {
        "ok": ok, "failed": failed, "seconds": round(elapsed, 1), "people": len(people),
        "per_sec": round(ok / elapsed, 1), "clients": f"{CONNECTIONS} compiled",
        "code_n": len(code_times), "code_p50_ms": round(percentile(code_times, 0.5), 1),
        "code_p99_ms": round(percentile(code_times, 0.99), 1),
        "finish_n": len(finish_times), "finish_p50_ms": round(percentile(finish_times, 0.5), 1),
        "finish_p99_ms": round(percentile(finish_times, 0.99), 1),
        "load_code_p50_ms": float(result["code_p50_ms"]), "load_code_p99_ms": float(result["code_p99_ms"])}
    if oidc_browsers:
        fields.update(token_n=int(tokens["ok"]), token_failed=int(tokens["failed"]),
                      token_p50_ms=float(tokens["token_p50_ms"]), token_p99_ms=float(tokens["token_p99_ms"]))
    if flood_png_bytes:
        fields["uploads"] = {str(s): uploads.count(s) for s in sorted(set(uploads), key=str)}
        fields["flooders"] = FLOODERS
    return fields


def main():
    origin, seconds, hash_s = sys.argv[1], min(float(sys.argv[2]), 25.0), float(sys.argv[3])
    cores = os.cpu_count()
    setup = Setup(origin)
    # Two sign-ins a person; enough people that the load never runs out before the end.
    wanted = int(cores / hash_s * seconds * 1.3 / 2) + CONNECTIONS
    with ThreadPoolExecutor(max_workers=4) as pool:
        people = list(pool.map(lambda i: sign_up(setup, i), range(wanted + 30)))
    load_people, probed = people[:wanted], people[wanted:]
    authenticator = register(setup)
    print("BENCH " + json.dumps(measured(origin, load_people, probed, authenticator, seconds)), flush=True)
    if os.environ.get("BENCH_FLOOD"):
        png = flood_png()
        print("BENCH_FLOOD " + json.dumps(measured(origin, load_people, probed, authenticator, seconds, png)))
    if os.environ.get("BENCH_OIDC"):
        with tempfile.TemporaryDirectory() as tmp:
            browsers = Path(tmp) / "browsers.json"
            signed_in_browsers(setup, 2, browsers)
            fields = measured(origin, load_people, probed, authenticator, seconds, oidc_browsers=browsers)
        print("BENCH_OIDC " + json.dumps(fields))


if __name__ == "__main__":
    main()
