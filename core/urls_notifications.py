from django.urls import path

from core import notification_views as v

app_name = "notifications"

urlpatterns = [
    path("", v.NotificationListView.as_view(), name="list"),
    path("voorkeuren/", v.NotificationPreferencesView.as_view(), name="preferences"),
    path("alles-gelezen/", v.NotificationReadAllView.as_view(), name="read-all"),
    path("<int:pk>/gelezen/", v.NotificationReadView.as_view(), name="read"),
]
