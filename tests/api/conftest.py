"""Real `gatehouse serve` processes for API tests, and people signed in to them over HTTP.

Two processes share one database and one data folder, as behind a load balancer: both get
the first one's URL as their public URL, so either can finish what the other started. Every
module gets its own database (SQLite file, or a fresh database in the PostgreSQL cluster named
by GATEHOUSE_TEST_POSTGRES_URL) and its own pair of processes.
"""

import email
import email.policy
import hashlib
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse, urlunparse

import pyotp
import pytest
import requests

from softauthn import SoftAuthenticator

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / os.environ.get("GATEHOUSE_BIN", "target/release/gatehouse")  # absolute stays absolute
PASSWORD = "correct horse battery staple 42"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- databases ---------------------------------------------------------------------------

class Database:
    """Where the processes keep their state; `execute` reaches behind them (e.g. to age a
    ceremony) and returns the number of rows changed."""

    def __init__(self, kind, url, sqlite_path=None):
        self.kind, self.url, self.sqlite_path = kind, url, sqlite_path

    def execute(self, sql):
        if self.kind == "sqlite":
            db = sqlite3.connect(self.sqlite_path, timeout=10)
            try:
                with db:  # commits
                    return db.execute(sql).rowcount
            finally:
                db.close()
        match = re.search(r"^(?:UPDATE|DELETE|INSERT \d+) (\d+)$", psql(self.url, sql), re.M)
        return int(match.group(1)) if match else 0

    def count(self, sql):
        """The number a `SELECT count(*) ...` returns."""
        return int(self.value(sql))

    def value(self, sql):
        """The first column of the first row, as text (None for NULL or no row)."""
        if self.kind == "sqlite":
            db = sqlite3.connect(self.sqlite_path, timeout=10)
            try:
                row = db.execute(sql).fetchone()
            finally:
                db.close()
            return None if row is None or row[0] is None else str(row[0])
        out = psql(self.url, sql, "-At", "-P", "null=<NULL>").rstrip("\n")
        return None if out in ("", "<NULL>") else out

    def session_data(self, session_id):
        """A stored session's data (the layout is app::auth's; tests age a sign-in with it)."""
        text = self.value("SELECT CAST(data AS TEXT) FROM sessions WHERE id = " + sql_text(session_id)
                          if self.kind == "sqlite" else
                          "SELECT convert_from(data, 'UTF8') FROM sessions WHERE id = " + sql_text(session_id))
        return json.loads(text)

    def set_session_data(self, session_id, data):
        blob = sql_text(json.dumps(data))
        value = f"CAST({blob} AS BLOB)" if self.kind == "sqlite" else f"convert_to({blob}, 'UTF8')"
        assert self.execute(f"UPDATE sessions SET data = {value} WHERE id = {sql_text(session_id)}") == 1


def sql_text(value):
    """A string as an SQL literal, the same for SQLite and PostgreSQL (psql -c has no binds)."""
    return "'" + value.replace("'", "''") + "'"


