"""The authorisation matrix (`authorization_matrix.toml`) over HTTP: every endpoint called in
every session state, on SQLite and PostgreSQL, with arguments that would work if the state
allowed it. Each cell checks the answer and the effect: an allowed call must do what it is
for, a refused one must leave everything as it was (no code used up, no secret handed out, no
authenticator changed, no passkey added, renamed or removed, no session switched).

Every state is reached through the real flows (password, provider, passkey), fresh for each
cell. Two shortcuts reach behind the server, both documented where they are used: the
victim's last accepted TOTP step is reset before a cell that needs one of their codes (so one
code can serve many cells), and "signed in more than ten minutes ago" is made by ageing the
session's sign-in time.
"""

import json
import secrets
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pyotp
import pytest
import requests

from conftest import (PASSWORD, Client, Person, account_of, add_member, confirmation_token, expect, file_confirmed,
                      forget_reset_links, invite, post_support, reset_link_token, role_of, sign_up, sql_text,
                      support_form, totp_now)
from documents import pdf_bytes
from softauthn import SoftAuthenticator
from test_passkeys import add_passkey
from test_sessions import handle_of as session_handle
from test_oidc import CALLBACK, CLIENTS_TOML, CONFIDENTIAL, SIGNED_OUT, RelyingParty, answer
from test_sso import callback as sso_callback
from test_sso import good_answer, provider, sso_toml  # noqa: F401 (module fixture: one fake provider)
from test_sso import start as sso_start

MATRIX = tomllib.loads((Path(__file__).parent / "authorization_matrix.toml").read_text())
STATES = ["anonymous", "pending_password", "pending_sso", "pending_setup", "signed_in", "recent", "other_user",
          "agent"]


@dataclass
class World:
    cluster: object
    provider: object
    victim: Person
    other: Person
    agent: Person
    passkeys: dict = field(default_factory=dict)  # email -> the id of their passkey "Main"

    @property
    def a(self):
        return self.cluster.a

    @property
    def db(self):
        return self.cluster.database


@dataclass
class Session:
    """A browser in one state: `me` is who the session is about (signed in or half-way),
    `target` whose things a request names (the victim, unless the session's own person's)."""
    client: Client
    state: str
    me: Person | None
    target: Person


def ceremony(client, server, function):
    res = expect(client.call(server, function), 200).json()
    return res["ceremony"], json.loads(res["options"])


def passkey_session(world, person):
    """A new browser signed in with the person's passkey (no code used)."""
    client = Client(world.cluster)
    cid, options = ceremony(client, world.a, "passkey_sign_in_start")
    credential = person.authenticator.get(options, world.cluster.public_url)
    expect(client.call(world.a, "passkey_sign_in_finish", ceremony=cid, credential=json.dumps(credential)), 200)
    return client


def age(world, client):
    """Makes the session's last full sign-in an hour old (the step-up window is ten minutes)."""
    sid = client.http.cookies.get("gatehouse")
    data = world.db.session_data(sid)
    data["gh.signed_in"]["authenticated_at"] -= 3600
    world.db.set_session_data(sid, data)


def fresh_codes(world, person):
    """Lets the person's current code be used again: resets their last accepted step. (The
    replay rule itself is tested elsewhere; here one code must serve many cells.)"""
    world.db.execute(f"UPDATE users SET totp_last_step = 0 WHERE email = {sql_text(person.email)}")


def code_used(world, person):
    return world.db.count(
        f"SELECT count(*) FROM users WHERE email = {sql_text(person.email)} AND totp_last_step > 0") == 1


def newbie(world):
    """Someone whose invitation was just accepted: a password, no authenticator yet."""
    email = f"new.{secrets.token_hex(4)}@acme.test"
    client = Client(world.cluster)
    token = invite(world.cluster, email)
    res = expect(client.call(world.a, "accept_invitation", token=token, password=PASSWORD, confirmation=PASSWORD), 200)
    assert res.headers["location"] == "/Account/SetupTwoFactor"
    return Person(email, client)


def enter(world, state):
    """A fresh session in `state`."""
    v = world.victim
    if state == "anonymous":
        return Session(Client(world.cluster), state, None, v)
    if state == "pending_password":
        client = Client(world.cluster)
        res = expect(client.call(world.a, "log_in", user_name=v.email, password=PASSWORD), 200)
        assert res.headers["location"] == "/Account/Login?step=code"
        return Session(client, state, v, v)
    if state == "pending_sso":
        client = Client(world.cluster)
        flow = sso_start(client, world.a)
        code = good_answer(world.provider, flow, v.email, subject=f"matrix-{v.email}")
        assert sso_callback(flow, world.a, code=code, state=flow.state) == "/Account/Login?step=code"
        return Session(client, state, v, v)
    if state == "pending_setup":
        n = newbie(world)
        return Session(n.client, state, n, v)
    if state in ("signed_in", "recent"):
        client = passkey_session(world, v)
        if state == "signed_in":
            age(world, client)
        return Session(client, state, v, v)
    if state == "other_user":
        return Session(passkey_session(world, world.other), state, world.other, v)
    if state == "agent":
        return Session(passkey_session(world, world.agent), state, world.agent, world.agent)
    raise AssertionError(state)


