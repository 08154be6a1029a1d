"""Pages in the person's language (issue 29), over HTTP on two server processes: the browser's
Accept-Language negotiated against the languages present (de-CH finds German), the choice kept
by the login page's switch winning over it, `<html lang>` saying which, and a language added by
adding a folder (GATEHOUSE_LOCALES_DIR, a test-only `xx` made from English here) without a
code change."""

import re
import secrets
import shutil
from pathlib import Path

import pytest

from conftest import (PASSWORD, Client, add_member, expect, join, mail_text, mails_to, next_code, post_support,
                      sign_up, support_form)

LOCALES = Path(__file__).resolve().parents[2] / "locales"


@pytest.fixture(scope="module")
def gatehouse_toml(tmp_path_factory):
    folder = tmp_path_factory.mktemp("locales")
    shutil.copytree(LOCALES / "en", folder / "xx")
    login = folder / "xx" / "login.ftl"
    login.write_text(login.read_text().replace("login-title = Log in", "login-title = Xog xn"))
    common = folder / "xx" / "common.ftl"
    common.write_text(common.read_text().replace("language-name = English", "language-name = Xxish"))
    return f'locales_dir = "{folder}"\n'


def login_page(cluster, server, headers=None, client=None):
    http = (client or Client(cluster)).http
    return expect(http.get(f"{server.url}/Account/Login", headers=headers or {}, timeout=30), 200).text


def html_lang(page):
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_the_browser_asks_and_gets_the_nearest_language_present(cluster):
    german = login_page(cluster, cluster.a, {"Accept-Language": "de-CH, fr;q=0.8"})
    assert html_lang(german) == "de"
    assert "<h1 id=\"login-title\">Anmelden</h1>" in german and "Benutzername" in german
    weighted = login_page(cluster, cluster.b, {"Accept-Language": "en;q=0.1, de-AT;q=0.9"})
    assert html_lang(weighted) == "de", "weights count, not order"
    unknown = login_page(cluster, cluster.a, {"Accept-Language": "ja, ko;q=0.5"})
    assert html_lang(unknown) == "en" and "<h1 id=\"login-title\">Log in</h1>" in unknown
    assert html_lang(login_page(cluster, cluster.b)) == "en", "no header: the default"


def test_the_switch_keeps_the_choice_over_the_browsers_and_works_without_javascript(cluster):
    browser = Client(cluster)
    english = login_page(cluster, cluster.a, {"Accept-Language": "en"}, browser)
    # Every language is offered in its own name, as a plain link back to this page.
    assert 'hreflang="de"' in english and ">Deutsch</a>" in english and ">Xxish</a>" in english
    res = browser.http.get(f"{cluster.a.url}/language/de?back=%2FAccount%2FLogin%3Fstep%3Dcode", allow_redirects=False,
                           timeout=30)
    assert res.status_code == 303 and res.headers["location"] == "/Account/Login?step=code"
    page = login_page(cluster, cluster.b, {"Accept-Language": "en"}, browser)
    assert html_lang(page) == "de", "the choice wins over the browser's header, on either process"


def test_the_switch_goes_back_only_to_this_site_and_ignores_unknown_languages(cluster):
    browser = Client(cluster)
    for back in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        res = browser.http.get(f"{cluster.a.url}/language/de", params={"back": back}, allow_redirects=False, timeout=30)
        assert res.headers["location"] == "/Account/Login", back
    res = browser.http.get(f"{cluster.a.url}/language/fr?back=/", allow_redirects=False, timeout=30)
    assert res.headers["location"] == "/" and "set-cookie" not in res.headers
    res = browser.http.get(f"{cluster.a.url}/language/..%2F..%2Fetc?back=/", allow_redirects=False, timeout=30)
    assert "set-cookie" not in res.headers


def test_a_language_is_added_by_adding_a_folder(cluster):
    page = login_page(cluster, cluster.a, {"Accept-Language": "xx"})
    assert html_lang(page) == "xx" and "<h1 id=\"login-title\">Xog xn</h1>" in page


def test_the_app_receives_the_pages_language_to_hydrate_with(cluster):
    # Any page but the login page (which has its own small client) carries its messages.
    page = expect(Client(cluster).http.get(f"{cluster.a.url}/Account/ForgotPassword",
                                           headers={"Accept-Language": "de"}, timeout=30), 200).text
    script = re.search(r'<script type="text/x-fluent" id="gatehouse-messages" lang="de"[^>]*>(.*?)</script>', page, re.S)
    assert script and "login-title = Anmelden" in script.group(1)


def test_a_person_who_chose_german_gets_it_in_every_browser_they_sign_in_with(cluster):
    person = sign_up(cluster, f"de.{secrets.token_hex(4)}@acme.test")
    assert person.client.call(cluster.a, "set_language", language="fr").status_code == 400, "only languages offered"
    res = expect(person.client.call(cluster.a, "set_language", language="de"), 200)
    assert "gatehouse-language=de" in res.headers["set-cookie"]
    assert expect(person.client.call(cluster.b, "my_language"), 200).json() == "de"
    # A new browser, asking for English: once signed in, German.
    laptop = Client(cluster)
    expect(laptop.call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)
    assert html_lang(login_page(cluster, cluster.a, {"Accept-Language": "en"}, laptop)) == "en", "not before sign-in"
    done = expect(laptop.call(cluster.b, "verify_code", code=next_code(person)), 200)
    assert "gatehouse-language=de" in done.headers.get("set-cookie", "")
    security = expect(laptop.http.get(f"{cluster.a.url}/Account/Security", headers={"Accept-Language": "en"},
                                      timeout=30), 200).text
    assert html_lang(security) == "de"
    # Back to the browser's language: the choice and the cookie go.
    res = expect(laptop.call(cluster.a, "set_language", language=""), 200)
    assert re.search(r"gatehouse-language=;|gatehouse-language=\"\";", res.headers["set-cookie"]), res.headers
    assert expect(person.client.call(cluster.b, "my_language"), 200).json() is None


