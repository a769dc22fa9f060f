"""The tool's endpoints that platforms and browsers inside a platform call.

    GET  /lti/jwks/                   the tool's public key set (platforms verify our JWTs with it)
    GET|POST /lti/login/              OIDC third-party initiated login: redirect to the platform's auth URL
    POST /lti/launch/                 the id_token (resource link or deep-linking request): sign in, land
    GET|POST /lti/deep-link/<id>/     the course / day picker; its POST answers the platform with a signed
                                      LtiDeepLinkingResponse (an auto-submitted form)

Launches run in a third-party iframe: over HTTPS, pylti1p3 keeps the login state in the cache under a
SameSite=None cookie, and LtiFrameMiddleware lets the platform frame us (momentum/lti/framing.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.contrib.django.message_launch import DjangoMessageLaunch
from pylti1p3.contrib.django.oidc_login import DjangoOIDCLogin
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from momentum.accounts.policy import Access, page_access
from momentum.lib.problems import Problem
from momentum.lti import actions, claims, framing, keys, queries, services
from momentum.lti.tool_config import PlatformToolConf

SESSION_DEEP_LINKS = "lti_deep_links"


def _storage() -> Any:
    """pylti1p3's launch state in the cache (its advice for iframes: no session cookie needed yet)."""
    return DjangoCacheDataStorage()  # type: ignore[no-untyped-call]


def _refused(request: HttpRequest, detail: str, status: int = 400) -> HttpResponse:
    return render(request, "lti/refused.html", {"detail": detail}, status=status)


@page_access(Access.PUBLIC)
@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    try:
        return JsonResponse(keys.jwks())
    except keys.LtiKeysMissing:
        return JsonResponse({"detail": "The LTI tool has no key yet."}, status=503)


@page_access(Access.PROVIDER)
@csrf_exempt  # a platform's form post or redirect: nothing of ours to protect yet, the state cookie guards the launch
@require_http_methods(["GET", "POST"])
def oidc_login(request: HttpRequest) -> HttpResponse:
    try:
        oidc = DjangoOIDCLogin(request, PlatformToolConf(), launch_data_storage=_storage())  # type: ignore[no-untyped-call]
        response: HttpResponse = oidc.redirect(request.build_absolute_uri(reverse("lti:launch")))
    except (LtiException, OIDCException, keys.LtiKeysMissing) as error:
        return _refused(request, _("This LTI login could not start: %(reason)s") % {"reason": str(error)[:300]})
    return response


@page_access(Access.PROVIDER)
@csrf_exempt  # the platform posts the signed id_token: its signature, nonce and state are the proof
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    message = DjangoMessageLaunch(  # type: ignore[no-untyped-call]
        request, PlatformToolConf(), launch_data_storage=_storage(), requests_session=services.platform_session()
    )  # the platform's key set is fetched through it: bounded in time, public addresses only
    try:
        data: dict[str, Any] = dict(message.get_launch_data())
    except (LtiException, OIDCException, keys.LtiKeysMissing) as error:
        return _refused(request, _("This LTI launch is not valid: %(reason)s") % {"reason": str(error)[:300]})
    platform = queries.platform_of_launch(data)
    if platform is None:
        return _refused(request, _("This platform is not registered here."))
    try:
        accepted = actions.do_accept_launch(platform, data, request=request)
    except Problem as problem:
        return _refused(request, problem.detail, status=problem.status if problem.status < 500 else 400)
    login(request, accepted.user, backend="django.contrib.auth.backends.ModelBackend")
    framing.remember(request, accepted.frame_origins)
    return _land(request, message, accepted)


def _land(request: HttpRequest, message: DjangoMessageLaunch, accepted: actions.Launch) -> HttpResponse:
    """Where a launch ends: the deep-linking picker, the linked day's lesson or course, or a notice."""
    if message.is_deep_link_launch():
        launch_id = message.get_launch_id()
        request.session[SESSION_DEEP_LINKS] = [*request.session.get(SESSION_DEEP_LINKS, [])[-9:], launch_id]
        return redirect("lti:deep_link", launch_id=launch_id)
    if accepted.course is None:
        return render(request, "lti/no_course.html", {"instructor": accepted.instructor})
    if accepted.day is not None:
        return redirect("learning:lesson", slug=accepted.course.slug, day=accepted.day)
    return redirect("catalog:detail", slug=accepted.course.slug)


def _deep_link_message(request: HttpRequest, launch_id: str) -> DjangoMessageLaunch | None:
    if launch_id not in request.session.get(SESSION_DEEP_LINKS, []):
        return None
    try:
        message: DjangoMessageLaunch = DjangoMessageLaunch.from_cache(  # type: ignore[assignment]
            launch_id, request, PlatformToolConf(), launch_data_storage=_storage()
        )
    except LtiException:
        return None
    return message if message.is_deep_link_launch() else None


@page_access(Access.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest, launch_id: str) -> HttpResponse:
    """The picker a teacher sees inside their LMS; its POST returns the chosen course or day."""
    from momentum.catalog.queries import published_courses

    message = _deep_link_message(request, launch_id)
    if message is None:
        detail = _("This course picker has expired; start again from your LMS.")
        return render(request, "errors/404.html", {"detail": detail}, status=404)
    courses = list(published_courses().order_by("title"))
    chosen = _chosen(request, courses) if request.method == "POST" else None
    if chosen is None:
        error = _("Choose a published course, and a day it has.") if request.method == "POST" else ""
        context = {"courses": courses, "launch_id": launch_id, "error": error}
        return render(request, "lti/deep_link.html", context, status=422 if error else 200)
    request.session[SESSION_DEEP_LINKS] = [i for i in request.session.get(SESSION_DEEP_LINKS, []) if i != launch_id]
    return _deep_link_answer(request, message, *chosen)


def _chosen(request: HttpRequest, courses: list[Any]) -> tuple[Any, int | None] | None:
    course = next((c for c in courses if c.slug == request.POST.get("course")), None)
    day_text = request.POST.get("day", "").strip()
    if course is None or (day_text and not (day_text.isdigit() and 1 <= int(day_text) <= course.duration_days)):
        return None
    return course, int(day_text) if day_text else None


def _deep_link_answer(request: HttpRequest, message: DjangoMessageLaunch, course: Any, day: int | None) -> HttpResponse:
    """The signed LtiDeepLinkingResponse (one resource link, with its line item) in a form that posts itself back."""
    title = course.title if day is None else _("%(course)s, day %(day)s") % {"course": course.title, "day": day}
    custom = {claims.CUSTOM_COURSE: course.slug, **({claims.CUSTOM_DAY: str(day)} if day else {})}
    lineitem = (
        LineItem()
        .set_score_maximum(100)
        .set_label(title)
        .set_resource_id(f"{course.slug}/day-{day}" if day else course.slug)
    )
    resource = (
        DeepLinkResource()
        .set_url(request.build_absolute_uri(reverse("lti:launch")))
        .set_title(title)
        .set_custom_params(custom)
        .set_lineitem(lineitem)
    )
    settings_claim = claims.claim(dict(message.get_launch_data()), claims.DEEP_LINKING_SETTINGS)
    token = message.get_deep_link().get_response_jwt([resource])
    return_url = str(settings_claim.get("deep_link_return_url", ""))
    response = render(request, "lti/deep_link_return.html", {"return_url": return_url, "jwt": token, "title": title})
    origin = actions.origin_of(return_url)
    if origin:  # the form posts to the platform: the Content-Security-Policy's form-action must allow it
        response._csp_update = {"form-action": [origin]}  # type: ignore[attr-defined]
    return response
