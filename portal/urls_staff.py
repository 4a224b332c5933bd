"""/regios/<region>/aanbieders/<provider>/portaalgebruikers/: the region's side."""

from django.urls import path

from . import views_staff as v

app_name = "portal-staff"

urlpatterns = [
    path("", v.PortalUsersView.as_view(), name="users"),
    path("<int:pk>/verwijderen/", v.PortalUserRemoveView.as_view(), name="user-remove"),
    path("<int:pk>/uitnodiging-opnieuw/", v.PortalUserResendView.as_view(), name="user-resend"),
]
