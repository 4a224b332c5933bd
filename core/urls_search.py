from django.urls import path

from core import search_views as v

app_name = "search"

urlpatterns = [
    path("", v.SearchView.as_view(), name="results"),
    path("suggesties/", v.suggest, name="suggest"),
]
