from __future__ import annotations

from django.urls import path

from biys.users import views

app_name = "users"

urlpatterns = [
    path("giris/", views.LoginView.as_view(), name="login"),
    path("cikis/", views.LogoutView.as_view(), name="logout"),
    path("iki-adim/", views.mfa, name="mfa"),
    path("profil/", views.profile, name="profile"),
    path("profil/tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
]
