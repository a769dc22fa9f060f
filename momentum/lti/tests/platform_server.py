"""A real LTI 1.3 platform for the tests: lti1p3platform (PyPI; not ours) behind http.server on 127.0.0.1.

It plays the LMS end to end: starts a launch (third-party initiated login to the tool), answers the
tool's OIDC authentication request with a signed id_token in an auto-posting form, issues service
tokens (client credentials with the tool's signed JWT, checked against the tool's JWKS URL), keeps the
scores the tool posts (AGS) and answers their results, lists a class (NRPS) and validates a deep-linking
answer. Everything it validates, lti1p3platform validates.
"""

from __future__ import annotations

import html
import json
import re
import threading
import typing as t
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request, TRequest
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService, NamesRoleProvisioningService

CLIENT_ID = "momentum-tool-1"
DEPLOYMENT_ID = "deployment-1"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class _Request(Request):
    def build_metadata(self, request: t.Any) -> TRequest:
        return t.cast(TRequest, request)


@dataclass
class PendingLaunch:
    user_id: str
    roles: list[str]
    name: str
    email: str
    custom: dict[str, str]
    deep_linking: bool


@dataclass
class PlatformState:
    pending: dict[str, PendingLaunch] = field(default_factory=dict)
    scores: dict[str, list[dict[str, t.Any]]] = field(default_factory=dict)
    deep_link_items: list[dict[str, t.Any]] = field(default_factory=list)
    members: list[dict[str, t.Any]] = field(default_factory=list)
    key_set_fetches: int = 0  # how often the tool fetched the key set (its launches' signature check)
    key_set_hangs: threading.Event | None = None  # set: the key set answers only once the event is set


class Platform:
    def __init__(self, tool_base: str) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        self.public_pem = (
            key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )
        self.tool_base = tool_base
        self.state = PlatformState()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Platform:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- what the studio registers ------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return self.base

    def registration_fields(self) -> dict[str, str]:
        return {
            "name": "Test LMS", "issuer": self.issuer, "client_id": CLIENT_ID,
            "auth_login_url": f"{self.base}/auth", "auth_token_url": f"{self.base}/token",
            "keyset_url": f"{self.base}/jwks", "auth_audience": "",
        }  # fmt: skip

    def config(self) -> LTI1P3PlatformConfAbstract:
        platform = self

        class Config(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs: t.Any) -> None:
                pass

            def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
                return (
                    Registration()
                    .set_iss(platform.issuer)
                    .set_client_id(CLIENT_ID)
                    .set_deployment_id(DEPLOYMENT_ID)
                    .set_launch_url(f"{platform.tool_base}/lti/launch/")
                    .set_deeplink_launch_url(f"{platform.tool_base}/lti/launch/")
                    .set_oidc_login_url(f"{platform.tool_base}/lti/login/")
                    .set_tool_key_set_url(f"{platform.tool_base}/lti/jwks/")
                    .set_platform_public_key(platform.public_pem)
                    .set_platform_private_key(platform.private_pem)
                )

        config = Config()
        config.get_registration()
        return config

    def lineitem_url(self, key: str) -> str:
        return f"{self.base}/lineitems/{key}"


def _request(method: str, path: str, parts: tuple[dict[str, str], dict[str, str], t.Any], headers: t.Any) -> _Request:
    query, form, body = parts
    return _Request({"method": method, "form_data": form, "get_data": query, "headers": headers,
                     "content_type": headers.get("Content-Type"), "path": path, "json": body})  # fmt: skip


