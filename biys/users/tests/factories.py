"""Factories for the every-model change-log test: model -> (make, field to change, new value)."""

from __future__ import annotations

from biys.users.models import ApiToken, Role, User

FACTORIES = {
    User: (lambda: User.objects.create_user("faktori", password="x-Parola-2026"), "first_name", "Çağla"),
    Role: (lambda: Role.objects.create(name="Geçici Rol", code="gecici"), "require_mfa", True),
    ApiToken: (lambda: ApiToken.issue(User.objects.create_user("tokenci"), "betik")[0], "name", "yedek betik"),
}
