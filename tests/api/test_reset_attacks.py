"""Issue 27's attacks on the 2FA reset workflow, over HTTP on two processes sharing SQLite or
PostgreSQL. A typed email proves nothing: a request in someone else's name never reaches an
agent unless that someone confirms it from their mailbox; a signed-in co-owner gets no reset the
Users page would refuse them; a requester demoted since filing gets no approval; and after an
approved reset the person's password alone never enrols an authenticator: setting one up takes
the password and the single-use link mailed to them."""

import secrets

import pyotp
import pytest

from conftest import (PASSWORD, Client, account_of, add_member, confirmation_token, expect, file_confirmed, join,
                      mail_text, mails_to, post_support, setup_link_token, sign_up, speaking_from, sql_text,
                      support_form, totp_now)


@pytest.fixture(scope="module")
def gatehouse_toml():
    return 'trusted_proxies = ["127.0.0.1", "::1"]\n'


@pytest.fixture(scope="module")
def team(cluster):
    """An account: its owner, a co-owner and a user, each signed in with an authenticator; and a
    support agent."""
    tag = secrets.token_hex(3)
    owner = sign_up(cluster, f"owner.{tag}@acme.test")
    people = {"owner": owner}
    for name, role in (("co", "co-owner"), ("user", "user")):
        email = f"{name}.{tag}@acme.test"
        people[name] = join(cluster, email, add_member(cluster, owner.email, email, role=role))
    people["agent"] = sign_up(cluster, f"agent.{tag}@support.test", agent=True)
    for p in people.values():
        speaking_from(p.client)
    return people


def secret_of(cluster, email):
    column = "nullif(hex(totp_secret), '')" if cluster.database.kind == "sqlite" else "encode(totp_secret, 'hex')"
    return cluster.database.value(f"SELECT {column} FROM users WHERE email = {sql_text(email)}")


def request_id(cluster, reference):
    return cluster.database.value(f"SELECT id FROM support_requests WHERE reference = {sql_text(reference)}")


def approve(cluster, agent, rid):
    cluster.database.execute(f"UPDATE users SET totp_last_step = 0 WHERE email = {sql_text(agent.email)}")
    return agent.client.call(cluster.a, "support_approve", id=rid, code=totp_now(agent.totp_key))


def queue_ids(cluster, agent):
    return [r["id"] for r in expect(agent.client.call(cluster.b, "support_queue", status="new"), 200).json()]


def test_a_request_in_the_owners_name_waits_for_the_owners_mailbox(cluster, team):
    owner, user, agent = team["owner"], team["user"], team["agent"]
    before = secret_of(cluster, user.email)
    # The attack: the owner's address typed as the requester's, signed out, no documents.
    form = support_form(requester_email=owner.email, account_name=account_of(cluster, owner.email),
                        target_email=user.email, description="I, the account owner, ask for a reset.")
    answer = expect(post_support(cluster, form, client=speaking_from(Client(cluster))), 200).json()
    assert answer["confirm"] is True
    rid = request_id(cluster, answer["reference"])
    # Nothing reaches an agent: not in the queue, not by its id, not approvable.
    assert rid not in queue_ids(cluster, agent)
    assert expect(agent.client.call(cluster.a, "support_request", id=rid), 400).json()["Invalid"]
    assert approve(cluster, agent, rid).status_code == 400
    assert secret_of(cluster, user.email) == before, "the authenticator is untouched"
    # The mail went to the owner, who alone can confirm it; it says what was asked.
    mail = mail_text(mails_to(cluster, owner.email, answer["reference"], wait_for=1)[-1])
    assert user.email in mail and "ignore this mail: nothing will happen" in mail

    # The owner did ask: confirmed from their mailbox, it is theirs, proved.
    token = confirmation_token(cluster, owner.email, answer["reference"])
    shown = expect(Client(cluster).call(cluster.b, "support_confirmation", token=token), 200).json()
    assert (shown["reference"], shown["target_email"]) == (answer["reference"], user.email)
    expect(Client(cluster).call(cluster.a, "confirm_support_request", token=token), 200)
    again = Client(cluster).call(cluster.b, "confirm_support_request", token=token)
    assert again.status_code == 400 and "does not work any more" in again.json()["Invalid"]
    view = expect(agent.client.call(cluster.b, "support_request", id=rid), 200).json()
    assert view["facts"]["verified"] is True and "Confirmed from the mailbox of" in view["facts"]["verified_by"]
    assert view["facts"]["requester_role"] == "account owner" and view["approval_problem"] is None
    assert rid in queue_ids(cluster, agent)


