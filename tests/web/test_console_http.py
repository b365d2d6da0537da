"""The console over HTTP (in-process): login, sessions, CSRF, refusals, escaping, and the pages' contents."""

from __future__ import annotations

import re

from mailbot.delivery.drafts import Drafts
from mailbot.delivery.outbox import Outbox
from mailbot.web.users import FREE_FAILURES, Users, delay

from .conftest import PASSWORD, csrf_of, login


def test_every_page_but_login_needs_a_session(console):
    client, *_ = console
    c = client()
    for path in ("/", "/drafts/1", "/people", "/status", "/quality", "/drafts/4/original", "/drafts/4/attachments/0/thumb"):
        response = c.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
    assert c.post("/drafts/1/approve", data={"csrf": "x"}).status_code == 403
    assert c.get("/login").status_code == 200


def test_login_sets_a_strict_session_cookie_and_logout_ends_it(console):
    client, *_ = console
    c = client()
    response = login(c)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("mailbot_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # loopback: no TLS expected
    page = c.get("/")
    assert page.status_code == 200 and "alice" in page.text
    assert c.post("/logout", data={"csrf": csrf_of(page.text)}).status_code == 303
    assert c.get("/").status_code == 303


def test_the_cookie_is_secure_when_the_console_listens_beyond_loopback(drafted):
    from starlette.testclient import TestClient

    from mailbot.web.app import create_app

    _, config, _ = drafted
    app = create_app(config, config.store_path(), secure_cookies=True)
    c = TestClient(app, base_url="https://review.example", follow_redirects=False)
    response = login(c)
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("mailbot_session="))
    assert "Secure" in cookie


def test_a_failed_login_does_not_say_which_part_was_wrong_and_repeats_are_slowed(console):
    client, _, store, sleeps = console
    c = client()
    wrong_password = login(c, "alice", "not the password")
    unknown_user = login(c, "mallory", PASSWORD)
    assert wrong_password.status_code == unknown_user.status_code == 401
    message = re.compile(r'<p class="error" role="alert">(.*?)</p>')
    assert message.search(wrong_password.text).group(1) == message.search(unknown_user.text).group(1)
    for _ in range(4):
        login(c, "alice", "still wrong")
    # The first few failures cost nothing; then each attempt waits, twice as long as the one before.
    assert sleeps.asked[:3] == [delay(FREE_FAILURES), delay(FREE_FAILURES + 1), delay(FREE_FAILURES + 2)]
    assert sleeps.asked[0] > 0 and sleeps.asked[1] == 2 * sleeps.asked[0]
    assert login(c).status_code == 303  # the right password still works, after its wait
    assert len(sleeps.asked) == 4


def test_login_form_without_its_token_is_refused(console):
    client, *_ = console
    c = client()
    c.get("/login")
    assert c.post("/login", data={"name": "alice", "password": PASSWORD, "login_token": "forged"}).status_code == 403


def test_a_form_without_a_valid_csrf_token_is_refused_and_changes_nothing(console):
    client, _, store, _ = console
    c = client()
    login(c)
    for data in ({}, {"csrf": "guessed"}):
        response = c.post("/drafts/1/approve", data=data)
        assert response.status_code == 403 and "security token" in response.text
    assert Drafts(store.db).get(1).status == "pending" and Outbox(store.db).for_draft(1) is None
    # Another reviewer's token is not this session's.
    other = client()
    login(other, "bob")
    bobs = csrf_of(other.get("/").text)
    assert c.post("/drafts/1/approve", data={"csrf": bobs}).status_code == 403


def test_an_unknown_draft_is_a_404_page(console):
    client, *_ = console
    c = client()
    login(c)
    for path in ("/drafts/999", "/drafts/999/original", "/drafts/1/attachments/5/thumb", "/nothing-here"):
        response = c.get(path)
        assert response.status_code == 404, path
        assert "<h1>Not found</h1>" in response.text
    assert c.post("/drafts/999/approve", data={"csrf": csrf_of(c.get("/").text)}).status_code == 404


