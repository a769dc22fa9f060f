"""The studio's generation form (the rules themselves live in generation.actions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from momentum.catalog.models import DURATIONS, Category, Level
from momentum.catalog.studio_forms import StudioForm
from momentum.generation.actions import JobRequest
from momentum.generation.models import Language

MAX_PDFS = 5


class MultiplePdfInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PdfFiles(forms.FileField):
    """Zero or more uploaded files (checked as PDFs by the reference-document action)."""

    widget = MultiplePdfInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PDFS:
            raise forms.ValidationError(_("At most %(count)s PDFs per course.") % {"count": MAX_PDFS})
        return [super(PdfFiles, self).clean(file, initial) for file in files]


class GenerateForm(StudioForm):
    topic = forms.CharField(
        label=_("Topic"), max_length=500, min_length=3, help_text=_("What the course teaches, in a phrase.")
    )
    # No default: a course filed under a category nobody chose is hard to find again.
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), to_field_name="slug", empty_label=_("Choose…"), label=_("Category")
    )
    duration_days = forms.TypedChoiceField(
        label=_("Length"),
        choices=[(d, format_lazy(_("{days} days"), days=d)) for d in DURATIONS],
        coerce=int,
        initial=7,
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.BEGINNER)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        initial=Language.EN,
        required=False,
        help_text=_("The course is written, narrated and captioned in this language."),
    )
    audience = forms.CharField(
        label=_("Audience"), max_length=300, required=False, help_text=_("Who it is for, e.g. “new team leads”.")
    )
    tone = forms.CharField(
        label=_("Tone"), max_length=100, required=False, help_text=_("e.g. friendly, concise, playful.")
    )
    pdfs = PdfFiles(
        label=_("Reference PDFs"),
        required=False,
        widget=MultiplePdfInput(attrs={"accept": "application/pdf,.pdf", "multiple": True}),
        help_text=_("Optional: the passages most relevant to each day ground its lesson."),
    )
    include_video = forms.BooleanField(label=_("Make a narrated video for each lesson"), required=False, initial=True)
    include_thumbnail = forms.BooleanField(label=_("Make a thumbnail"), required=False, initial=True)
    include_quizzes = forms.BooleanField(label=_("Write a quiz for each lesson"), required=False, initial=True)

    def job_request(self, documents: list[Any]) -> JobRequest:
        """The job the valid form asks for, with its stored reference ``documents``."""
        data = self.cleaned_data
        return JobRequest(
            topic=" ".join(data["topic"].split()),
            category=data["category"],
            duration_days=data["duration_days"],
            level=data["level"],
            language=data.get("language") or Language.EN,
            audience=data["audience"],
            tone=data["tone"],
            include_video=data["include_video"],
            include_thumbnail=data["include_thumbnail"],
            include_quizzes=data["include_quizzes"],
            reference_documents=documents,
        )
