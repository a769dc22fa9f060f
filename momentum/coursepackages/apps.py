"""Course packages: a course exported as one zip that is both Momentum's own package and an IMS
Common Cartridge 1.3, and imported back (from Momentum, or from another LMS) as a draft."""

from django.apps import AppConfig


class CoursePackagesConfig(AppConfig):
    name = "momentum.coursepackages"
    label = "coursepackages"
