"""A user's personal data across every installed component: export it, erase it.

Where the data lives is not known here: each component's manifest declares its models
(the lookup from a row to its user, what export includes, what erasure does), and
generation collects the declarations into the project's ``QUICKSCALE_PERSONAL_DATA``
setting. This package reads that setting and names no component. ``services`` is the
API pages, the admin and the management commands call; ``selectors`` reads.
"""
