"""People: learners, premium learners and admins, their demographics, API tokens and notices."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower, Upper
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from momentum.lib.plain_rows import PlainRows
from momentum.lib.timestamps import Timestamped


class Role(models.TextChoices):
    ADMIN = "ADMIN", _("Admin")
    INSTRUCTOR = "INSTRUCTOR", _("Instructor")
    PREMIUM = "PREMIUM", _("Premium learner")
    FREE = "FREE", _("Learner")


class AgeRange(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18 = "18_24", "18-24"
    FROM_25 = "25_34", "25-34"
    FROM_35 = "35_44", "35-44"
    FROM_45 = "45_54", "45-54"
    FROM_55 = "55_64", "55-64"
    FROM_65 = "65_plus", _("65 or older")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Another description")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")
    OTHER = "other", _("Other")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("email_verified", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def get(self, *args: Any, **kwargs: Any) -> User:
        """``get(pk=…)`` alone, how Django's sessions load the signed-in user on every request, is
        one plain-SQL read (``lib/plain_rows.py``); any other lookup is the ORM's."""
        if args or kwargs.keys() != {"pk"} or self._db is not None:
            return super().get(*args, **kwargs)
        found = by_id(self.model._meta.pk.to_python(kwargs["pk"]))
        if found is None:
            raise self.model.DoesNotExist(f"{self.model.__name__} matching query does not exist.")
        return found


# The interface languages (settings.LANGUAGES), spelt out so the database rule does not move with an env variable.
INTERFACE_LANGUAGES = ("en", "es", "ar")


def _choices_or_blank(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{field: ""}) | Q(**{f"{field}__in": choices.values})


class User(AbstractBaseUser, Timestamped):
    email = models.EmailField(max_length=254, unique=True)
    display_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=10, choices=Role, default=Role.FREE)
    email_verified = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    timezone = models.CharField(max_length=64, default="UTC", help_text=_("IANA time zone for streaks and reminders"))
    # db_default: rows written by code that predates the column (an older release during a deploy, a
    # migration test at an earlier state, the bench's bulk loader) get the browser's language too.
    language = models.CharField(
        max_length=8,
        blank=True,
        default="",
        db_default="",
        help_text=_("Interface language (a code of LANGUAGES); blank: the browser's"),
    )
    age_range = models.CharField(max_length=10, choices=AgeRange, blank=True)
    gender = models.CharField(max_length=12, choices=Gender, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code"))
    education = models.CharField(max_length=12, choices=Education, blank=True)
    occupation = models.CharField(max_length=100, blank=True)
    reminder_emails = models.BooleanField(default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Sessions are bound to the password and to being an admin: a password change, or a
        promotion to or demotion from ADMIN, ends every browser session of the account, so admin
        rights never ride on a session opened before they were given (premium changes do not:
        a purchase must not sign the buyer out)."""
        admin = "admin" if self.role == Role.ADMIN else "member"
        return salted_hmac(
            "momentum.accounts.User.session_auth_hash", f"{self.password}:{admin}", secret=secret, algorithm="sha256"
        ).hexdigest()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | Q(role=Role.FREE, is_active=False), name="user_erased_has_no_role"
            ),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lowercase"),
            models.CheckConstraint(condition=_choices_or_blank("age_range", AgeRange), name="user_age_range_valid"),
            models.CheckConstraint(condition=_choices_or_blank("gender", Gender), name="user_gender_valid"),
            models.CheckConstraint(condition=_choices_or_blank("education", Education), name="user_education_valid"),
            models.CheckConstraint(
                condition=Q(country="") | (Q(Exact(Length("country"), 2)) & Q(country=Upper("country"))),
                name="user_country_iso2",
            ),
            # A migration changes this list when a language is added (docs/i18n.md).
            models.CheckConstraint(condition=Q(language__in=["", *INTERFACE_LANGUAGES]), name="user_language_valid"),
            # zoneinfo judges the name (accounts/forms.py); the database keeps out what can never be one.
            models.CheckConstraint(
                condition=~Q(timezone="") & ~Q(timezone__contains=" ") & ~Q(timezone__startswith="/"),
                name="user_timezone_shape",
            ),
        ]
        indexes = [
            models.Index(fields=["role", "created_at"], name="user_role_created"),
            models.Index(fields=["created_at"], name="user_created"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_instructor(self) -> bool:
        return self.role == Role.INSTRUCTOR

    @property
    def is_premium(self) -> bool:
        return self.role in (Role.PREMIUM, Role.ADMIN)

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]

    # Django's auth views and allauth ask these of any user model.
    @property
    def is_staff(self) -> bool:
        return self.is_admin

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False


_USER_BY_ID = PlainRows(User, "id = %s")


def by_id(pk: Any) -> User | None:
    """The account with id ``pk`` (None if there is none), by plain SQL: every signed-in request
    (a session or a bearer token) loads its user this way."""
    return _USER_BY_ID.first([pk])


class RefreshToken(models.Model):
    """An opaque refresh token, stored hashed; each use spends it and issues the next in its family."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_tokens")
    family = models.UUIDField(default=uuid.uuid4, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="refresh_expires_after_creation"
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="refresh_user_revoked")]


