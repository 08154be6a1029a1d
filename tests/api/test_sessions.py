"""Sessions on the Security page, over HTTP on both processes: every signed-in session is
listed with its browser and address; one can be signed out by its handle (never by its id),
or all others at once; nobody can end someone else's. And the session lifetime: the idle
timeout and the absolute lifetime are enforced by the server, and asking how long is left
does not count as activity (module `test_session_lifetime.py` has the short timeouts)."""

import base64
import hashlib

from conftest import PASSWORD, Client, expect, sql_text, totp_now

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/18.1 Mobile/15E148 Safari/604.1")


def sign_in(cluster, person, server, user_agent=None):
    """A new browser signed in as the person with password and code, on `server`. The code
    step's replay rule is reset first, so that sign-ins need not wait for the next 30-second
    step (the rule itself is tested in test_attacks.py)."""
    client = Client(cluster)
    if user_agent:
        client.http.headers["User-Agent"] = user_agent
    expect(client.call(server, "log_in", user_name=person.email, password=PASSWORD), 200)
    cluster.database.execute(f"UPDATE users SET totp_last_step = 0 WHERE email = {sql_text(person.email)}")
    expect(client.call(server, "verify_code", code=totp_now(person.totp_key)), 200)
    assert client.current_user(server)["email"] == person.email
    return client


def handle_of(client):
    """The handle the server names a session by: a digest of its id (the cookie)."""
    sid = client.http.cookies.get("gatehouse")
    return base64.urlsafe_b64encode(hashlib.sha256(sid.encode()).digest()[:16]).rstrip(b"=").decode()


def listed(client, server):
    return expect(client.call(server, "sessions"), 200).json()


def test_every_signed_in_session_is_listed_with_its_browser_and_address(cluster, person):
    laptop = sign_in(cluster, person, cluster.a, FIREFOX)
    phone = sign_in(cluster, person, cluster.b, SAFARI)
    half_way = Client(cluster)
    expect(half_way.call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)

    sessions = listed(laptop, cluster.b)
    assert sessions[0]["current"] and sessions[0]["browser"] == "Firefox on Linux", sessions
    assert sessions[0]["handle"] == handle_of(laptop)
    by_handle = {s["handle"]: s for s in sessions}
    assert by_handle[handle_of(phone)]["browser"] == "Safari on iPhone"
    assert not by_handle[handle_of(phone)]["current"]
    assert handle_of(half_way) not in by_handle, "a half-finished sign-in is not a session to list"
    assert len(sessions) == 3, "the laptop, the phone and the sign-up's own session"
    for s in sessions:
        assert s["address"] == "127.0.0.1" and s["signed_in"].endswith(" UTC") and s["last_active"] == "Active now"
    raw = expect(laptop.call(cluster.a, "sessions"), 200).text
    for c in (laptop, phone, person.client):
        assert c.http.cookies.get("gatehouse") not in raw, "session ids never leave the server"


def test_one_session_is_signed_out_by_its_handle_on_its_next_request(cluster, person):
    laptop = sign_in(cluster, person, cluster.a)
    phone = sign_in(cluster, person, cluster.b)
    phones = handle_of(phone)  # the phone's cookie goes with its session
    left = expect(laptop.call(cluster.b, "session_sign_out", handle=phones), 200).json()
    assert phones not in [s["handle"] for s in left] and len(left) == 2, "the sessions left, for the page"
    assert phone.current_user(cluster.a) is None and phone.current_user(cluster.b) is None
    assert laptop.current_user(cluster.a)["email"] == person.email
    gone = expect(laptop.call(cluster.a, "session_sign_out", handle=phones), 400).json()
    assert "already ended" in gone["Invalid"]
    own = expect(laptop.call(cluster.a, "session_sign_out", handle=handle_of(laptop)), 400).json()
    assert "log out" in own["Invalid"]
    assert laptop.current_user(cluster.a)["email"] == person.email, "this session is ended by Log out only"
    by_id = expect(laptop.call(cluster.a, "session_sign_out", handle=person.client.http.cookies.get("gatehouse")),
                   400).json()
    assert "already ended" in by_id["Invalid"], "a session id is not a handle"
    assert person.client.current_user(cluster.a)["email"] == person.email


def test_nobody_can_sign_out_someone_elses_session(cluster, person):
    from conftest import sign_up
    mallory = sign_up(cluster, "mallory.sessions@acme.test")
    res = expect(mallory.client.call(cluster.a, "session_sign_out", handle=handle_of(person.client)), 400)
    assert "already ended" in res.json()["Invalid"], "the same answer as for no such session"
    assert person.client.current_user(cluster.a)["email"] == person.email
    expect(mallory.client.call(cluster.a, "sign_out_other_sessions"), 200)
    assert person.client.current_user(cluster.b)["email"] == person.email


def test_signing_out_all_other_sessions_ends_them_and_half_finished_sign_ins(cluster, person):
    others = [sign_in(cluster, person, server) for server in (cluster.a, cluster.b)]
    half_way = Client(cluster)
    expect(half_way.call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)
    answer = expect(person.client.call(cluster.b, "sign_out_other_sessions"), 200).json()
    assert answer["ended"] == 3 and [s["current"] for s in answer["sessions"]] == [True]
    for c in others:
        assert c.current_user(cluster.a) is None
    refused = half_way.call(cluster.a, "verify_code", code=totp_now(person.totp_key))
    assert refused.status_code == 401, "the half-finished sign-in ended too"
    assert [s["current"] for s in listed(person.client, cluster.a)] == [True]
    assert expect(person.client.call(cluster.a, "sign_out_other_sessions"), 200).json()["ended"] == 0


def test_sessions_are_audited(cluster, person):
    other = sign_in(cluster, person, cluster.a)
    expect(person.client.call(cluster.a, "session_sign_out", handle=handle_of(other)), 200)
    expect(person.client.call(cluster.a, "sign_out_other_sessions"), 200)
    db = cluster.database
    uid = db.value(f"SELECT id FROM users WHERE email = '{person.email}'")
    assert db.count(f"SELECT count(*) FROM audit_log WHERE kind = 'session.ended' AND user_id = '{uid}'") == 2


def test_the_clock_reports_a_signed_in_session_only(cluster, person):
    clock = expect(person.client.call(cluster.a, "session_clock"), 200).json()
    assert clock["extendable"] and 1790 <= clock["ends_in_secs"] <= 1800 and clock["warn_before_secs"] == 120
    assert expect(Client(cluster).call(cluster.a, "session_clock"), 200).json() is None
    half_way = Client(cluster)
    expect(half_way.call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)
    assert expect(half_way.call(cluster.a, "session_clock"), 200).json() is None
    stayed = expect(person.client.call(cluster.b, "stay_signed_in"), 200).json()
    assert stayed["ends_in_secs"] >= 1799
    expect(Client(cluster).call(cluster.a, "stay_signed_in"), 401)
