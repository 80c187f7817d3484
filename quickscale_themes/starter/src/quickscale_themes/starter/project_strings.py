"""The strings of the pages this theme writes into a project, for the theme's catalogue.

A project's base layout, admin, home page and footer are made from ``.j2`` templates (the
theme's ``generate/project/`` and core's generated frontend), which makemessages does not
read. Their msgids are listed here so that the theme's catalogues translate them too; the
theme's tests check that every string those templates mark is listed (or is already in a
theme template). Nothing imports this module.
"""

from django.utils.translation import gettext_noop

PROJECT_STRINGS = (
    # generate/project/__frontend__/templates/base.html.j2: the staff link in the header.
    gettext_noop("Admin"),
    # generate/project/__project__/admin.py.j2 and models.py.j2: the user admin's fieldset
    # and the user's language field.
    gettext_noop("Profile"),
    gettext_noop("language"),
    # Core's generated home page (custom_frontend/templates/home.html) and footer.
    gettext_noop(
        "Your QuickScale project is running. Edit <code>%(path)s</code> to change this page."
    ),
    gettext_noop("Open the admin"),
    gettext_noop("built with QuickScale"),
    # Core's example client variant: its brand (variants/client_a/.../brand.html).
    gettext_noop("for Client A"),
)
