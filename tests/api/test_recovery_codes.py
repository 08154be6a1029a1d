"""Recovery codes over HTTP on two server processes sharing one database (SQLite and
PostgreSQL): a code signs in once in place of the authenticator's code, on either process; a
new set (after step-up) replaces the old and is shown once; each use and each new set is mailed
exactly once although both processes send from the same queue."""

import re
import secrets

from conftest import PASSWORD, Client, expect, mail_text, mails_to, next_code, sign_up

USED = "A recovery code was used"


def pending(cluster, person, server):
    client = Client(cluster)
    res = expect(client.call(server, "log_in", user_name=person.email, password=PASSWORD), 200)
    assert res.headers["location"] == "/Account/Login?step=code"
    return client


def test_a_code_signs_in_once_on_either_process_and_each_use_is_mailed_once(cluster):
    person = sign_up(cluster, f"rc.{secrets.token_hex(4)}@acme.test")
    servers = [cluster.a, cluster.b]
    for n, code in enumerate(person.recovery_codes[:4]):
        client = pending(cluster, person, servers[n % 2])
        # As people type them: upper case, a space for the hyphen.
        res = expect(client.call(servers[(n + 1) % 2], "use_recovery_code",
                                 recovery_code=code.upper().replace("-", " ")), 200)
        assert res.headers["location"] == f"/Account/Security?recovery_codes_left={9 - n}"
        assert client.current_user(servers[n % 2])["email"] == person.email
        assert expect(client.call(cluster.b, "recovery_codes_left"), 200).json() == 9 - n

        again = pending(cluster, person, cluster.a)
        refused = expect(again.call(cluster.b, "use_recovery_code", recovery_code=code), 400)
        assert refused.json()["Invalid"] == "That recovery code is not right, or it was already used. Each code works once."
        assert again.current_user(cluster.a) is None

    mails = mails_to(cluster, person.email, USED, wait_for=4)
    assert len(mails) == 4, [m["Subject"] for m in mails]
    lefts = sorted(int(re.search(r"You have (\d+) recovery codes left", mail_text(m))[1]) for m in mails)
    assert lefts == [6, 7, 8, 9], "each use mailed exactly once"
    assert "If this wasn't you" in mail_text(mails[0])
    # Nothing more arrives: no process sent a mail twice.
    assert len(mails_to(cluster, person.email, USED, wait_for=5, timeout=6)) == 4


def test_malformed_codes_are_explained_and_only_the_code_step_takes_them(cluster):
    person = sign_up(cluster, f"rc.{secrets.token_hex(4)}@acme.test")
    client = pending(cluster, person, cluster.a)
    res = expect(client.call(cluster.b, "use_recovery_code", recovery_code="123456"), 400)
    assert "10 letters and digits" in res.json()["Invalid"]
    # Signed in already, a recovery code is not a way to anything.
    expect(person.client.call(cluster.a, "use_recovery_code", recovery_code=person.recovery_codes[0]), 403)
    assert expect(person.client.call(cluster.a, "recovery_codes_left"), 200).json() == 10


def test_a_new_set_replaces_the_old_is_shown_once_and_is_mailed(cluster):
    person = sign_up(cluster, f"rc.{secrets.token_hex(4)}@acme.test")
    # Shown once after setup: the set is no longer in the session.
    assert expect(person.client.call(cluster.b, "fresh_recovery_codes"), 200).json() is None
    # However recent the sign-in, a new set takes the current code: a borrowed signed-in
    # browser cannot mint a code that replaces the authenticator.
    for proof in ({"code": ""}, {"code": "000000"}):
        refused = person.client.call(cluster.b, "regenerate_recovery_codes", **proof)
        assert refused.status_code == 400, refused.text
    assert expect(person.client.call(cluster.a, "fresh_recovery_codes"), 200).json() is None
    expect(person.client.call(cluster.b, "regenerate_recovery_codes", code=next_code(person)), 200)
    fresh = expect(person.client.call(cluster.a, "fresh_recovery_codes"), 200).json()
    assert len(fresh) == 10 and not set(fresh) & set(person.recovery_codes)
    assert expect(person.client.call(cluster.a, "fresh_recovery_codes"), 200).json() is None

    client = pending(cluster, person, cluster.a)
    expect(client.call(cluster.b, "use_recovery_code", recovery_code=person.recovery_codes[0]), 400)
    expect(client.call(cluster.b, "use_recovery_code", recovery_code=fresh[0]), 200)

    mails = mails_to(cluster, person.email, "New recovery codes", wait_for=1)
    assert len(mails) == 1
    assert "Your previous recovery codes no longer work." in mail_text(mails[0])
    events = expect(person.client.call(cluster.a, "security_events"), 200).json()
    assert any(e["what"] == "A recovery code was used (9 left)" for e in events), events
    assert any(e["what"].startswith("Signed in with password and recovery code") for e in events), events
