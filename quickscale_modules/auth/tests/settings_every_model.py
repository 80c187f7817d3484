"""The auth module's test project with every feature that adds a model of a user's data
on (social login's, MFA's and sessions' apps): test_personal_data_declarations.py
re-runs itself with these settings in a subprocess (INSTALLED_APPS is fixed at
start-up)."""

from settings import *  # noqa: F403
from settings import INSTALLED_APPS

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "allauth.socialaccount",
    "allauth.mfa",
    "allauth.usersessions",
]
