"""Single sign-on over HTTP against a provider that can lie (`fakeoidc.py`), on two processes
sharing one database: start on one, callback on the other. Every way an answer can be wrong is
refused with a fixed reason in the redirect, an `sso.refused` audit entry, and no session."""

import secrets
import time
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from conftest import PASSWORD, Client, expect, next_code, setup_link_token, sign_up, sql_text, totp_now
from fakeoidc import CLIENT_ID, CLIENT_SECRET, FakeProvider, Key, unsigned


@pytest.fixture(scope="module")
def provider():
    p = FakeProvider()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def gatehouse_toml(provider):
    return sso_toml(provider)


def sso_toml(provider):
    """The `[[sso]]` tables for the fake provider, and one whose provider is down."""
    return f"""
[[sso]]
id = "fake"
name = "Fake ID"
issuer = "{provider.issuer}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"

[[sso]]
id = "down"
name = "Down ID"
issuer = "http://127.0.0.1:9"
client_id = "x"
client_secret = "y"
"""


class Flow:
    """One browser's trip to the provider: what Gatehouse put in the authorization URL."""

    def __init__(self, client, location):
        self.client = client
        self.url = urlparse(location)
        self.params = {k: v[0] for k, v in parse_qs(self.url.query).items()}
        self.state, self.nonce = self.params["state"], self.params["nonce"]
        self.challenge = self.params["code_challenge"]


def start(client, server, provider_id="fake", **carried):
    """Starts a sign-in at the provider, carrying what the page would (`setup=`, `invitation=`)."""
    res = client.http.get(f"{server.url}/auth/sso/{provider_id}/start", params=carried, allow_redirects=False,
                          timeout=30)
    assert res.status_code in (302, 303, 307), res.text
    return Flow(client, res.headers["location"])


def callback(flow, server, **params):
    res = flow.client.http.get(f"{server.url}/auth/sso/fake/callback", params=params, allow_redirects=False,
                               timeout=30)
    assert res.status_code in (302, 303, 307), f"{res.status_code} {res.text[:300]}"
    return res.headers["location"]


def good_answer(provider, flow, email, subject=None, verified=True):
    token = provider.key.sign(provider.claims(flow.nonce, sub=subject or f"sub-{email}"))
    return provider.answer(flow.challenge, token, {"sub": subject or f"sub-{email}", "email": email,
                                                   "email_verified": verified})


def refusals(cluster, text):
    return cluster.database.count(
        f"SELECT count(*) FROM audit_log WHERE kind = 'sso.refused' AND detail LIKE {sql_text('%' + text + '%')}")


def assert_refused(cluster, client, location, code):
    """Back on the login page with that reason, and nothing half-done: not signed in, and no
    second step waiting (neither a code nor an authenticator setup)."""
    assert location == f"/Account/Login?sso={code}&provider=fake", location
    assert client.current_user(cluster.a) is None
    assert expect(client.call(cluster.b, "setup_info"), 401).json() == "SignInExpired"
    assert expect(client.call(cluster.a, "verify_code", code="123456"), 401).json() == "SignInExpired"


@pytest.fixture(autouse=True)
def forget_refusals(cluster):
    """Every request here comes from 127.0.0.1, and refused callbacks are audited 30 times per
    address before waits begin: each test starts with that count at zero."""
    cluster.database.execute("DELETE FROM throttle WHERE key LIKE 'sso-refused:%'")


@pytest.fixture
def owner(cluster):
    return sign_up(cluster, f"sso.{secrets.token_hex(4)}@acme.test")


def test_authorization_request_asks_for_code_with_pkce_state_and_nonce(cluster, provider):
    flow = start(Client(cluster), cluster.a)
    assert f"{flow.url.scheme}://{flow.url.netloc}{flow.url.path}" == f"{provider.issuer}/authorize"
    p = flow.params
    assert p["response_type"] == "code" and p["client_id"] == CLIENT_ID
    assert p["redirect_uri"] == f"{cluster.public_url}/auth/sso/fake/callback"
    assert set(p["scope"].split()) == {"openid", "email"}
    assert p["code_challenge_method"] == "S256" and len(p["code_challenge"]) == 43
    assert len(flow.state) >= 22 and len(flow.nonce) >= 22
    assert start(Client(cluster), cluster.a).state != flow.state


