"""Password + code sign-ins per second at saturation (P1), and meanwhile how fast the code step
and a passkey's finish answer (P2), against a running Gatehouse from other processes.

Each sign-in is what a browser does: `log_in` (argon2 on the server), then `verify_code`
with a code from the person's authenticator (pyotp). A code works once, so every person
signs in twice, with the previous step's code and then the current one: the run starts at the
beginning of a 30-second step and lasts at most 25 s. While the load keeps the hashing
threads busy, one probe thread times `verify_code` for people of its own (their password
step is not timed) and a passkey's `passkey_sign_in_finish`, in turn. Prints one `BENCH` line
of JSON.

    python3 bench/signin_load.py ORIGIN SECONDS HASH_SECONDS  (GATEHOUSE_BIN, GATEHOUSE_* for the CLI)
"""

import http.client
import json
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlparse

import pyotp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from passkey_load import Setup, register  # noqa: E402
import conftest  # noqa: E402  (put on the path by passkey_load)

PROCESSES, THREADS = 2, 8


def sign_up(setup, i):
    person = conftest.sign_up(setup, f"load{i}.{os.getpid()}.{time.time_ns()}@example.com")
    return person.email, person.totp_key.replace(" ", "")


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


def load_worker(origin, people, step, until, queue):
    lock, done = threading.Lock(), []

    def thread(mine):
        conn = connect(origin)
        for email, secret in mine:
            for code in codes(secret, step):
                if time.monotonic() >= until:
                    return
                ok = password_then_code(conn, origin, email, code) is not None
                if time.monotonic() < until:
                    with lock:
                        done.append(ok)

    threads = [threading.Thread(target=thread, args=(people[i::THREADS],)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(done)


def probe(origin, people, authenticator, step, until, code_times, finish_times):
    conn = connect(origin)
    queue = [(email, code) for email, secret in people for code in codes(secret, step)]
    while time.monotonic() < until:
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


def main():
    origin, seconds, hash_s = sys.argv[1], min(float(sys.argv[2]), 25.0), float(sys.argv[3])
    cores = os.cpu_count()
    setup = Setup(origin)
    # Two sign-ins a person; enough people that the load never runs out before the end.
    wanted = int(cores / hash_s * seconds * 1.3 / 2) + PROCESSES * THREADS
    with ThreadPoolExecutor(max_workers=4) as pool:
        people = list(pool.map(lambda i: sign_up(setup, i), range(wanted + 30)))
    load, probed = people[:wanted], people[wanted:]
    authenticator = register(setup)

    # Every set-up code is of an earlier step than the two used now (the previous, the current).
    step = int(time.time() // 30) + 2
    time.sleep(step * 30 - time.time() + 0.05)
    until = time.monotonic() + seconds
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=load_worker, args=(origin, load[i::PROCESSES], step, until, queue))
             for i in range(PROCESSES)]
    began = time.monotonic()
    for p in procs:
        p.start()
    code_times, finish_times = [], []
    prober = threading.Thread(target=probe, args=(origin, probed, authenticator, step, until, code_times, finish_times))
    prober.start()
    results = [r for _ in procs for r in queue.get()]
    for p in procs:
        p.join()
    prober.join()
    elapsed = min(time.monotonic(), until) - began
    ok = sum(results)
    print("BENCH " + json.dumps({
        "ok": ok, "failed": len(results) - ok, "seconds": round(elapsed, 1), "people": len(load),
        "per_sec": round(ok / elapsed, 1), "clients": f"{PROCESSES}x{THREADS}",
        "code_n": len(code_times), "code_p50_ms": round(percentile(code_times, 0.5), 1),
        "code_p99_ms": round(percentile(code_times, 0.99), 1),
        "finish_n": len(finish_times), "finish_p50_ms": round(percentile(finish_times, 0.5), 1),
        "finish_p99_ms": round(percentile(finish_times, 0.99), 1)}))


if __name__ == "__main__":
    main()