def test_the_setting_works_as_a_plain_form_and_answers_in_the_new_language(cluster):
    person = sign_up(cluster, f"form.{secrets.token_hex(4)}@acme.test")
    res = person.client.http.post(f"{cluster.a.url}/api/set_language", data={"language": "de"},
                                  headers={"Accept": "text/html"}, allow_redirects=False, timeout=30)
    assert res.status_code in (302, 303) and res.headers["location"] == "/Account/Security#language"
    page = expect(person.client.http.get(f"{cluster.b.url}/Account/Security", timeout=30), 200).text
    assert html_lang(page) == "de" and "Sprache gespeichert." in page
    assert re.search(r'<option value="de" lang="de" selected', page), "the choice shows as chosen"


def test_mails_follow_the_persons_choice_not_the_browser_that_caused_them(cluster):
    person = sign_up(cluster, f"mails.{secrets.token_hex(4)}@acme.test")
    expect(person.client.call(cluster.a, "set_language", language="de"), 200)
    # A new browser that asks for English, signing in with a recovery code: both notices
    # (the recovery code used, the new browser) are in German.
    laptop = Client(cluster)
    laptop.http.headers["Accept-Language"] = "en-US,en;q=0.9"
    expect(laptop.call(cluster.a, "log_in", user_name=person.email, password=PASSWORD), 200)
    expect(laptop.call(cluster.b, "use_recovery_code", recovery_code=person.recovery_codes[0]), 200)
    used = mails_to(cluster, person.email, "Wiederherstellungscode wurde", wait_for=1)
    assert len(used) == 1, [str(m["Subject"]) for m in mails_to(cluster, person.email)]
    assert "Sie haben noch 9 Wiederherstellungscodes." in mail_text(used[0])
    new = mails_to(cluster, person.email, "Neue Anmeldung", wait_for=1)
    assert len(new) == 1 and mail_text(new[0]).startswith("Guten Tag,")
    # Someone in the owner's account who chose nothing gets the owner's language; one who
    # chose English keeps it.
    for tag, subject in ((None, "Wiederherstellungscode wurde"), ("en", "A recovery code was used")):
        address = f"member.{secrets.token_hex(4)}@acme.test"
        member = join(cluster, address, add_member(cluster, person.email, address))
        if tag:
            expect(member.client.call(cluster.a, "set_language", language=tag), 200)
        elsewhere = Client(cluster)
        elsewhere.http.headers["Accept-Language"] = "en" if tag is None else "de"
        expect(elsewhere.call(cluster.a, "log_in", user_name=member.email, password=PASSWORD), 200)
        expect(elsewhere.call(cluster.b, "use_recovery_code", recovery_code=member.recovery_codes[0]), 200)
        assert len(mails_to(cluster, member.email, subject, wait_for=1)) == 1, (tag, subject)


def test_refusals_speak_the_requests_language_in_server_functions_and_plain_routes(cluster):
    """The core's rules and the web layer's refusals are said in the request's language, both in
    server functions (the Leptos context) and in plain routes (the support form's upload), on
    either process; the same refusal in English for an English browser."""
    german, english = Client(cluster), Client(cluster)
    german.http.headers["Accept-Language"] = "de-CH, en;q=0.5"
    english.http.headers["Accept-Language"] = "en-GB"
    for server in (cluster.a, cluster.b):
        said = german.call(server, "log_in", user_name="nobody@acme.test", password="irgendein Passwort").json()
        assert said == {"Invalid": "Benutzername oder Passwort ist falsch."}, said
        said = english.call(server, "log_in", user_name="nobody@acme.test", password="whatever it is").json()
        assert said == {"Invalid": "The user name or password is incorrect."}, said
    refused = post_support(cluster, support_form(subject=""), client=german, server=cluster.b)
    assert refused.status_code == 400 and refused.json()["error"] == "Geben Sie einen Betreff ein.", refused.text
    refused = post_support(cluster, support_form(subject=""), client=english)
    assert refused.json()["error"] == "Enter a subject.", refused.text


def test_a_signed_out_support_request_is_confirmed_in_the_language_it_was_filled_in(cluster):
    """The address typed proves nothing yet: the confirmation link goes out in the form's
    language, never looked up by the address (which would show in the answer's timing)."""
    german = Client(cluster)
    german.http.headers["Accept-Language"] = "de"
    form = support_form()
    expect(post_support(cluster, form, client=german), 200)
    mail = mails_to(cluster, form["requester_email"], wait_for=1)[-1]
    assert "Supportanfrage" in mail["Subject"], mail["Subject"]
    assert mail_text(mail).startswith("Guten Tag,")
