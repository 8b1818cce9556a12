from django.urls import path

from ordre.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
]