def test_approve_names_the_reviewer_and_a_second_approval_says_who_and_when(console):
    client, _, store, _ = console
    a, b = client(), client()
    login(a, "alice")
    login(b, "bob")
    page_a, page_b = a.get("/drafts/1").text, b.get("/drafts/1").text  # both opened it
    done = a.post("/drafts/1/approve", data={"csrf": csrf_of(page_a), "body": "", "intent": "order_status"})
    assert done.status_code == 303
    assert Drafts(store.db).get(1).reviewer == "alice"
    late = b.post("/drafts/1/approve", data={"csrf": csrf_of(page_b), "body": ""})
    assert late.status_code == 409
    assert re.search(r"approved by alice at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", late.text)
    assert Outbox(store.db).counts() == {"queued": 1}
    assert "approved by alice" in a.get("/drafts/1").text


def test_approve_with_edits_sends_the_edited_text_and_keeps_the_diff(console):
    client, _, store, _ = console
    c = client()
    login(c)
    page = c.get("/drafts/2").text
    original = Drafts(store.db).get(2).body
    edited = original.replace("Hello", "Dear", 1).replace("\n", "\r\n")  # as a browser posts a textarea
    plain = c.post("/drafts/2/approve", data={"csrf": csrf_of(page), "body": edited})
    assert plain.status_code == 409 and "Approve with edits" in plain.text  # "Approve" sends nothing edited
    assert Drafts(store.db).get(2).status == "pending"
    done = c.post("/drafts/2/approve-edited", data={"csrf": csrf_of(page), "body": edited})
    assert done.status_code == 303
    draft = Drafts(store.db).get(2)
    assert draft.edited_body.startswith("Dear") and "\r" not in draft.edited_body
    assert b"Dear" in Outbox(store.db).for_draft(2).raw
    shown = c.get("/drafts/2").text
    assert "-Hello" in shown and "+Dear" in shown


def test_reject_needs_a_reason(console):
    client, _, store, _ = console
    c = client()
    login(c)
    csrf = csrf_of(c.get("/drafts/3").text)
    refused = c.post("/drafts/3/reject", data={"csrf": csrf, "reason": "  "})
    assert refused.status_code == 400 and "needs a reason" in refused.text
    assert Drafts(store.db).get(3).status == "pending"
    assert c.post("/drafts/3/reject", data={"csrf": csrf, "reason": "customer called", "intent": "other"}).status_code == 303
    draft = Drafts(store.db).get(3)
    assert (draft.status, draft.reject_reason, draft.reviewer) == ("rejected", "customer called", "alice")


def test_customer_strings_are_escaped_everywhere(console, pipeline_factory):
    from mailbot.delivery.intake import Delivery
    from mailbot.records import RawMessage

    from delivery.conftest import customer_mail

    client, config, store, _ = console
    pipeline = pipeline_factory(config, store=store)
    pipeline.deliver = Delivery(config, store)
    pipeline.triage(RawMessage("x.eml", customer_mail(
        50, subject="<script>alert('s')</script> order", sender='"<img src=x onerror=alert(1)>" <eve@example.com>',
        body="<b onmouseover=alert(2)>hi</b> <script>alert(3)</script> order 10517?")))
    c = client()
    login(c)
    [draft_id] = [d.id for d in Drafts(store.db).with_status("pending", "blocked") if d.original_from == "eve@example.com"]
    for html in (c.get("/").text, c.get(f"/drafts/{draft_id}").text, c.get("/people").text):
        assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in c.get(f"/drafts/{draft_id}").text


def test_the_customers_html_is_cleaned_and_framed_with_a_csp_that_blocks_everything(console):
    client, _, store, _ = console
    store.db.execute("UPDATE review_originals SET html = ? WHERE draft_id = 4", (
        '<p onclick="x()">Hi</p><script>alert(1)</script><img src="http://evil.example/p.png">'
        '<a href="javascript:alert(2)">link</a><style>body{display:none}</style><a href="https://keysme.com">ok</a>',))
    c = client()
    login(c)
    page = c.get("/drafts/4").text
    assert re.search(r'<iframe id="original-html"[^>]* sandbox src="/drafts/4/original"', page)
    frame = c.get("/drafts/4/original")
    csp = frame.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    body = frame.text.split("<body>", 1)[1]
    for bad in ("<script", "onclick", "<img", "javascript:", "display:none", "evil.example"):
        assert bad not in body, bad
    assert '<a href="https://keysme.com" rel="noopener noreferrer nofollow">ok</a>' in body
    assert "script-src 'self'" in c.get("/").headers["content-security-policy"]


