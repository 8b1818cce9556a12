from django.urls import path

from ordre.procedures.api import views

app_name = "procedures"

urlpatterns = [
    path("", views.MyDossierList.as_view(), name="my_dossiers"),
    path("<int:pk>/", views.MyDossierDetail.as_view(), name="my_dossier"),
    path("<int:pk>/pieces/", views.MyDossierPieces.as_view(), name="my_pieces"),
    path("<int:pk>/messages/", views.MyDossierMessages.as_view(), name="my_messages"),
    path("<int:pk>/actions/<slug:verb>/", views.MyDossierAction.as_view(), name="my_action"),
    path("instruction/", views.ClerkDossierList.as_view(), name="clerk_dossiers"),
    path("instruction/<int:pk>/", views.ClerkDossierDetail.as_view(), name="clerk_dossier"),
    path(
        "instruction/<int:pk>/messages/",
        views.ClerkDossierMessages.as_view(),
        name="clerk_messages",
    ),
    path("instruction/<int:pk>/notes/", views.ClerkDossierNotes.as_view(), name="clerk_notes"),
    path(
        "instruction/<int:pk>/assignees/",
        views.ClerkDossierAssignees.as_view(),
        name="clerk_assignees",
    ),
    path(
        "instruction/<int:pk>/actions/<slug:verb>/",
        views.ClerkDossierAction.as_view(),
        name="clerk_action",
    ),
]
