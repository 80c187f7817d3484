"""QuickScale admin module: Django's admin on django-unfold, with a dashboard of the
enabled components' counters, an audit trail (django-auditlog) and CSV export."""
