"""The labels this theme's manifest (pyproject.toml) gives a project, for its catalogue.

The home-page link (``home-links``) is written into the project's home.html as
``{% translate "<label>" %}``, and the admin dashboard shows the ``counters``' labels;
makemessages does not read the manifest, so the labels are listed here and the theme's
catalogues translate them. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

PROJECT_STRINGS = (
    gettext_noop("Open your to-do lists"),
    gettext_noop("To-do lists"),
    gettext_noop("To-do items"),
)
