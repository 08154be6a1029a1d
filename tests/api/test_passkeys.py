"""Passkeys over HTTP with a software authenticator, on two server processes sharing one
database: a ceremony started on one process must finish on the other, and every refusal the
WebAuthn rules call for must hold there too (a 400 with an `Invalid` message, no session)."""

import json
import threading
import time

import pytest

from conftest import Client, expect, sign_up, sql_text
from softauthn import SoftAuthenticator

pytestmark = pytest.mark.passkeys

EVIL_ORIGIN = "https://evil.example"


def start(client, server, name):
    """`{"ceremony", "options"}` from a *_start function, options parsed."""
    res = expect(client.call(server, name), 200).json()
    assert isinstance(res["ceremony"], str) and res["ceremony"], res
    return res["ceremony"], json.loads(res["options"])


def add_passkey(person, start_on, finish_on, name="Laptop", origin=None):
    """Registers a passkey; returns the finish response (unchecked) for the caller to judge."""
    ceremony, options = start(person.client, start_on, "passkey_add_start")
    credential = person.authenticator.create(options, origin or person.client.cluster.public_url)
    return person.client.call(finish_on, "passkey_add_finish", ceremony=ceremony,
                              credential=json.dumps(credential), name=name)


def passkey_sign_in(cluster, authenticator, start_on, finish_on, origin=None):
    """A discoverable sign-in from a fresh, signed-out browser; returns (client, response)."""
    client = Client(cluster)
    ceremony, options = start(client, start_on, "passkey_sign_in_start")
    assert options["publicKey"].get("allowCredentials", []) == [], "discoverable: no user named yet"
    credential = authenticator.get(options, origin or cluster.public_url)
    return client, client.call(finish_on, "passkey_sign_in_finish", ceremony=ceremony,
                               credential=json.dumps(credential))


def refused(res):
    """A refusal as the contract has it: 400 with {"Invalid": message}."""
    assert res.status_code == 400, f"{res.status_code} {res.text[:500]}"
    body = res.json()
    assert isinstance(body, dict) and isinstance(body.get("Invalid"), str), res.text


def passkeys(person, server):
    return expect(person.client.call(server, "passkeys"), 200).json()


@pytest.fixture
def registered(cluster, person):
    """The person with one passkey, registered across the two processes."""
    expect(add_passkey(person, cluster.a, cluster.b), 200)
    return person


# ---- registration ------------------------------------------------------------------------

def test_registration_started_on_a_finishes_on_b(cluster, person):
    added = expect(add_passkey(person, cluster.a, cluster.b, name="Work laptop"), 200).json()
    assert added["name"] == "Work laptop" and added["id"] and added["created_at"]
    assert added["last_used_at"] is None
    assert passkeys(person, cluster.a) == [added] == passkeys(person, cluster.b)


def test_registration_asks_for_a_discoverable_user_verified_credential(cluster, person):
    # Sign-in names no user (empty allowCredentials), so only a discoverable credential can
    # answer it; webauthn-rs's passkey defaults say residentKey "discouraged".
    _, options = start(person.client, cluster.a, "passkey_add_start")
    selection = options["publicKey"]["authenticatorSelection"]
    assert selection["userVerification"] == "required"
    assert selection.get("residentKey") == "required", selection


def test_registration_needs_a_signed_in_session(cluster):
    for name in ("passkey_add_start", "passkeys"):
        res = Client(cluster).call(cluster.a, name)
        assert res.status_code == 401 and res.json() == "NotSignedIn", (name, res.status_code, res.text)


def test_a_finished_registration_ceremony_cannot_be_reused(cluster, person):
    ceremony, options = start(person.client, cluster.a, "passkey_add_start")
    credential = person.authenticator.create(options, cluster.public_url)
    expect(person.client.call(cluster.b, "passkey_add_finish", ceremony=ceremony,
                              credential=json.dumps(credential), name="First"), 200)
    # Another authenticator answering the same, spent challenge.
    replay = SoftAuthenticator().create(options, cluster.public_url)
    refused(person.client.call(cluster.a, "passkey_add_finish", ceremony=ceremony,
                               credential=json.dumps(replay), name="Second"))
    assert [p["name"] for p in passkeys(person, cluster.a)] == ["First"]


def test_registration_without_user_verification_is_refused(cluster, person):
    person.authenticator.user_verified = False
    refused(add_passkey(person, cluster.a, cluster.b))
    assert passkeys(person, cluster.a) == []


