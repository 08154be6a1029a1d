"""Passkey sign-ins per second against a running Gatehouse, from a second process on loopback.

Each sign-in is what a browser does: `passkey_sign_in_start`, an assertion from a software
authenticator (tests/api/softauthn.py), `passkey_sign_in_finish`, which verifies the ES256
signature, takes the ceremony, moves the sign count and creates the signed-in session.
Every simulated person owns one passkey and signs in sequentially (sign counts must grow);
people are spread over worker processes and threads. Prints one `BENCH` line.

    python3 bench/passkey_load.py ORIGIN SECONDS  (GATEHOUSE_BIN and GATEHOUSE_* set for the CLI)
"""

import http.client
import json
import multiprocessing
import os
import secrets
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "api"))
import conftest  # noqa: E402  (sign-up helpers of the API suite)
from softauthn import SoftAuthenticator  # noqa: E402

PROCESSES, THREADS = 2, 4


class Setup:
    """Just enough of the API suite's cluster for `conftest.sign_up`: one server, the CLI."""

    def __init__(self, origin):
        server = conftest.Server(origin, None, None)
        self.a = self.b = server
        self.public_url = origin
        self.env = dict(os.environ)

    admin = conftest.Cluster.admin


def register(setup):
    person = conftest.sign_up(setup, f"bench.{secrets.token_hex(4)}@example.com")
    person.authenticator = SoftAuthenticator()
    start = conftest.expect(person.client.call(setup.a, "passkey_add_start"), 200).json()
    answer = person.authenticator.create(start["options"], setup.public_url)
    conftest.expect(person.client.call(setup.a, "passkey_add_finish", ceremony=start["ceremony"],
                                       credential=json.dumps(answer), name="Bench"), 200)
    return person.authenticator


def post(conn, origin, function, body):
    conn.request("POST", f"/api/{function}", body=urlencode(body), headers={
        "Origin": origin, "Content-Type": "application/x-www-form-urlencoded"})
    res = conn.getresponse()
    return res.status, res.read()


def sign_ins(origin, authenticator, until, results):
    url = urlparse(origin)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    while time.monotonic() < until:
        began = time.monotonic()
        status, body = post(conn, origin, "passkey_sign_in_start", {})
        if status != 200:
            results.append((False, 0.0))
            continue
        start = json.loads(body)
        answer = authenticator.get(start["options"], origin)
        finish_began = time.monotonic()
        status, _ = post(conn, origin, "passkey_sign_in_finish",
                         {"ceremony": start["ceremony"], "credential": json.dumps(answer)})
        done = time.monotonic()
        results.append((status == 200, done - finish_began, done - began))


def worker(origin, authenticators, until, queue):
    per_thread = [[] for _ in authenticators]
    threads = [threading.Thread(target=sign_ins, args=(origin, a, until, r))
               for a, r in zip(authenticators, per_thread)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put([r for rs in per_thread for r in rs])


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else 0.0


def main():
    origin, seconds = sys.argv[1], float(sys.argv[2])
    setup = Setup(origin)
    people = [register(setup) for _ in range(PROCESSES * THREADS)]
    ctx = multiprocessing.get_context("fork")  # the authenticators' keys go with the fork
    queue = ctx.Queue()
    until = time.monotonic() + seconds
    procs = [ctx.Process(target=worker, args=(origin, people[i::PROCESSES], until, queue)) for i in range(PROCESSES)]
    began = time.monotonic()
    for p in procs:
        p.start()
    results = [r for _ in procs for r in queue.get()]
    for p in procs:
        p.join()
    elapsed = time.monotonic() - began
    ok = [r for r in results if r[0]]
    print(f"BENCH ok={len(ok)} failed={len(results) - len(ok)} seconds={elapsed:.1f} "
          f"finish_p50_ms={percentile([r[1] for r in ok], 0.5):.1f} "
          f"finish_p99_ms={percentile([r[1] for r in ok], 0.99):.1f} "
          f"round_p50_ms={percentile([r[2] for r in ok], 0.5):.1f} "
          f"clients={PROCESSES}x{THREADS}")


if __name__ == "__main__":
    main()
