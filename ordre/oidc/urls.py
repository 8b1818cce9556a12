"""Included under /comptes/ by the composition root (namespace "oidc")."""

from django.urls import path

from ordre.oidc import views

app_name = "oidc"
urlpatterns = [
    path("oidc/<slug:provider>/connexion/", views.begin, name="begin"),
    path("oidc/<slug:provider>/retour/", views.callback, name="callback"),
    path("oidc/deconnexion/", views.logout, name="logout"),
    path("oidc/<slug:provider>/deconnexion/retour/", views.logout_return, name="logout_return"),
    path("identites/", views.identities, name="identities"),
    path("identites/<int:pk>/delier/", views.unlink, name="unlink"),
]
