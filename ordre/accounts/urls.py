from django.urls import path

from ordre.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("double-authentification/activation/", views.otp_enrol, name="otp_enrol"),
    path("double-authentification/verification/", views.otp_verify, name="otp_verify"),
    path(
        "double-authentification/codes-de-secours/",
        views.backup_codes_regenerate,
        name="backup_codes_regenerate",
    ),
    path("reauthentification/", views.reauth, name="reauth"),
    path("compte/", views.account, name="account"),
    path("compte/modifier/", views.profile_edit, name="profile_edit"),
    path("compte/mot-de-passe/", views.password_change, name="password_change"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/terminer-les-autres/", views.sessions_end_others, name="sessions_end_others"),
    path("sessions/<int:pk>/terminer/", views.session_end, name="session_end"),
]
