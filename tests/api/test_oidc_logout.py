"""Back-channel logout (OpenID Connect Back-Channel Logout 1.0) over HTTP, on two processes
sharing one database: an application that received tokens from a Gatehouse session gets one
signed logout token, exactly once, whichever way the session ends, and can check it against
the published keys (joserfc). An application that is down is tried again."""

import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests
from joserfc import jws, jwt
from joserfc.jwk import KeySet

from conftest import (PASSWORD, Client, account_of, add_member, expect, free_port, join, next_code, post_support,
                      reset_link_token, sign_up, sql_text, support_form, totp_now)
from test_oidc import CLIENTS_TOML, RelyingParty, answer, follow

EVENT = "http://schemas.openid.net/event/backchannel-logout"
APP = ("logout-app", "logout-app-secret-0123456789")
APP_CALLBACK = "https://logout-app.example.test/callback"


class Receiver:
    """The application's back-channel logout endpoint: records every token posted to it, and
    answers 503 while `down`."""

    def __init__(self):
        self.tokens, self.down = [], False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                receiver.tokens.append((self.headers.get("Content-Type"), parse_qs(body).get("logout_token", [""])[0]))
                self.send_response(503 if receiver.down else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def for_sid(self, sid):
        return [token for _, token in self.tokens if sid in token_sids(token)]


_claims_cache = {}


def token_sids(token):
    if token not in _claims_cache:
        import base64
        import json
        payload = token.split(".")[1]
        _claims_cache[token] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return [_claims_cache[token].get("sid")]


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture(scope="module")
def gatehouse_toml(receiver):
    return CLIENTS_TOML + f"""
[[client]]
id = "{APP[0]}"
name = "Logout App"
secret = "{APP[1]}"
redirect_uris = ["{APP_CALLBACK}"]
backchannel_logout_uri = "http://127.0.0.1:{receiver.port}/backchannel-logout"
"""


@pytest.fixture(scope="module")
def discovery(cluster):
    return expect(requests.get(f"{cluster.a.url}/.well-known/openid-configuration", timeout=10), 200).json()


def signed_in_to_app(cluster, discovery, person, client=None):
    """The application signs the person in through their Gatehouse session: the ID token's claims."""
    rp = RelyingParty(cluster, discovery, client_id=APP[0], secret=APP[1], redirect=APP_CALLBACK)
    back = follow(client or person.client, rp.authorization_url())
    return rp.verified_claims(rp.token(answer(back)["code"])["id_token"])


def logout_for(cluster, receiver, sid, timeout=30):
    """The one logout token the application got for `sid`, checked as the spec says; waits a
    moment more to make sure no second one comes."""
    deadline = time.monotonic() + timeout
    while not receiver.for_sid(sid) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # both processes look every 2 s: a duplicate would have come by now
    tokens = receiver.for_sid(sid)
    assert len(tokens) == 1, f"{len(tokens)} logout tokens for {sid}"
    keys = KeySet.import_key_set(requests.get(f"{cluster.b.url}/oidc/jwks", timeout=10).json())
    token = jwt.decode(tokens[0], keys, algorithms=["RS256"])
    assert token.header["typ"] == "logout+jwt"
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": cluster.public_url},
                          aud={"essential": True, "value": APP[0]}, iat={"essential": True},
                          jti={"essential": True}).validate(token.claims)
    assert token.claims["events"] == {EVENT: {}} and "nonce" not in token.claims
    return token.claims


def expect_logged_out(cluster, receiver, claims):
    got = logout_for(cluster, receiver, claims["sid"])
    assert (got["sid"], got["sub"]) == (claims["sid"], claims["sub"])


@pytest.fixture
def person(cluster):
    return sign_up(cluster, f"bcl.{secrets.token_hex(4)}@acme.test")


def test_log_out_sends_one_signed_logout_token(cluster, discovery, receiver, person):
    claims = signed_in_to_app(cluster, discovery, person)
    expect(person.client.call(cluster.a, "log_out"), 200)
    expect_logged_out(cluster, receiver, claims)
    assert all(kind == "application/x-www-form-urlencoded" for kind, _ in receiver.tokens)


def test_signing_out_a_session_from_the_sessions_page(cluster, discovery, receiver, person):
    laptop = Client(cluster)
    expect(laptop.call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)
    expect(laptop.call(cluster.a, "verify_code", code=next_code(person)), 200)
    claims = signed_in_to_app(cluster, discovery, person, client=laptop)
    listed = expect(person.client.call(cluster.b, "sessions"), 200).json()
    other = next(s for s in listed if not s["current"])
    expect(person.client.call(cluster.b, "session_sign_out", handle=other["handle"]), 200)
    expect_logged_out(cluster, receiver, claims)


