from django.urls import path

from tableau.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("<str:rpps>/", views.detail, name="detail"),
]
