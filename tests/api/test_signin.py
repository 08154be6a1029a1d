"""The fixtures' own ground: an invited person signs in with password and TOTP over HTTP, and
the session is good on both processes (one database, one public URL)."""

from conftest import Client


def test_invited_person_is_signed_in_on_both_processes(cluster, person):
    for server in (cluster.a, cluster.b):
        me = person.client.current_user(server)
        assert me is not None and me["email"] == person.email and me["role"] == "owner"  # the role's code; pages say it in words
    assert Client(cluster).current_user(cluster.b) is None


def test_posts_from_another_origin_are_refused(cluster, person):
    # The same-origin check is why every helper sends Origin: pin it so a change is noticed.
    res = person.client.http.post(f"{cluster.b.url}/api/current_user", headers={"Origin": "http://evil.test"})
    assert res.status_code == 403, res.text

