"""Gatehouse as an OpenID Provider, driven by a relying party nobody in this project wrote
(authlib's OAuth 2.0 client, joserfc verifying the ID token against the published keys), on
two processes sharing one database: the authorization request on one, the sign-in and the
token on the other. Then every failure the specs name, each checked for what it must not do."""

import base64
import hashlib
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from conftest import PASSWORD, Client, expect, next_code, sign_up, sql_text

CONFIDENTIAL = ("crm", "crm-secret-0123456789")
PUBLIC = "spa"
CALLBACK = "https://crm.example.test/callback"
SIGNED_OUT = "https://crm.example.test/signed-out"
SPA_CALLBACK = "http://127.0.0.1:9/spa/callback"


CLIENTS_TOML = f"""
[[client]]
id = "{CONFIDENTIAL[0]}"
name = "Acme CRM"
secret = "{CONFIDENTIAL[1]}"
redirect_uris = ["{CALLBACK}"]
post_logout_redirect_uris = ["{SIGNED_OUT}"]

[[client]]
id = "{PUBLIC}"
name = "Acme SPA"
redirect_uris = ["{SPA_CALLBACK}"]
id_token_signed_response_alg = "EdDSA"

[[client]]
id = "closed"
name = "Other tenant's app"
secret = "closed-secret-0123456789"
redirect_uris = ["{CALLBACK}"]
accounts = ["Nobody here"]
"""


@pytest.fixture(scope="module")
def gatehouse_toml():
    return CLIENTS_TOML


@pytest.fixture(scope="module")
def discovery(cluster):
    doc = expect(requests.get(f"{cluster.a.url}/.well-known/openid-configuration", timeout=10), 200).json()
    assert doc["issuer"] == cluster.public_url
    return doc


def keys(cluster, discovery):
    jwks = expect(requests.get(discovery["jwks_uri"].replace(cluster.public_url, cluster.b.url), timeout=10), 200)
    return KeySet.import_key_set(jwks.json())


def on(server, cluster, url):
    """An endpoint of the discovery document, on `server` (both answer for the public URL)."""
    return url.replace(cluster.public_url, server.url)


class RelyingParty:
    """One application's sign-in through Gatehouse, in a person's browser (their Client)."""

    def __init__(self, cluster, discovery, client_id=CONFIDENTIAL[0], secret=CONFIDENTIAL[1], redirect=CALLBACK,
                 auth_method="client_secret_basic"):
        self.cluster, self.discovery = cluster, discovery
        self.client_id, self.redirect = client_id, redirect
        self.oauth = OAuth2Session(client_id, secret, scope="openid email profile", redirect_uri=redirect,
                                   token_endpoint_auth_method=auth_method, code_challenge_method="S256")
        self.verifier = secrets.token_urlsafe(48)
        self.nonce = secrets.token_urlsafe(16)
        self.state = None

    def authorization_url(self, **extra):
        url, self.state = self.oauth.create_authorization_url(
            on(self.cluster.a, self.cluster, self.discovery["authorization_endpoint"]),
            code_verifier=self.verifier, nonce=self.nonce, **extra)
        return url

    def token(self, code, server=None, verifier=None):
        server = server or self.cluster.b
        return self.oauth.fetch_token(on(server, self.cluster, self.discovery["token_endpoint"]), code=code,
                                      code_verifier=verifier or self.verifier)

    def verified_claims(self, id_token, alg="RS256"):
        token = jwt.decode(id_token, keys(self.cluster, self.discovery), algorithms=[alg])
        registry = jwt.JWTClaimsRegistry(iss={"essential": True, "value": self.cluster.public_url},
                                         aud={"essential": True, "value": self.client_id},
                                         nonce={"essential": True, "value": self.nonce},
                                         sub={"essential": True}, exp={"essential": True})
        registry.validate(token.claims)
        return token.claims


def follow(client, url, max_hops=6):
    """Follows Gatehouse's redirects in the browser until one leaves it: that address, parsed."""
    for _ in range(max_hops):
        res = client.http.get(url, allow_redirects=False, timeout=30)
        assert res.status_code in (302, 303, 307), f"{url}: {res.status_code} {res.text[:300]}"
        location = res.headers["location"]
        if location.startswith("/"):
            parsed = urlparse(url)
            return_to = f"{parsed.scheme}://{parsed.netloc}{location}"
            if not location.startswith("/oidc/"):
                return urlparse(return_to)
            url = return_to
            continue
        return urlparse(location)
    raise AssertionError("too many redirects")


