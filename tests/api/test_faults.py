"""Issue 14's fault suite: 100 mixed operations (sign-ups with 2FA set-up, sign-ins, support
requests with documents, approvals that remove an authenticator) run three at a time while
the server is killed (SIGKILL) every 4 to 12 operations and started again. After every kill,
and at the end, the database must be whole: its own integrity check, no orphaned row, no
request without all its documents, no authenticator half removed (a secret without its
confirmation, recovery codes or sessions left to someone whose reset was approved), every mail
in the outbox whole, and everything the server answered 200 to there. SQLite and PostgreSQL."""

import email
import email.policy
import queue as queues
import random
import secrets
import threading
import time
from contextlib import contextmanager

import pytest
import requests

from conftest import (PASSWORD, Client, Cluster, expect, free_port, invite, server_env, sign_up, speaking_from,
                      sql_text, start_server, stop_server, totp_now)
from documents import pdf_bytes
from test_support_crash import check_whole

OPERATIONS = 100
WORKERS = 3
OWN_DOCUMENTS = ("legal_id", "business_registration", "letterhead")
# Each table with a user_id column, checked for rows whose user is gone.
USER_TABLES = ("invitations", "sessions", "totp_enrolments", "totp_burnt_steps", "passkeys", "sso_identities",
               "known_browsers", "recovery_codes", "password_resets", "setup_links")


class Cut(Exception):
    """The server went away mid-operation (killed): the operation's outcome is unknown."""


def call(client, url, function, **args):
    try:
        return client.http.post(f"{url()}/api/{function}", data=args, allow_redirects=False, timeout=30)
    except requests.RequestException as e:
        raise Cut() from e


def pool(people):
    q = queues.Queue()
    for p in people:
        q.put(p)
    return q


@contextmanager
def borrowed(people):
    """One person at a time: two sign-ins with the same code would be a replay, refused."""
    person = people.get()
    try:
        yield person
    finally:
        people.put(person)


class World:
    def __init__(self, cluster, url, agents, signers, askers):
        # The port stays the same across restarts, so does the URL.
        self.cluster, self.base = cluster, url
        self.agents, self.signers, self.askers = pool(agents), pool(signers), askers
        self.lock = threading.Lock()
        self.done = {"sign_up": [], "sign_in": [], "submit": [], "approve": []}  # what got a 200
        self.cut = {kind: 0 for kind in self.done}
        self.refused = []  # answers other than 200 that no kill explains
        self.started = 0
        # Cleared while the server is down: an operation starts only against a running one
        # (the kill, not the restart, is what it must survive).
        self.up = threading.Event()
        self.up.set()

    def url(self):
        return self.base


def op_sign_up(world):
    email = f"new.{secrets.token_hex(4)}@acme.test"
    token = invite(world.cluster, email)
    client = speaking_from(Client(world.cluster))
    expect(call(client, world.url, "accept_invitation", token=token, password=PASSWORD, confirmation=PASSWORD), 200)
    key = expect(call(client, world.url, "setup_info"), 200).json()["key_grouped"]
    expect(call(client, world.url, "confirm_setup", code=totp_now(key)), 200)
    return email


def op_sign_in(world):
    with borrowed(world.signers) as person:
        # One code serves many sign-ins here (the replay rule is tested elsewhere).
        world.cluster.database.execute(f"UPDATE users SET totp_last_step = 0 WHERE email = {sql_text(person.email)}")
        client = speaking_from(Client(world.cluster))
        expect(call(client, world.url, "log_in", user_name=person.email, password=PASSWORD), 200)
        expect(call(client, world.url, "verify_code", code=totp_now(person.totp_key)), 200)
        return person.email, client


def op_submit(world):
    owner = random.choice(world.askers)
    db = world.cluster.database
    # The limits on requests per person and address are tested elsewhere; here every
    # submission must be stored or cut.
    db.execute("DELETE FROM throttle WHERE key LIKE 'support-%'")
    account = db.value("SELECT a.name FROM accounts a JOIN users u ON u.account_id = a.id "
                       f"WHERE u.email = {sql_text(owner.email)}")
    fields = {"area": "Account", "requester_email": owner.email, "account_name": account, "subject": "Reset 2FA",
              "description": "I, the account owner, lost my phone.", "target_email": owner.email,
              "owner_self": "on"}
    files = [(k, (None, v)) for k, v in fields.items()] + \
        [(k, (f"{k}.pdf", pdf_bytes(f"{k} {secrets.token_hex(8)}"))) for k in OWN_DOCUMENTS]
    # Signed in (a browser of the owner's own, from an address of its own): the request is
    # theirs, proved, and reaches the queue at once.
    client = speaking_from(Client(world.cluster))
    client.http.cookies.update(owner.client.http.cookies)
    try:
        res = client.http.post(f"{world.url()}/support/requests", files=files, timeout=30,
                               headers={"Accept": "application/json"})
    except requests.RequestException as e:
        raise Cut() from e
    return expect(res, 200).json()["reference"]


