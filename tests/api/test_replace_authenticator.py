"""Replacing the authenticator over HTTP on two server processes sharing one database (SQLite
and PostgreSQL): started on one, confirmed on the other; the old app's codes are refused from
then on, the new app's work; the notice is mailed exactly once."""

import secrets

from conftest import PASSWORD, Client, expect, mail_text, mails_to, next_code, sign_up, totp_now

REPLACED = "authenticator app was replaced"


def test_started_on_one_process_confirmed_on_the_other_and_the_old_app_dies(cluster):
    person = sign_up(cluster, f"ra.{secrets.token_hex(4)}@acme.test")
    old_key = person.totp_key
    res = expect(person.client.call(cluster.a, "replace_authenticator_start", code=next_code(person)), 200)
    assert res.headers["location"] == "/Account/ReplaceAuthenticator?step=scan"
    shown = expect(person.client.call(cluster.b, "replacement_details"), 200).json()
    assert shown["key_grouped"] != old_key and shown["qr_svg"].startswith("<svg")

    # Until confirmation the old app still steps up; its code does not confirm the new one.
    expect(person.client.call(cluster.b, "step_up", code=next_code(person)), 200)
    wrong = expect(person.client.call(cluster.b, "replace_authenticator_confirm", code=next_code(person)), 400)
    assert wrong.json()["Invalid"].startswith("That code is not correct.")

    person.totp_key, person.totp_used_at = shown["key_grouped"], 0.0
    res = expect(person.client.call(cluster.b, "replace_authenticator_confirm", code=next_code(person)), 200)
    assert res.headers["location"] == "/Account/Security?authenticator=replaced"
    assert expect(person.client.call(cluster.a, "replacement_details"), 200).json() is None
    again = expect(person.client.call(cluster.a, "replace_authenticator_confirm", code=next_code(person)), 400)
    assert "expired" in again.json()["Invalid"]

    # A new sign-in: the old app's code is refused, the new one's works.
    client = Client(cluster)
    expect(client.call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)
    stale = expect(client.call(cluster.b, "verify_code", code=totp_now(old_key)), 400)
    assert stale.json()["Invalid"].startswith("That code is not correct.")
    expect(client.call(cluster.a, "verify_code", code=next_code(person)), 200)
    assert client.current_user(cluster.b)["email"] == person.email

    mails = mails_to(cluster, person.email, REPLACED, wait_for=1)
    assert len(mails) == 1 and "Codes from the previous app no longer work." in mail_text(mails[0])
    assert len(mails_to(cluster, person.email, REPLACED, wait_for=2, timeout=6)) == 1, "mailed once"


def test_no_proof_no_replacement(cluster):
    person = sign_up(cluster, f"ra.{secrets.token_hex(4)}@acme.test")
    for function, args, message in [
        ("replace_authenticator_start", {"code": ""}, "Enter the 6-digit code"),
        ("replace_authenticator_start", {"code": "12345"}, "Enter the 6-digit code"),
        ("replace_authenticator_with_recovery_code", {"recovery_code": "abcde-12345"}, "That recovery code is not right"),
        ("replace_authenticator_with_recovery_code", {"recovery_code": "123"}, "Enter one of your recovery codes"),
    ]:
        res = expect(person.client.call(cluster.a, function, **args), 400)
        assert res.json()["Invalid"].startswith(message), (args, res.json())
        assert expect(person.client.call(cluster.b, "replacement_details"), 200).json() is None
    # A recovery code proves it once.
    code = person.recovery_codes[0]
    expect(person.client.call(cluster.a, "replace_authenticator_with_recovery_code", recovery_code=code), 200)
    used = expect(person.client.call(cluster.b, "replace_authenticator_with_recovery_code", recovery_code=code), 400)
    assert used.json()["Invalid"].startswith("That recovery code is not right")
