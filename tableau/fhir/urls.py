from django.urls import path, re_path

from tableau.fhir import views

app_name = "fhir"
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Practitioner", views.practitioner_search, name="practitioner_search"),
    path("Practitioner/<str:resource_id>", views.practitioner_read, name="practitioner_read"),
    path("PractitionerRole", views.practitioner_role_search, name="role_search"),
    path("PractitionerRole/<str:resource_id>", views.practitioner_role_read, name="role_read"),
    re_path(r"^(?P<resource_type>[A-Za-z]+)(?:/(?P<rest>.*))?$", views.unknown_resource),
]
