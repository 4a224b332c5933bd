"""/portaal/: the provider portal."""

from django.urls import include, path

from . import views as v

app_name = "portal"

urlpatterns = [
    path("", v.PortalIndexView.as_view(), name="home"),
    path("tweestapsverificatie/", v.OtpVerifyView.as_view(), name="otp-verify"),
    path("tweestapsverificatie/instellen/", v.OtpSetupView.as_view(), name="otp-setup"),
    path("<int:provider>/", v.OverviewView.as_view(), name="overview"),
    path("<int:provider>/collegas/", v.ColleaguesView.as_view(), name="colleagues"),
    path(
        "<int:provider>/collegas/<int:pk>/verwijderen/",
        v.ColleagueRemoveView.as_view(),
        name="colleague-remove",
    ),
    path(
        "<int:provider>/collegas/<int:pk>/uitnodiging-opnieuw/",
        v.ColleagueResendView.as_view(),
        name="colleague-resend",
    ),
    # each part of the portal has its own URL module (same namespace, under the provider)
    path("<int:provider>/", include("portal.urls_procedures")),
    path("<int:provider>/", include("portal.urls_inbox")),
    path("<int:provider>/", include("portal.urls_contracts")),
    path("<int:provider>/", include("portal.urls_steering")),
]
