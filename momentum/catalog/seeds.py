"""The six categories every Momentum site has: created by a data migration, restored after a flush."""

from __future__ import annotations

from typing import Any

CATEGORIES = [
    ("technology", "Technology", "Programming, data and the tools of the digital world.", "#2454c6", "#9cc0ff"),
    ("business", "Business", "Starting, running and growing work that pays.", "#0f766e", "#7fe0cf"),
    (
        "personal-development",
        "Personal Development",
        "Habits, focus and the skills of a good life.",
        "#6d3fd0",
        "#c9b6ff",
    ),
    ("health-wellness", "Health & Wellness", "Movement, sleep, food and a calmer mind.", "#1f8a45", "#9fe3b3"),
    ("creative-arts", "Creative Arts", "Drawing, writing, music, photography and design.", "#c02a6d", "#ffaed0"),
    ("languages", "Languages", "Everyday phrases and the grammar behind them.", "#c2530a", "#ffc48f"),
]


def ensure_categories(category_model: Any) -> None:
    """Create the missing seeded categories; never overwrite an admin's edits to existing ones."""
    existing = set(category_model.objects.values_list("slug", flat=True))
    for position, (slug, name, description, color, accent) in enumerate(CATEGORIES):
        if slug not in existing:
            category_model.objects.create(
                slug=slug, name=name, description=description, color=color, accent=accent, position=position
            )