def _handler(platform: Platform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: t.Any) -> None:
            pass

        def _send(
            self, status: int, body: str | bytes, content_type: str = "application/json", location: str = ""
        ) -> None:
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(data)

        def _parts(self) -> tuple[str, dict[str, str], dict[str, str], t.Any]:
            url = urlsplit(self.path)
            query = dict(parse_qsl(url.query))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            form: dict[str, str] = {}
            body = None
            if "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw or b"null")
            elif raw:
                form = dict(parse_qsl(raw.decode()))
            return url.path, query, form, body

        def do_GET(self) -> None:
            path, query, form, body = self._parts()
            request = _request("GET", path, (query, form, body), self.headers)
            if path == "/jwks":
                platform.state.key_set_fetches += 1
                if platform.state.key_set_hangs is not None:
                    platform.state.key_set_hangs.wait(30)
                self._send(200, json.dumps(platform.config().get_jwks()))
            elif path == "/start":
                self._start(query)
            elif path == "/auth":
                self._auth(request, query)
            elif path == "/memberships":
                self._members(request)
            elif (match := re.fullmatch(r"/lineitems/([\w-]+)/results", path)) is not None:
                self._results(request, match.group(1))
            else:
                self._send(404, "{}")

        def do_POST(self) -> None:
            path, query, form, body = self._parts()
            request = _request("POST", path, (query, form, body), self.headers)
            if path == "/token":
                try:
                    token = platform.config().get_access_token(form)
                except Exception as error:
                    self._send(400, json.dumps({"error": "invalid_client", "error_description": str(error)}))
                    return
                self._send(200, json.dumps(token))
            elif (match := re.fullmatch(r"/lineitems/([\w-]+)/scores", path)) is not None:
                self._score(request, match.group(1))
            elif path == "/deep-link-return":
                items = platform.config().validate_deeplinking_resp(form)
                platform.state.deep_link_items.extend(items)
                self._send(200, "<p>Saved</p>", "text/html")
            else:
                self._send(404, "{}")

        # -- launches ---------------------------------------------------------------------------
        def _start(self, query: dict[str, str]) -> None:
            hint = f"hint-{len(platform.state.pending) + 1}"
            platform.state.pending[hint] = PendingLaunch(
                user_id=query["user"], roles=query.get("roles", LEARNER_ROLE).split(","),
                name=query.get("name", ""), email=query.get("email", ""),
                custom=json.loads(query.get("custom", "{}")), deep_linking=query.get("kind") == "deep",
            )  # fmt: skip

            class Login(OIDCLoginAbstract):
                def set_lti_message_hint(self, **kwargs: t.Any) -> None:
                    self._lti_message_hint = kwargs["hint"]

                def get_redirect(self, url: str) -> str:
                    return url

            login = Login(None, platform.config())
            login.set_lti_message_hint(hint=hint)
            if platform.state.pending[hint].deep_linking:
                login.set_deeplinking_launch_url()
            self._send(302, "", "text/plain", location=login.initiate_login(query["user"]))

        def _auth(self, request: _Request, query: dict[str, str]) -> None:
            pending = platform.state.pending[query["lti_message_hint"]]
            assert query["login_hint"] == pending.user_id

            class Launch(LTIAdvantageMessageLaunchAbstract):
                def render_launch_form(self, launch_data: dict[str, t.Any], **kwargs: t.Any) -> str:
                    return (
                        f'<form method="post" action="{html.escape(launch_data["launch_url"])}">'
                        f'<input type="hidden" name="id_token" value="{launch_data["id_token"]}">'
                        f'<input type="hidden" name="state" value="{html.escape(launch_data["state"])}"></form>'
                    )

            launch = Launch(request, platform.config())
            launch.set_user_data(pending.user_id, pending.roles, pending.name or None, pending.email or None)
            launch.set_launch_context_claim(
                "course-101", ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"], "Biology 101", "BIO101"
            )
            launch.set_resource_link_claim(f"link-{pending.user_id}-{len(platform.state.pending)}")
            launch.set_launch_presentation_claim("iframe", f"{platform.base}/return")
            if pending.custom:
                launch.set_custom_parameters_claim(pending.custom)
            launch.set_ags(f"{platform.base}/lineitems", platform.lineitem_url("item-1"))
            launch.set_nrps(f"{platform.base}/memberships")
            if pending.deep_linking:
                launch.set_dl(f"{platform.base}/deep-link-return", accept_types={"ltiResourceLink"})
            self._send(200, launch.lti_launch(), "text/html")

        # -- services ---------------------------------------------------------------------------
        def _ags(self, request: _Request) -> AssignmentsGradesService:
            class Grades(AssignmentsGradesService):
                def update_score(self, line_item_id: str, score: t.Any) -> UpdateScoreStatus:
                    platform.state.scores.setdefault(line_item_id, []).append(score)
                    return UpdateScoreStatus.SUCCESS

                def get_results(
                    self, line_item_id: str, page: int = 1, limit: t.Any = None, user_id: t.Any = None
                ) -> t.Any:
                    content = [
                        {"id": f"{platform.lineitem_url(line_item_id)}/results/{s['userId']}", "userId": s["userId"],
                         "resultScore": s["scoreGiven"], "resultMaximum": s["scoreMaximum"],
                         "scoreOf": platform.lineitem_url(line_item_id)}
                        for s in platform.state.scores.get(line_item_id, [])
                    ]  # fmt: skip
                    return {"content": content, "has_next": False, "next": None}

                find_lineitems = find_lineitem = create_lineitem = update_lineitem = delete_lineitem = None

            return Grades(request, platform.config(), f"{platform.base}/lineitems", None)

        def _score(self, request: _Request, key: str) -> None:
            response = self._ags(request).handle_resp(self._ags(request).handle_update_score, line_item_id=key)
            self._send(response.code, json.dumps({"message": response.message}), response.media_type)

        def _results(self, request: _Request, key: str) -> None:
            response = self._ags(request).handle_resp(self._ags(request).handle_get_results, line_item_id=key)
            self._send(
                response.code, json.dumps(response.result["content"] if response.result else {}), response.media_type
            )

        def _members(self, request: _Request) -> None:
            class Members(NamesRoleProvisioningService):
                def get_member_data_page(self, **kwargs: t.Any) -> t.Any:
                    return {"content": [dict(m) for m in platform.state.members], "has_next": False, "next": None}

                def get_context_by_id(self) -> Context:
                    return Context(id="course-101", label="BIO101", title="Biology 101")

            service = Members(request, platform.config(), f"{platform.base}/memberships")
            response = service.handle_resp(service.handle_get_members)
            self._send(response.code, json.dumps(response.result), response.media_type)

    return Handler


def auto_post(session: t.Any, page: str) -> t.Any:
    """What a browser does with an auto-submitting form: post its hidden fields to its action."""
    found = re.search(r'<form[^>]*action="([^"]+)"[^>]*data-autosubmit', page) or re.search(
        r'<form[^>]*action="([^"]+)"', page
    )
    action = html.unescape(found.group(1))  # type: ignore[union-attr]
    fields = {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
    return session.post(action, data=fields)
