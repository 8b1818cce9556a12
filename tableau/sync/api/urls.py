from django.urls import path

from tableau.sync.api import views

app_name = "council_sync"
urlpatterns = [
    path("<str:council_code>/changements/", views.ChangesView.as_view(), name="changes"),
    path("<str:council_code>/acquittement/", views.AcknowledgeView.as_view(), name="acknowledge"),
]
