from django.urls import path

from ordre.documents import views

app_name = "documents"

urlpatterns = [
    path("<uuid:document_id>/telecharger/", views.download, name="download"),
]