def me(world, s):
    """Who the session is signed in as now (an email), or None."""
    user = s.client.current_user(world.a)
    return user and user["email"]


def holds_nothing(world, s):
    return me(world, s) is None and s.client.call(world.a, "verify_code", code="123456").status_code == 401


def recent_now(world, s):
    return s.client.call(world.a, "passkey_add_start").status_code == 200


def passkey_ids(world, person):
    rows = world.db.value(
        "SELECT string_agg(p.id, ',') FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.email = "
        + sql_text(person.email)
        if world.db.kind == "postgres" else
        "SELECT group_concat(p.id, ',') FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.email = "
        + sql_text(person.email))
    return set(rows.split(",")) if rows else set()


def passkey_name(world, passkey_id):
    return world.db.value(f"SELECT name FROM passkeys WHERE id = {sql_text(passkey_id)}")


def throwaway_passkey(world, person):
    """Registers a passkey for the person in a side session of theirs; its id."""
    side = Person(person.email, passkey_session(world, person), authenticator=SoftAuthenticator())
    return expect(add_passkey(side, world.a, world.a, name="Throwaway"), 200).json()["id"]


def authenticator_of(world, person):
    column = "hex(totp_secret)" if world.db.kind == "sqlite" else "encode(totp_secret, 'hex')"
    return world.db.value(f"SELECT {column} FROM users WHERE email = {sql_text(person.email)}")


def enrolments_of(world, person):
    return world.db.count("SELECT count(*) FROM totp_enrolments e JOIN users u ON u.id = e.user_id "
                          f"WHERE u.email = {sql_text(person.email)}")


# ---- one probe per row: the request, and whether it took effect --------------------------

def p_current_user(world, s):
    res = s.client.call(world.a, "current_user")
    return res, res.status_code == 200 and res.json() is not None and res.json()["email"] == s.me.email


def p_log_out(world, s):
    res = s.client.call(world.a, "log_out")
    return res, res.headers.get("location") == "/Account/Login" and holds_nothing(world, s)


def p_log_in(world, s):
    res = s.client.call(world.a, "log_in", user_name=world.victim.email, password=PASSWORD)
    return res, res.headers.get("location") == "/Account/Login?step=code" and me(world, s) is None


def p_verify_code(world, s):
    victim = world.victim
    fresh_codes(world, victim)
    before = me(world, s)
    res = s.client.call(world.a, "verify_code", code=totp_now(victim.totp_key))
    became = me(world, s) == victim.email and before != victim.email
    return res, code_used(world, victim) or became


def p_setup_info(world, s):
    world.db.execute("DELETE FROM totp_enrolments WHERE user_id IN (SELECT id FROM users WHERE email = "
                     f"{sql_text(world.victim.email)})")
    res = s.client.call(world.a, "setup_info")
    handed_out = res.status_code == 200 and "key_grouped" in res.json()
    return res, handed_out or enrolments_of(world, world.victim) > 0


def p_confirm_setup(world, s):
    # The attack as it was: ask for a secret, then confirm with a code from it (or, refused
    # the secret, with a code from an authenticator of one's own).
    shown = s.client.call(world.a, "setup_info")
    key = shown.json()["key_grouped"] if shown.status_code == 200 else pyotp.random_base32()
    people = [p for p in (s.me, world.victim) if p]
    before = [authenticator_of(world, p) for p in people]
    res = s.client.call(world.a, "confirm_setup", code=totp_now(key))
    return res, [authenticator_of(world, p) for p in people] != before


def p_invitation_info(world, s):
    email = f"invited.{secrets.token_hex(4)}@acme.test"
    res = s.client.call(world.a, "invitation_info", token=invite(world.cluster, email))
    return res, res.status_code == 200 and res.json()["email"] == email


def p_accept_invitation(world, s):
    token = invite(world.cluster, f"invited.{secrets.token_hex(4)}@acme.test")
    res = s.client.call(world.a, "accept_invitation", token=token, password=PASSWORD, confirmation=PASSWORD)
    granted = res.headers.get("location") == "/Account/SetupTwoFactor"
    return res, granted and s.client.call(world.a, "setup_info").status_code == 200


def p_sso_buttons(world, s):
    res = s.client.call(world.a, "sso_buttons")
    return res, res.status_code == 200 and any(b["id"] == "fake" for b in res.json())


def p_passkey_sign_in_start(world, s):
    res = s.client.call(world.a, "passkey_sign_in_start")
    return res, res.status_code == 200 and bool(res.json()["ceremony"])