def test_sso_leads_to_the_code_step_on_the_other_process_and_links(cluster, provider, owner):
    # In a browser that already has a session (here: the owner's own), so that the callback's
    # change of session id shows (a session planted before cannot be carried past SSO).
    client = owner.client
    before = client.http.cookies.get("gatehouse")
    flow = start(client, cluster.a)
    assert client.http.cookies.get("gatehouse-sso") == flow.state, "the browser remembers its flow"
    code = good_answer(provider, flow, owner.email, subject="stable-subject-1")
    assert callback(flow, cluster.b, code=code, state=flow.state) == "/Account/Login?step=code"
    assert client.http.cookies.get("gatehouse") not in (None, before), "a new session id after the provider"
    assert client.http.cookies.get("gatehouse-sso") is None, "the flow cookie is cleared"
    sent = provider.token_requests[-1]
    assert sent["grant_type"] == "authorization_code" and sent["code"] == code
    assert sent["redirect_uri"] == f"{cluster.public_url}/auth/sso/fake/callback"
    # Not signed in yet: the code is still owed. The pending person is the owner: their
    # just-used code is refused as used (another person's would be "not correct").
    assert client.current_user(cluster.a) is None
    used = pyotp.TOTP(owner.totp_key.replace(" ", "")).at(owner.totp_used_at)
    res = expect(client.call(cluster.b, "verify_code", code=used), 400)
    assert "already used" in res.text
    assert client.current_user(cluster.b) is None
    assert cluster.database.count(
        f"SELECT count(*) FROM audit_log WHERE kind = 'sso.linked' AND detail LIKE '%stable-subject-1%'") == 1

    # Linked: next time the subject alone says who it is, whatever email the provider sends.
    again = Client(cluster)
    flow = start(again, cluster.b)
    token = provider.key.sign(provider.claims(flow.nonce, sub="stable-subject-1"))
    code = provider.answer(flow.challenge, token, {"sub": "stable-subject-1", "email": "renamed@elsewhere.test",
                                                   "email_verified": True})
    assert callback(flow, cluster.a, code=code, state=flow.state) == "/Account/Login?step=code"


def test_after_a_provider_only_the_code_lets_in_and_setup_is_refused(cluster, provider, owner):
    # The attack of issue 10 through SSO: whoever controls the provider gets past the first
    # step, then asks for a new authenticator. Refused; the owner's own stays and works.
    column = "hex(totp_secret)" if cluster.database.kind == "sqlite" else "encode(totp_secret, 'hex')"
    stored = lambda: cluster.database.value(f"SELECT {column} FROM users WHERE email = {sql_text(owner.email)}")  # noqa: E731
    before = stored()
    attacker = Client(cluster)
    flow = start(attacker, cluster.a)
    code = good_answer(provider, flow, owner.email, subject=f"attack-{owner.email}")
    assert callback(flow, cluster.b, code=code, state=flow.state) == "/Account/Login?step=code"
    assert "already has an authenticator" in expect(attacker.call(cluster.a, "setup_info"), 403).json()["WrongStep"]
    expect(attacker.call(cluster.b, "confirm_setup", code=pyotp.TOTP(pyotp.random_base32()).now()), 403)
    assert attacker.current_user(cluster.a) is None and stored() == before
    expect(attacker.call(cluster.a, "verify_code", code=next_code(owner)), 200)
    assert attacker.current_user(cluster.b)["email"] == owner.email, "the owner's code, and only that, signs in"


