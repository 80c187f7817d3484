"""Core's background tasks, where a project's Celery app looks for them (each installed
app's tasks.py, ``app.autodiscover_tasks()``), so a worker knows them by name."""

from quickscale_core.personal_data.tasks import mail_export

__all__ = ["mail_export"]
