"""Platforms (LMSs) registered with this tool, the accounts they sign in, and the grades owed to them.

LtiPlatform     one registration: an issuer and the client ID it gave us, its OIDC and token
                URLs, its key set (unique issuer + client ID)
LtiDeployment   a deployment ID of a platform (unique per platform): a launch naming any other is refused
LtiIdentity     a platform's user (iss + sub, unique) linked to one Momentum account; never matched by email
LtiGradeLink    where a learner's grade for a course (or one of its days) goes: the line item of the
                last launch that carried the Assignment and Grade Services claim
LtiScore        one score owed to a line item (an outbox row): sent in the background, retried,
                kept with its error when the platform refuses it
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


def _http_url(field: str) -> Q:
    return Q(**{f"{field}__startswith": "https://"}) | Q(**{f"{field}__startswith": "http://"})


class LtiPlatform(models.Model):
    name = models.CharField(max_length=200)
    issuer = models.CharField(max_length=255, help_text="The platform's issuer (iss), e.g. https://moodle.example.edu")
    client_id = models.CharField(max_length=255, help_text="The client ID the platform gave this tool")
    auth_login_url = models.URLField(max_length=500, help_text="The platform's OIDC authentication request URL")
    auth_token_url = models.URLField(max_length=500, help_text="The platform's OAuth 2 access token URL")
    keyset_url = models.URLField(max_length=500, help_text="The platform's public key set (JWKS) URL")
    auth_audience = models.CharField(
        max_length=500, blank=True, help_text="The token endpoint's audience, if not its URL"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_issuer_client_unique"),
            models.CheckConstraint(condition=Q(issuer__gt=""), name="lti_platform_issuer_set"),
            models.CheckConstraint(condition=Q(client_id__gt=""), name="lti_platform_client_id_set"),
            models.CheckConstraint(condition=Q(name__gt=""), name="lti_platform_name_set"),
            models.CheckConstraint(condition=_http_url("auth_login_url"), name="lti_platform_login_url_http"),
            models.CheckConstraint(condition=_http_url("auth_token_url"), name="lti_platform_token_url_http"),
            models.CheckConstraint(condition=_http_url("keyset_url"), name="lti_platform_keyset_url_http"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"


class LtiDeployment(models.Model):
    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["platform", "deployment_id"], name="lti_deployment_unique"),
            models.CheckConstraint(condition=Q(deployment_id__gt=""), name="lti_deployment_id_set"),
        ]

    def __str__(self) -> str:
        return self.deployment_id


class LtiIdentity(models.Model):
    """The platform's user ``sub`` at ``issuer``: the one key an LMS account is known by here."""

    issuer = models.CharField(max_length=255)
    sub = models.CharField(max_length=255)
    platform = models.ForeignKey(LtiPlatform, on_delete=models.SET_NULL, null=True, related_name="identities")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities")
    created_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "sub"], name="lti_identity_iss_sub_unique"),
            models.CheckConstraint(condition=Q(issuer__gt="") & Q(sub__gt=""), name="lti_identity_iss_sub_set"),
        ]

    def __str__(self) -> str:
        return f"{self.sub}@{self.issuer}"


class LtiGradeLink(models.Model):
    identity = models.ForeignKey(LtiIdentity, on_delete=models.CASCADE, related_name="grade_links")
    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="grade_links")
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    day = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The day this link grades; none: the course"
    )
    lineitem_url = models.URLField(max_length=1000)
    scopes = models.JSONField(default=list)
    context_id = models.CharField(max_length=255, blank=True)
    memberships_url = models.URLField(max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "course"], condition=Q(day__isnull=True), name="lti_grade_link_course_unique"
            ),
            models.UniqueConstraint(
                fields=["identity", "course", "day"], condition=Q(day__isnull=False), name="lti_grade_link_day_unique"
            ),
            models.CheckConstraint(condition=Q(day__isnull=True) | Q(day__gte=1), name="lti_grade_link_day_positive"),
            models.CheckConstraint(condition=_http_url("lineitem_url"), name="lti_grade_link_lineitem_http"),
        ]


class LtiContext(models.Model):
    """A platform's course (context) that launched one of ours: where its class list (NRPS) is read."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="contexts")
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=500, blank=True)
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    memberships_url = models.URLField(max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "context_id", "course"], name="lti_context_unique"),
            models.CheckConstraint(condition=Q(context_id__gt=""), name="lti_context_id_set"),
        ]


class ActivityProgress(models.TextChoices):
    INITIALIZED = "Initialized"
    STARTED = "Started"
    IN_PROGRESS = "InProgress"
    SUBMITTED = "Submitted"
    COMPLETED = "Completed"


class GradingProgress(models.TextChoices):
    FULLY_GRADED = "FullyGraded"
    PENDING = "Pending"
    PENDING_MANUAL = "PendingManual"
    FAILED = "Failed"
    NOT_READY = "NotReady"


class ScoreStatus(models.TextChoices):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class LtiScore(models.Model):
    grade_link = models.ForeignKey(LtiGradeLink, on_delete=models.CASCADE, related_name="scores")
    score_given = models.DecimalField(max_digits=8, decimal_places=2)
    score_maximum = models.DecimalField(max_digits=8, decimal_places=2)
    activity_progress = models.CharField(max_length=12, choices=ActivityProgress)
    grading_progress = models.CharField(max_length=14, choices=GradingProgress)
    timestamp = models.DateTimeField()
    status = models.CharField(max_length=8, choices=ScoreStatus, default=ScoreStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=1000, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(condition=Q(score_maximum__gt=0), name="lti_score_maximum_positive"),
            models.CheckConstraint(
                condition=Q(score_given__gte=0) & Q(score_given__lte=F("score_maximum")), name="lti_score_in_range"
            ),
            models.CheckConstraint(
                condition=Q(activity_progress__in=ActivityProgress.values), name="lti_score_activity_valid"
            ),
            models.CheckConstraint(
                condition=Q(grading_progress__in=GradingProgress.values), name="lti_score_grading_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=ScoreStatus.values), name="lti_score_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ScoreStatus.SENT, sent_at__isnull=False) | ~Q(status=ScoreStatus.SENT),
                name="lti_score_sent_has_time",
            ),
        ]
