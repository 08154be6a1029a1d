"""Forgot password? over HTTP on two server processes sharing one database (SQLite and
PostgreSQL): the same answer whether or not an address is someone's; a mailed link that works
once, for an hour, using it ending the others; a new password that still leads to the code step
and signs the person out everywhere; and no stranger asking can keep a person from a link."""

import secrets
import threading

import pytest

from conftest import (PASSWORD, RESET_SUBJECT, Client, expect, forget_reset_links, mail_text, mails_to, next_code,
                      reset_link_token, sign_up, speaking_from)


@pytest.fixture(scope="module")
def gatehouse_toml():
    return 'trusted_proxies = ["127.0.0.1", "::1"]\n'


NEW = "copper violin estuary thimble"
INVALID = "This link to choose a new password does not work any more"


def ask(cluster, address, server):
    res = expect(Client(cluster).call(server, "request_password_reset", email=address), 200)
    return res.headers.get("location"), res.text


def test_the_answer_is_the_same_whether_or_not_anyone_uses_the_address(cluster):
    person = sign_up(cluster, f"fp.{secrets.token_hex(4)}@acme.test")
    nobody = f"nobody.{secrets.token_hex(4)}@acme.test"
    answers = {ask(cluster, a, s) for a in (person.email, nobody, "not an address") for s in (cluster.a, cluster.b)}
    assert answers == {("/Account/ForgotPassword?sent=1", "null")}, answers
    # One mail for the person (the second ask came within the minute), none for anyone else.
    assert len(mails_to(cluster, person.email, RESET_SUBJECT, wait_for=1)) == 1
    assert len(mails_to(cluster, person.email, RESET_SUBJECT, wait_for=2, timeout=4)) == 1
    assert mails_to(cluster, nobody, timeout=0) == []
    # Someone invited who never chose a password gets no link (the invitation is the way).
    invited = f"invited.{secrets.token_hex(4)}@acme.test"
    cluster.admin("invite", "--account", cluster.database.value(
        "SELECT a.name FROM accounts a JOIN users u ON u.account_id = a.id "
        f"WHERE u.email = '{person.email}'"), "--email", invited, "--role", "user")
    ask(cluster, invited, cluster.a)
    assert mails_to(cluster, invited, RESET_SUBJECT, timeout=3) == []


def test_a_link_sets_a_new_password_only_with_the_code_step(cluster):
    person = sign_up(cluster, f"fp.{secrets.token_hex(4)}@acme.test")
    token = reset_link_token(cluster, person.email, cluster.b)
    mail = mails_to(cluster, person.email, RESET_SUBJECT)[-1]
    assert "expires in 1 hour" in mail_text(mail) and "authenticator app" in mail_text(mail)

    browser = Client(cluster)
    assert expect(browser.call(cluster.a, "password_reset_info", token=token), 200).json() == person.email
    weak = expect(browser.call(cluster.b, "reset_password", token=token, password="short", confirmation="short"), 400)
    assert weak.json()["Invalid"].startswith("Use at least 12 characters")
    res = expect(browser.call(cluster.b, "reset_password", token=token, password=NEW, confirmation=NEW), 200)
    assert res.headers["location"] == "/Account/Login?step=code&password=reset"
    assert browser.current_user(cluster.a) is None, "a new password alone signs no one in"
    # Nothing set yet: whoever holds only the mailbox has changed nothing.
    assert person.client.current_user(cluster.a)["email"] == person.email, "no session ended yet"
    expect(Client(cluster).call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)
    assert Client(cluster).call(cluster.a, "log_in", user_name=person.email, password=NEW).status_code == 400

    expect(browser.call(cluster.a, "verify_code", code=next_code(person)), 200)
    assert browser.current_user(cluster.b)["email"] == person.email
    assert person.client.current_user(cluster.a) is None, "the sessions from before are signed out"

    again = expect(Client(cluster).call(cluster.a, "reset_password", token=token, password=NEW + "x",
                                        confirmation=NEW + "x"), 400)
    assert again.json()["Invalid"].startswith(INVALID), "a link works once"
    old = Client(cluster).call(cluster.a, "log_in", user_name=person.email, password=PASSWORD)
    assert old.status_code == 400
    expect(Client(cluster).call(cluster.b, "log_in", user_name=person.email, password=NEW), 200)
    changed = mails_to(cluster, person.email, "password was changed", wait_for=1)
    assert len(changed) == 1