def test_registration_from_another_origin_is_refused(cluster, person):
    refused(add_passkey(person, cluster.a, cluster.b, origin=EVIL_ORIGIN))
    assert passkeys(person, cluster.a) == []


# ---- sign-in -----------------------------------------------------------------------------

def test_sign_in_started_on_b_finishes_on_a_without_password_or_code(cluster, registered):
    client = Client(cluster)
    assert client.current_user(cluster.a) is None
    ceremony, options = start(client, cluster.b, "passkey_sign_in_start")
    before = client.http.cookies.get("gatehouse")
    credential = registered.authenticator.get(options, cluster.public_url)
    expect(client.call(cluster.a, "passkey_sign_in_finish", ceremony=ceremony, credential=json.dumps(credential)), 200)
    # A new session id at sign-in, as after the code step (no fixation of a pre-sign-in id).
    after = client.http.cookies.get("gatehouse")
    assert after and after != before
    for server in (cluster.a, cluster.b):
        me = client.current_user(server)
        assert me is not None and me["email"] == registered.email
    [key] = passkeys(registered, cluster.b)
    assert key["last_used_at"] is not None


def test_a_registration_ceremony_cannot_finish_a_sign_in(cluster, registered):
    ceremony, options = start(registered.client, cluster.a, "passkey_add_start")
    # Same user, same rp: only the kind of ceremony is wrong.
    request = {"publicKey": {"challenge": options["publicKey"]["challenge"], "rpId": options["publicKey"]["rp"]["id"],
                             "allowCredentials": [], "userVerification": "required"}}
    client = Client(cluster)
    refused(client.call(cluster.b, "passkey_sign_in_finish", ceremony=ceremony,
                        credential=json.dumps(registered.authenticator.get(request, cluster.public_url))))
    assert client.current_user(cluster.a) is None


def test_a_finished_sign_in_ceremony_cannot_be_reused(cluster, registered):
    auth = registered.authenticator
    client = Client(cluster)
    ceremony, options = start(client, cluster.b, "passkey_sign_in_start")
    expect(client.call(cluster.a, "passkey_sign_in_finish", ceremony=ceremony,
                       credential=json.dumps(auth.get(options, cluster.public_url))), 200)
    # A fresh assertion (higher count, valid signature) over the spent ceremony.
    thief = Client(cluster)
    refused(thief.call(cluster.b, "passkey_sign_in_finish", ceremony=ceremony,
                       credential=json.dumps(auth.get(options, cluster.public_url))))
    assert thief.current_user(cluster.a) is None
    # Not the passkey's fault: a new ceremony still signs in.
    expect(passkey_sign_in(cluster, auth, cluster.a, cluster.b)[1], 200)


def test_one_ceremony_finished_on_both_processes_at_once_signs_in_once(cluster, registered):
    auth = registered.authenticator
    ceremony, options = start(Client(cluster), cluster.a, "passkey_sign_in_start")
    # Two valid assertions (counts n and n+1) over the one challenge, raced on A and B.
    attempts = [(Client(cluster), server, json.dumps(auth.get(options, cluster.public_url)))
                for server in (cluster.a, cluster.b)]
    statuses = [None, None]

    def finish(i):
        client, server, credential = attempts[i]
        statuses[i] = client.call(server, "passkey_sign_in_finish", ceremony=ceremony,
                                  credential=credential).status_code

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 400], statuses
    signed_in = [c.current_user(cluster.a) is not None for c, _, _ in attempts]
    assert signed_in == [s == 200 for s in statuses]


def test_an_expired_ceremony_is_refused(cluster, registered):
    client = Client(cluster)
    ceremony, options = start(client, cluster.a, "passkey_sign_in_start")
    aged = cluster.database.execute(f"UPDATE webauthn_ceremonies SET expires_at = {int(time.time()) - 1} "
                                    f"WHERE id = {sql_text(ceremony)}")
    assert aged == 1, "the ceremony row is found by the id the client was given"
    credential = registered.authenticator.get(options, cluster.public_url)
    refused(client.call(cluster.b, "passkey_sign_in_finish", ceremony=ceremony, credential=json.dumps(credential)))
    assert client.current_user(cluster.a) is None


def test_a_sign_count_regression_is_refused(cluster, registered):
    auth = registered.authenticator
    [cred] = auth.credentials
    expect(passkey_sign_in(cluster, auth, cluster.a, cluster.b)[1], 200)
    expect(passkey_sign_in(cluster, auth, cluster.b, cluster.a)[1], 200)
    last = cred.sign_count
    assert last > 0
    # Equal to the last accepted count, then lower: both are what a cloned key would send.
    for count in (last, last - 1):
        cred.sign_count = count - 1  # the next assertion sends `count`
        client, res = passkey_sign_in(cluster, auth, cluster.a, cluster.b)
        refused(res)
        assert client.current_user(cluster.a) is None


