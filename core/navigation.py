"""The region menu: the region's pages grouped by the work (docs/ui.md).

Built once per request by ``core.context_processors.navigation`` from the same flags the
pages' own checks use (a link is shown only to a user who may open it). URL names are strings:
core sits below the apps whose pages it links to and imports none of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass
class MenuItem:
    label: str
    url: str
    current: bool = False


@dataclass
class MenuGroup:
    key: str
    label: str
    items: list[MenuItem] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)


def region_menu(
    *,
    slug: str,
    path: str,
    region_role: bool,
    municipality_pk: int | None,
    api_clients: bool,
    users: bool,
    public_page: bool,
    signatory: bool,
) -> list[MenuGroup]:
    """The groups of the region menu, each with the links this user may open; the link whose
    address is the longest start of ``path`` is the current one (a contract's page marks
    "Contracten", a tariff's page "Tarieven")."""
    r = {"region": slug}

    def item(label, name, **kwargs):
        return MenuItem(str(label), reverse(name, kwargs={**r, **kwargs}))

    groups = [
        MenuGroup(
            "landschap",
            str(_("Landschap")),
            [
                item(_("Segmenten"), "segments:segment-tree"),
                item(_("Deelname"), "segments:participation-matrix"),
                item(_("Gemeenten"), "segments:municipality-list"),
                item(_("Aanbieders"), "providers:provider-list"),
                item(_("Jeugdhulpvormen"), "segments:careform-list"),
                item(_("Producten"), "segments:product-list"),
                item(_("Profielen"), "segments:supportprofile-list"),
            ],
        ),
        MenuGroup(
            "inkoop",
            str(_("Inkoop")),
            [
                item(_("Strategieën"), "procurement:strategy-list"),
                item(_("Inkoopkaders"), "procurement:framework-list"),
                item(_("Aanbestedingen"), "procurement:tender-list"),
            ],
        ),
        MenuGroup(
            "contracten",
            str(_("Contracten")),
            [
                item(_("Contracten"), "contracts:contract-list"),
                item(_("Tarieven"), "contracts:tariff-list"),
            ],
        ),
        MenuGroup("monitoring", str(_("Monitoring"))),
        MenuGroup("rapportages", str(_("Rapportages"))),
        MenuGroup("beheer", str(_("Beheer"))),
    ]
    by_key = {g.key: g for g in groups}
    if region_role:
        by_key["contracten"].items += [
            item(_("Inkoopeffect"), "contracts:effect"),
            item(_("Budget per segment"), "contracts:segment-budgets"),
        ]
        by_key["monitoring"].items += [
            item(_("Regio-overzicht"), "monitoring:region"),
            item(_("Signalen"), "monitoring:signals"),
            item(_("Prestatiedialogen"), "monitoring:dialogue-list"),
            item(_("Imports"), "monitoring:import-list"),
        ]
    elif municipality_pk:
        by_key["monitoring"].items += [
            item(_("Overzicht gemeente"), "monitoring:municipality", pk=municipality_pk),
            item(_("Productieregels"), "monitoring:lines"),
        ]
    if region_role or municipality_pk:
        by_key["rapportages"].items.append(item(_("Rapportages"), "reports:report-list"))
        by_key["rapportages"].items.append(item(_("Abonnementen"), "reports:subscription-list"))
    if region_role:
        by_key["rapportages"].items.append(item(_("Verdeelsleutel"), "reports:budget-shares"))
    if api_clients:
        by_key["beheer"].items.append(item(_("API-clients"), "apiclients:client-list"))
    if users:
        by_key["beheer"].items.append(item(_("Gebruikers"), "users:user-list"))
    if public_page:
        by_key["beheer"].items.append(item(_("Openbare pagina"), "segments:public-page"))
    if signatory:
        by_key["beheer"].items.append(item(_("Ondertekening"), "segments:letter-signatory"))
    groups = [g for g in groups if g.items]
    matches = [i for g in groups for i in g.items if path.startswith(i.url)]
    if matches:
        max(matches, key=lambda i: len(i.url)).current = True
    return groups