def test_userinfo_about_another_subject_is_refused(cluster, provider, owner):
    client = Client(cluster)
    flow = start(client, cluster.a)
    token = provider.key.sign(provider.claims(flow.nonce, sub="the-token-subject"))
    code = provider.answer(flow.challenge, token, {"sub": "someone-else", "email": owner.email,
                                                   "email_verified": True})
    assert_refused(cluster, client, callback(flow, cluster.b, code=code, state=flow.state), "bad-answer")
    assert refusals(cluster, "userinfo") == 1


def test_email_in_the_id_token_needs_no_userinfo(cluster, provider, owner):
    flow = start(Client(cluster), cluster.a)
    token = provider.key.sign(provider.claims(flow.nonce, sub=f"t-{owner.email}", email=owner.email,
                                              email_verified=True))
    code = provider.answer(flow.challenge, token)  # userinfo would answer nothing useful
    assert callback(flow, cluster.a, code=code, state=flow.state) == "/Account/Login?step=code"


BAD_TOKENS = {
    "forged signature": lambda p, f: p.forge(p.claims(f.nonce)),
    "another audience": lambda p, f: p.key.sign(p.claims(f.nonce, aud="someone-else")),
    "another issuer": lambda p, f: p.key.sign(p.claims(f.nonce, iss="http://evil.test")),
    "wrong nonce": lambda p, f: p.key.sign(p.claims("not-the-nonce")),
    "no nonce": lambda p, f: p.key.sign(p.claims(f.nonce, nonce=None)),
    "expired": lambda p, f: p.key.sign(p.claims(f.nonce, iat=int(time.time()) - 900, exp=int(time.time()) - 600)),
    "unsigned (alg none)": lambda p, f: unsigned(p.claims(f.nonce)),
}


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
def test_an_id_token_that_does_not_verify_is_refused(cluster, provider, owner, kind):
    client = Client(cluster)
    flow = start(client, cluster.a)
    code = provider.answer(flow.challenge, BAD_TOKENS[kind](provider, flow),
                           {"sub": "subject-1", "email": owner.email, "email_verified": True})
    before = refusals(cluster, "id_token refused")
    assert_refused(cluster, client, callback(flow, cluster.b, code=code, state=flow.state), "bad-answer")
    assert refusals(cluster, "id_token refused") == before + 1


def test_provider_errors_and_a_failed_exchange_are_refused(cluster, provider):
    client = Client(cluster)
    flow = start(client, cluster.a)
    location = callback(flow, cluster.b, state=flow.state, error="access_denied", error_description="user said no")
    assert_refused(cluster, client, location, "denied")
    assert refusals(cluster, "provider answered access_denied (user said no)") == 1

    flow = start(client, cluster.a)
    assert_refused(cluster, client, callback(flow, cluster.a, state=flow.state, error="server_error"),
                   "provider-failed")
    flow = start(client, cluster.a)  # RFC 9207: the answer names another issuer
    code = good_answer(provider, flow, "nobody@acme.test")
    assert_refused(cluster, client, callback(flow, cluster.a, state=flow.state, code=code, iss="http://evil.test"),
                   "bad-answer")
    assert refusals(cluster, "answer from issuer http://evil.test") == 1
    flow = start(client, cluster.a)  # the right issuer named is fine (the email is unknown here)
    code = good_answer(provider, flow, "nobody@acme.test")
    assert_refused(cluster, client, callback(flow, cluster.a, state=flow.state, code=code, iss=provider.issuer),
                   "unknown")
    flow = start(client, cluster.a)  # a code the provider never issued: the exchange fails
    assert_refused(cluster, client, callback(flow, cluster.a, state=flow.state, code="made-up"), "provider-failed")
    assert refusals(cluster, "code exchange") >= 1


