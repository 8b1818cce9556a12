from django.urls import path

from tableau.directory import clerk_views

app_name = "directory_clerk"
urlpatterns = [
    path("instruction/ecarts-annuaire/", clerk_views.differences, name="differences"),
]