def test_after_an_approved_reset_the_password_alone_never_enrols(cluster, team):
    owner, agent = team["owner"], team["agent"]
    tag = secrets.token_hex(3)
    email = f"reset.{tag}@acme.test"
    person = join(cluster, email, add_member(cluster, owner.email, email))
    _, rid = file_confirmed(cluster, support_form(requester_email=owner.email, target_email=email,
                                                  account_name=account_of(cluster, owner.email)))
    expect(approve(cluster, agent, rid), 200)
    assert secret_of(cluster, email) is None
    assert person.client.current_user(cluster.a) is None, "signed out everywhere"

    # Whoever knows the password: no setup, no secret, no enrolment; a link goes to the mailbox.
    attacker = speaking_from(Client(cluster))
    refused = attacker.call(cluster.a, "log_in", user_name=email, password=PASSWORD)
    assert refused.status_code == 400 and "we have sent it to your email address" in refused.json()["Invalid"]
    assert attacker.call(cluster.b, "setup_info").status_code == 401
    own = pyotp.random_base32()
    assert attacker.call(cluster.b, "confirm_setup", code=pyotp.TOTP(own).now()).status_code == 401
    # With someone else's link, or a made-up one: still nothing.
    forged = attacker.call(cluster.a, "log_in", user_name=email, password=PASSWORD, setup="A" * 43)
    assert forged.status_code == 400 and "does not work any more" in forged.json()["Invalid"]
    assert cluster.database.count("SELECT count(*) FROM totp_enrolments e JOIN users u ON u.id = e.user_id "
                                  f"WHERE u.email = {sql_text(email)}") == 0
    assert secret_of(cluster, email) is None

    # The person: the link from their mailbox, then their password.
    token = setup_link_token(cluster, email)
    me = speaking_from(Client(cluster))
    res = expect(me.call(cluster.b, "log_in", user_name=email, password=PASSWORD, setup=token), 200)
    assert res.headers["location"] == "/Account/SetupTwoFactor"
    key = expect(me.call(cluster.a, "setup_info"), 200).json()["key_grouped"]
    expect(me.call(cluster.b, "confirm_setup", code=totp_now(key)), 200)
    assert me.current_user(cluster.a)["email"] == email
    # The link worked once.
    late = speaking_from(Client(cluster)).call(cluster.a, "log_in", user_name=email, password=PASSWORD, setup=token)
    assert late.headers.get("location") == "/Account/Login?step=code", "an authenticator now: the code is owed"


def test_a_signed_in_co_owner_gets_no_reset_the_users_page_would_refuse(cluster, team):
    owner, co, user, agent = team["owner"], team["co"], team["user"], team["agent"]
    account = account_of(cluster, owner.email)
    for target in (owner.email, co.email):
        res = post_support(cluster, support_form(account_name=account, target_email=target), client=co.client)
        assert res.status_code == 400, res.text
        assert "Co-owners can ask for the reset of users only" in res.json()["error"] \
            or "Only your account owner can ask for your reset" in res.json()["error"], res.text
    # Around the form, through the mailbox: refused at approval all the same.
    _, rid = file_confirmed(cluster, support_form(requester_email=co.email, account_name=account,
                                                  target_email=owner.email))
    refused = approve(cluster, agent, rid)
    assert refused.status_code == 400 and "A co-owner may ask for the reset of users only" in refused.text
    assert secret_of(cluster, owner.email) is not None

    # A user of theirs, signed in: proved at once, and the console says how.
    answer = expect(post_support(cluster, support_form(account_name="typed anything", target_email=user.email),
                                 client=co.client), 200).json()
    assert answer["confirm"] is False
    view = expect(agent.client.call(cluster.a, "support_request", id=request_id(cluster, answer["reference"])),
                  200).json()
    assert view["requester_email"] == co.email and view["account_name"] == account
    assert view["facts"]["verified_by"].startswith(f"Signed in as {co.email}")


def test_a_requester_demoted_since_filing_gets_no_approval(cluster, team):
    owner, agent = team["owner"], team["agent"]
    tag = secrets.token_hex(3)
    co_email, user_email = f"co2.{tag}@acme.test", f"u2.{tag}@acme.test"
    co = speaking_from(join(cluster, co_email, add_member(cluster, owner.email, co_email, role="co-owner")).client)
    join(cluster, user_email, add_member(cluster, owner.email, user_email))
    answer = expect(post_support(cluster, support_form(target_email=user_email), client=co), 200).json()
    cluster.database.execute(f"UPDATE users SET role = 'user' WHERE email = {sql_text(co_email)}")
    refused = approve(cluster, agent, request_id(cluster, answer["reference"]))
    assert refused.status_code == 400 and "not the owner or a co-owner" in refused.text
    assert secret_of(cluster, user_email) is not None
