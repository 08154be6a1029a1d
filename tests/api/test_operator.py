"""The operator's command line while both processes serve, on SQLite and PostgreSQL (issue 30):
listings (tables and `--json`), the break-glass 2FA reset with its refusals, ending a person's
sessions, and the audit log as JSON lines with its filters. Each change is audited as the
operator's (no actor) and takes effect on both processes at once."""

import json
import secrets
import subprocess

from conftest import (BIN, PASSWORD, ROOT, Client, add_member, expect, join, mails_to, setup_link_token,
                      sign_up, speaking_from, sql_text, totp_now)


def admin_run(cluster, *args):
    """`gatehouse admin ...` whatever its outcome: (exit code, stdout, stderr)."""
    done = subprocess.run([str(BIN), "admin", *args], env=cluster.env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    return done.returncode, done.stdout, done.stderr


def refused(cluster, *args):
    """The command fails with one line naming the problem: that line."""
    code, out, err = admin_run(cluster, *args)
    assert code != 0, f"{args} succeeded: {out}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def audit(cluster, *args):
    return [json.loads(line) for line in cluster.admin("audit-log", *args)]


def secret_of(cluster, email):
    return cluster.database.value(f"SELECT totp_secret FROM users WHERE email = {sql_text(email)}")


def test_accounts_and_their_people_are_listed_as_tables_and_json(cluster):
    owner = sign_up(cluster, f"list.{secrets.token_hex(3)}@acme.test")
    invited = f"new.{secrets.token_hex(3)}@acme.test"
    add_member(cluster, owner.email, invited, role="co-owner")
    name = cluster.database.value("SELECT a.name FROM accounts a JOIN users u ON u.account_id = a.id "
                                  f"WHERE u.email = {sql_text(owner.email)}")

    rows = [json.loads(line) for line in cluster.admin("list-accounts", "--json")]
    mine = [r for r in rows if r["name"] == name]
    assert len(mine) == 1, rows
    assert mine[0]["owner"] == owner.email and mine[0]["joined"] == 1 and mine[0]["invited"] == 1, mine
    assert mine[0]["created_at"].endswith("Z")
    table = cluster.admin("list-accounts")
    assert table[0].split() == ["NAME", "OWNER", "JOINED", "INVITED", "CREATED"]
    assert any(name in line and owner.email in line for line in table[1:]), table

    shown = json.loads(cluster.admin("show-account", "--account", name.upper(), "--json")[0])
    assert shown["name"] == name
    people = {p["email"]: p for p in shown["people"]}
    assert people[owner.email]["role"] == "owner" and people[owner.email]["joined"] is True
    assert people[owner.email]["authenticator"] is True and people[owner.email]["passkeys"] == 0
    assert people[owner.email]["last_sign_in"], "signed in when the authenticator was set up"
    assert people[invited] == {**people[invited], "role": "co-owner", "joined": False, "authenticator": False,
                               "last_sign_in": None}
    table = cluster.admin("show-account", "--account", name)
    assert table[0].startswith(f"Account “{name}”")
    assert any(invited in line and "invited" in line for line in table), table

    assert refused(cluster, "show-account", "--account", "No Such Company") \
        == "gatehouse: no account is named “No Such Company”"


def test_support_agents_are_listed(cluster):
    agent = sign_up(cluster, f"agent.{secrets.token_hex(3)}@support.test", agent=True)
    rows = [json.loads(line) for line in cluster.admin("list-agents", "--json")]
    assert {"email": agent.email, "role": "agent", "authenticator": True}.items() <= \
        next(r for r in rows if r["email"] == agent.email).items()
    assert all(r["role"] == "agent" for r in rows)


def test_break_glass_reset_acts_as_an_approved_request(cluster):
    owner = sign_up(cluster, f"glass.{secrets.token_hex(3)}@acme.test")
    other_browser = speaking_from(Client(cluster))
    expect(other_browser.call(cluster.b, "log_in", user_name=owner.email, password=PASSWORD), 200)
    assert secret_of(cluster, owner.email)

    out = cluster.admin("reset-2fa", "--email", owner.email, "--reason", "Owner locked out, called from 555-0100")
    assert out[0].startswith(f"Reset the 2FA of {owner.email}")
    link = out[-1]
    assert "/Account/Login?setup=" in link, out

    # What an approval does: no authenticator, no recovery codes, every session ended (on both
    # processes, the half-way one too).
    assert secret_of(cluster, owner.email) is None
    assert cluster.database.count("SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id "
                                  f"WHERE u.email = {sql_text(owner.email)}") == 0
    assert owner.client.current_user(cluster.a) is None and owner.client.current_user(cluster.b) is None
    assert other_browser.call(cluster.a, "verify_code", code=totp_now(owner.totp_key)).status_code != 200
    # Audited as the operator's, with the reason.
    entries = audit(cluster, "--email", owner.email)
    reset = [e for e in entries if e["kind"] == "totp.reset"]
    assert len(reset) == 1 and reset[0]["actor_id"] is None, entries
    assert "by the operator: Owner locked out, called from 555-0100" in reset[0]["detail"]

    # The mail carries the same link; with it and the password the person sets up again.
    token = setup_link_token(cluster, owner.email)
    assert link.endswith(token)
    me = speaking_from(Client(cluster))
    res = expect(me.call(cluster.b, "log_in", user_name=owner.email, password=PASSWORD, setup=token), 200)
    assert res.headers["location"] == "/Account/SetupTwoFactor"
    key = expect(me.call(cluster.a, "setup_info"), 200).json()["key_grouped"]
    expect(me.call(cluster.b, "confirm_setup", code=totp_now(key)), 200)
    assert me.current_user(cluster.a)["email"] == owner.email


def test_break_glass_reset_refusals_change_nothing(cluster):
    owner = sign_up(cluster, f"keep.{secrets.token_hex(3)}@acme.test")
    agent = sign_up(cluster, f"agent.{secrets.token_hex(3)}@support.test", agent=True)
    before = len(audit(cluster))

    assert refused(cluster, "reset-2fa", "--email", f"nobody.{secrets.token_hex(3)}@acme.test", "--reason", "x") \
        .startswith("gatehouse: nobody signs in with nobody.")
    assert refused(cluster, "reset-2fa", "--email", "not an address", "--reason", "x").startswith("gatehouse: ")
    assert "--reason" in refused(cluster, "reset-2fa", "--email", owner.email, "--reason", "   ")
    code, _, err = admin_run(cluster, "reset-2fa", "--email", owner.email)
    assert code != 0 and "--reason" in err, "a reason is required"
    assert refused(cluster, "reset-2fa", "--email", agent.email, "--reason", "lost phone") == \
        f"gatehouse: {agent.email} is a support agent: add --agent to reset a support agent's 2FA"

    assert secret_of(cluster, owner.email) and secret_of(cluster, agent.email)
    assert owner.client.current_user(cluster.b)["email"] == owner.email
    assert agent.client.current_user(cluster.a)["email"] == agent.email
    assert len(audit(cluster)) == before, "nothing audited for a refusal"

    cluster.admin("reset-2fa", "--email", agent.email, "--reason", "lost phone", "--agent")
    assert secret_of(cluster, agent.email) is None
    assert agent.client.current_user(cluster.a) is None


def test_ending_a_persons_sessions_signs_out_every_browser(cluster):
    owner = sign_up(cluster, f"end.{secrets.token_hex(3)}@acme.test")
    user_email = f"user.{secrets.token_hex(3)}@acme.test"
    user = join(cluster, user_email, add_member(cluster, owner.email, user_email))

    out = cluster.admin("end-sessions", "--email", owner.email)
    assert out == [f"Ended 1 session(s) of {owner.email}; the applications they signed in to are told."]
    assert owner.client.current_user(cluster.a) is None and owner.client.current_user(cluster.b) is None
    assert user.client.current_user(cluster.b)["email"] == user_email, "nobody else's"
    assert secret_of(cluster, owner.email), "their authenticator stays"
    ended = [e for e in audit(cluster, "--email", owner.email) if e["kind"] == "session.ended"]
    assert ended and ended[-1]["detail"] == "all 1 sessions ended by the operator" and ended[-1]["actor_id"] is None
    # And they sign in again as usual.
    again = speaking_from(Client(cluster))
    expect(again.call(cluster.a, "log_in", user_name=owner.email, password=PASSWORD), 200)
    assert refused(cluster, "end-sessions", "--email", f"gone.{secrets.token_hex(3)}@acme.test").startswith(
        "gatehouse: nobody signs in with")


def test_the_audit_log_exports_as_json_lines_with_filters(cluster):
    owner = sign_up(cluster, f"siem.{secrets.token_hex(3)}@acme.test")
    other = sign_up(cluster, f"other.{secrets.token_hex(3)}@acme.test")
    name = cluster.database.value("SELECT a.name FROM accounts a JOIN users u ON u.account_id = a.id "
                                  f"WHERE u.email = {sql_text(owner.email)}")

    everything = audit(cluster)
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), "oldest first, each once"
    assert {"at", "kind", "account", "email", "actor_email", "client_ip", "detail"} <= set(everything[0])

    mine = audit(cluster, "--email", owner.email)
    assert mine and all(e["email"] == owner.email for e in mine)
    assert {"account.created", "invitation.accepted", "totp.confirmed"} <= {e["kind"] for e in mine}
    assert not any(e["email"] == other.email for e in mine)
    of_account = audit(cluster, "--account", name)
    assert of_account and all(e["account"] == name for e in of_account)

    assert audit(cluster, "--since", "2100-01-01") == []
    recent = audit(cluster, "--since", everything[-1]["at"])
    assert recent and everything[-1]["id"] in [e["id"] for e in recent]
    assert "--since" in refused(cluster, "audit-log", "--since", "last tuesday")
    assert refused(cluster, "audit-log", "--account", "Nobody Ltd") == "gatehouse: no account is named “Nobody Ltd”"