def p_passkey_sign_in_finish(world, s):
    cid, options = ceremony(s.client, world.a, "passkey_sign_in_start")
    credential = s.target.authenticator.get(options, world.cluster.public_url)
    res = s.client.call(world.a, "passkey_sign_in_finish", ceremony=cid, credential=json.dumps(credential))
    return res, me(world, s) == s.target.email


def p_passkeys(world, s):
    res = s.client.call(world.a, "passkeys")
    if res.status_code != 200:
        return res, False
    listed = {p["id"] for p in res.json()}
    # Exactly the session's own person's, never the victim's for someone else.
    return res, listed == passkey_ids(world, s.me)


def p_passkey_add_start(world, s):
    res = s.client.call(world.a, "passkey_add_start")
    return res, res.status_code == 200 and bool(res.json()["ceremony"])


def p_passkey_add_finish(world, s):
    # The ceremony comes from a recent session of the person whose passkey it would be: this
    # one where it may start, else a side session of the target's.
    starter = s.client if s.state in ("recent", "agent") else passkey_session(world, s.target)
    cid, options = ceremony(starter, world.a, "passkey_add_start")
    credential = SoftAuthenticator().create(options, world.cluster.public_url)
    counts = lambda: (len(passkey_ids(world, s.target)), s.me and len(passkey_ids(world, s.me)))  # noqa: E731
    before = counts()
    res = s.client.call(world.a, "passkey_add_finish", ceremony=cid, credential=json.dumps(credential), name="New")
    return res, counts() != before


def p_passkey_rename(world, s):
    pid = world.passkeys[s.target.email]
    before, name = passkey_name(world, pid), f"Renamed {secrets.token_hex(3)}"
    res = s.client.call(world.a, "passkey_rename", id=pid, name=name)
    changed = passkey_name(world, pid) != before
    if changed:
        world.db.execute(f"UPDATE passkeys SET name = {sql_text(before)} WHERE id = {sql_text(pid)}")
    return res, changed


def p_passkey_remove(world, s):
    pid = throwaway_passkey(world, s.target)
    res = s.client.call(world.a, "passkey_remove", id=pid)
    return res, pid not in passkey_ids(world, s.target)


def p_passkey_step_up(world, s):
    cid, options = ceremony(s.client, world.a, "passkey_sign_in_start")
    credential = s.target.authenticator.get(options, world.cluster.public_url)
    res = s.client.call(world.a, "passkey_step_up", ceremony=cid, credential=json.dumps(credential))
    return res, me(world, s) == s.target.email and recent_now(world, s)


def p_step_up(world, s):
    fresh_codes(world, s.target)
    res = s.client.call(world.a, "step_up", code=totp_now(s.target.totp_key))
    return res, code_used(world, s.target) and me(world, s) == s.target.email and recent_now(world, s)


def p_healthz(world, s):
    res = s.client.http.get(f"{world.a.url}/healthz", timeout=30)
    return res, res.text == "ok\n"


def p_language(world, s):
    # The language switch keeps the choice in a cookie and goes back, whoever asks.
    res = s.client.http.get(f"{world.a.url}/language/de?back=/Account/Login", allow_redirects=False, timeout=30)
    kept = "gatehouse-language=de" in res.headers.get("set-cookie", "")
    return res, kept and res.headers.get("location") == "/Account/Login"


def p_metrics(world, s):
    res = s.client.http.get(f"{world.a.url}/metrics", timeout=30)
    return res, "gatehouse_http_requests_total" in res.text


def p_sso_start(world, s):
    res = s.client.http.get(f"{world.a.url}/auth/sso/fake/start", allow_redirects=False, timeout=30)
    return res, res.headers.get("location", "").startswith(world.provider.issuer)


def p_sso_callback(world, s):
    # Someone else's browser gets the answer to a flow the victim started (login CSRF); an
    # agent's own identity is never good for SSO.
    starter = Client(world.cluster) if s.state == "other_user" else s.client
    flow = sso_start(starter, world.a)
    code = good_answer(world.provider, flow, s.target.email, subject=f"matrix-{s.target.email}")
    res = s.client.http.get(f"{world.a.url}/auth/sso/fake/callback", params={"code": code, "state": flow.state},
                            allow_redirects=False, timeout=30)
    return res, res.headers.get("location") == "/Account/Login?step=code" and me(world, s) is None


def p_support_requests(world, s):
    world.db.execute("DELETE FROM throttle WHERE key LIKE 'support-%'")
    # Public: the owner may be the one locked out. Signed in, the requester is that person,
    # asking for a user of the victim's account (theirs, if they are the victim).
    member = members_of_victim(world)
    typed = f"someone.{secrets.token_hex(3)}@acme.test"
    form = support_form(requester_email=typed, account_name=account_of(world.cluster, world.victim.email),
                        target_email=member)
    res = post_support(world.cluster, form, client=s.client)
    if res.status_code != 200:
        return res, world.db.count(f"SELECT count(*) FROM support_requests WHERE target_email = {sql_text(member)}") > 0
    reference = res.json()["reference"]
    row = f"FROM support_requests WHERE reference = {sql_text(reference)}"
    stored, verified = world.db.value(f"SELECT requester_email {row}"), world.db.value(f"SELECT verified {row}")
    signed_in_as = me(world, s)
    if signed_in_as:
        return res, stored == signed_in_as and verified == "signed_in" and res.json()["confirm"] is False
    return res, stored == typed and verified is None and res.json()["confirm"] is True