def op_approve(world):
    db = world.cluster.database
    rid = db.value("SELECT id FROM support_requests WHERE status = 'new' AND verified IS NOT NULL "
                   "ORDER BY created_at LIMIT 1")
    if rid is None:
        return None
    with borrowed(world.agents) as agent:
        db.execute(f"UPDATE users SET totp_last_step = 0 WHERE email = {sql_text(agent.email)}")
        res = call(agent.client, world.url, "support_approve", id=rid, code=totp_now(agent.totp_key))
    # Another worker may have decided it first: refused, nothing to check.
    return rid if res.status_code == 200 else None


OPS = {"sign_up": op_sign_up, "sign_in": op_sign_in, "submit": op_submit, "approve": op_approve}


def worker(world, queue):
    while True:
        with world.lock:
            if not queue:
                return
            kind = queue.pop()
            world.started += 1
        world.up.wait()
        try:
            result = OPS[kind](world)
        except Cut:
            # Cut off by a kill. Not retried: what a person would do next is the next operation.
            with world.lock:
                world.cut[kind] += 1
            continue
        except AssertionError as e:
            with world.lock:
                world.refused.append(f"{kind}: {e}")
            continue
        if result is not None:
            with world.lock:
                world.done[kind].append(result)


def check_integrity(db):
    if db.kind == "sqlite":
        assert db.value("PRAGMA integrity_check") == "ok"
        assert db.count("SELECT count(*) FROM pragma_foreign_key_check") == 0
    else:
        assert db.count("SELECT count(*) FROM pg_constraint WHERE NOT convalidated") == 0
    for table in USER_TABLES:
        orphans = db.count(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id)")
        assert orphans == 0, f"{orphans} rows of {table} without their user"
    check_whole(db)
    half = db.count("SELECT count(*) FROM users WHERE (totp_secret IS NULL) <> (totp_confirmed_at IS NULL)")
    assert half == 0, f"{half} authenticators half written"
    codes_alone = db.count("SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id "
                           "WHERE u.totp_secret IS NULL")
    assert codes_alone == 0, f"{codes_alone} recovery codes of people without an authenticator"
    # An approved reset removed the authenticator and everything signed in with it, together.
    left = db.count("SELECT count(*) FROM support_requests r JOIN users u ON u.email = r.target_email "
                    "WHERE r.status = 'approved' AND (u.totp_secret IS NOT NULL "
                    "OR EXISTS (SELECT 1 FROM recovery_codes c WHERE c.user_id = u.id) "
                    "OR EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id))")
    assert left == 0, f"{left} approved resets with the authenticator (or its sessions) still there"
    undecided = db.count("SELECT count(*) FROM support_requests WHERE (status = 'new') <> (closed_at IS NULL)")
    assert undecided == 0


def check_files(data_dir):
    """Nothing in the data folder but what belongs there, and every mail in the outbox whole."""
    known = {"gatehouse.toml", "secret.key", "outbox"}
    stray = [p.name for p in data_dir.iterdir() if p.name not in known and p.suffix != ".log"]
    assert not stray, f"stray files: {stray}"
    for path in (data_dir / "outbox").iterdir():
        assert path.suffix == ".eml", path
        mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = mail.get_body(preferencelist=("plain",))
        html = mail.get_body(preferencelist=("html",))
        assert mail["To"] and mail["Subject"] and text and html and text.get_content().strip(), f"cut mail {path.name}"


