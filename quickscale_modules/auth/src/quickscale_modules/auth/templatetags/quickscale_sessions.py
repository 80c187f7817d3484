"""Filters of the sessions page: a session's device and network, as people read them."""

from __future__ import annotations

from django import template

from quickscale_modules.auth import sessions

register = template.Library()
register.filter("session_device", sessions.device)
register.filter("session_network", sessions.network)
