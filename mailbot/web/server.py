"""Serving the console with uvicorn: on its own (`mailbot web`) or in a thread of `mailbot run`."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import uvicorn

from ..config import Config, is_loopback

log = logging.getLogger("mailbot.web")


def make_server(config: Config, store_path: str | Path, *, host: str | None = None, port: int | None = None) -> uvicorn.Server:
    from .app import create_app

    host = host or config.web.host
    port = port or config.web.port
    # A session cookie sent in clear text over a network is a session given away: Secure unless loopback.
    app = create_app(config, store_path, secure_cookies=not is_loopback(host))
    settings = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                              server_header=False, proxy_headers=False)
    return uvicorn.Server(settings)


def serve(config: Config, store_path: str | Path, *, host: str | None = None, port: int | None = None) -> None:
    """Until SIGTERM or SIGINT (uvicorn's own handlers finish the requests in hand)."""
    make_server(config, store_path, host=host, port=port).run()


def serve_in_thread(config: Config, store_path: str | Path, stop: threading.Event) -> threading.Thread:
    """The daemon's console: a thread that serves until `stop` is set (uvicorn installs no signal handlers there)."""
    server = make_server(config, store_path)

    def run() -> None:
        try:
            server.run()
        except SystemExit:  # uvicorn exits when it cannot bind; the daemon goes on without its console
            log.error("review console: cannot listen on %s:%d", config.web.host, config.web.port)

    def stop_when_asked() -> None:
        stop.wait()
        server.should_exit = True

    thread = threading.Thread(target=run, name="mailbot-web", daemon=True)
    thread.start()
    threading.Thread(target=stop_when_asked, name="mailbot-web-stop", daemon=True).start()
    log.warning("review console on http://%s:%d/", config.web.host, config.web.port)
    return thread
