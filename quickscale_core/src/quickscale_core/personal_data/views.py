"""The download of a mailed export: the signed link's file, to the user it was made for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from quickscale_core.personal_data import services

EXPIRED = _("This download link has expired: ask for your data again from your account page.")
FOREIGN = _("This download link was sent to another account: log in as that account to use it.")
INVALID = _("This download link is not valid: use the link from the email as it was sent.")


def _sentence(text: str | Promise, status: int) -> HttpResponse:
    """One sentence for the person who followed the link, in the request's language."""
    return HttpResponse(str(text), status=status, content_type="text/plain; charset=utf-8")


@never_cache  # type: ignore[untyped-decorator]  # Django ships no types
@require_GET  # type: ignore[untyped-decorator]
@login_required  # type: ignore[untyped-decorator]
def download(request: HttpRequest, token: str) -> HttpResponse:
    """The archive, if the token is valid, not expired, and the requester's own."""
    try:
        owner, name = services.read_token(token)
    except signing.SignatureExpired:
        return _sentence(EXPIRED, 410)
    except (signing.BadSignature, KeyError, TypeError):
        return _sentence(INVALID, 404)
    if owner != str(request.user.pk):
        return _sentence(FOREIGN, 403)
    if not default_storage.exists(name):  # removed as expired, or the account erased
        return _sentence(EXPIRED, 410)
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename="personal-data.zip",
        content_type="application/zip",
    )
