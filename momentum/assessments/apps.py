from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "momentum.assessments"
    label = "assessments"
