"""SSO callbacks per second: how fast Gatehouse turns a provider's answer into the code step.

Starts its own fake OpenID provider (tests/api/fakeoidc.py) and one `gatehouse serve` on
SQLite configured for it, signs one person up, then several client threads repeat what a
browser does: `GET /auth/sso/fake/start`, (the provider's pages are skipped: the client signs
the ID token itself), `GET /auth/sso/fake/callback`, which takes the flow, exchanges the code
over HTTP with PKCE, fetches userinfo, verifies the RS256 ID token, identifies the linked user
and renews the session. Prints one `BENCH` line.

    GATEHOUSE_BIN=target/release/gatehouse python3 bench/sso_load.py SECONDS
"""

import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "api"))
import conftest  # noqa: E402
from fakeoidc import CLIENT_ID, CLIENT_SECRET, FakeProvider  # noqa: E402
import test_sso  # noqa: E402  (its start/callback helpers)

THREADS = 4


def main(seconds):
    provider = FakeProvider()
    data_dir = Path(tempfile.mkdtemp(prefix="gh-sso-bench-"))
    port = conftest.free_port()
    public_url = f"http://localhost:{port}"
    config = data_dir / "gatehouse.toml"
    config.write_text(f'[[sso]]\nid = "fake"\nname = "Fake ID"\nissuer = "{provider.issuer}"\n'
                      f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n')
    database = conftest.Database("sqlite", f"sqlite://{data_dir}/gatehouse.db", data_dir / "gatehouse.db")
    server = conftest.start_server("bench", data_dir, database, public_url, port, config)
    try:
        cluster = conftest.Cluster(server, server, public_url,
                                   conftest.server_env(data_dir, database, port, public_url, config), database)
        email = conftest.sign_up(cluster, "sso.bench@example.com").email
        times, failed, lock = [], [0], threading.Lock()
        until = time.monotonic() + seconds

        def work():
            while time.monotonic() < until:
                client = conftest.Client(cluster)
                began = time.perf_counter()
                flow = test_sso.start(client, server)
                code = test_sso.good_answer(provider, flow, email, subject="bench-subject")
                ok = test_sso.callback(flow, server, code=code, state=flow.state) == "/Account/Login?step=code"
                spent = time.perf_counter() - began
                with lock:
                    if ok:
                        times.append(spent)
                    else:
                        failed[0] += 1

        started = time.monotonic()
        workers = [threading.Thread(target=work) for _ in range(THREADS)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.monotonic() - started
        times.sort()
        print("BENCH " + json.dumps({
            "ok": len(times), "failed": failed[0], "secs": round(elapsed, 1), "clients": THREADS,
            "per_sec": round(len(times) / elapsed, 1),
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 1),
        }))
    finally:
        conftest.stop_server(server)
        provider.stop()


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10)
