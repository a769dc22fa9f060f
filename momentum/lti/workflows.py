"""Durable work of the LTI tool: sending a score to a platform's gradebook (AGS), off the request.

lti.send_score(score_id)
  post_score_step   POST the score; retried with back-off (5 tries over ~30 s) on any failure
  record_step       the LtiScore row says sent, or keeps the platform's error and says failed
"""

from __future__ import annotations

from typing import Any

from momentum.lib import clock
from momentum.platform import durable

QUEUES: dict[str, dict[str, Any]] = {"lti": {"worker_concurrency": 4}}


@durable.step(retries_allowed=True, max_attempts=5, interval_seconds=2, backoff_rate=2)
def post_score_step(score_id: int) -> str | None:
    """None when the platform took the score; the reason when it refused it for good."""
    from momentum.lti import actions, services
    from momentum.lti.models import LtiScore, ScoreStatus

    score = LtiScore.objects.select_related("grade_link__platform", "grade_link__identity").get(pk=score_id)
    if score.status == ScoreStatus.SENT:
        return None
    link = score.grade_link
    try:
        services.post_score(
            link.platform, link.lineitem_url, list(link.scopes), user_sub=link.identity.sub,
            score={"score_given": score.score_given, "score_maximum": score.score_maximum,
                   "activity_progress": score.activity_progress, "grading_progress": score.grading_progress,
                   "timestamp": score.timestamp.isoformat()},
        )  # fmt: skip
    except services.ServiceError as error:
        if error.permanent:
            return str(error)
        actions.do_record_score_attempt(score_id, str(error), clock.now())
        raise
    return None


@durable.step()
def record_step(score_id: int, error: str | None) -> None:
    from momentum.lti import actions

    actions.do_record_score_attempt(score_id, error, clock.now(), final=error is not None)


@durable.workflow("lti.send_score")
def send_score(score_id: int) -> bool:
    """Post one LtiScore to its line item; True when the platform took it."""
    try:
        refused = post_score_step(score_id)
    except Exception as error:  # retries spent: the row keeps the last reason, where the studio shows it
        record_step(score_id, f"{type(error).__name__}: {error}"[:1000])
        return False
    record_step(score_id, refused)
    return refused is None
