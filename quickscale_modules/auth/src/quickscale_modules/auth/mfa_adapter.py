"""allauth.mfa's adapter, with the TOTP QR code as inline SVG.

allauth shows the QR code as a ``data:image/svg+xml`` image, which the site's CSP
(``img-src 'self'``) blocks; the module's activate_form.html puts this SVG into the page
instead, so img-src never gains ``data:``. The code is drawn on white, as scanners need
it, in the dark colour scheme too.
"""

from __future__ import annotations

from io import BytesIO

from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.html import escape
from django.utils.translation import gettext


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """An ``<svg>`` element for an HTML page: no XML declaration, a text alternative."""
        import qrcode
        from qrcode.image.svg import SvgPathFillImage

        buffer = BytesIO()
        qrcode.make(url, image_factory=SvgPathFillImage).save(buffer)
        svg = buffer.getvalue().decode("utf8")
        svg = svg[svg.index("<svg") :]
        label = escape(gettext("QR code of the authenticator secret"))
        return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr-code" ', 1)
