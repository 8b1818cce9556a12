from django.urls import path

from tableau.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("fichiers/", views.bulk_files, name="bulk_files"),
    path("fichiers/<int:pk>/telecharger/", views.bulk_file_download, name="bulk_file_download"),
    path("<str:rpps>/", views.detail, name="detail"),
]
