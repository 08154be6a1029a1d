"""The Users page's administration over HTTP on two server processes sharing one database
(SQLite and PostgreSQL): invitations mailed, sent again and revoked; co-owners limited to
users; roles changed with a mail; ownership handed over after the owner's code, mailed to
both; removal signing the person out at once. Every refusal leaves everything as it was."""

import re
import secrets

from conftest import (Client, expect, join, mail_text, mails_to, next_code, role_of, sign_up)

INVITATION = "Your invitation to"
NOT_HERE = "No one with that email address is in your account."


def invitation_token(cluster, email, count=1):
    mails = mails_to(cluster, email, INVITATION, wait_for=count)
    assert len(mails) == count, f"{len(mails)} invitation mails to {email}"
    return re.search(r"/Account/AcceptInvitation\?token=([A-Za-z0-9_-]+)", mail_text(mails[-1]))[1]


def refusal(res, status=400):
    expect(res, status)
    return res.json().get("Invalid", res.text)


def emails(done):
    return {m["email"]: m for m in done["members"]}


def test_owner_invites_a_co_owner_who_invites_users_but_never_changes_the_owner(cluster):
    owner = sign_up(cluster, f"own.{secrets.token_hex(4)}@acme.test")
    co_email = f"co.{secrets.token_hex(4)}@acme.test"
    done = expect(owner.client.call(cluster.a, "invite_user", email=co_email, role="co-owner"), 200).json()
    assert done["notice"] == f"Invitation sent to {co_email}. The link works once, for 7 days."
    listed = emails(done)[co_email]
    assert listed["invited"] and listed["role"] == "co-owner" and listed["manageable"]
    mail = mails_to(cluster, co_email, INVITATION, wait_for=1)[-1]
    assert "as a co-owner of" in mail_text(mail)
    co = join(cluster, co_email, invitation_token(cluster, co_email))

    # The co-owner (on the other process) invites a user, but no co-owner.
    user_email = f"user.{secrets.token_hex(4)}@acme.test"
    expect(co.client.call(cluster.b, "invite_user", email=user_email, role="user"), 200)
    assert role_of(cluster, user_email) == "user"
    extra = f"x.{secrets.token_hex(4)}@acme.test"
    assert refusal(co.client.call(cluster.b, "invite_user", email=extra, role="co-owner")) == \
        "Only the account owner can do that."
    assert role_of(cluster, extra) is None

    # Nothing the co-owner does reaches the owner.
    no = "Co-owners manage users; only the account owner can change co-owners or the owner."
    assert refusal(co.client.call(cluster.a, "remove_user", email=owner.email)) == no
    assert refusal(co.client.call(cluster.a, "change_role", email=owner.email, role="user")) == \
        "Only the account owner can do that."
    assert refusal(co.client.call(cluster.a, "transfer_ownership", email=co.email, code=next_code(co))) == \
        "Only the account owner can do that."
    assert role_of(cluster, owner.email) == "owner" and role_of(cluster, co.email) == "co-owner"
    # What the co-owner sees: only users are theirs to manage.
    seen = {m["email"]: m for m in expect(co.client.call(cluster.a, "account_users"), 200).json()}
    assert not seen[owner.email]["manageable"] and seen[user_email]["manageable"] and seen[co.email]["you"]

    # Bad input gets a clear message and nothing is made.
    assert refusal(owner.client.call(cluster.a, "invite_user", email="not an address", role="user")) == \
        "Enter an email address like name@example.com."
    assert refusal(owner.client.call(cluster.a, "invite_user", email=user_email, role="user")) == \
        f"{user_email} already has a user, in this account or another."
    assert refusal(owner.client.call(cluster.a, "invite_user", email=extra, role="owner")) == \
        "A role is user or co-owner; there is one account owner."
    assert role_of(cluster, extra) is None


def test_an_invitation_sent_again_replaces_the_link_and_a_revoked_one_is_gone(cluster):
    owner = sign_up(cluster, f"own.{secrets.token_hex(4)}@acme.test")
    email = f"new.{secrets.token_hex(4)}@acme.test"
    expect(owner.client.call(cluster.a, "invite_user", email=email, role="user"), 200)
    first = invitation_token(cluster, email)
    done = expect(owner.client.call(cluster.b, "resend_invitation", email=email), 200).json()
    assert done["notice"] == f"A new invitation was sent to {email}; the earlier link no longer works."
    second = invitation_token(cluster, email, count=2)
    assert first != second
    stale = Client(cluster).call(cluster.a, "invitation_info", token=first)
    fresh = expect(Client(cluster).call(cluster.a, "invitation_info", token=second), 200)
    assert stale.status_code != 200 or stale.json() != fresh.json()

    done = expect(owner.client.call(cluster.a, "revoke_invitation", email=email), 200).json()
    assert email not in emails(done) and role_of(cluster, email) is None
    assert Client(cluster).call(cluster.a, "invitation_info", token=second).json() != fresh.json()

    # Someone who accepted is past invitations; the address of someone elsewhere reads as
    # no one's.
    other = sign_up(cluster, f"other.{secrets.token_hex(4)}@globex.test")
    for name in ("resend_invitation", "revoke_invitation", "remove_user"):
        assert refusal(owner.client.call(cluster.a, name, email=other.email)) == NOT_HERE
        assert refusal(owner.client.call(cluster.a, name, email=f"nobody.{secrets.token_hex(3)}@acme.test")) == NOT_HERE
    assert role_of(cluster, other.email) == "owner"


