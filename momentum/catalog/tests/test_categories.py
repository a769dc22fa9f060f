import pytest

from momentum.catalog.models import Category

pytestmark = pytest.mark.django_db


def test_six_categories_are_seeded_by_the_migrations() -> None:
    assert Category.objects.count() == 6
    assert set(Category.objects.values_list("slug", flat=True)) == {
        "technology", "business", "personal-development", "health-wellness", "creative-arts", "languages",
    }  # fmt: skip