def psql(url, sql, *flags):
    done = subprocess.run(["psql", url, "-X", "-v", "ON_ERROR_STOP=1", *flags, "-c", sql],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"psql failed: {done.stderr}"
    return done.stdout


def with_database(url, name):
    return urlunparse(urlparse(url)._replace(path="/" + name))


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def database(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "gatehouse.db"
        yield Database("sqlite", f"sqlite://{path}", sqlite_path=path)
        return
    cluster = os.environ.get("GATEHOUSE_TEST_POSTGRES_URL")
    if not cluster:
        if os.environ.get("GATEHOUSE_REQUIRE_POSTGRES"):
            pytest.fail("GATEHOUSE_REQUIRE_POSTGRES is set but GATEHOUSE_TEST_POSTGRES_URL is not")
        pytest.skip("no PostgreSQL: set GATEHOUSE_TEST_POSTGRES_URL (scripts/pg.sh start DIR prints one)")
    name = f"gh_api_{secrets.token_hex(6)}"
    psql(cluster, f"CREATE DATABASE {name}")
    yield Database("postgres", with_database(cluster, name))
    psql(cluster, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# ---- server processes --------------------------------------------------------------------

@dataclass
class Server:
    url: str  # where this process listens, always on host `localhost` so cookies reach both
    process: subprocess.Popen
    log: Path

    def log_tail(self):
        return self.log.read_text(errors="replace")[-3000:]


@dataclass
class Cluster:
    a: Server
    b: Server
    public_url: str
    env: dict  # what the admin command line needs to reach the same database and outbox
    database: Database

    def admin(self, *args):
        """`gatehouse admin ...`; its standard output as lines."""
        done = subprocess.run([str(BIN), "admin", *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"gatehouse admin {args} failed: {done.stderr}"
        return done.stdout.rstrip().splitlines()


def server_env(data_dir, database, bind_port, public_url, config=None):
    # Nothing from the caller's GATEHOUSE_* settings (a config file, a log filter) leaks in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_")}
    env.update(GATEHOUSE_BIND=f"127.0.0.1:{bind_port}", GATEHOUSE_PUBLIC_URL=public_url,
               GATEHOUSE_DATABASE_URL=database.url, GATEHOUSE_MAIL_OUTBOX=str(data_dir / "outbox"),
               GATEHOUSE_DATA_DIR=str(data_dir), GATEHOUSE_LOG="warn")
    if config:
        env["GATEHOUSE_CONFIG"] = str(config)
    return env


def start_server(name, data_dir, database, public_url, port=None, config=None):
    port = port or free_port()
    log = data_dir / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(BIN), "serve"], env=server_env(data_dir, database, port, public_url, config),
                                   cwd=data_dir, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://localhost:{port}", process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gatehouse {name} exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    stop_server(server)
    pytest.fail(f"gatehouse {name} never answered /healthz:\n{server.log_tail()}")


def stop_server(server):
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="module")
def gatehouse_toml():
    """Extra TOML for both processes' configuration file (a module overrides it, e.g. to add
    `[[sso]]` providers); the processes get the public URL as `{public_url}` in it."""
    return ""


@pytest.fixture(scope="module")
def cluster(database, gatehouse_toml, tmp_path_factory):
    if not BIN.is_file():
        pytest.fail(f"no gatehouse binary at {BIN} (set GATEHOUSE_BIN)")
    data_dir = tmp_path_factory.mktemp("gatehouse")
    port_a = free_port()
    public_url = f"http://localhost:{port_a}"
    config = None
    if gatehouse_toml:
        config = data_dir / "gatehouse.toml"
        config.write_text(gatehouse_toml.replace("{public_url}", public_url))
    # A first: it migrates the database and writes the secret key that B must share.
    a = start_server("a", data_dir, database, public_url, port_a, config)
    try:
        b = start_server("b", data_dir, database, public_url, config=config)
    except BaseException:
        stop_server(a)
        raise
    yield Cluster(a, b, public_url, server_env(data_dir, database, port_a, public_url), database)
    stop_server(b)
    stop_server(a)


# ---- people ------------------------------------------------------------------------------

class Client:
    """One browser's worth of state: a cookie jar, and the Origin header every POST needs.
    Both processes listen on host `localhost`, and cookies ignore ports, so the session
    cookie set by one is sent to the other."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.http = requests.Session()
        self.http.headers["Origin"] = cluster.public_url

    def call(self, server, function, /, **args):
        """`POST /api/<function>` with form arguments (one may be called `name`); the
        response as is (no redirects)."""
        return self.http.post(f"{server.url}/api/{function}", data=args, allow_redirects=False, timeout=30)

    def current_user(self, server):
        res = self.call(server, "current_user")
        assert res.status_code == 200, res.text
        return res.json()


def new_address():
    """A client address of its own (the modules that use one trust loopback as their proxy)."""
    return f"198.51.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


def speaking_from(client, address=None):
    """The client's requests say they come from `address` (a new one if none), through the
    trusted proxy."""
    client.http.headers["X-Forwarded-For"] = address or new_address()
    return client


def expect(res, status):
    """The response, after checking its status; the body is in the message when it differs."""
    assert res.status_code == status, f"{res.request.url}: {res.status_code} {res.text[:500]}"
    return res


def mails_to(cluster, address, subject="", wait_for=0, timeout=15):
    """The mails in the shared outbox to `address` whose subject contains `subject`, parsed,
    oldest first; waits until there are at least `wait_for` (the servers queue mail and send
    it a moment after the request)."""
    outbox = Path(cluster.env["GATEHOUSE_MAIL_OUTBOX"])
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime) if outbox.exists() else []:
            mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in str(mail["To"]) and subject in str(mail["Subject"]):
                found.append(mail)
        if len(found) >= wait_for or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def mail_text(mail):
    return mail.get_body(preferencelist=("plain",)).get_content()


RESET_SUBJECT = "Choose a new password"


def forget_reset_links(database, address):
    """Forgets the person's links and that they asked, and the asking addresses' counts, behind
    the server: one person then serves many tests although links go out at most once a minute
    and every address may ask only so often."""
    person = f"(SELECT id FROM users WHERE email = {sql_text(address)})"
    database.execute(f"DELETE FROM password_resets WHERE user_id IN {person}")
    database.execute(f"DELETE FROM audit_log WHERE kind = 'password.reset_requested' AND user_id IN {person}")
    database.execute("DELETE FROM throttle WHERE key LIKE 'reset-address:%'")


def reset_link_token(cluster, address, server=None, timeout=15):
    """Asks for a forgotten-password link for `address` as a stranger would, and reads the
    token from the mail it brings: the newest whose link the server keeps (a mail from an
    earlier request may still arrive late; its link was forgotten)."""
    forget_reset_links(cluster.database, address)
    res = expect(Client(cluster).call(server or cluster.a, "request_password_reset", email=address), 200)
    assert res.headers["location"] == "/Account/ForgotPassword?sent=1"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in reversed(mails_to(cluster, address, RESET_SUBJECT)):
            token = re.search(r"/Account/ResetPassword\?token=([A-Za-z0-9_-]+)", mail_text(mail))[1]
            digest = hashlib.sha256(token.encode()).hexdigest()
            if cluster.database.count(f"SELECT count(*) FROM password_resets WHERE token_hash = '{digest}'"):
                return token
        time.sleep(0.2)
    raise AssertionError(f"no mail to {address} with a link the server keeps")


@dataclass
class Person:
    email: str
    client: Client  # signed in
    totp_key: str = ""
    totp_used_at: float = 0.0  # when the code that finished set-up was taken
    recovery_codes: list = field(default_factory=list)  # shown once after set-up
    authenticator: SoftAuthenticator = field(default_factory=SoftAuthenticator)


def totp_now(key):
    # A code from the last seconds of a step may be checked in the next: wait for a fresh step.
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return pyotp.TOTP(key.replace(" ", "")).now()


def invite(cluster, email, agent=False):
    """A new account with `email` as its owner (or a support agent): the invitation token."""
    if agent:
        last = cluster.admin("create-support-agent", "--email", email)[-1]
    else:
        last = cluster.admin("create-account", "--name", f"Acme {secrets.token_hex(8)}", "--owner-email", email)[-1]
    assert "/Account/AcceptInvitation?token=" in last, last
    return parse_qs(urlparse(last).query)["token"][0]


def add_member(cluster, owner_email, email, role="user", accept=False):
    """Invites `email` into the account `owner_email` owns (with the operator's command
    line), and with `accept` accepts the invitation: the invitation token, or the signed-up
    (password only) Client."""
    account = cluster.database.value("SELECT a.name FROM accounts a JOIN users u ON u.account_id = a.id "
                                     f"WHERE u.email = {sql_text(owner_email)}")
    last = cluster.admin("invite", "--account", account, "--email", email, "--role", role)[-1]
    token = parse_qs(urlparse(last).query)["token"][0]
    if not accept:
        return token
    client = Client(cluster)
    expect(client.call(cluster.a, "accept_invitation", token=token, password=PASSWORD, confirmation=PASSWORD), 200)
    return client


def role_of(cluster, email):
    """The stored role of `email` ("owner", "co-owner", "user"), or None if there is no such user."""
    return cluster.database.value(f"SELECT role FROM users WHERE email = {sql_text(email)}")


def next_code(person):
    """A code the server has not accepted from this person yet: the current step's, or the
    next step's (within the ±1 window) when the current one was used; waits when both were."""
    last = int(person.totp_used_at // 30)
    want = max(int(time.time() // 30), last + 1)
    if want > int(time.time() // 30) + 1:
        time.sleep(want * 30 - 30 - time.time() + 0.1)
    person.totp_used_at = want * 30
    return pyotp.TOTP(person.totp_key.replace(" ", "")).at(want * 30)


def sign_up(cluster, email, agent=False):
    """Invites `email` as owner of a new account (or as a support agent), then accepts the
    invitation and sets up TOTP over HTTP (on process A), as the pages would. Returns the
    signed-in Person."""
    return join(cluster, email, invite(cluster, email, agent))


def join(cluster, email, token):
    """Accepts the invitation `token` and sets up TOTP over HTTP (on process A), as the pages
    would: the signed-in Person."""
    client = Client(cluster)
    a = cluster.a
    expect(client.call(a, "accept_invitation", token=token, password=PASSWORD, confirmation=PASSWORD), 200)
    setup = expect(client.call(a, "setup_info"), 200).json()
    assert setup is not None and re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", setup["key_grouped"]), setup
    assert email in setup["account_label"]
    assert client.current_user(a) is None, "signed in before the second factor"
    code = totp_now(setup["key_grouped"])
    used_at = time.time()
    res = expect(client.call(a, "confirm_setup", code=code), 200)
    assert res.headers["location"] == "/Account/RecoveryCodes"
    codes = expect(client.call(a, "fresh_recovery_codes"), 200).json()
    assert len(codes) == 10, codes
    return Person(email, client, totp_key=setup["key_grouped"], totp_used_at=used_at, recovery_codes=codes)


@pytest.fixture
def person(cluster):
    """A new owner, signed in with password and TOTP."""
    return sign_up(cluster, f"owner.{secrets.token_hex(4)}@acme.test")


# ---- support requests --------------------------------------------------------------------

def support_form(**changes):
    """The support form's fields, as a person filling it in signed out would send them."""
    form = {"area": "Account", "requester_email": f"asks.{secrets.token_hex(3)}@acme.test",
            "account_name": "Acme", "subject": "Reset 2FA",
            "description": "I, the account owner, ask for 2FA to be reset for user@acme.test.",
            "target_email": "user@acme.test"}
    form.update(changes)
    return form


def post_support(cluster, form, files=(), client=None, server=None, accept_json=True):
    """`POST /support/requests` as the form's script sends it (fields first, then the files:
    a list of (field, name, bytes)); from `client`'s session and address when given."""
    parts = [(k, (None, v)) for k, v in form.items()] + [(f, (n, b)) for f, n, b in files]
    http = client.http if client else requests.Session()
    headers = {"Origin": cluster.public_url}
    if accept_json:
        headers["Accept"] = "application/json"
    return http.post(f"{(server or cluster.a).url}/support/requests", files=parts, headers=headers,
                     allow_redirects=False, timeout=60)


def account_of(cluster, email):
    return cluster.database.value("SELECT a.name FROM accounts a JOIN users u ON u.account_id = a.id "
                                  f"WHERE u.email = {sql_text(email)}")


def confirmation_token(cluster, requester, reference, timeout=15):
    """The token of the link that confirms request `reference`, from the mail to `requester`."""
    mails = mails_to(cluster, requester, reference, wait_for=1, timeout=timeout)
    assert mails, f"no confirmation mail to {requester} for {reference}"
    return re.search(r"/support/confirm\?token=([A-Za-z0-9_-]+)", mail_text(mails[-1]))[1]


def file_confirmed(cluster, form, files=()):
    """A request filed signed out and confirmed from its requester's mailbox, as a person does:
    its reference and id."""
    answer = expect(post_support(cluster, form, files), 200).json()
    assert answer["confirm"] is True, answer
    token = confirmation_token(cluster, form["requester_email"], answer["reference"])
    expect(Client(cluster).call(cluster.b, "confirm_support_request", token=token), 200)
    rid = cluster.database.value(f"SELECT id FROM support_requests WHERE reference = {sql_text(answer['reference'])}")
    return answer["reference"], rid


SETUP_LINK = re.compile(r"/Account/Login\?setup=([A-Za-z0-9_-]{43})")


def setup_link_token(cluster, address, subject="", timeout=15):
    """The token of the newest setup link mailed to `address` (in the 2FA reset mail, or mailed
    after a password without an authenticator)."""
    deadline = time.monotonic() + timeout
    while True:
        for mail in reversed(mails_to(cluster, address, subject)):
            found = SETUP_LINK.search(mail_text(mail))
            digest = found and hashlib.sha256(found[1].encode()).hexdigest()
            if found and cluster.database.count(f"SELECT count(*) FROM setup_links WHERE token_hash = '{digest}'"):
                return found[1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {address} with a setup link the server keeps")
        time.sleep(0.2)
