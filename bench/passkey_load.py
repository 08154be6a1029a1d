"""Passkey sign-ins per second against a running Gatehouse, from a second process on loopback.

Registers PEOPLE passkeys through the API as a browser would (tests/api/softauthn.py), then hands
their keys to the compiled generator (bench/loadgen), which signs in with them as fast as the
server answers: `passkey_sign_in_start`, an ES256 assertion, `passkey_sign_in_finish`, which
verifies the signature, takes the ceremony, moves the sign count and creates the signed-in
session. Each person's browser keeps the cookie by which the server knows it (BENCH_NEW_BROWSERS=1:
a browser never seen before each time). One keep-alive connection per person (sign counts must grow, so one person's sign-ins
are sequential). The generator prints one `BENCH` line.

    python3 bench/passkey_load.py ORIGIN SECONDS  (GATEHOUSE_BIN and GATEHOUSE_* set for the CLI)
"""

import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from fido2.utils import websafe_encode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "api"))
import conftest  # noqa: E402  (sign-up helpers of the API suite)
from softauthn import SoftAuthenticator  # noqa: E402

# Enough connections to keep the server's two cores busy while each waits on its round trips;
# one generator thread (its CPU is taken from the server's).
PEOPLE = int(os.environ.get("BENCH_PASSKEY_PEOPLE", "32"))
THREADS = int(os.environ.get("BENCH_LOADGEN_THREADS", "1"))
# Returning browsers keep the server's browser cookie; new ones come unknown every time (and
# each sign-in mails its owner about the new browser).
NEW_BROWSERS = os.environ.get("BENCH_NEW_BROWSERS") == "1"
LOADGEN = ROOT / "target" / "release" / "gatehouse-loadgen"


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


def write_down(authenticators, path):
    """The keys for the compiled generator, which signs as the authenticator would."""
    people = []
    for a in authenticators:
        c = a.credentials[-1]
        key = c.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        people.append({"credential_id": websafe_encode(c.id), "user_handle": websafe_encode(c.user_handle),
                       "key": base64.b64encode(key).decode(), "sign_count": c.sign_count})
    path.write_text(json.dumps(people))


def main():
    origin, seconds = sys.argv[1], sys.argv[2]
    setup = Setup(origin)
    people = [register(setup) for _ in range(PEOPLE)]
    with tempfile.TemporaryDirectory() as tmp:
        keys = Path(tmp) / "people.json"
        write_down(people, keys)
        subprocess.run([str(LOADGEN), "--origin", origin, "--people", str(keys), "--seconds", seconds,
                        "--threads", str(THREADS)] + (["--new-browsers"] if NEW_BROWSERS else []), check=True)


if __name__ == "__main__":
    main()