def test_a_cloned_authenticator_is_caught_on_the_other_process(cluster, registered):
    twin = registered.authenticator.clone()
    expect(passkey_sign_in(cluster, registered.authenticator, cluster.a, cluster.a)[1], 200)
    client, res = passkey_sign_in(cluster, twin, cluster.b, cluster.b)  # repeats the count
    refused(res)
    assert client.current_user(cluster.b) is None


def test_sign_in_without_user_verification_is_refused(cluster, registered):
    registered.authenticator.user_verified = False
    client, res = passkey_sign_in(cluster, registered.authenticator, cluster.a, cluster.b)
    refused(res)
    assert client.current_user(cluster.a) is None


def test_a_removed_passkey_can_no_longer_sign_in(cluster, registered):
    expect(passkey_sign_in(cluster, registered.authenticator, cluster.a, cluster.b)[1], 200)
    [key] = passkeys(registered, cluster.a)
    expect(registered.client.call(cluster.b, "passkey_remove", id=key["id"]), 200)
    assert passkeys(registered, cluster.a) == []
    client, res = passkey_sign_in(cluster, registered.authenticator, cluster.b, cluster.a)
    refused(res)
    assert client.current_user(cluster.a) is None


def test_sign_in_from_another_origin_is_refused(cluster, registered):
    # The HTTP Origin header is Gatehouse's; only the signed clientDataJSON names the other
    # site, as when a phishing page relays the ceremony.
    client, res = passkey_sign_in(cluster, registered.authenticator, cluster.a, cluster.b, origin=EVIL_ORIGIN)
    refused(res)
    assert client.current_user(cluster.a) is None


def has_authenticator_app(cluster, person):
    # A no-op UPDATE counts the rows that still hold a TOTP secret.
    return cluster.database.execute(f"UPDATE users SET totp_last_step = totp_last_step "
                                    f"WHERE email = {sql_text(person.email)} AND totp_secret IS NOT NULL") == 1


def test_removing_the_last_passkey_keeps_the_authenticator_app(cluster, registered):
    [key] = passkeys(registered, cluster.a)
    expect(registered.client.call(cluster.a, "passkey_remove", id=key["id"]), 200)
    assert passkeys(registered, cluster.b) == []
    assert has_authenticator_app(cluster, registered)
    assert registered.client.current_user(cluster.b)["email"] == registered.email, "still signed in"


def test_after_a_2fa_reset_a_passkey_still_signs_in(cluster, registered):
    # What an approved reset does to the authenticator app (Authenticators::remove_totp).
    reset = cluster.database.execute(f"UPDATE users SET totp_secret = NULL, totp_last_step = NULL "
                                     f"WHERE email = {sql_text(registered.email)}")
    assert reset == 1 and not has_authenticator_app(cluster, registered)
    client, res = passkey_sign_in(cluster, registered.authenticator, cluster.b, cluster.a)
    expect(res, 200)
    assert client.current_user(cluster.b)["email"] == registered.email


def test_step_up_with_a_passkey_accepts_only_the_signed_in_persons_own(cluster, registered):
    other = sign_up(cluster, f"other.{time.time_ns()}@acme.test")
    expect(add_passkey(other, cluster.a, cluster.a, name="Other's"), 200)
    # The other person's passkey, on a shared computer, must not switch this session.
    ceremony, options = start(registered.client, cluster.a, "passkey_sign_in_start")
    answer = other.authenticator.get(options, cluster.public_url)
    res = registered.client.call(cluster.b, "passkey_step_up", ceremony=ceremony, credential=json.dumps(answer))
    refused(res)
    assert "not one of yours" in res.json()["Invalid"]
    assert registered.client.current_user(cluster.a)["email"] == registered.email

    ceremony, options = start(registered.client, cluster.b, "passkey_sign_in_start")
    answer = registered.authenticator.get(options, cluster.public_url)
    before = registered.client.http.cookies.get("gatehouse")
    expect(registered.client.call(cluster.a, "passkey_step_up", ceremony=ceremony, credential=json.dumps(answer)), 200)
    assert registered.client.http.cookies.get("gatehouse") != before, "step-up renews the session id"
    assert registered.client.current_user(cluster.b)["email"] == registered.email