def answer(location):
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def sign_in_with_code(cluster, client, person, server):
    expect(client.call(server, "log_in", user_name=person.email, password=PASSWORD), 200)
    return expect(client.call(server, "verify_code", code=next_code(person)), 200)


def test_a_signed_out_person_signs_in_and_the_application_learns_who(cluster, discovery):
    person = sign_up(cluster, f"oidc.{secrets.token_hex(4)}@acme.test")
    browser = Client(cluster)
    rp = RelyingParty(cluster, discovery)
    # Not signed in: Gatehouse's own sign-in, the request waiting for it.
    went = follow(browser, rp.authorization_url(login_hint=person.email))
    assert went.path == "/Account/Login" and answer(went) == {"login_hint": person.email}
    # The password and code steps, on the other process; the code step sends the browser back.
    done = sign_in_with_code(cluster, browser, person, cluster.b)
    assert done.headers["location"] == "/oidc/authorize/continue"
    back = follow(browser, f"{cluster.b.url}/oidc/authorize/continue")
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    got = answer(back)
    assert got["state"] == rp.state and got["iss"] == cluster.public_url
    tokens = rp.token(got["code"])
    assert tokens["token_type"].lower() == "bearer" and 0 < tokens["expires_in"] <= 600
    claims = rp.verified_claims(tokens["id_token"])
    user_id = cluster.database.value(f"SELECT id FROM users WHERE email = {sql_text(person.email)}")
    assert claims["sub"] == user_id and person.email not in claims["sub"]
    assert claims["email"] == person.email and claims["email_verified"] is True
    assert claims["amr"] == ["pwd", "otp", "mfa"]
    assert abs(claims["auth_time"] - time.time()) < 120
    assert claims["role"] == "owner" and claims["account"].startswith("Acme ") and claims["account_id"]
    assert claims["sid"]
    # userinfo with the access token says the same.
    info = expect(requests.get(on(cluster.a, cluster, discovery["userinfo_endpoint"]),
                               headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10), 200).json()
    assert info["sub"] == user_id and info["email"] == person.email and info["role"] == "owner"
    # Signed in now: the next application request comes straight back (single sign-on).
    again = RelyingParty(cluster, discovery)
    back = follow(browser, again.authorization_url())
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    claims2 = again.verified_claims(again.token(answer(back)["code"])["id_token"])
    assert claims2["sid"] == claims["sid"] and claims2["auth_time"] == claims["auth_time"]


def test_a_public_client_signs_in_with_pkce_alone_and_gets_eddsa(cluster, discovery):
    person = sign_up(cluster, f"spa.{secrets.token_hex(4)}@acme.test")
    rp = RelyingParty(cluster, discovery, client_id=PUBLIC, secret=None, redirect=SPA_CALLBACK, auth_method="none")
    back = follow(person.client, rp.authorization_url())
    tokens = rp.token(answer(back)["code"])
    claims = rp.verified_claims(tokens["id_token"], alg="EdDSA")
    assert claims["email"] == person.email


def test_a_passkey_sign_in_says_so_in_amr(cluster, discovery):
    person = sign_up(cluster, f"pk.{secrets.token_hex(4)}@acme.test")
    start = expect(person.client.call(cluster.a, "passkey_add_start"), 200).json()
    credential = person.authenticator.create(start["options"], cluster.public_url)
    import json
    expect(person.client.call(cluster.a, "passkey_add_finish", ceremony=start["ceremony"],
                              credential=json.dumps(credential), name="Key"), 200)
    browser = Client(cluster)
    rp = RelyingParty(cluster, discovery)
    assert follow(browser, rp.authorization_url()).path == "/Account/Login"
    start = expect(browser.call(cluster.b, "passkey_sign_in_start"), 200).json()
    assertion = person.authenticator.get(start["options"], cluster.public_url)
    done = expect(browser.call(cluster.b, "passkey_sign_in_finish", ceremony=start["ceremony"],
                               credential=json.dumps(assertion)), 200)
    assert done.headers["location"] == "/oidc/authorize/continue"
    back = follow(browser, f"{cluster.a.url}/oidc/authorize/continue")
    claims = rp.verified_claims(rp.token(answer(back)["code"])["id_token"])
    assert claims["amr"] == ["pop", "mfa"]