def awaiting_request(world):
    """A request filed signed out, waiting for its requester: its reference and the token of
    the link mailed to them."""
    world.db.execute("DELETE FROM throttle WHERE key LIKE 'support-%'")
    form = support_form(target_email=world.victim.email)
    reference = expect(post_support(world.cluster, form), 200).json()["reference"]
    return reference, confirmation_token(world.cluster, form["requester_email"], reference)


def p_support_confirmation(world, s):
    reference, token = awaiting_request(world)
    res = s.client.call(world.a, "support_confirmation", token=token)
    return res, res.status_code == 200 and res.json()["reference"] == reference


def p_confirm_support_request(world, s):
    reference, token = awaiting_request(world)
    res = s.client.call(world.a, "confirm_support_request", token=token)
    verified = world.db.value(f"SELECT verified FROM support_requests WHERE reference = {sql_text(reference)}")
    return res, verified == "mailbox"


def p_account_users(world, s):
    # Owners and co-owners, of their own account only: the other owner never sees the victim.
    res = s.client.call(world.a, "account_users")
    listed = [m["email"] for m in res.json()] if res.status_code == 200 else []
    mine = [p.email for p in (world.victim, world.other) if s.me and p.email == s.me.email]
    same = world.db.count("SELECT count(*) FROM users u JOIN users o ON o.account_id = u.account_id "
                          f"WHERE o.email = {sql_text(mine[0])}") if mine else -1
    return res, bool(mine) and mine[0] in listed and len(listed) == same


# The Users page's changes: the victim owns an account; `other` owns another and names the
# victim's people, whom it must not reach. Each cell gets people of its own in the victim's
# account, so no cell depends on another.

def members_of_victim(world, role="user", accept=False):
    email = f"m.{secrets.token_hex(4)}@acme.test"
    add_member(world.cluster, world.victim.email, email, role=role, accept=accept)
    return email


def p_invite_user(world, s):
    # Into the caller's own account (an owner of another account invites into theirs).
    email = f"inv.{secrets.token_hex(4)}@acme.test"
    res = s.client.call(world.a, "invite_user", email=email, role="user")
    owner = s.me.email if s.me else world.victim.email
    same = world.db.count(f"SELECT count(*) FROM users u JOIN users o ON o.account_id = u.account_id "
                          f"WHERE u.email = {sql_text(email)} AND o.email = {sql_text(owner)}")
    return res, role_of(world.cluster, email) is not None and same == 1


def invitations_of(world, email):
    return world.db.count("SELECT count(*) FROM invitations i JOIN users u ON u.id = i.user_id "
                          f"WHERE u.email = {sql_text(email)}")


def invitation_hash(world, email):
    return world.db.value("SELECT i.token_hash FROM invitations i JOIN users u ON u.id = i.user_id "
                          f"WHERE u.email = {sql_text(email)}")


def p_resend_invitation(world, s):
    # A new link replaces the first: still one invitation, not the same one.
    email = members_of_victim(world)
    first = invitation_hash(world, email)
    res = s.client.call(world.a, "resend_invitation", email=email)
    now = invitation_hash(world, email)
    return res, invitations_of(world, email) == 1 and now is not None and now != first


def p_revoke_invitation(world, s):
    email = members_of_victim(world)
    res = s.client.call(world.a, "revoke_invitation", email=email)
    return res, role_of(world.cluster, email) is None


def p_change_role(world, s):
    email = members_of_victim(world, accept=True)
    res = s.client.call(world.a, "change_role", email=email, role="co-owner")
    return res, role_of(world.cluster, email) == "co-owner"


def p_transfer_ownership(world, s):
    # The victim's current code is the step-up; after a handover the roles are put back.
    victim = world.victim
    email = members_of_victim(world, accept=True)
    fresh_codes(world, victim)
    res = s.client.call(world.a, "transfer_ownership", email=email, code=totp_now(victim.totp_key))
    moved = role_of(world.cluster, email) == "owner" and role_of(world.cluster, victim.email) == "co-owner"
    if moved:
        world.db.execute(f"UPDATE users SET role = 'co-owner' WHERE email = {sql_text(email)}")
        world.db.execute(f"UPDATE users SET role = 'owner' WHERE email = {sql_text(victim.email)}")
    return res, moved


def p_remove_user(world, s):
    email = members_of_victim(world, accept=True)
    res = s.client.call(world.a, "remove_user", email=email)
    return res, role_of(world.cluster, email) is None


