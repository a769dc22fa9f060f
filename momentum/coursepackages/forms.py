"""The studio's import form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from momentum.catalog.queries import categories


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Course package"),
        help_text=_("A .zip or .imscc file: exported from Momentum, or a Common Cartridge from Moodle, Canvas or "
                    "another LMS."),
    )  # fmt: skip
    category = forms.ModelChoiceField(
        queryset=categories(), required=False, label=_("Category"), empty_label=_("As in the package"),
        to_field_name="slug",
    )  # fmt: skip