def test_a_role_change_takes_effect_at_once_and_is_mailed(cluster):
    owner = sign_up(cluster, f"own.{secrets.token_hex(4)}@acme.test")
    email = f"kim.{secrets.token_hex(4)}@acme.test"
    expect(owner.client.call(cluster.a, "invite_user", email=email, role="user"), 200)
    kim = join(cluster, email, invitation_token(cluster, email))
    expect(kim.client.call(cluster.a, "account_users"), 403)

    done = expect(owner.client.call(cluster.a, "change_role", email=email, role="co-owner"), 200).json()
    assert done["notice"] == f"{email} is a co-owner now." and emails(done)[email]["role"] == "co-owner"
    expect(kim.client.call(cluster.b, "account_users"), 200)
    mail = mails_to(cluster, email, "changed", wait_for=1)[-1]
    assert "made you a co-owner" in mail_text(mail) and "If this wasn't you" in mail_text(mail)

    expect(owner.client.call(cluster.a, "change_role", email=email, role="user"), 200)
    # The session Kim already has loses the page at once.
    expect(kim.client.call(cluster.b, "account_users"), 403)
    assert refusal(owner.client.call(cluster.a, "change_role", email=owner.email, role="user")) == \
        "You cannot do that to yourself."
    assert role_of(cluster, owner.email) == "owner"


def test_ownership_moves_after_the_owners_code_and_both_are_mailed(cluster):
    owner = sign_up(cluster, f"own.{secrets.token_hex(4)}@acme.test")
    email = f"heir.{secrets.token_hex(4)}@acme.test"
    expect(owner.client.call(cluster.a, "invite_user", email=email, role="user"), 200)
    # Not to someone who has not accepted, and the refusal uses no code.
    code = next_code(owner)
    assert refusal(owner.client.call(cluster.a, "transfer_ownership", email=email, code=code)) == \
        f"{email} has not accepted their invitation yet: ownership can only go to someone who can sign in."
    heir = join(cluster, email, invitation_token(cluster, email))
    # A wrong code changes nothing.
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    expect(owner.client.call(cluster.a, "transfer_ownership", email=email, code=wrong), 400)
    assert role_of(cluster, owner.email) == "owner" and role_of(cluster, email) == "user"

    done = expect(owner.client.call(cluster.b, "transfer_ownership", email=email, code=code), 200).json()
    assert done["notice"] == f"{email} is the account owner now; you are a co-owner."
    assert role_of(cluster, email) == "owner" and role_of(cluster, owner.email) == "co-owner"
    listed = emails(done)
    assert not listed[email]["manageable"] and listed[owner.email]["you"]
    for who, words in ((email, "over to you"), (owner.email, "you are a co-owner now")):
        mail = mails_to(cluster, who, "has a new account owner", wait_for=1)[-1]
        assert words in mail_text(mail), mail_text(mail)

    # The former owner is a co-owner now; the new owner manages them.
    assert refusal(owner.client.call(cluster.a, "change_role", email=email, role="user")) == \
        "Only the account owner can do that."
    expect(heir.client.call(cluster.a, "change_role", email=owner.email, role="user"), 200)
    assert role_of(cluster, owner.email) == "user"


def test_removal_signs_the_person_out_at_once(cluster):
    owner = sign_up(cluster, f"own.{secrets.token_hex(4)}@acme.test")
    email = f"leaver.{secrets.token_hex(4)}@acme.test"
    expect(owner.client.call(cluster.a, "invite_user", email=email, role="co-owner"), 200)
    leaver = join(cluster, email, invitation_token(cluster, email))
    assert leaver.client.current_user(cluster.b) is not None

    assert refusal(owner.client.call(cluster.a, "remove_user", email=owner.email)) == "You cannot do that to yourself."
    done = expect(owner.client.call(cluster.a, "remove_user", email=email), 200).json()
    assert done["notice"] == f"{email} was removed and signed out everywhere." and email not in emails(done)
    assert leaver.client.current_user(cluster.b) is None
    assert role_of(cluster, email) is None
    kinds = cluster.database.count("SELECT count(*) FROM audit_log WHERE kind = 'user.removed' "
                                   f"AND detail = '{email} (co-owner) removed'")
    assert kinds == 1


def test_invitations_are_limited_per_inviter_so_addresses_cannot_be_probed_in_bulk(cluster):
    owner = sign_up(cluster, f"own.{secrets.token_hex(4)}@acme.test")
    # An address that has a user (here the owner's own) counts like an invitation.
    assert refusal(owner.client.call(cluster.a, "invite_user", email=owner.email, role="user")) == \
        f"{owner.email} already has a user, in this account or another."
    tag = secrets.token_hex(4)
    for n in range(29):
        server = cluster.a if n % 2 else cluster.b
        expect(owner.client.call(server, "invite_user", email=f"p{n}.{tag}@acme.test", role="user"), 200)
    blocked = owner.client.call(cluster.b, "invite_user", email=f"late.{tag}@acme.test", role="user")
    assert refusal(blocked).startswith("You have sent many invitations in a short time. Try again in ")
    listed = {m["email"] for m in expect(owner.client.call(cluster.a, "account_users"), 200).json()}
    assert f"late.{tag}@acme.test" not in listed and f"p28.{tag}@acme.test" in listed
    # Another owner is not held back by it.
    other = sign_up(cluster, f"own.{secrets.token_hex(4)}@other.test")
    expect(other.client.call(cluster.b, "invite_user", email=f"q.{tag}@other.test", role="user"), 200)
