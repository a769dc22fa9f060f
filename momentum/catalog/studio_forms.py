"""Forms of the studio's course and lesson editors (the rules themselves live in catalog.actions)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from momentum.catalog.models import DEFAULT_LANGUAGE, DURATIONS, Category, Level, Pacing, Status
from momentum.lib import language_tags
from momentum.lib.problems import Problem

MAX_MARKDOWN = 200_000


class StudioForm(forms.Form):
    """Labels without Django's trailing colon, as everywhere else on the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CourseForm(StudioForm):
    title = forms.CharField(max_length=500)
    description = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ModelChoiceField(queryset=Category.objects.all(), to_field_name="slug", empty_label=None)
    duration_days = forms.TypedChoiceField(
        label=_("Length"), choices=[(d, f"{d} days") for d in DURATIONS], coerce=int, initial=7
    )
    level = forms.ChoiceField(choices=Level.choices, initial=Level.BEGINNER)
    pacing = forms.ChoiceField(
        label=_("Pacing"), choices=Pacing.choices, initial=Pacing.DAILY, required=False,
        help_text=_("One day a day: day N opens at the learner's midnight N-1 days after they start."),
    )  # fmt: skip
    language = forms.ChoiceField(
        label=_("Language"),
        choices=sorted(language_tags.NAMES.items(), key=lambda item: str(item[1])),
        initial=DEFAULT_LANGUAGE,
        required=False,
        help_text=_(
            "The language the lessons are written in: the catalogue shows courses in a learner's language first."
        ),
    )
    is_premium = forms.BooleanField(label=_("Premium course (paid)"), required=False)
    price = forms.DecimalField(
        label=_("Price (USD)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100_000),
        decimal_places=2,
        help_text=_("A premium course needs a price; learners with the premium plan take it for free."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A course written (through the API) in a language the menu does not list keeps it.
        current, field = self.initial.get("language"), self.fields["language"]
        if current and isinstance(field, forms.ChoiceField) and current not in language_tags.NAMES:
            field.choices = [*language_tags.NAMES.items(), (current, language_tags.name(current))]

    @classmethod
    def initial_for(cls, course: Any) -> dict[str, Any]:
        return {
            "title": course.title,
            "description": course.description,
            "category": course.category.slug,
            "duration_days": course.duration_days,
            "level": course.level,
            "pacing": course.pacing,
            "language": course.language,
            "is_premium": course.is_premium,
            "price": Decimal(course.price_cents) / 100 if course.price_cents else None,
        }

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return (
            {
                "title": data["title"].strip(),
                "description": data["description"],
                "category": data["category"],
                "duration_days": data["duration_days"],
                "level": data["level"],
                "is_premium": data["is_premium"],
                "price_cents": int((data["price"] or Decimal(0)) * 100),
            }
            | ({"pacing": data["pacing"]} if data.get("pacing") else {})
            | ({"language": data["language"]} if data.get("language") else {})
        )


class LessonForm(StudioForm):
    title = forms.CharField(max_length=500)
    day = forms.IntegerField(label=_("Day (change it to move the lesson)"), min_value=1, max_value=21)
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=600, initial=10)
    is_preview = forms.BooleanField(
        label=_("Free preview: anyone may open this lesson without enrolling"), required=False
    )
    content_markdown = forms.CharField(
        label=_("Lesson (Markdown)"), required=False, max_length=MAX_MARKDOWN, widget=forms.Textarea(attrs={"rows": 18})
    )
    video_url = forms.CharField(
        label=_("Video URL"),
        required=False,
        max_length=1000,
        help_text=_("An http(s) link to a video on a public host."),
    )
    video_file = forms.FileField(
        label=_("…or upload a video"), required=False, help_text=_("MP4, WebM or Ogg; replaces the URL.")
    )
    remove_video = forms.BooleanField(label=_("Remove the video"), required=False)

    def fields_for_action(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "day": data["day"],
            "title": data["title"].strip(),
            "content_markdown": data["content_markdown"],
            "video_url": data["video_url"].strip(),
            "duration_minutes": data["duration_minutes"],
            "is_preview": data["is_preview"],
        }


class CourseFilters(StudioForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(choices=[("", _("Any status")), *Status.choices], required=False)
    category = forms.ChoiceField(required=False)
    duration = forms.TypedChoiceField(
        label=_("Length"),
        choices=[("", _("Any length")), *[(d, f"{d} days") for d in DURATIONS]],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        if isinstance(category, forms.ChoiceField):
            category.choices = [("", _("Any category")), *Category.objects.values_list("slug", "name")]


def add_problem(form: forms.Form, problem: Problem) -> None:
    """Show an action's refusal on the form: on the field it names, or above the form."""
    for error in problem.errors or []:
        name = error.get("field", "")
        target = {"price_cents": "price", "file": "video_file", "video": "video_file"}.get(name, name)
        if target in form.fields:
            form.add_error(target, str(error["message"]))
        else:
            form.add_error(None, problem.detail)
    if not problem.errors:
        form.add_error(None, problem.detail)