def test_state_must_name_an_open_flow_of_this_browser(cluster, provider, owner):
    client = Client(cluster)
    flow = start(client, cluster.a)
    code = good_answer(provider, flow, owner.email)
    for state in ["", "x" * 26, flow.state[:-1] + ("A" if flow.state[-1] != "A" else "B")]:
        assert_refused(cluster, client, callback(flow, cluster.a, code=code, state=state), "expired")
    # The genuine one still works once; replayed, it finds nothing.
    assert callback(flow, cluster.b, code=code, state=flow.state) == "/Account/Login?step=code"
    assert callback(flow, cluster.a, code=code, state=flow.state) == "/Account/Login?sso=expired&provider=fake"

    # Started by one browser, brought to another (login CSRF): refused, and used up; also when
    # that other browser has a flow of its own open.
    for victim_has_own_flow in (False, True):
        attacker = Client(cluster)
        flow = start(attacker, cluster.a)
        code = good_answer(provider, flow, owner.email)
        victim = start(Client(cluster), cluster.b) if victim_has_own_flow else Flow.__new__(Flow)
        if not victim_has_own_flow:
            victim.client = Client(cluster)
        before = refusals(cluster, "did not start it")
        assert_refused(cluster, victim.client, callback(victim, cluster.b, code=code, state=flow.state),
                       "other-browser")
        assert refusals(cluster, "did not start it") == before + 1
        assert callback(flow, cluster.a, code=code, state=flow.state) == "/Account/Login?sso=expired&provider=fake"


def test_an_expired_flow_is_refused(cluster, provider, owner):
    client = Client(cluster)
    flow = start(client, cluster.a)
    aged = cluster.database.execute(
        f"UPDATE sso_flows SET expires_at = expires_at - 601 WHERE id = {sql_text(flow.state)}")
    assert aged == 1
    code = good_answer(provider, flow, owner.email)
    assert_refused(cluster, client, callback(flow, cluster.b, code=code, state=flow.state), "expired")


def test_unverified_missing_and_unknown_emails_are_refused_and_nothing_is_made(cluster, provider, owner):
    cases = [
        ({"email": owner.email, "email_verified": False}, "unverified"),
        ({}, "unverified"),
        ({"email": f"stranger.{secrets.token_hex(3)}@acme.test", "email_verified": True}, "unknown"),
    ]
    users_before = cluster.database.count("SELECT count(*) FROM users")
    for info, code_name in cases:
        client = Client(cluster)
        flow = start(client, cluster.a)
        subject = f"s-{secrets.token_hex(4)}"
        code = provider.answer(flow.challenge, provider.key.sign(provider.claims(flow.nonce, sub=subject)),
                               {"sub": subject, **info})
        assert_refused(cluster, client, callback(flow, cluster.b, code=code, state=flow.state), code_name)
    assert cluster.database.count("SELECT count(*) FROM users") == users_before
    assert cluster.database.count(f"SELECT count(*) FROM sso_identities WHERE user_id = "
                                  f"(SELECT id FROM users WHERE email = {sql_text(owner.email)})") == 0


def test_unknown_and_disabled_providers_are_unavailable(cluster):
    client = Client(cluster)
    for provider_id in ["nope", "down"]:
        res = client.http.get(f"{cluster.a.url}/auth/sso/{provider_id}/start", allow_redirects=False)
        assert res.headers["location"] == f"/Account/Login?sso=unavailable&provider={provider_id}"
    assert "sso provider down disabled" in cluster.a.log_tail()
    buttons = expect(client.call(cluster.a, "sso_buttons"), 200).json()
    assert buttons == [{"id": "fake", "name": "Fake ID"}]