def test_attachments_show_as_thumbnails_and_download_only_as_files(console):
    client, *_ = console
    c = client()
    login(c)
    assert 'src="/drafts/4/attachments/0/thumb"' in c.get("/drafts/4").text
    thumb = c.get("/drafts/4/attachments/0/thumb")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/png"
    download = c.get("/drafts/4/attachments/0")
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment;")


def test_queue_filters_and_counts(console):
    client, _, store, _ = console
    c = client()
    login(c)
    rows = dict(store.db.execute("SELECT action, COUNT(*) FROM delivery_drafts WHERE status = 'pending' GROUP BY 1"))
    page = c.get("/").text
    for action, n in rows.items():
        assert f'href="/?action={action}" class="count">{action} <b>{n}</b>' in page
    action = next(iter(rows))
    filtered = c.get(f"/?action={action}").text
    assert len(re.findall(r"<tr><td><a href=\"/drafts/\d+\">", filtered)) == rows[action]
    nothing = c.get("/?intent=automated").text
    assert "No pending draft matches" in nothing


def test_people_status_and_quality_pages(console):
    client, _, store, _ = console
    store.db.execute("UPDATE delivery_drafts SET action = 'escalate_human' WHERE id = 2")
    store.db.execute("INSERT INTO delivery_state (key, value) VALUES ('auto_send_paused', "
                     "'{\"since\": \"2026-11-01T10:00:00.000+00:00\", \"reason\": \"20 automatic sends in an hour\"}')")
    c = client()
    login(c)
    people = c.get("/people").text
    assert 'href="/drafts/2"' in people
    handled = c.post("/people/handled", data={"csrf": csrf_of(people), "kind": "draft", "key": "2"})
    assert handled.status_code == 303 and 'href="/drafts/2"' not in c.get("/people").text
    status = c.get("/status").text
    assert "Auto-send is paused" in status and "20 automatic sends in an hour" in status
    assert c.post("/status/resume-auto-send", data={"csrf": csrf_of(status)}).status_code == 303
    assert "Auto-send is paused" not in c.get("/status").text
    page = c.get("/drafts/1").text
    c.post("/drafts/1/reject", data={"csrf": csrf_of(page), "reason": "wrong tone"})
    quality = c.get("/quality?days=7").text
    assert "<svg" in quality and "wrong tone" in quality
    assert re.search(r'rejected <b class="rejected">1</b>', quality)


def test_removing_a_user_ends_their_sessions(console):
    client, _, store, _ = console
    c = client()
    login(c, "bob")
    assert c.get("/").status_code == 200
    Users(store.db).remove("bob")
    assert c.get("/").status_code == 303


def test_a_failed_send_is_listed_with_its_error_and_retry_queues_it_again(console):
    from mailbot.delivery.review import Review

    client, config, store, _ = console
    review = Review(config, store)
    entry = review.approve(1, actor="alice")
    outbox = Outbox(store.db)
    outbox.claim(entry.id, review.now())
    outbox.fail(entry.id, "550 5.1.1 <ana@example.com>: no such user", review.now())
    c = client()
    login(c)
    page = c.get("/").text
    assert "Failed and in-doubt sends: 1" in page and "550 5.1.1 &lt;ana@example.com&gt;: no such user" in page
    assert c.post("/drafts/1/retry", data={"csrf": csrf_of(page)}).status_code == 303
    assert outbox.for_draft(1).state == "queued"
    assert ("retried", "alice") in [(e[1], e[2]) for e in Drafts(store.db).events(1)]
    again = c.post("/drafts/1/retry", data={"csrf": csrf_of(page)})
    assert again.status_code == 409 and "no failed reply to retry" in again.text
