"""A local HTTP server for the fakes that stand in for remote services in tests (the AI providers,
Stripe): it listens on 127.0.0.1, answers from daemon threads, and hands every request to one
function, ``respond(request, method)``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Respond = Callable[[BaseHTTPRequestHandler, str], None]


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.respond(self, "GET")

    def do_POST(self) -> None:
        self.server.respond(self, "POST")

    def do_DELETE(self) -> None:
        self.server.respond(self, "DELETE")


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, respond: Respond, *, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.respond = respond
        self.port = int(self.server_address[1])
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
