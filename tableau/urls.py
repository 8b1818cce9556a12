from django.urls import path

from tableau import views

app_name = "tableau"

urlpatterns = [
    path("mon-inscription/", views.my_registration, name="my_registration"),
    path("mon-inscription/attestation/", views.my_certificate, name="my_certificate"),
    path("verifier/<str:code>/", views.verify, name="verify"),
]