def another_link(cluster, person):
    """Asks again a minute later (moved behind the server), keeping the links sent before: the
    token of the new mail."""
    before = len(mails_to(cluster, person.email, RESET_SUBJECT))
    cluster.database.execute("UPDATE password_resets SET created_at = created_at - 120")
    expect(Client(cluster).call(cluster.a, "request_password_reset", email=person.email), 200)
    mails = mails_to(cluster, person.email, RESET_SUBJECT, wait_for=before + 1)
    assert len(mails) == before + 1
    return mail_text(mails[-1]).split("/Account/ResetPassword?token=")[1].split()[0]


def test_a_link_works_until_used_or_expired_and_using_one_ends_the_others(cluster):
    person = sign_up(cluster, f"fp.{secrets.token_hex(4)}@acme.test")
    first = reset_link_token(cluster, person.email)
    second = another_link(cluster, person)
    assert first != second
    browser = Client(cluster)
    # A newer link leaves the older working: whoever asked, the person's link must not die.
    assert expect(browser.call(cluster.a, "password_reset_info", token=first), 200).json() == person.email
    cluster.database.execute("UPDATE password_resets SET expires_at = expires_at - 3601")
    for token in (first, second):
        res = expect(browser.call(cluster.a, "password_reset_info", token=token), 400)
        assert res.json()["Invalid"].startswith(INVALID), "expired after an hour"

    third = reset_link_token(cluster, person.email)
    fourth = another_link(cluster, person)
    answers = []

    def use(server):
        client = Client(cluster)
        answers.append(client.call(server, "reset_password", token=third, password=NEW, confirmation=NEW).status_code)


    threads = [threading.Thread(target=use, args=(s,)) for s in (cluster.a, cluster.b) * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Each keeps its password for its own sign-in; the code step of the last to keep one sets
    # it, and ends the person's links.
    assert sorted(answers) == [200] * 6, answers
    finisher = Client(cluster)
    expect(finisher.call(cluster.a, "reset_password", token=third, password=NEW, confirmation=NEW), 200)
    expect(finisher.call(cluster.b, "verify_code", code=next_code(person)), 200)
    res = expect(browser.call(cluster.b, "password_reset_info", token=fourth), 400)
    assert res.json()["Invalid"].startswith(INVALID), "using one link ended the person's others"


def test_a_stranger_asking_again_and_again_never_keeps_the_person_from_a_link(cluster):
    person = sign_up(cluster, f"fp.{secrets.token_hex(4)}@acme.test")
    forget_reset_links(cluster.database, person.email)
    stranger = speaking_from(Client(cluster), "198.51.100.66")
    for _ in range(12):
        expect(stranger.call(cluster.a, "request_password_reset", email=person.email), 200)
    # The first ask sent a link (the rest came within its minute, or past the stranger's
    # limit); it is in the person's mailbox, and it works.
    mails = mails_to(cluster, person.email, RESET_SUBJECT, wait_for=1)
    assert len(mails) == 1
    token = mail_text(mails[0]).split("/Account/ResetPassword?token=")[1].split()[0]
    assert expect(Client(cluster).call(cluster.b, "password_reset_info", token=token), 200).json() == person.email
    # The stranger's address is held back, for anyone it names; the person is not.
    cluster.database.execute("UPDATE password_resets SET created_at = created_at - 120")
    cluster.database.execute("DELETE FROM audit_log WHERE kind = 'password.reset_requested'")
    expect(stranger.call(cluster.a, "request_password_reset", email=person.email), 200)
    assert len(mails_to(cluster, person.email, RESET_SUBJECT, wait_for=2, timeout=4)) == 1, "held back"
    me = speaking_from(Client(cluster), "203.0.113.77")
    expect(me.call(cluster.b, "request_password_reset", email=person.email), 200)
    assert len(mails_to(cluster, person.email, RESET_SUBJECT, wait_for=2)) == 2
