"""The project's swappable user, built on the starter theme's abstract base."""

from quickscale_themes.starter.models import AbstractStarterUser


class User(AbstractStarterUser):
    class Meta(AbstractStarterUser.Meta):
        swappable = "AUTH_USER_MODEL"
