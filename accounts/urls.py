"""/regios/<region>/gebruikers/: the region administrator's user pages."""

from django.urls import path

from . import views as v

app_name = "users"

urlpatterns = [
    path("", v.UserListView.as_view(), name="user-list"),
    path("uitnodigen/", v.UserInviteView.as_view(), name="user-invite"),
    path("<int:pk>/", v.UserDetailView.as_view(), name="user-detail"),
    path("<int:pk>/rollen/", v.UserRolesView.as_view(), name="user-roles"),
    path("<int:pk>/deactiveren/", v.UserDeactivateView.as_view(), name="user-deactivate"),
    path(
        "<int:pk>/uitnodiging-opnieuw/",
        v.UserInvitationResendView.as_view(),
        name="user-invitation-resend",
    ),
]
