"""QuickScale analytics module: events in the project's own database, without raw IP
addresses, recorded through the task queue when there is one."""