def file_request(world, *, owner_self=None):
    """A request filed on the public form with a PDF and confirmed from its requester's mailbox:
    its id, a document's id and the PDF. With `owner_self`, that person's own reset as owner
    of their account, with the three documents."""
    form = support_form(target_email=world.victim.email)
    kinds = ["attachments"]
    if owner_self:
        form.update(requester_email=owner_self.email, target_email=owner_self.email,
                    account_name=account_of(world.cluster, owner_self.email), owner_self="on")
        kinds = ["legal_id", "business_registration", "letterhead"]
    # The form's per-address limit is tested elsewhere; here every cell needs a request.
    world.db.execute("DELETE FROM throttle WHERE key LIKE 'support-%'")
    pdf = pdf_bytes()
    _, rid = file_confirmed(world.cluster, form, [(k, f"{k}.pdf", pdf) for k in kinds])
    did = world.db.value(f"SELECT id FROM support_documents WHERE request_id = {sql_text(rid)} ORDER BY kind LIMIT 1")
    return rid, did, pdf


def request_status(world, rid):
    return world.db.value(f"SELECT status FROM support_requests WHERE id = {sql_text(rid)}")


def own_code(world, s):
    """The session person's current code, valid if the endpoint lets them use it."""
    if not (s.me and s.me.totp_key):
        return "000000"
    fresh_codes(world, s.me)
    return totp_now(s.me.totp_key)


def p_support_queue(world, s):
    rid, _, _ = file_request(world)
    res = s.client.call(world.a, "support_queue", status="new")
    return res, res.status_code == 200 and rid in [r["id"] for r in res.json()]


def p_support_request(world, s):
    rid, _, _ = file_request(world)
    res = s.client.call(world.a, "support_request", id=rid)
    return res, res.status_code == 200 and res.json()["target_email"] == world.victim.email


def p_support_approve(world, s):
    # A throwaway owner asks for their own reset: approving it removes their authenticator.
    owner = sign_up(world.cluster, f"reset.{secrets.token_hex(3)}@acme.test")
    rid, _, _ = file_request(world, owner_self=owner)
    res = s.client.call(world.a, "support_approve", id=rid, code=own_code(world, s))
    gone = world.db.count(f"SELECT count(*) FROM users WHERE email = {sql_text(owner.email)} "
                          "AND totp_secret IS NULL") == 1
    return res, request_status(world, rid) == "approved" and gone


def p_support_reject(world, s):
    rid, _, _ = file_request(world)
    res = s.client.call(world.a, "support_reject", id=rid, reason="The requester is not an owner.")
    return res, request_status(world, rid) == "rejected"


def p_support_documents(world, s):
    rid, did, pdf = file_request(world)
    res = s.client.http.get(f"{world.a.url}/support/documents/{rid}/{did}", timeout=30)
    served = (res.status_code == 200 and res.content == pdf
              and res.headers["content-type"] == "application/pdf"
              and res.headers["x-content-type-options"] == "nosniff"
              and "sandbox" in res.headers["content-security-policy"])
    return res, served


def p_set_language(world, s):
    # Only ever the signed-in person's own choice; put back afterwards (pages and mails of the
    # other cells stay in English).
    res = s.client.call(world.a, "set_language", language="de")
    chosen = world.db.value("SELECT email FROM users WHERE language = 'de'")
    world.db.execute("UPDATE users SET language = NULL")
    for cookie in [c for c in s.client.http.cookies if c.name == "gatehouse-language"]:
        s.client.http.cookies.clear(cookie.domain, cookie.path, cookie.name)
    return res, chosen is not None and s.me is not None and chosen == s.me.email


def p_my_language(world, s):
    world.db.execute(f"UPDATE users SET language = 'de' WHERE email = {sql_text(s.target.email)}")
    try:
        res = s.client.call(world.a, "my_language")
    finally:
        world.db.execute("UPDATE users SET language = NULL")
    mine = s.me is not None and s.me.email == s.target.email
    return res, res.status_code == 200 and res.json() == ("de" if mine else None)


def p_sessions(world, s):
    res = s.client.call(world.a, "sessions")
    return res, res.status_code == 200 and [x["current"] for x in res.json()][:1] == [True]


def p_session_sign_out(world, s):
    side = passkey_session(world, s.target)
    res = s.client.call(world.a, "session_sign_out", handle=session_handle(side))
    return res, side.current_user(world.a) is None


def p_sign_out_other_sessions(world, s):
    owner = s.me if s.state == "other_user" else s.target  # whose other sessions would end
    mine = passkey_session(world, owner)
    bystander = passkey_session(world, world.other if owner is world.victim else world.victim)
    res = s.client.call(world.a, "sign_out_other_sessions")
    assert bystander.current_user(world.a) is not None, "someone else's session was ended"
    return res, mine.current_user(world.a) is None


def p_session_clock(world, s):
    res = s.client.call(world.a, "session_clock")
    return res, res.status_code == 200 and res.json() is not None and res.json()["ends_in_secs"] > 0