def test_a_password_change_logs_out_the_other_sessions_applications(cluster, discovery, receiver, person):
    phone = Client(cluster)
    expect(phone.call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)
    expect(phone.call(cluster.a, "verify_code", code=next_code(person)), 200)
    on_phone = signed_in_to_app(cluster, discovery, person, client=phone)
    here = signed_in_to_app(cluster, discovery, person)
    new = "tangerine lighthouse cobalt ferry"
    expect(person.client.call(cluster.a, "change_password", current_password=PASSWORD, password=new, confirmation=new,
                                    code=next_code(person)), 200)
    expect_logged_out(cluster, receiver, on_phone)
    assert receiver.for_sid(here["sid"]) == [], "the session that changed it stays signed in"


def test_a_password_reset_by_mail_logs_out_every_session_once_it_takes_effect(cluster, discovery, receiver, person):
    claims = signed_in_to_app(cluster, discovery, person)
    token = reset_link_token(cluster, person.email)
    browser = Client(cluster)
    new = "copper violin estuary thimble"
    expect(browser.call(cluster.b, "reset_password", token=token, password=new, confirmation=new), 200)
    # The new password takes effect with the code step, and only then are sessions ended.
    time.sleep(2.5)
    assert receiver.for_sid(claims["sid"]) == [], "nothing is ended by a mailbox alone"
    expect(browser.call(cluster.a, "verify_code", code=next_code(person)), 200)
    expect_logged_out(cluster, receiver, claims)


def test_a_2fa_reset_by_support_logs_the_person_out_everywhere(cluster, discovery, receiver):
    tag = secrets.token_hex(3)
    owner = sign_up(cluster, f"owner.{tag}@acme.test")
    user = join(cluster, f"user.{tag}@acme.test", add_member(cluster, owner.email, f"user.{tag}@acme.test"))
    agent = sign_up(cluster, f"agent.{tag}@support.test", agent=True)
    claims = signed_in_to_app(cluster, discovery, user)
    form = support_form(requester_email=owner.email, account_name=account_of(cluster, owner.email),
                        target_email=user.email)
    filed = expect(post_support(cluster, form, client=owner.client), 200).json()
    rid = cluster.database.value(f"SELECT id FROM support_requests WHERE reference = {sql_text(filed['reference'])}")
    cluster.database.execute(f"UPDATE users SET totp_last_step = 0 WHERE email = {sql_text(agent.email)}")
    expect(agent.client.call(cluster.a, "support_approve", id=rid, code=totp_now(agent.totp_key)), 200)
    expect_logged_out(cluster, receiver, claims)


def test_removal_from_the_account_logs_the_person_out(cluster, discovery, receiver):
    tag = secrets.token_hex(3)
    owner = sign_up(cluster, f"owner.{tag}@acme.test")
    user = join(cluster, f"user.{tag}@acme.test", add_member(cluster, owner.email, f"user.{tag}@acme.test"))
    claims = signed_in_to_app(cluster, discovery, user)
    expect(owner.client.call(cluster.a, "remove_user", email=user.email), 200)
    expect_logged_out(cluster, receiver, claims)


def test_an_idle_session_logs_out_within_seconds(cluster, discovery, receiver, person):
    claims = signed_in_to_app(cluster, discovery, person)
    sid = sql_text(claims["sid"])
    assert cluster.database.execute(f"UPDATE sessions SET expires_at = 1 WHERE sid = {sid}") == 1
    expect_logged_out(cluster, receiver, claims)


def test_an_application_that_is_down_is_tried_again(cluster, discovery, receiver, person):
    claims = signed_in_to_app(cluster, discovery, person)
    receiver.down = True
    try:
        expect(person.client.call(cluster.a, "log_out"), 200)
        deadline = time.monotonic() + 15
        while not receiver.for_sid(claims["sid"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(receiver.for_sid(claims["sid"])) == 1, "refused once"
        row = f"SELECT attempts FROM oidc_logouts WHERE sid = {sql_text(claims['sid'])}"
        assert cluster.database.value(row) == "1"
    finally:
        receiver.down = False
    # Due again now (rather than in 10 s): the next look sends it, and it is then gone.
    cluster.database.execute(f"UPDATE oidc_logouts SET next_attempt_at = 0 WHERE sid = {sql_text(claims['sid'])}")
    deadline = time.monotonic() + 15
    while len(receiver.for_sid(claims["sid"])) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(receiver.for_sid(claims["sid"])) == 2
    time.sleep(1)
    assert cluster.database.count(f"SELECT count(*) FROM oidc_logouts WHERE sid = {sql_text(claims['sid'])}") == 0


def test_the_sessions_page_names_the_applications_a_session_signed_in_to(cluster, discovery, person):
    signed_in_to_app(cluster, discovery, person)
    mine = next(s for s in expect(person.client.call(cluster.a, "sessions"), 200).json() if s["current"])
    assert mine["applications"] == ["Logout App"]
