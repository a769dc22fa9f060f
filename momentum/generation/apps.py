from django.apps import AppConfig


class GenerationConfig(AppConfig):
    name = "momentum.generation"
    label = "generation"