# ---- what must be refused ------------------------------------------------------------------

def raw_authorize(cluster, client, **params):
    base = {"response_type": "code", "client_id": CONFIDENTIAL[0], "redirect_uri": CALLBACK, "scope": "openid",
            "state": "s1", "nonce": "n1", "code_challenge": pkce(secrets.token_urlsafe(48)),
            "code_challenge_method": "S256"}
    base.update({k: v for k, v in params.items() if v is not None})
    for k in [k for k, v in params.items() if v is None]:
        base.pop(k)
    return client.http.get(f"{cluster.a.url}/oidc/authorize?{urlencode(base)}", allow_redirects=False, timeout=30)


def pkce(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@pytest.mark.parametrize("change", [
    {"client_id": "nobody"},
    {"client_id": None},
    {"redirect_uri": "https://crm.example.test/callback/../evil"},
    {"redirect_uri": "https://crm.example.test/callback?x=1"},
    {"redirect_uri": "https://crm.example.test/callbackx"},
    {"redirect_uri": "https://evil.example.test/callback"},
    {"redirect_uri": None},
])
def test_an_unknown_client_or_unregistered_address_gets_the_error_page_never_a_redirect(cluster, change):
    res = raw_authorize(cluster, Client(cluster), **change)
    assert res.status_code in (302, 303, 307)
    assert res.headers["location"].startswith("/Account/ApplicationError?problem="), res.headers["location"]
    page = requests.get(f"{cluster.a.url}{res.headers['location']}", timeout=30)
    assert page.status_code == 200 and "cannot be completed" in page.text


@pytest.mark.parametrize("change, error", [
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"scope": "email"}, "invalid_scope"),
    ({"code_challenge": None}, "invalid_request"),
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge_method": None}, "invalid_request"),
    ({"prompt": "none login"}, "invalid_request"),
    ({"max_age": "-1"}, "invalid_request"),
    ({"request": "eyJ"}, "request_not_supported"),
])
def test_other_errors_go_back_to_the_registered_address(cluster, change, error):
    res = raw_authorize(cluster, Client(cluster), **change)
    location = urlparse(res.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    got = answer(location)
    assert got["error"] == error and got["state"] == "s1" and got["iss"] == cluster.public_url
    assert "code" not in got


def test_prompt_none_without_a_session_is_login_required(cluster):
    got = answer(urlparse(raw_authorize(cluster, Client(cluster), prompt="none").headers["location"]))
    assert got["error"] == "login_required" and got["state"] == "s1"


@pytest.fixture
def signed_in(cluster, discovery):
    """A person signed in to Gatehouse, and a relying party with a code for them."""
    person = sign_up(cluster, f"rp.{secrets.token_hex(4)}@acme.test")
    rp = RelyingParty(cluster, discovery)
    back = follow(person.client, rp.authorization_url())
    return person, rp, answer(back)["code"]


def token_request(cluster, discovery, code, verifier, client=CONFIDENTIAL, redirect=CALLBACK, server=None):
    server = server or cluster.b
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect, "code_verifier": verifier}
    return requests.post(on(server, cluster, discovery["token_endpoint"]), data=data, auth=client, timeout=30)


def test_a_wrong_or_missing_verifier_is_refused(cluster, discovery, signed_in):
    _, rp, code = signed_in
    res = token_request(cluster, discovery, code, secrets.token_urlsafe(48))
    assert res.status_code == 400 and res.json()["error"] == "invalid_grant"
    res = token_request(cluster, discovery, code, "")
    assert res.status_code == 400
    assert "access_token" not in res.text