def test_killed_at_random_during_mixed_operations_nothing_is_half_written(database, tmp_path):
    port = free_port()
    public_url = f"http://localhost:{port}"
    config = tmp_path / "gatehouse.toml"
    config.write_text('trusted_proxies = ["127.0.0.1", "::1"]\n')
    proc = start_server("f0", tmp_path, database, public_url, port, config)
    cluster = Cluster(proc, proc, public_url, server_env(tmp_path, database, port, public_url, config), database)
    # The people the operations need, made before any kill.
    agents = [sign_up(cluster, f"agent.{secrets.token_hex(3)}@support.test", agent=True) for _ in range(2)]
    signers = [sign_up(cluster, f"signs.{secrets.token_hex(3)}@acme.test") for _ in range(6)]
    askers = [sign_up(cluster, f"asks.{secrets.token_hex(3)}@acme.test") for _ in range(8)]
    world = World(cluster, proc.url, agents, signers, askers)
    # Requests waiting from the start, so that approvals have something to decide however
    # the operations fall.
    for _ in range(4):
        op_submit(world)
    queue = random.choices(list(OPS), weights=[2, 4, 3, 2], k=OPERATIONS)
    workers = [threading.Thread(target=worker, args=(world, queue)) for _ in range(WORKERS)]
    for t in workers:
        t.start()
    kills = 0
    try:
        while True:
            # A kill every 4 to 12 operations, a moment after the last one started: how fast
            # the operations go (SQLite or PostgreSQL, this machine or CI's) does not decide
            # how often they are cut.
            due = world.started + random.randint(4, 12)
            while world.started < due and any(t.is_alive() for t in workers):
                time.sleep(0.01)
            time.sleep(random.uniform(0, 0.15))
            if not any(t.is_alive() for t in workers):
                break
            world.up.clear()
            proc.process.kill()  # SIGKILL: no shutdown, no cleanup
            proc.process.wait()
            kills += 1
            check_integrity(database)
            check_files(tmp_path)
            proc = start_server(f"f{kills}", tmp_path, database, public_url, port, config)
            world.up.set()
        for t in workers:
            t.join()

        check_integrity(database)
        done = world.done
        print(f"{database.kind}: {kills} kills; answered 200: " + ", ".join(f"{k} {len(v)}" for k, v in done.items())
              + f"; cut off by a kill: {world.cut}")
        assert not world.refused, world.refused
        assert kills >= 3, "the operations ended before the server was killed three times"
        assert all(done.values()), f"some kind of operation never got through: {done}"
        # Nothing the server confirmed is lost.
        db = database
        for email in done["sign_up"]:
            assert db.count(f"SELECT count(*) FROM users WHERE email = {sql_text(email)} "
                            "AND totp_secret IS NOT NULL") == 1, email
        for reference in done["submit"]:
            assert db.count(f"SELECT count(*) FROM support_requests WHERE reference = {sql_text(reference)}") == 1
        for rid in done["approve"]:
            assert db.value(f"SELECT status FROM support_requests WHERE id = {sql_text(rid)}") == "approved"
        # Sessions outlive the process that started them.
        for email, client in done["sign_in"]:
            assert client.current_user(proc)["email"] == email
    finally:
        world.up.set()
        stop_server(proc)


def test_the_checks_catch_what_they_look_for(cluster):
    """Each check above, against a database broken on purpose the way it looks for."""
    db = cluster.database
    check_integrity(db)

    def broken(sql, *, person=None):
        who = person or sign_up(cluster, f"broken.{secrets.token_hex(3)}@acme.test")
        db.execute(sql.format(email=sql_text(who.email)))
        with pytest.raises(AssertionError):
            check_integrity(db)
        db.execute(f"DELETE FROM support_requests WHERE target_email = {sql_text(who.email)}")
        db.execute("DELETE FROM support_documents WHERE request_id NOT IN (SELECT id FROM support_requests)")
        # By hand: the test's own SQLite connection does not cascade.
        for table in USER_TABLES:
            db.execute(f"DELETE FROM {table} WHERE user_id IN (SELECT id FROM users WHERE email = {sql_text(who.email)})")
        db.execute(f"DELETE FROM users WHERE email = {sql_text(who.email)}")
        check_integrity(db)

    broken("UPDATE users SET totp_confirmed_at = NULL WHERE email = {email}")
    broken("UPDATE users SET totp_secret = NULL, totp_confirmed_at = NULL WHERE email = {email}")  # codes left
    def filed():
        owner = sign_up(cluster, f"broken.{secrets.token_hex(3)}@acme.test")
        return owner, op_submit(World(cluster, cluster.a.url, [], [], [owner]))

    owner, reference = filed()
    broken(f"UPDATE support_requests SET status = 'approved', closed_at = 1 WHERE reference = {sql_text(reference)}",
           person=owner)
    if db.kind == "sqlite":
        # A document whose request is gone (foreign keys are off for the test's connection).
        owner, reference = filed()
        broken(f"DELETE FROM support_requests WHERE reference = {sql_text(reference)}", person=owner)
