from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from biys.users.models import Role, User


@admin.register(User)
class BiysUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("BİYS", {"fields": ("unit", "directory_id")}))
    list_display = ("username", "first_name", "last_name", "unit", "is_active")
    list_select_related = ("unit",)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "require_mfa")
    filter_horizontal = ("permissions",)
