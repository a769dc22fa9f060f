"""The time zone's select is written in Python, with exactly the markup Django's template writes."""

from __future__ import annotations

import pytest
from django import forms

from momentum.accounts.forms import LongSelect, ProfileForm, timezone_choices

CHOICES = [
    ("", "Pick one"),
    ("Europe/Paris", "Europe/Paris"),
    ("Evil", [("a&b", '<script>"x"</script>'), ("c", "C")]),
]


@pytest.mark.parametrize("value", ["", "Europe/Paris", "a&b", None])
def test_the_long_select_writes_what_djangos_select_template_writes(value: str | None) -> None:
    attrs = {"id": "id_zone", "required": True, "disabled": False, "aria-describedby": 'h"1'}

    ours = LongSelect(choices=CHOICES).render("zone", value, attrs)
    django = forms.Select(choices=CHOICES).render("zone", value, attrs)

    assert ours == django


@pytest.mark.django_db
def test_the_profile_form_offers_every_time_zone_with_the_learners_selected(learner: object) -> None:
    learner.timezone = "America/New_York"  # type: ignore[attr-defined]

    html = str(ProfileForm(instance=learner)["timezone"])

    assert html.count("<option ") == len(timezone_choices())
    assert '<option value="America/New_York" selected>America/New York</option>' in html