def p_stay_signed_in(world, s):
    res = s.client.call(world.a, "stay_signed_in")
    return res, res.status_code == 200 and res.json() is not None and res.json()["ends_in_secs"] >= 1790


def p_security_events(world, s):
    res = s.client.call(world.a, "security_events")
    # Everyone in the world signed in at least once; nobody sees another person's sign-ins.
    return res, res.status_code == 200 and any(e["what"].startswith("Signed in") for e in res.json())


def recovery_codes_left(world, person):
    return world.db.count("SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id "
                          f"WHERE u.email = {sql_text(person.email)} AND r.used_at IS NULL")


def new_recovery_codes(world, person):
    """A new set for the person, made in a side session of theirs with their current code;
    the codes."""
    side = passkey_session(world, person)
    fresh_codes(world, person)
    expect(side.call(world.a, "regenerate_recovery_codes", code=totp_now(person.totp_key)), 200)
    return expect(side.call(world.a, "fresh_recovery_codes"), 200).json()


def p_use_recovery_code(world, s):
    victim = world.victim
    code = new_recovery_codes(world, victim)[0]
    before, was = recovery_codes_left(world, victim), me(world, s)
    res = s.client.call(world.a, "use_recovery_code", recovery_code=code)
    became = me(world, s) == victim.email and was != victim.email
    return res, recovery_codes_left(world, victim) < before or became


def p_recovery_codes_left(world, s):
    res = s.client.call(world.a, "recovery_codes_left")
    return res, res.status_code == 200 and s.me is not None and res.json() == recovery_codes_left(world, s.me)


def regenerate_with(world, s, proof):
    """Asks for a new set with `proof` (the victim's): whether anyone's codes changed."""
    people = [p for p in (s.me, world.victim) if p]
    digests = "SELECT digest FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = {} ORDER BY r.digest"
    before = {p.email: world.db.value(digests.format(sql_text(p.email))) for p in people}
    res = proof()
    after = {p.email: world.db.value(digests.format(sql_text(p.email))) for p in people}
    return res, any(before[p.email] != after[p.email] for p in people)


def p_regenerate_recovery_codes(world, s):
    fresh_codes(world, world.victim)
    code = totp_now(world.victim.totp_key)
    return regenerate_with(world, s, lambda: s.client.call(world.a, "regenerate_recovery_codes", code=code))


def p_fresh_recovery_codes(world, s):
    # A set waits in the victim's side session; no other session may read it.
    side = passkey_session(world, world.victim)
    fresh_codes(world, world.victim)
    expect(side.call(world.a, "regenerate_recovery_codes", code=totp_now(world.victim.totp_key)), 200)
    res = s.client.call(world.a, "fresh_recovery_codes")
    shown = res.json() if res.status_code == 200 else None
    waiting = expect(side.call(world.a, "fresh_recovery_codes"), 200).json()
    assert waiting and not (shown and set(shown) & set(waiting)), "another session's codes were shown"
    return res, res.status_code == 200 and shown is None


def replacement_of(world, person):
    """The key of the enrolment waiting for the person (setup or replacement), or None."""
    return world.db.value("SELECT e.sign_in_id FROM totp_enrolments e JOIN users u ON u.id = e.user_id "
                          f"WHERE u.email = {sql_text(person.email)}")


def side_replacement(world):
    """A replacement of the victim's authenticator, started in a side session of theirs: the
    session, and the new secret's key."""
    victim = world.victim
    fresh_codes(world, victim)
    side = passkey_session(world, victim)
    expect(side.call(world.a, "replace_authenticator_start", code=totp_now(victim.totp_key)), 200)
    return side, expect(side.call(world.a, "replacement_details"), 200).json()["key_grouped"]


def p_authenticator(world, s):
    res = s.client.call(world.a, "authenticator")
    return res, res.status_code == 200 and s.me is not None and bool((res.json() or {}).get("set_up_at"))


def p_replace_authenticator_start(world, s):
    victim = world.victim
    fresh_codes(world, victim)
    before = replacement_of(world, victim)
    res = s.client.call(world.a, "replace_authenticator_start", code=totp_now(victim.totp_key))
    shown = s.client.call(world.a, "replacement_details")
    started = shown.status_code == 200 and shown.json() is not None
    return res, started or replacement_of(world, victim) != before or code_used(world, victim)


def p_replace_authenticator_with_recovery_code(world, s):
    victim = world.victim
    code = new_recovery_codes(world, victim)[0]
    before, left = replacement_of(world, victim), recovery_codes_left(world, victim)
    res = s.client.call(world.a, "replace_authenticator_with_recovery_code", recovery_code=code)
    shown = s.client.call(world.a, "replacement_details")
    started = shown.status_code == 200 and shown.json() is not None
    return res, started or replacement_of(world, victim) != before or recovery_codes_left(world, victim) < left


