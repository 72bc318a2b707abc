from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Annexe"

    def ready(self) -> None:
        from config.celery import ensure_broker_folders

        ensure_broker_folders()
