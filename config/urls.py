from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from core.views import favicon, healthz
from segments.views import home

admin.site.site_header = _("Jeugdinkoop – beheer")
admin.site.site_title = _("Jeugdinkoop beheer")
admin.site.index_title = _("Beheer van gegevens")

# A database that cannot be reached is a 503, not a 500 (core/outage.py).
handler500 = "core.outage.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("account/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("installatie/", include("accounts.urls_installation")),
    path("zoeken/", include("core.urls_search")),
    path("meldingen/", include("core.urls_notifications")),
    path("portaal/", include("portal.urls")),
    path("openbaar/", include("public.urls")),
    path(
        "regios/<slug:region>/aanbieders/<int:provider>/portaalgebruikers/",
        include("portal.urls_staff"),
    ),
    path("regios/<slug:region>/aanbieders/", include("providers.urls")),
    path("regios/<slug:region>/inkoop/", include("procurement.urls")),
    path("regios/<slug:region>/contracten/", include("contracts.urls")),
    path("regios/<slug:region>/monitoring/", include("monitoring.urls")),
    path("regios/<slug:region>/rapportages/", include("reports.urls")),
    path("regios/<slug:region>/api-clients/", include("api.urls_admin")),
    path("regios/<slug:region>/gebruikers/", include("accounts.urls")),
    path("regios/<slug:region>/", include("segments.urls")),
]

# No /media/ route, not even with DEBUG: uploaded files and report PDFs are served only by
# scoped views (core/files.py, docs/security.md).