def p_replacement_details(world, s):
    # A new secret waits in the victim's side session; no other session may see it.
    side, waiting = side_replacement(world)
    res = s.client.call(world.a, "replacement_details")
    shown = res.json() if res.status_code == 200 else None
    assert not (shown and shown["key_grouped"] == waiting), "another session's new secret was shown"
    assert expect(side.call(world.a, "replacement_details"), 200).json()["key_grouped"] == waiting
    return res, res.status_code == 200 and shown is None


def p_replace_authenticator_confirm(world, s):
    # With a code from the new secret of the victim's side session: only that session may
    # confirm it, and the victim's authenticator stays as it was.
    side, key = side_replacement(world)
    before = authenticator_of(world, world.victim)
    res = s.client.call(world.a, "replace_authenticator_confirm", code=totp_now(key))
    assert expect(side.call(world.a, "replacement_details"), 200).json()["key_grouped"] == key
    return res, authenticator_of(world, world.victim) != before


def password_hash_of(world, person):
    return world.db.value(f"SELECT password_hash FROM users WHERE email = {sql_text(person.email)}")


def p_change_password(world, s):
    # Everyone here has the same password: only the code tells the victim from the others.
    people = [p for p in (s.me, world.victim) if p]
    fresh_codes(world, world.victim)
    before = {p.email: password_hash_of(world, p) for p in people}
    new = "copper violin estuary thimble"
    res = s.client.call(world.a, "change_password", current_password=PASSWORD, password=new, confirmation=new,
                        code=totp_now(world.victim.totp_key))
    changed = [p for p in people if password_hash_of(world, p) != before[p.email]]
    for p in changed:  # the cells after sign in with the old password
        world.db.execute(f"UPDATE users SET password_hash = {sql_text(before[p.email])} "
                         f"WHERE email = {sql_text(p.email)}")
    return res, bool(changed)


def resets_of(world, person):
    return world.db.count("SELECT count(*) FROM password_resets r JOIN users u ON u.id = r.user_id "
                          f"WHERE u.email = {sql_text(person.email)}")


def p_request_password_reset(world, s):
    # Public: a link for the address typed, whoever asks; the answer is the same for anyone.
    victim = world.victim
    forget_reset_links(world.db, victim.email)
    res = s.client.call(world.a, "request_password_reset", email=victim.email)
    deadline = time.monotonic() + 10  # stored a moment after the answer
    while resets_of(world, victim) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    return res, resets_of(world, victim) == 1


def p_password_reset_info(world, s):
    res = s.client.call(world.a, "password_reset_info", token=reset_link_token(world.cluster, world.victim.email))
    return res, res.status_code == 200 and res.json() == world.victim.email


def p_reset_password(world, s):
    # The token is the credential, in any state: the session is then at the victim's code step,
    # the new password kept for it, set only once the code is right.
    victim = world.victim
    token = reset_link_token(world.cluster, victim.email)
    before = password_hash_of(world, victim)
    new = "copper violin estuary thimble"
    res = s.client.call(world.a, "reset_password", token=token, password=new, confirmation=new)
    kept = world.db.count("SELECT count(*) FROM password_resets r JOIN users u ON u.id = r.user_id "
                          f"WHERE u.email = {sql_text(victim.email)} AND r.new_hash IS NOT NULL") == 1
    assert password_hash_of(world, victim) == before, "set before the code step"
    at_code_step = res.headers.get("location") == "/Account/Login?step=code&password=reset"
    return res, kept and at_code_step and me(world, s) is None


# ---- Gatehouse as an OpenID Provider -----------------------------------------------------

def discovered(world):
    return requests.get(f"{world.a.url}/.well-known/openid-configuration", timeout=30).json()


def issued_code(res):
    """The code an authorization answer carries to the application, if it went there."""
    location = urlparse(res.headers.get("location", ""))
    if f"{location.scheme}://{location.netloc}{location.path}" != CALLBACK:
        return None
    return answer(location).get("code")


def sent_to_login(res):
    return res.status_code in (302, 303) and res.headers.get("location", "").startswith("/Account/Login")


def code_for(world, rp, code):
    """Whose the code is: the email of the person its ID token names."""
    claims = rp.verified_claims(rp.token(code, server=world.a)["id_token"])
    return claims["email"]


def p_oidc_discovery(world, s):
    res = s.client.http.get(f"{world.a.url}/.well-known/openid-configuration", timeout=30)
    return res, res.json()["issuer"] == world.cluster.public_url


def p_oidc_jwks(world, s):
    res = s.client.http.get(f"{world.a.url}/oidc/jwks", timeout=30)
    return res, len(res.json()["keys"]) >= 2


def p_oidc_authorize(world, s):
    # Straight back with a code for whoever is signed in here; anyone else signs in first.
    rp = RelyingParty(world.cluster, discovered(world))
    res = s.client.http.get(rp.authorization_url(), allow_redirects=False, timeout=30)
    code = issued_code(res)
    if code is None:
        return res, False
    return res, code_for(world, rp, code) == s.me.email


