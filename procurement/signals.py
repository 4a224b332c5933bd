"""Signals procurement sends to the apps above it (contracts), so it never imports them."""

from django.dispatch import Signal

#: Sent inside the transaction of a definitive award or an admission, with
#: ``tender`` and ``submissions`` (the awarded or admitted submissions).
award_made = Signal()
