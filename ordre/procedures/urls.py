from django.urls import path

from ordre.procedures import views

app_name = "procedures"

urlpatterns = [
    path("instruction/", views.queue, name="queue"),
    path("instruction/export.<str:fmt>", views.queue_export, name="queue_export"),
    path("instruction/actions-groupees/", views.queue_bulk, name="queue_bulk"),
    path("instruction/dossiers/<int:pk>/", views.clerk_dossier, name="clerk_dossier"),
    path("instruction/dossiers/<int:pk>/<slug:verb>/", views.clerk_action, name="clerk_action"),
    path("mes-dossiers/", views.my_dossiers, name="my_dossiers"),
    path("mes-dossiers/<int:pk>/", views.my_dossier, name="my_dossier"),
    path("mes-dossiers/<int:pk>/formulaire/", views.edit_form, name="edit_form"),
    path("mes-dossiers/<int:pk>/<slug:verb>/", views.my_action, name="my_action"),
    path("demarches/<slug:kind>/nouveau/", views.new_dossier, name="new_dossier"),
]
