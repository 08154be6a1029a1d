"""The OpenID Provider's token endpoint at full speed, against a running Gatehouse whose
configuration is bench/gatehouse.toml: browsers signed in to Gatehouse (password and code, as the
API suite signs people up) are sent by the `bench` application to the authorization endpoint,
which answers each at once with a code (single sign-on), and the application redeems it
(`client_secret_basic`, PKCE, an RS256 ID token signed). The compiled generator
(bench/loadgen, `--token-sessions`) does both and times the exchange; one `BENCH` line.

`signed_in_browsers` and `loadgen_args` are shared with bench/signin_load.py, which times the
same exchanges a few a second while whole sign-ins saturate the cores.

    python3 bench/oidc_load.py ORIGIN SECONDS  (GATEHOUSE_BIN and GATEHOUSE_* set for the CLI)
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from passkey_load import LOADGEN, Setup  # noqa: E402
import conftest  # noqa: E402  (put on the path by passkey_load)

CLIENT = "bench:bench-secret-0123456789"
REDIRECT_URI = "http://127.0.0.1:9/callback"
CONNECTIONS = 4


def loadgen_args(origin):
    return [str(LOADGEN), "--origin", origin, "--client", CLIENT, "--redirect-uri", REDIRECT_URI]


def signed_in_browsers(setup, n, path):
    """Signs `n` people up (each then signed in) and writes their browsers' cookies to `path`."""
    browsers = []
    for _ in range(n):
        person = conftest.sign_up(setup, f"oidc.{secrets.token_hex(6)}@example.com")
        browsers.append({"cookies": "; ".join(f"{c.name}={c.value}" for c in person.client.http.cookies)})
    path.write_text(json.dumps(browsers))


def main():
    origin, seconds = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "browsers.json"
        signed_in_browsers(Setup(origin), CONNECTIONS, path)
        subprocess.run(loadgen_args(origin) + ["--token-sessions", str(path), "--seconds", seconds,
                                              "--connections", str(CONNECTIONS)], check=True)


if __name__ == "__main__":
    main()
