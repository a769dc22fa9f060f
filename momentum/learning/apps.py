from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "momentum.learning"
    label = "learning"
