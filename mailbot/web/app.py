"""The console's pages and forms: a Starlette application over the review service.

Every page but /login needs a session; every form carries the session's
CSRF token (the login form a token of its own, in a cookie); every
response carries a Content-Security-Policy that allows nothing from
outside this server and no inline script.  The store is SQLite: each
worker thread keeps its own connection, and every write goes through
delivery.review.Review, whose decisions are atomic in the store.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Awaitable, Callable
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..config import Config
from ..delivery.quality import reply_diff
from ..delivery.review import AlreadyDecided, NoSuchDraft, Review, ReviewError, decided_message
from ..delivery.tables import utcnow
from ..delivery.vocabulary import INTENTS
from ..orders import OrderBook
from ..policy.rules import ACTIONS
from ..store import Store
from .chart import quality_chart
from .links import tracking_link
from .sanitize import FRAME_CSP, frame_page
from .thumbs import thumbnail
from .users import Session, Users

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "mailbot_session"
LOGIN_COOKIE = "mailbot_login"  # the login form's CSRF token: there is no session yet to hold one
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; frame-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
LOGIN_FAILED = "Wrong name or password."  # the same words whichever part was wrong
PERIODS = ((7, "7 days"), (30, "30 days"), (90, "90 days"), (0, "all time"))
# What a redirect after a form says: fixed words, so nothing a request carries is echoed into the page.
NOTES = {
    "approved": "Draft {id} approved: the next delivery pass sends it.",
    "rejected": "Draft {id} rejected.",
    "labelled": "Draft {id}: intent recorded.",
    "retried": "Draft {id}: the reply is queued again.",
    "handled": "Marked handled.",
    "resumed": "Auto-send resumed.",
    "not-paused": "Auto-send was not paused.",
}


class Console:
    def __init__(self, config: Config, store_path: str | Path, *, secure_cookies: bool,
                 now: Callable[[], datetime] = utcnow,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        self.config, self.store_path, self.secure, self.now, self.sleep = config, str(store_path), secure_cookies, now, sleep
        self.local = threading.local()
        self.orders_lock = threading.Lock()
        self.orders: OrderBook | None = None
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(intents=INTENTS, actions=ACTIONS, tracking_link=tracking_link, periods=PERIODS)
        self.env.filters["age"] = _age
        self.env.filters["when"] = lambda t: (t or "")[:19].replace("T", " ")

    # One store connection per worker thread: sqlite3 connections stay in the thread that made them.

    def _store(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = self.local.store = Store(self.store_path)
        return store

    def review(self) -> Review:
        review = getattr(self.local, "review", None)
        if review is None:
            review = self.local.review = Review(self.config, self._store(), now=self.now, orders=self._order_book())
        return review

    def users(self) -> Users:
        users = getattr(self.local, "users", None)
        if users is None:
            users = self.local.users = Users(self._store().db)
        return users

    def _order_book(self) -> OrderBook:
        with self.orders_lock:  # read once, shared: it is never written
            if self.orders is None:
                path = self.config.policy.orders
                self.orders = OrderBook.load(self.config.path(path)) if path else OrderBook()
            return self.orders

    # Rendering

    def render(self, name: str, session: Session | None, status: int = 200, **values) -> HTMLResponse:
        html = self.env.get_template(name).render(user=session.user if session else None,
                                                  csrf=session.csrf if session else "", **values)
        return HTMLResponse(html, status_code=status)

    def error(self, session: Session | None, status: int, message: str) -> HTMLResponse:
        return self.render("error.html.j2", session, status, status_code=status, message=message)

    # The gate every page but /login goes through

    def gate(self, request: Request, form: FormData | None) -> Session | Response:
        session = self.users().session(request.cookies.get(SESSION_COOKIE, ""), self.now())
        if session is None:
            if request.method == "GET":
                return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)
            return self.error(None, 403, "Your session has ended. Log in again, then repeat what you did.")
        if form is not None and not hmac.compare_digest(str(form.get("csrf", "")), session.csrf):
            return self.error(session, 403, "This form was refused: it did not come from a page of this console "
                                            "(its security token is missing or out of date). Reload the page and try again.")
        return session


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return "now"


def _page(console: Console, handler: Callable[..., Response]) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint: read the form (if any), then check the session and CSRF and run `handler` in a worker thread."""

    async def endpoint(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None

        def run() -> Response:
            gate = console.gate(request, form)
            if isinstance(gate, Response):
                return gate
            try:
                return handler(console, request, gate, form)
            except NoSuchDraft as e:
                return console.error(gate, 404, str(e).capitalize() + ".")

        return await run_in_threadpool(run)

    return endpoint


def _redirect(path: str, note: str | None = None, draft_id: int | None = None) -> RedirectResponse:
    query = f"?note={note}" + (f"&id={draft_id}" if draft_id is not None else "") if note else ""
    return RedirectResponse(path + query, status_code=303)


def _note(request: Request) -> str:
    template = NOTES.get(request.query_params.get("note", ""))
    draft_id = request.query_params.get("id", "")
    if template is None or (draft_id and not draft_id.isdigit()):
        return ""
    return template.format(id=draft_id)


# Login


async def login_page(request: Request) -> Response:
    console: Console = request.app.state.console
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = console.render("login.html.j2", None, login_token=token, error="",
                              next=_safe_next(request.query_params.get("next", "/")))
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=console.secure, path="/login")
    return response


