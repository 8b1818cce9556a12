from django.urls import path

from tableau.directory.api import views

app_name = "directory"
urlpatterns = [
    path("medecins/", views.DirectorySearchView.as_view(), name="search"),
    path("medecins/<str:rpps>/", views.DirectoryEntryView.as_view(), name="detail"),
]