def test_invited_person_accepts_through_sso_from_the_invitation_and_sets_up_2fa(cluster, provider):
    email = f"invited.{secrets.token_hex(4)}@acme.test"
    link = cluster.admin("create-account", "--name", f"Sso {secrets.token_hex(3)}", "--owner-email", email)[-1]
    token = parse_qs(urlparse(link).query)["token"][0]
    # From the login page, finding the invitation waiting: accepted by nobody's say.
    client = Client(cluster)
    flow = start(client, cluster.a)
    code = good_answer(provider, flow, email)
    assert_refused(cluster, client, callback(flow, cluster.b, code=code, state=flow.state), "invitation-pending")
    assert cluster.database.count(f"SELECT count(*) FROM invitations WHERE used_at IS NULL AND user_id = "
                                  f"(SELECT id FROM users WHERE email = {sql_text(email)})") == 1
    # From the invitation's own page, as someone else at the provider: refused.
    flow = start(client, cluster.a, invitation=token)
    code = good_answer(provider, flow, f"other.{secrets.token_hex(3)}@acme.test", subject="someone-else")
    assert_refused(cluster, client, callback(flow, cluster.b, code=code, state=flow.state), "other-address")

    flow = start(client, cluster.a, invitation=token)
    code = good_answer(provider, flow, email)
    assert callback(flow, cluster.b, code=code, state=flow.state) == "/Account/SetupTwoFactor"
    assert client.current_user(cluster.a) is None
    setup = expect(client.call(cluster.a, "setup_info"), 200).json()
    expect(client.call(cluster.b, "confirm_setup", code=totp_now(setup["key_grouped"])), 200)
    assert client.current_user(cluster.a)["email"] == email
    assert cluster.database.count(
        "SELECT count(*) FROM audit_log WHERE kind = 'signin.succeeded' "
        "AND detail = 'with Fake ID (single sign-on) and a new authenticator' "
        f"AND user_id = (SELECT id FROM users WHERE email = {sql_text(email)})") == 1
    # The invitation was used up by signing in through the provider.
    res = expect(Client(cluster).call(cluster.a, "accept_invitation", token=token, password=PASSWORD,
                                      confirmation=PASSWORD), 400)
    assert "already accepted" in res.text


def test_another_accounts_invitation_never_takes_a_person_in_nor_blocks_their_own(cluster, provider):
    """Issue 27: any owner can invite anyone's address. That keeps the person's own company from
    inviting them no more, and their sign-in through their company's provider never accepts it."""
    tag = secrets.token_hex(3)
    email = f"kim.{tag}@othercorp.test"
    stranger = cluster.admin("create-account", "--name", f"Stranger {tag}", "--owner-email", f"s.{tag}@x.test")
    company = cluster.admin("create-account", "--name", f"Othercorp {tag}", "--owner-email", f"o.{tag}@othercorp.test")
    assert stranger and company
    theirs = parse_qs(urlparse(cluster.admin("invite", "--account", f"Stranger {tag}", "--email", email)[-1]).query)
    ours = parse_qs(urlparse(cluster.admin("invite", "--account", f"Othercorp {tag}", "--email", email)[-1]).query)
    client = Client(cluster)
    flow = start(client, cluster.a)
    code = good_answer(provider, flow, email, subject=f"kim-{tag}")
    assert_refused(cluster, client, callback(flow, cluster.b, code=code, state=flow.state), "invitation-pending")
    # She accepts her company's, from its page; the stranger's can never be accepted then.
    flow = start(client, cluster.a, invitation=ours["token"][0])
    code = good_answer(provider, flow, email, subject=f"kim-{tag}")
    assert callback(flow, cluster.b, code=code, state=flow.state) == "/Account/SetupTwoFactor"
    account = cluster.database.value("SELECT a.name FROM accounts a JOIN users u ON u.account_id = a.id "
                                     f"WHERE u.email = {sql_text(email)} AND u.joined_at IS NOT NULL")
    assert account == f"Othercorp {tag}"
    late = Client(cluster).call(cluster.a, "accept_invitation", token=theirs["token"][0], password=PASSWORD,
                                confirmation=PASSWORD)
    assert late.status_code == 400 and "already has a user in another account" in late.text


def test_rotated_provider_keys_are_fetched_again_but_not_for_every_unknown_key(cluster, provider, owner):
    provider.rotate()  # tokens now name a key id neither process has seen
    for server in (cluster.a, cluster.b):  # each process fetches the keys again on its own
        client = Client(cluster)
        flow = start(client, server)
        code = good_answer(provider, flow, owner.email)
        assert callback(flow, server, code=code, state=flow.state) == "/Account/Login?step=code"

    # Another unknown key id right after: refused without fetching again (at most once a minute).
    client = Client(cluster)
    flow = start(client, cluster.a)
    stranger = Key("never-published")
    code = provider.answer(flow.challenge, stranger.sign(provider.claims(flow.nonce)),
                           {"sub": "subject-1", "email": owner.email, "email_verified": True})
    jwks_fetches = provider.jwks_fetches
    assert_refused(cluster, client, callback(flow, cluster.a, code=code, state=flow.state), "bad-answer")
    assert provider.jwks_fetches == jwks_fetches


