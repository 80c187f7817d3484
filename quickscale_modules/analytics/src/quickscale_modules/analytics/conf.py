"""The analytics module's settings, resolved by its app when Django loads it.

The project's settings.py sets the options of quickscale.yml
(QUICKSCALE_ANALYTICS_PAGE_VIEWS, QUICKSCALE_ANALYTICS_RETENTION_DAYS); the daily
retention task's entry in CELERY_BEAT_SCHEDULE is the app's own (an entry of the same
name in the project's settings wins, quickscale_core.app_settings).
"""

from __future__ import annotations

BEAT_SCHEDULE = {
    # Retention, daily on the scheduler (`celery -A <project> beat`), or run
    # `python manage.py prune_analytics` from cron.
    "analytics-prune": {"task": "quickscale_analytics.prune_events", "schedule": 24 * 3600},
}
