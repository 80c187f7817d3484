"""Texts the auth module puts into a project outside this package, listed so that
``makemessages`` (which reads this package, not manifests) carries them in the
module's catalogue: Django looks a project's strings up in every installed app's
catalogue. Never imported by the running module.
"""

from django.utils.translation import gettext_lazy as _

#: The manifest's admin dashboard counter ([tool.quickscale] counters).
MANIFEST = (_("Email addresses"),)