def test_a_removed_support_agent_cannot_sign_in(cluster):
    agent = sign_up(cluster, f"leaver.{secrets.token_hex(3)}@support.test", agent=True)
    owner = sign_up(cluster, f"stays.{secrets.token_hex(3)}@acme.test")
    assert refused(cluster, "remove-agent", "--email", owner.email) == f"gatehouse: {owner.email} is not a support agent"
    assert owner.client.current_user(cluster.a)["email"] == owner.email

    assert cluster.admin("remove-agent", "--email", agent.email) == \
        [f"Removed support agent {agent.email}; their sessions have ended."]
    assert agent.client.current_user(cluster.a) is None and agent.client.current_user(cluster.b) is None
    again = speaking_from(Client(cluster)).call(cluster.b, "log_in", user_name=agent.email, password=PASSWORD)
    assert again.status_code == 400, again.text  # the same answer as any wrong name or password
    assert agent.email not in [json.loads(line)["email"] for line in cluster.admin("list-agents", "--json")]
    removed = [e for e in audit(cluster) if e["kind"] == "user.removed" and agent.email in e["detail"]]
    assert len(removed) == 1 and removed[0]["actor_id"] is None
    assert refused(cluster, "remove-agent", "--email", agent.email).startswith("gatehouse: nobody signs in with")