def test_a_code_used_twice_revokes_the_tokens_it_gave(cluster, discovery, signed_in):
    _, rp, code = signed_in
    first = expect(token_request(cluster, discovery, code, rp.verifier), 200).json()
    userinfo = on(cluster.a, cluster, discovery["userinfo_endpoint"])
    bearer = {"Authorization": f"Bearer {first['access_token']}"}
    expect(requests.get(userinfo, headers=bearer, timeout=10), 200)
    again = token_request(cluster, discovery, code, rp.verifier, server=cluster.a)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    refused = requests.get(userinfo, headers=bearer, timeout=10)
    assert refused.status_code == 401 and 'error="invalid_token"' in refused.headers["www-authenticate"]


def test_an_expired_code_is_refused(cluster, discovery, signed_in):
    _, rp, code = signed_in
    assert cluster.database.execute("UPDATE oidc_codes SET expires_at = 1 WHERE used_at IS NULL") >= 1
    res = token_request(cluster, discovery, code, rp.verifier)
    assert res.status_code == 400 and res.json()["error"] == "invalid_grant"


def test_a_code_of_another_client_or_address_is_refused(cluster, discovery, signed_in):
    _, rp, code = signed_in
    other = ("closed", "closed-secret-0123456789")
    res = token_request(cluster, discovery, code, rp.verifier, client=other)
    assert res.status_code == 400 and res.json()["error"] == "invalid_grant"
    res = token_request(cluster, discovery, code, rp.verifier, redirect=CALLBACK + "/other")
    assert res.status_code == 400 and res.json()["error"] == "invalid_grant"
    # Still good for its own client: refusals did not use it up.
    expect(token_request(cluster, discovery, code, rp.verifier), 200)


def test_client_authentication_is_required_and_checked(cluster, discovery, signed_in):
    _, rp, code = signed_in
    res = token_request(cluster, discovery, code, rp.verifier, client=(CONFIDENTIAL[0], "wrong-secret-0123456789"))
    assert res.status_code == 401 and res.json()["error"] == "invalid_client"
    res = token_request(cluster, discovery, code, rp.verifier, client=None)
    assert res.status_code == 401
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": rp.verifier,
            "client_id": CONFIDENTIAL[0], "client_secret": CONFIDENTIAL[1]}
    # client_secret_post works as well.
    expect(requests.post(on(cluster.a, cluster, discovery["token_endpoint"]), data=data, timeout=30), 200)


def test_max_age_zero_asks_for_the_second_factor_again(cluster, discovery):
    person = sign_up(cluster, f"fresh.{secrets.token_hex(4)}@acme.test")
    rp = RelyingParty(cluster, discovery)
    # At once: the sign-in and the request fall in the same second, and the sign-in still came
    # first (no whole-second rounding makes it fresh).
    went = follow(person.client, rp.authorization_url(max_age=0))
    assert went.path == "/Account/Confirm"
    wrong = person.client.call(cluster.b, "confirm_for_application", code="000000")
    assert wrong.status_code == 400
    done = expect(person.client.call(cluster.b, "confirm_for_application", code=next_code(person)), 200)
    assert done.headers["location"] == "/oidc/authorize/continue"
    back = follow(person.client, f"{cluster.a.url}/oidc/authorize/continue")
    claims = rp.verified_claims(rp.token(answer(back)["code"])["id_token"])
    assert claims["auth_time"] >= int(time.time()) - 5


def test_prompt_none_with_a_stale_sign_in_is_login_required(cluster, discovery):
    person = sign_up(cluster, f"stale.{secrets.token_hex(4)}@acme.test")
    rp = RelyingParty(cluster, discovery)
    got = answer(follow(person.client, rp.authorization_url(prompt="none", max_age=0)))
    assert got["error"] == "login_required"


def test_an_application_closed_to_the_account_is_access_denied(cluster, discovery):
    person = sign_up(cluster, f"closed.{secrets.token_hex(4)}@acme.test")
    rp = RelyingParty(cluster, discovery, client_id="closed", secret="closed-secret-0123456789")
    got = answer(follow(person.client, rp.authorization_url()))
    assert got["error"] == "access_denied" and "code" not in got


def test_userinfo_refuses_without_a_valid_token(cluster, discovery):
    url = on(cluster.a, cluster, discovery["userinfo_endpoint"])
    assert requests.get(url, timeout=10).status_code == 401
    res = requests.get(url, headers={"Authorization": f"Bearer {secrets.token_urlsafe(32)}"}, timeout=10)
    assert res.status_code == 401