def p_oidc_authorize_continue(world, s):
    # The request was made (and kept) while this browser was signed out; it goes on from here.
    rp = RelyingParty(world.cluster, discovered(world))
    signed_out = Client(world.cluster)
    kept = signed_out.http.get(rp.authorization_url(), allow_redirects=False, timeout=30)
    assert sent_to_login(kept), kept.headers
    for cookie in signed_out.http.cookies:
        s.client.http.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path)
    res = s.client.http.get(f"{world.a.url}/oidc/authorize/continue", allow_redirects=False, timeout=30)
    code = issued_code(res)
    if code is None:
        return res, False
    return res, code_for(world, rp, code) == s.me.email


def victims_tokens(world):
    """A relying party with a code for the victim, from a browser of the victim's (a new one:
    other cells end the victim's sessions)."""
    rp = RelyingParty(world.cluster, discovered(world))
    res = passkey_session(world, world.victim).http.get(rp.authorization_url(), allow_redirects=False, timeout=30)
    return rp, issued_code(res)


def p_oidc_token(world, s):
    rp, code = victims_tokens(world)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
            "code_verifier": rp.verifier}
    res = s.client.http.post(f"{world.a.url}/oidc/token", data=data, auth=CONFIDENTIAL, timeout=30)
    return res, res.status_code == 200 and rp.verified_claims(res.json()["id_token"])["email"] == world.victim.email


def userinfo_probe(world, s, method):
    rp, code = victims_tokens(world)
    token = rp.token(code, server=world.a)["access_token"]
    res = s.client.http.request(method, f"{world.a.url}/oidc/userinfo", headers={"Authorization": f"Bearer {token}"},
                                timeout=30)
    return res, res.status_code == 200 and res.json()["email"] == world.victim.email


def p_oidc_userinfo(world, s):
    return userinfo_probe(world, s, "GET")


def p_oidc_userinfo_post(world, s):
    return userinfo_probe(world, s, "POST")


def p_oidc_logout(world, s):
    # The victim's application logs the victim out: the session here ends if it is the
    # victim's, and anyone else's stays as it was; the browser goes to the registered address.
    rp, code = victims_tokens(world)
    id_token = rp.token(code, server=world.a)["id_token"]
    before = me(world, s)
    res = s.client.http.get(f"{world.a.url}/oidc/logout", allow_redirects=False, timeout=30, params={
        "id_token_hint": id_token, "post_logout_redirect_uri": SIGNED_OUT, "state": "bye"})
    went = res.headers.get("location") == f"{SIGNED_OUT}?state=bye"
    return res, went and me(world, s) == (None if before == world.victim.email else before)


def p_confirm_for_application(world, s):
    # The session's own person confirms it is them (an application asked for a fresh sign-in).
    who = s.me if s.me and s.me.totp_key else s.target
    fresh_codes(world, who)
    res = s.client.call(world.a, "confirm_for_application", code=totp_now(who.totp_key))
    return res, code_used(world, who) and recent_now(world, s)


PROBES = {name[2:]: probe for name, probe in globals().items() if name.startswith("p_")}


# ---- the cells ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gatehouse_toml(provider):  # noqa: F811 (the fixture imported from test_sso)
    return sso_toml(provider) + CLIENTS_TOML


@pytest.fixture(scope="module")
def world(cluster, provider):  # noqa: F811 (the fixture imported from test_sso)
    tag = secrets.token_hex(3)
    people = [sign_up(cluster, f"{who}.{tag}@acme.test") for who in ("victim", "other")]
    people.append(sign_up(cluster, f"agent.{tag}@support.test", agent=True))
    w = World(cluster, provider, *people)
    for p in people:
        w.passkeys[p.email] = expect(add_passkey(p, cluster.a, cluster.a, name="Main"), 200).json()["id"]
    return w


def judge(expected, res, effect):
    body = res.text[:300]
    if expected == "ok":
        assert res.status_code in (200, 302, 303), f"{res.status_code} {body}"
        assert effect, f"answered {res.status_code} but did nothing: {body}"
    elif expected == "nobody":
        assert res.status_code == 200 and res.json() is None, f"{res.status_code} {body}"
    elif expected == "login":
        assert sent_to_login(res), f"{res.status_code} {res.headers}"
        assert not effect
    elif expected == "refused":
        assert res.status_code in (302, 303) and "sso=" in res.headers.get("location", ""), res.headers
        assert not effect
    else:
        assert res.status_code == int(expected), f"expected {expected}, got {res.status_code} {body}"
        assert not effect, f"refused with {expected}, yet it took effect: {body}"


def test_every_row_has_a_probe():
    assert set(MATRIX) == set(PROBES), set(MATRIX) ^ set(PROBES)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_cell(world, endpoint, state):
    s = enter(world, state)
    res, effect = PROBES[endpoint](world, s)
    judge(MATRIX[endpoint][state], res, effect)
