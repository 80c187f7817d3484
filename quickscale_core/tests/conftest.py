"""Core's test suite configures no Django project; personal_data/ is a small one that
tests/test_personal_data.py copies and runs in a subprocess with its own settings, so
pytest must not collect it (its conftest.py needs those settings) here."""

collect_ignore = ["personal_data"]