def test_a_flood_of_made_up_callbacks_is_audited_thirty_times_not_each_time(cluster):
    client = Client(cluster)
    before = refusals(cluster, "state names no open flow")
    for _ in range(40):
        res = client.http.get(f"{cluster.a.url}/auth/sso/fake/callback", params={"state": secrets.token_urlsafe(16),
                              "code": "x"}, allow_redirects=False, timeout=30)
        assert res.headers["location"] == "/Account/Login?sso=expired&provider=fake"
    assert refusals(cluster, "state names no open flow") == before + 30


def test_a_password_without_an_authenticator_must_set_it_up_after_the_password(cluster, provider):
    # Whoever controls a provider must not get to enrol their own authenticator for someone.
    email = f"halfway.{secrets.token_hex(4)}@acme.test"
    link = cluster.admin("create-account", "--name", f"Sso {secrets.token_hex(3)}", "--owner-email", email)[-1]
    token = parse_qs(urlparse(link).query)["token"][0]
    expect(Client(cluster).call(cluster.a, "accept_invitation", token=token, password=PASSWORD,
                                confirmation=PASSWORD), 200)
    client = Client(cluster)
    flow = start(client, cluster.a)
    code = good_answer(provider, flow, email)
    assert_refused(cluster, client, callback(flow, cluster.b, code=code, state=flow.state), "set-up-first")
    assert cluster.database.count(f"SELECT count(*) FROM sso_identities WHERE email_at_link = {sql_text(email)}") == 0


def test_after_a_reset_a_provider_alone_never_sets_up_and_the_mailed_link_does(cluster, provider):
    """Someone who signs in only through a provider, after their 2FA was reset: the provider
    alone is refused and a setup link is mailed; started from that link's page, it sets up."""
    email = f"ssoonly.{secrets.token_hex(4)}@acme.test"
    link = cluster.admin("create-account", "--name", f"Sso {secrets.token_hex(3)}", "--owner-email", email)[-1]
    client = Client(cluster)
    flow = start(client, cluster.a, invitation=parse_qs(urlparse(link).query)["token"][0])
    code = good_answer(provider, flow, email)
    assert callback(flow, cluster.b, code=code, state=flow.state) == "/Account/SetupTwoFactor"
    setup = expect(client.call(cluster.a, "setup_info"), 200).json()
    expect(client.call(cluster.b, "confirm_setup", code=totp_now(setup["key_grouped"])), 200)
    # The reset as an agent's approval makes it (the approval itself is tested elsewhere).
    person = f"(SELECT id FROM users WHERE email = {sql_text(email)})"
    cluster.database.execute("UPDATE users SET totp_secret = NULL, totp_last_step = NULL, totp_confirmed_at = NULL, "
                             f"session_generation = session_generation + 1 WHERE id = {person}")
    cluster.database.execute(f"DELETE FROM sessions WHERE user_id = {person}")

    alone = Client(cluster)
    flow = start(alone, cluster.a)
    code = good_answer(provider, flow, email)
    assert_refused(cluster, alone, callback(flow, cluster.b, code=code, state=flow.state), "setup-link-sent")
    token = setup_link_token(cluster, email, "Set up two-factor authentication")
    flow = start(alone, cluster.a, setup=token)
    code = good_answer(provider, flow, email)
    assert callback(flow, cluster.b, code=code, state=flow.state) == "/Account/SetupTwoFactor"
    # The link worked once.
    again = Client(cluster)
    flow = start(again, cluster.a, setup=token)
    code = good_answer(provider, flow, email)
    assert_refused(cluster, again, callback(flow, cluster.b, code=code, state=flow.state), "setup-link-sent")
