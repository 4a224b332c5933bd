"""Hooks of contracts that higher apps fill (a lower app never imports a higher one).

``kpi_agreement_changed`` is sent inside the transaction of ``kpi_agreement_create``,
``kpi_agreement_update`` and ``kpi_agreement_delete`` with ``agreement`` (deleted: the object as
it was), ``action`` (``"created"``, ``"updated"`` or ``"deleted"``) and ``user``; monitoring
judges the region's months again against the changed norm."""

from django.dispatch import Signal

kpi_agreement_changed = Signal()