class NotificationKind(models.TextChoices):
    """What a notice is about. Every app sends its notices through ``actions.do_notify`` with one of
    these; the database refuses any other kind (a new kind is a new member and a migration)."""

    GENERATION_FINISHED = "generation_finished", _("A course draft is ready")
    GENERATION_FAILED = "generation_failed", _("A course generation failed")
    BADGE_AWARDED = "badge_awarded", _("You earned a badge")
    COURSE_COMPLETED = "course_completed", _("You finished a course")
    CERTIFICATE_ISSUED = "certificate_issued", _("A certificate was issued")
    REPLY = "reply", _("Someone replied to you")
    MENTION = "mention", _("Someone mentioned you")
    DAY_OPENED = "day_opened", _("Today's lesson is open")
    STREAK_AT_RISK = "streak_at_risk", _("Your streak is at risk")
    COHORT_STARTING = "cohort_starting", _("Your cohort starts tomorrow")
    WARNING = "warning", _("A moderator warned you")
    PUBLISH_REQUESTED = "course_publish_requested", _("A course awaits your approval")
    CO_INSTRUCTOR_ADDED = "course_co_instructor_added", _("You were added to teach a course")
    PAYMENT_FAILED = "payment_failed", _("A payment failed")
    PLAN_ENDED = "plan_ended", _("Your premium plan ended")


# Kinds only people who author courses receive (their settings show them to nobody else).
AUTHOR_KINDS = frozenset(
    {
        NotificationKind.GENERATION_FINISHED,
        NotificationKind.GENERATION_FAILED,
        NotificationKind.PUBLISH_REQUESTED,
        NotificationKind.CO_INSTRUCTOR_ADDED,
    }
)


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    PUSH = "push", _("Push")


# Channels a kind goes to until the person chooses otherwise. Every kind is shown in the app. Email
# for what a person acts on or keeps (a draft to review, a certificate, a mention, a warning, a cohort
# starting); not for what already has its own email (payments: receipts; the daily nudges: the daily
# reminder email) nor for what the app shows as it happens (badges, a finished course). Push for
# what is worth an interruption (sent only once an app registered a push channel: accounts.channels).
DEFAULT_CHANNELS: dict[str, frozenset[Channel]] = {
    kind: frozenset({Channel.IN_APP, *extra})
    for kind, extra in {
        NotificationKind.GENERATION_FINISHED: {Channel.EMAIL},
        NotificationKind.GENERATION_FAILED: set(),
        NotificationKind.BADGE_AWARDED: set(),
        NotificationKind.COURSE_COMPLETED: set(),
        NotificationKind.CERTIFICATE_ISSUED: set(),  # its own email carries the PDF and the LinkedIn link
        NotificationKind.REPLY: {Channel.PUSH},
        NotificationKind.MENTION: {Channel.EMAIL, Channel.PUSH},
        # pushed by the push app's own reminders, at the hour the learner chose (webpush.reminders)
        NotificationKind.DAY_OPENED: set(),
        NotificationKind.STREAK_AT_RISK: set(),
        NotificationKind.COHORT_STARTING: {Channel.EMAIL, Channel.PUSH},
        NotificationKind.WARNING: {Channel.EMAIL},
        NotificationKind.PUBLISH_REQUESTED: {Channel.EMAIL},
        NotificationKind.CO_INSTRUCTOR_ADDED: {Channel.EMAIL},
        NotificationKind.PAYMENT_FAILED: set(),
        NotificationKind.PLAN_ENDED: set(),
    }.items()
}


class Notification(models.Model):
    """An in-app notice for one person (a draft ready, a badge, a day opened, a reply)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=50, choices=NotificationKind)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"),
            # A notice leads to a page of this site, never elsewhere (nor to a javascript: URL).
            models.CheckConstraint(
                condition=Q(url="") | (Q(url__startswith="/") & ~Q(url__startswith="//") & ~Q(url__startswith="/\\")),
                name="notification_url_on_site",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]


class NotificationPreference(models.Model):
    """Where one person wants one kind of notice to go; without a row, ``DEFAULT_CHANNELS``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=50, choices=NotificationKind)
    in_app = models.BooleanField()
    email = models.BooleanField()
    push = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_one_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_preference_kind"),
        ]

    def channels(self) -> frozenset[Channel]:
        return frozenset(channel for channel in Channel if getattr(self, channel.value))