async def login(request: Request) -> Response:
    console: Console = request.app.state.console
    form = await request.form()
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "/")))
    token = request.cookies.get(LOGIN_COOKIE, "")
    if not token or not hmac.compare_digest(token, str(form.get("login_token", ""))):
        return console.error(None, 403, "This login form was refused (its security token is missing or out of date). "
                                        "Reload the login page and try again.")
    keys = [f"name:{name.lower()}", f"addr:{request.client.host if request.client else '-'}"]
    delay = await run_in_threadpool(lambda: console.users().login_delay(keys, console.now()))
    if delay:
        await console.sleep(delay)  # slows guessing; other requests are served meanwhile

    def check() -> tuple[str, Session] | None:
        users = console.users()
        if not (name and password and users.verify(name, password)):
            users.login_failed(keys, console.now())
            return None
        users.login_succeeded(name.lower())
        return users.start_session(name, console.now(), console.config.web.session_hours)

    started = await run_in_threadpool(check)
    if started is None:
        response = console.render("login.html.j2", None, 401, login_token=token, error=LOGIN_FAILED, next=target)
        return response
    session_token, _ = started
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, session_token, httponly=True, samesite="lax", secure=console.secure, path="/",
                        max_age=int(console.config.web.session_hours * 3600))
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


def _safe_next(target: str) -> str:
    """Only a path on this server: never `//elsewhere` or a full URL."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def logout(console: Console, request: Request, session: Session, form: FormData) -> Response:
    console.users().end_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# The queue


def queue_page(console: Console, request: Request, session: Session, form: None) -> Response:
    intent = request.query_params.get("intent", "")
    action = request.query_params.get("action", "")
    page = request.query_params.get("page", "1")
    review = console.review()
    queue = review.queue(intent=intent if intent in INTENTS else None, action=action if action in ACTIONS else None,
                         page=int(page) if page.isdigit() and len(page) < 7 else 1)
    return console.render("queue.html.j2", session, queue=queue, intent=intent, action=action,
                          failed=review.failed(), note=_note(request))


def retry(console: Console, request: Request, session: Session, form: FormData) -> Response:
    draft_id = request.path_params["draft_id"]
    try:
        console.review().retry(draft_id, actor=session.user)
    except NoSuchDraft:
        raise
    except ReviewError as e:
        return console.error(session, 409, str(e))
    return _redirect("/", "retried", draft_id)


# A draft


def draft_page(console: Console, request: Request, session: Session, form: FormData | None,
               *, status: int = 200, error: str = "", body: str | None = None) -> Response:
    draft_id = request.path_params["draft_id"]
    review = console.review()
    view = review.show(draft_id)
    d = view.draft
    return console.render(
        "draft.html.j2", session, status, view=view, d=d, facts=json.loads(d.facts), trace=json.loads(d.trace),
        delivery_trace=json.loads(d.delivery_trace), next_id=review.next_pending(draft_id), error=error,
        decided="" if d.status == "pending" else decided_message(d), note=_note(request),
        body=d.final_body if body is None else body,
        diff=reply_diff(d.body, d.edited_body) if d.edited_body is not None else "",
        chosen_intent=(view.label or {}).get("intent") or d.intent or "other")


def _decide(console: Console, request: Request, session: Session, form: FormData, how: str) -> Response:
    draft_id = request.path_params["draft_id"]
    review = console.review()
    body = str(form.get("body", "")).replace("\r\n", "\n")
    intent = str(form.get("intent", "")) or None
    draft = review.show(draft_id).draft
    try:
        if how == "approve":
            if body.strip("\n") and body.strip("\n") != draft.final_body.strip("\n"):
                return draft_page(console, request, session, form, status=409, body=body,
                                  error="You changed the reply. To send your text, press \u201cApprove with edits\u201d; "
                                        "to send the draft as it was, reload the page first.")
            review.approve(draft_id, actor=session.user, intent=intent)
        elif how == "edited":
            review.approve(draft_id, actor=session.user, edited_body=body, intent=intent)
        elif how == "reject":
            review.reject(draft_id, reason=str(form.get("reason", "")), actor=session.user, intent=intent)
        else:
            review.label(draft_id, intent=intent or "", actor=session.user)
    except AlreadyDecided as e:
        return draft_page(console, request, session, form, status=409, error=str(e))
    except NoSuchDraft:
        raise
    except ReviewError as e:
        return draft_page(console, request, session, form, status=400, error=str(e), body=body or None)
    note = {"approve": "approved", "edited": "approved", "reject": "rejected"}.get(how, "labelled")
    if how == "label":
        return _redirect(f"/drafts/{draft_id}", note, draft_id)
    following = review.next_pending(draft_id)
    return _redirect(f"/drafts/{following}" if following else "/", note, draft_id)


def original_frame(console: Console, request: Request, session: Session, form: None) -> Response:
    """The customer's HTML, cleaned, as its own document for the sandboxed frame, with its own CSP."""
    draft_id = request.path_params["draft_id"]
    html = console.review().original_html(draft_id)
    response = HTMLResponse(frame_page(html, f"draft {draft_id}: the customer's message"))
    response.headers["Content-Security-Policy"] = FRAME_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def attachment_thumb(console: Console, request: Request, session: Session, form: None) -> Response:
    found = console.review().attachment(request.path_params["draft_id"], request.path_params["position"])
    thumb = thumbnail(found[1]) if found and found[0].is_image else None
    if thumb is None:
        raise HTTPException(404)
    return Response(thumb, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


def attachment_file(console: Console, request: Request, session: Session, form: None) -> Response:
    """The file itself, always as a download: the browser never renders customer bytes in our origin."""
    found = console.review().attachment(request.path_params["draft_id"], request.path_params["position"])
    if found is None:
        raise HTTPException(404)
    kept, data = found
    return Response(data, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(kept.filename, safe='')}",
        "Content-Security-Policy": "default-src 'none'; sandbox"})


