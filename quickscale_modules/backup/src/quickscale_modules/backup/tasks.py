"""Celery task of the nightly backup (scheduled by the settings snippet)."""

from __future__ import annotations

from celery import shared_task

from quickscale_modules.backup import services


@shared_task(name="quickscale_backup.run_backup", ignore_result=True, acks_late=False)
def run_backup() -> None:
    # Not acknowledged late: a backup interrupted by a lost worker is not run twice in
    # a row; the next scheduled run makes the next one.
    services.run_backup()
