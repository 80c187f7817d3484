"""Texts the payments module puts into a project outside this package, listed so that
``makemessages`` (which reads this package, not ``.j2`` files or manifests) carries them
in the module's catalogue: Django looks a project's strings up in every installed
app's catalogue, so the generated example shop is translated by this one.

A test compares this list with the example shop's files (generate/project): a text
changed there and not here fails it. Never imported by the running module.
"""

from django.utils.translation import gettext_lazy as _

#: The manifest's home link and counters ([tool.quickscale] home-links, counters).
MANIFEST = (_("Shop"), _("Payments"), _("Stripe events"))

#: The example shop: payments_example.py.j2 and payments_example/shop.html.j2.
EXAMPLE_SHOP = (
    _("Sticker pack"),
    _("Pay %(price)s"),
    _("You pay on Stripe's secure page and come back here."),
    _("Customers' payments"),
    _("Your payments"),
    _("Customer"),
    _("Item"),
    _("Amount"),
    _("Status"),
    _("Actions"),
    _("guest"),
    _("Details"),
    _("of payment %(number)s"),
    _("Refund"),
    _("payment %(number)s"),
    _("No payments yet."),
    _("Only staff may refund a payment."),
    _("No such payment."),
    _("Refund requested: it shows here once Stripe confirms it."),
)
