"""The session lifetime, enforced by the server with short configured limits (30 s idle, 50 s
in all): a session left alone ends after the idle timeout, asking how long is left does not
count as activity, and a busy session still ends at its absolute lifetime, which a step-up
does not restart."""

import time

import pytest

from conftest import Client, expect, sql_text, totp_now
from test_sessions import sign_in


@pytest.fixture(scope="module")
def gatehouse_toml():
    return "session_idle_secs = 30\nsession_lifetime_secs = 50\n"


def at(t0, secs):
    """Sleeps until `secs` after `t0` (monotonic)."""
    time.sleep(max(0.0, t0 + secs - time.monotonic()))


def test_idle_and_absolute_limits_are_enforced_on_the_server(cluster, person):
    idle = sign_in(cluster, person, cluster.a)
    t0 = time.monotonic()  # the idle session was last used before this
    busy = sign_in(cluster, person, cluster.b)
    assert time.monotonic() - t0 < 4, "the busy session's lifetime must end before the last check"
    clock = expect(busy.call(cluster.a, "session_clock"), 200).json()
    assert clock["extendable"] and 28 <= clock["ends_in_secs"] <= 30 and clock["warn_before_secs"] == 10

    for second in range(5, 30, 5):
        at(t0, second)
        if second == 20:
            # A step-up gives the session a new id; its lifetime still counts from the sign-in.
            cluster.database.execute(f"UPDATE users SET totp_last_step = 0 WHERE email = {sql_text(person.email)}")
            expect(busy.call(cluster.a, "step_up", code=totp_now(person.totp_key)), 200)
        assert busy.current_user(cluster.a if second % 10 else cluster.b)["email"] == person.email
        ends_in = expect(idle.call(cluster.b, "session_clock"), 200).json()["ends_in_secs"]
        assert ends_in <= 30 - second + 1, "asking how long is left is not activity"

    at(t0, 34)
    assert idle.current_user(cluster.a) is None, "30 s without activity end a session"
    assert expect(idle.call(cluster.b, "session_clock"), 200).json() is None
    expect(idle.call(cluster.b, "stay_signed_in"), 401)
    assert busy.current_user(cluster.b)["email"] == person.email

    stayed = expect(busy.call(cluster.a, "stay_signed_in"), 200).json()
    assert not stayed["extendable"] and stayed["ends_in_secs"] <= 50 - 34 + 4, "activity cannot pass the lifetime"
    for second in (40, 46):
        at(t0, second)
        assert busy.current_user(cluster.a)["email"] == person.email
    at(t0, 56)
    assert busy.current_user(cluster.b) is None, "50 s after the sign-in, however busy"
    assert Client(cluster).current_user(cluster.a) is None
