"""The public support form over HTTP (`POST /support/requests`), on two processes sharing SQLite or
PostgreSQL: real PDF, JPEG and PNG files are stored sealed with the request; every bad input is
refused with a message naming the file and the reason, and leaves nothing behind (rows counted
before and after); the answer never tells whether the emails or the account exist; filings
are limited per client address, never per email typed."""

import secrets
import socket

import pytest

from conftest import Client, expect, new_address, post_support, speaking_from, sql_text
from documents import image_bytes, padded_pdf, pdf_bytes, png_claiming

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def gatehouse_toml():
    # Requests may say which address they come from: the limits are per client address.
    return 'trusted_proxies = ["127.0.0.1", "::1"]\n'


def fields(**changes):
    form = {"area": "Account", "requester_email": f"owner.{secrets.token_hex(3)}@acme.test",
            "account_name": "Acme", "subject": "Reset 2FA",
            "description": "I, the account owner, ask for 2FA to be reset for user@acme.test.",
            "target_email": "user@acme.test"}
    form.update(changes)
    return form


def send(cluster, server, form, files=(), accept_json=True, address=None):
    """The form as multipart: `files` is a list of (field, name, bytes); from a new client
    address each time unless `address` says which."""
    client = speaking_from(Client(cluster), address)
    return post_support(cluster, form, files, client=client, server=server, accept_json=accept_json)


def stored(cluster):
    return (cluster.database.count("SELECT count(*) FROM support_requests"),
            cluster.database.count("SELECT count(*) FROM support_documents"))


def test_an_owners_own_request_with_three_real_documents_is_stored_sealed(cluster):
    me = f"owner.{secrets.token_hex(3)}@acme.test"
    files = [("legal_id", "passport.jpg", image_bytes("JPEG")),
             ("business_registration", "registration.pdf", pdf_bytes()),
             ("letterhead", "letter.png", image_bytes("PNG"))]
    res = expect(send(cluster, cluster.a, fields(requester_email=me, target_email=me, owner_self="on"), files), 200)
    reference = res.json()["reference"]
    assert reference.startswith("GH-") and len(reference) == 9
    row = f"(SELECT id FROM support_requests WHERE reference = {sql_text(reference)})"
    kinds = cluster.database.value(
        f"SELECT {'string_agg' if cluster.database.kind == 'postgres' else 'group_concat'}(kind || ':' || "
        f"display_name, ',') FROM (SELECT kind, display_name FROM support_documents WHERE request_id = {row} "
        "ORDER BY kind) x")
    assert kinds == "business_registration:registration.pdf,legal_id:passport.jpg,letterhead:letter.png", kinds
    # Sealed: the stored bytes are not the file's.
    column = "hex(content)" if cluster.database.kind == "sqlite" else "encode(content, 'hex')"
    sealed = cluster.database.value(f"SELECT {column} FROM support_documents WHERE request_id = {row} "
                                    "AND kind = 'business_registration'")
    assert "255044462d" not in sealed.lower()[:40], "no %PDF- header at rest"


def test_the_same_answer_whoever_the_request_names(cluster):
    nobody = fields(requester_email="ghost@nowhere.test", account_name="No such company",
                    target_email="nobody@nowhere.test")
    answer = expect(send(cluster, cluster.b, nobody), 200).json()
    assert set(answer) == {"reference", "confirm"} and answer["confirm"] is True, answer