# Mail that needs a person, status, quality


def people_page(console: Console, request: Request, session: Session, form: None) -> Response:
    return console.render("people.html.j2", session, waiting=console.review().needs_person(), note=_note(request))


def mark_handled(console: Console, request: Request, session: Session, form: FormData) -> Response:
    try:
        console.review().mark_handled(str(form.get("kind", "")), str(form.get("key", "")), actor=session.user)
    except ReviewError as e:
        return console.error(session, 409, str(e))
    return _redirect("/people", "handled")


def status_page(console: Console, request: Request, session: Session, form: None) -> Response:
    return console.render("status.html.j2", session, report=console.review().status(), note=_note(request),
                          idle=console.config.daemon.idle)


def resume_auto_send(console: Console, request: Request, session: Session, form: FormData) -> Response:
    paused = console.review().resume_auto_send(actor=session.user)
    return _redirect("/status", "resumed" if paused else "not-paused")


def quality_page(console: Console, request: Request, session: Session, form: None) -> Response:
    days = request.query_params.get("days", "30")
    days = int(days) if days.isdigit() and int(days) in dict(PERIODS) else 30
    report = console.review().quality(console.now() - timedelta(days=days) if days else None)
    charts = {group: quality_chart(rows, f"Reviews per {group}") for group, rows in report.groups.items()}
    return console.render("quality.html.j2", session, report=report, charts=charts, days=days)


# The application


class SecurityHeaders:
    """Headers on every response (pages, static files, errors) unless the route set its own."""

    HEADERS = ((b"content-security-policy", PAGE_CSP.encode()), (b"x-frame-options", b"DENY"),
               (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
               (b"cross-origin-opener-policy", b"same-origin"), (b"cache-control", b"no-store"))

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((n, v) for n, v in self.HEADERS if n not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(config: Config, store_path: str | Path, *, secure_cookies: bool, **console_options) -> Starlette:
    console = Console(config, store_path, secure_cookies=secure_cookies, **console_options)

    def page(handler):
        return _page(console, handler)

    def deciding(how):
        return page(lambda c, r, s, f: _decide(c, r, s, f, how))

    async def not_found(request: Request, exc: HTTPException) -> Response:
        def run():
            session = console.users().session(request.cookies.get(SESSION_COOKIE, ""), console.now())
            messages = {404: "There is no such page.", 405: "That does not work here."}
            return console.error(session, exc.status_code, messages.get(exc.status_code, "The request was refused."))
        return await run_in_threadpool(run)

    d = "/drafts/{draft_id:int}"
    routes = [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", page(logout), methods=["POST"]),
        Route("/", page(queue_page), methods=["GET"]),
        Route(d, page(draft_page), methods=["GET"]),
        Route(d + "/approve", deciding("approve"), methods=["POST"]),
        Route(d + "/approve-edited", deciding("edited"), methods=["POST"]),
        Route(d + "/reject", deciding("reject"), methods=["POST"]),
        Route(d + "/intent", deciding("label"), methods=["POST"]),
        Route(d + "/retry", page(retry), methods=["POST"]),
        Route(d + "/original", page(original_frame), methods=["GET"]),
        Route(d + "/attachments/{position:int}/thumb", page(attachment_thumb), methods=["GET"]),
        Route(d + "/attachments/{position:int}", page(attachment_file), methods=["GET"]),
        Route("/people", page(people_page), methods=["GET"]),
        Route("/people/handled", page(mark_handled), methods=["POST"]),
        Route("/status", page(status_page), methods=["GET"]),
        Route("/status/resume-auto-send", page(resume_auto_send), methods=["POST"]),
        Route("/quality", page(quality_page), methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    app.state.console = console
    app.add_middleware(SecurityHeaders)
    return app
