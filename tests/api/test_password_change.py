"""Changing the password over HTTP on two server processes sharing one database (SQLite and
PostgreSQL): every mistake is refused with its own message and changes nothing; a change needs
the current password and a code, ends every other session at once (on either process), and is
mailed exactly once."""

import secrets

from conftest import PASSWORD, Client, expect, mail_text, mails_to, next_code, sign_up, totp_now

NEW = "copper violin estuary thimble"
CHANGED = "password was changed"


def log_in(cluster, person, password, server):
    """A new browser through both steps (a recovery code as the second, so no test waits for
    the next TOTP window); the client, or None when the password is refused."""
    client = Client(cluster)
    res = client.call(server, "log_in", user_name=person.email, password=password)
    if res.status_code != 200:
        assert res.json()["Invalid"] == "The user name or password is incorrect.", res.text
        return None
    expect(client.call(server, "use_recovery_code", recovery_code=person.recovery_codes.pop()), 200)
    return client


def change(person, server, **fields):
    args = {"current_password": PASSWORD, "password": NEW, "confirmation": NEW, "code": "000000"} | fields
    return person.client.call(server, "change_password", **args)


def test_mistakes_are_explained_and_change_nothing(cluster):
    person = sign_up(cluster, f"pw.{secrets.token_hex(4)}@acme.test")
    other = log_in(cluster, person, PASSWORD, cluster.b)
    for fields, message in [
        ({"current_password": "not my password at all"}, "Your current password is not correct."),
        ({"password": "short", "confirmation": "short"}, "Use at least 12 characters; you have 5."),
        ({"confirmation": NEW + " typo"}, "The passwords do not match."),
        ({"password": "password1234", "confirmation": "password1234"}, "This password is too common"),
        ({"password": PASSWORD, "confirmation": PASSWORD}, "The new password is the one you have now."),
        ({"code": "12345"}, "Enter the 6-digit code from your authenticator app."),
    ]:
        res = expect(change(person, cluster.a, **fields), 400)
        assert res.json()["Invalid"].startswith(message), (fields, res.json())
    wrong = "111111" if totp_now(person.totp_key) == "000000" else "000000"
    res = expect(change(person, cluster.b, code=wrong), 400)
    assert res.json()["Invalid"].startswith("That code is not correct.")
    # Nothing changed: the old password signs in, the other session is still signed in.
    assert other.current_user(cluster.a)["email"] == person.email
    assert log_in(cluster, person, PASSWORD, cluster.a) is not None
    assert log_in(cluster, person, NEW, cluster.b) is None


def test_a_change_ends_every_other_session_and_is_mailed_once(cluster):
    person = sign_up(cluster, f"pw.{secrets.token_hex(4)}@acme.test")
    others = [log_in(cluster, person, PASSWORD, server) for server in (cluster.a, cluster.b)]
    res = expect(change(person, cluster.b, code=next_code(person)), 200)
    assert res.json() == 2, "two other sessions were signed out"
    for other in others:
        assert other.current_user(cluster.a) is None and other.current_user(cluster.b) is None
    # This session goes on, and counts as a fresh sign-in.
    assert person.client.current_user(cluster.a)["email"] == person.email

    assert log_in(cluster, person, PASSWORD, cluster.a) is None
    assert log_in(cluster, person, NEW, cluster.b) is not None
    expect(person.client.call(cluster.a, "regenerate_recovery_codes", code=next_code(person)), 200)
    mails = mails_to(cluster, person.email, CHANGED, wait_for=1)
    assert len(mails) == 1 and "every other session was signed out" in mail_text(mails[0])
    assert "If this wasn't you" in mail_text(mails[0])
    assert len(mails_to(cluster, person.email, CHANGED, wait_for=2, timeout=6)) == 1, "mailed once"