BAD = {
    "an executable renamed .pdf": ("attachments", "invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200,
                                   "only PDF, JPEG and PNG files can be sent"),
    "HTML renamed .pdf": ("attachments", "page.pdf", b"<!DOCTYPE html><script>alert(1)</script>",
                          "only PDF, JPEG and PNG files can be sent"),
    "PNG bytes named .jpg": ("attachments", "photo.jpg", image_bytes("PNG"),
                             "its name says JPEG but it is a PNG file"),
    "a truncated PDF": ("attachments", "cut.pdf", pdf_bytes()[:-40], "damaged or incomplete"),
    "a 0-byte file": ("attachments", "empty.pdf", b"", "the file is empty"),
    "an image of 30000 x 30000 pixels": ("attachments", "flood.png", png_claiming(30_000, 30_000),
                                         "30000 × 30000 pixels"),
    # Control characters are refused too (unit tests of `upload::check`); in a multipart
    # header they already stop the parser.
    "a name with ../ in it": ("attachments", "../../etc/passwd.pdf", pdf_bytes(), "characters a file name cannot have"),
    "a name with \\ in it": ("attachments", "..\\..\\boot.ini.pdf", pdf_bytes(), "characters a file name cannot have"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_is_refused_with_its_name_and_nothing_is_kept(cluster, case):
    field, name, data, reason = BAD[case]
    before = stored(cluster)
    good = ("attachments", "fine.pdf", pdf_bytes())
    res = send(cluster, cluster.a, fields(), [good, (field, name, data)])
    assert 400 <= res.status_code < 500, (res.status_code, res.text)
    message = res.json()["error"]
    assert reason in message, message
    if "/" not in name and "\\" not in name:
        assert f"“{name}”" in message, message
    assert stored(cluster) == before


def test_an_11_mib_file_is_refused_before_more_is_read(cluster):
    before = stored(cluster)
    big = pdf_bytes() + b" " * (11 * MIB)
    res = send(cluster, cluster.b, fields(), [("attachments", "huge.pdf", big)])
    assert res.status_code == 413, res.status_code
    assert "“huge.pdf” was not accepted: it is larger than 10 MB" in res.json()["error"]
    assert stored(cluster) == before


def test_files_up_to_the_limits_are_accepted(cluster):
    """A 9.5 MiB scan and two more, 24 MiB in all: under every limit, so stored whole."""
    scan = padded_pdf(9 * MIB + MIB // 2)
    files = [("attachments", f"scan{i}.pdf", scan) for i in range(2)] + \
        [("attachments", "more.pdf", padded_pdf(4 * MIB))]
    reference = expect(send(cluster, cluster.a, fields(), files), 200).json()["reference"]
    sizes = cluster.database.value(
        "SELECT sum(size) FROM support_documents WHERE request_id = "
        f"(SELECT id FROM support_requests WHERE reference = {sql_text(reference)})")
    assert int(sizes) == 2 * len(scan) + len(files[2][2])


def test_eleven_files_are_refused(cluster):
    before = stored(cluster)
    files = [("attachments", f"page{i}.pdf", pdf_bytes()) for i in range(11)]
    res = send(cluster, cluster.a, fields(), files)
    assert res.status_code == 400 and "at most 10 files" in res.json()["error"], res.text
    assert stored(cluster) == before


def test_an_owners_own_reset_without_the_three_documents_is_refused(cluster):
    me = f"owner.{secrets.token_hex(3)}@acme.test"
    before = stored(cluster)
    res = send(cluster, cluster.a, fields(requester_email=me, target_email=me, owner_self="on"),
               [("legal_id", "passport.pdf", pdf_bytes())])
    assert res.status_code == 400, res.text
    assert res.json()["error"] == ("An account owner's own reset needs the Proof of business registration, "
                                   "Letter on company letterhead: add them.")
    assert stored(cluster) == before


def test_a_malformed_body_and_one_cut_off_mid_stream_leave_nothing(cluster):
    before = stored(cluster)
    import requests
    broken = requests.post(f"{cluster.a.url}/support/requests", data=b"--x\r\nnot a part at all",
                           headers={"Origin": cluster.public_url, "Accept": "application/json",
                                    "Content-Type": "multipart/form-data; boundary=x"}, timeout=30)
    assert broken.status_code == 400 and "could not be read" in broken.json()["error"], broken.text
    # Announce 2 MiB, send a part of it, hang up.
    port = int(cluster.b.url.rsplit(":", 1)[1])
    head = (f"POST /support/requests HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: {cluster.public_url}\r\n"
            "Content-Type: multipart/form-data; boundary=cut\r\nContent-Length: 2097152\r\n\r\n").encode()
    body = b"--cut\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a.pdf\"\r\n\r\n" + pdf_bytes()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(head + body)
    assert expect(requests.get(f"{cluster.b.url}/healthz", timeout=30), 200).text == "ok\n"
    assert stored(cluster) == before


def test_without_javascript_the_form_comes_back_with_a_fixed_code(cluster):
    ok = send(cluster, cluster.a, fields(), accept_json=False)
    assert ok.status_code == 303 and ok.headers["location"].startswith("/support/new?sent=GH-"), ok.headers
    bad = send(cluster, cluster.a, fields(), [("attachments", "x.pdf", b"MZ")], accept_json=False)
    assert bad.headers["location"] == "/support/new?problem=file"


def test_a_request_from_another_site_is_refused(cluster):
    import requests
    res = requests.post(f"{cluster.a.url}/support/requests", files={"area": (None, "Account")},
                        headers={"Origin": "https://evil.example"}, timeout=30)
    assert res.status_code == 403


def test_the_public_form_is_limited_per_client_address_never_per_email_typed(cluster):
    """A stranger typing the owner's address as their own fills their own address's limit, not
    the owner's: the owner, from their own address, still files and confirms."""
    owner = f"victim.{secrets.token_hex(3)}@acme.test"
    stranger = new_address()
    for i in range(10):
        expect(send(cluster, (cluster.a, cluster.b)[i % 2], fields(requester_email=owner), address=stranger), 200)
    before = stored(cluster)
    eleventh = send(cluster, cluster.b, fields(requester_email=f"other.{i}@x.test"), address=stranger)
    assert eleventh.status_code == 429, eleventh.text
    assert eleventh.json()["error"].startswith("Too many requests were sent from here."), eleventh.text
    assert stored(cluster) == before, "the refused one left nothing"
    own = expect(send(cluster, cluster.a, fields(requester_email=owner), address=new_address()), 200).json()
    assert own["confirm"] is True


def test_refused_files_count_against_the_address_too(cluster):
    """Decoding costs: a flood of bad files is limited like accepted requests, and the fields
    are refused before any file is read."""
    address = new_address()
    for i in range(10):
        bad = send(cluster, cluster.a, fields(), [("attachments", "x.pdf", b"MZ" + bytes(100))], address=address)
        assert bad.status_code == 422, bad.text
    blocked = send(cluster, cluster.a, fields(), [("attachments", "fine.pdf", pdf_bytes())], address=address)
    assert blocked.status_code == 429, blocked.text
    # A missing field is refused on its own, before the files, and costs nothing.
    elsewhere = new_address()
    for _ in range(12):
        res = send(cluster, cluster.b, fields(subject=""), [("attachments", "x.pdf", b"MZ")], address=elsewhere)
        assert res.status_code == 400 and res.json()["error"] == "Enter a subject.", res.text
    expect(send(cluster, cluster.b, fields(), [("attachments", "fine.pdf", pdf_bytes())], address=elsewhere), 200)


def test_fields_must_come_before_the_files(cluster):
    before = stored(cluster)
    import requests
    parts = [("attachments", ("fine.pdf", pdf_bytes()))] + [(k, (None, v)) for k, v in fields().items()]
    res = requests.post(f"{cluster.a.url}/support/requests", files=parts, timeout=30,
                        headers={"Origin": cluster.public_url, "Accept": "application/json",
                                 "X-Forwarded-For": new_address()})
    assert res.status_code == 400, res.text
    assert stored(cluster) == before


def stalled_upload(cluster, server, address):
    """An upload whose fields are right and whose file stops after its first bytes, the socket
    left open: the server admits it and lends it one of its few upload slots."""
    port = int(server.url.rsplit(":", 1)[1])
    body = b"".join(
        f'--cut\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields().items())
    body += b'--cut\r\nContent-Disposition: form-data; name="attachments"; filename="a.pdf"\r\n\r\n' + pdf_bytes()
    head = (f"POST /support/requests HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: {cluster.public_url}\r\n"
            f"Accept: application/json\r\nX-Forwarded-For: {address}\r\n"
            "Content-Type: multipart/form-data; boundary=cut\r\nContent-Length: 2097152\r\n\r\n").encode()
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(head + body)
    return s


def test_uploads_that_stall_lose_their_slot_and_count(cluster):
    """Four uploads at once hold the four upload slots; a trickle cannot keep one: a file that
    stops coming is cut off after ten seconds, answered 408, and counted against its address,
    and the form waiting for a slot goes through."""
    import time
    addresses = [new_address() for _ in range(4)]
    stalled = [stalled_upload(cluster, cluster.a, a) for a in addresses]
    try:
        time.sleep(1)
        started = time.monotonic()
        waiting = send(cluster, cluster.a, fields(), [("attachments", "fine.pdf", pdf_bytes())])
        waited = time.monotonic() - started
        assert waiting.status_code == 200, waiting.text
        assert waited > 5, f"it had to wait for a slot ({waited:.1f} s)"
        for s in stalled:
            s.settimeout(5)
            answer = s.recv(4096).decode(errors="replace")
            assert answer.startswith("HTTP/1.1 408"), answer[:200]
            assert "came too slowly" in answer
    finally:
        for s in stalled:
            s.close()
    counted = cluster.database.count("SELECT count(*) FROM throttle WHERE key IN ("
                                     + ", ".join(f"'support-address:{a}'" for a in addresses) + ") AND failures = 1")
    assert counted == 4, "each stalled filing counts against its address"
