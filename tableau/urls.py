from django.urls import path

from tableau import views

app_name = "tableau"

urlpatterns = [
    path("mon-inscription/", views.my_registration, name="my_registration"),
]