def test_a_tampered_id_token_fails_verification(cluster, discovery, signed_in):
    _, rp, code = signed_in
    id_token = rp.token(code)["id_token"]
    header, payload, signature = id_token.split(".")
    claims = rp.verified_claims(id_token)
    claims["sub"] = "someone-else"
    import json
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(JoseError):
        rp.verified_claims(".".join([header, forged_payload, signature]))


# ---- RP-initiated logout -------------------------------------------------------------------

def logout(cluster, client, **params):
    return client.http.get(f"{cluster.a.url}/oidc/logout", params=params, allow_redirects=False, timeout=30)


def test_the_application_logs_the_person_out_with_its_id_token(cluster, discovery, signed_in):
    person, rp, code = signed_in
    id_token = rp.token(code)["id_token"]
    res = logout(cluster, person.client, id_token_hint=id_token, post_logout_redirect_uri=SIGNED_OUT, state="bye")
    assert res.headers["location"] == f"{SIGNED_OUT}?state=bye"
    assert person.client.current_user(cluster.b) is None, "the Gatehouse session ended"


def test_a_logout_without_a_valid_hint_ends_nothing_and_goes_nowhere_unregistered(cluster, discovery, signed_in):
    person, rp, code = signed_in
    id_token = rp.token(code)["id_token"]
    header, payload, signature = id_token.split(".")
    tampered = ".".join([header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature])
    for params in ({"id_token_hint": tampered, "post_logout_redirect_uri": SIGNED_OUT},
                   {"id_token_hint": id_token, "post_logout_redirect_uri": "https://evil.example.test/"},
                   {"client_id": CONFIDENTIAL[0], "post_logout_redirect_uri": CALLBACK}):
        res = logout(cluster, person.client, **params)
        assert res.headers["location"] == "/Account/ApplicationError?problem=logout", params
    # No hint: nobody is signed out by a link (logout CSRF); the start page has Log out.
    res = logout(cluster, person.client, client_id=CONFIDENTIAL[0], post_logout_redirect_uri=SIGNED_OUT)
    assert res.headers["location"] == "/"
    assert person.client.current_user(cluster.b)["email"] == person.email


def test_a_hint_about_someone_else_ends_nothing_here(cluster, discovery, signed_in):
    _, rp, code = signed_in
    someone = sign_up(cluster, f"else.{secrets.token_hex(4)}@acme.test")
    res = logout(cluster, someone.client, id_token_hint=rp.token(code)["id_token"], post_logout_redirect_uri=SIGNED_OUT)
    assert res.headers["location"] == SIGNED_OUT
    assert someone.client.current_user(cluster.b)["email"] == someone.email


def test_rotating_the_signing_keys_publishes_new_ones_that_sign_after_a_delay(cluster, discovery):
    before = int(cluster.database.value("SELECT count(*) FROM oidc_signing_keys"))
    said = cluster.admin("rotate-signing-key")
    assert len(said) == 2 and all("signs from 10 minutes from now" in line for line in said), said
    rows = int(cluster.database.value("SELECT count(*) FROM oidc_signing_keys"))
    assert rows == before + 2
    later = int(cluster.database.value("SELECT count(*) FROM oidc_signing_keys WHERE signs_from > created_at"))
    assert later >= 2, "the new keys sign only after the delay"
    # Both processes publish the new keys within seconds, whichever one the command spoke to.
    kids = {line.split(" signing key ")[1].split()[0] for line in said}
    for server in (cluster.a, cluster.b):
        deadline = time.monotonic() + 15
        while True:
            published = {k["kid"] for k in expect(requests.get(f"{server.url}/oidc/jwks", timeout=10), 200).json()["keys"]}
            if kids <= published:
                break
            assert time.monotonic() < deadline, f"{server.url} does not publish {kids - published}"
            time.sleep(0.5)
    # Meanwhile tokens are still signed with a key every cached JWKS knows.
    person = sign_up(cluster, f"rotate.{secrets.token_hex(4)}@acme.test")
    rp = RelyingParty(cluster, discovery)
    claims = rp.verified_claims(rp.token(answer(follow(person.client, rp.authorization_url()))["code"])["id_token"])
    assert claims["email"] == person.email
