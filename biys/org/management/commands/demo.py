from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from biys.org.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo municipality (once; running it again changes nothing) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        if result.created:
            self.stdout.write(self.style.SUCCESS("Demo municipality loaded."))
        else:
            self.stdout.write("Demo municipality already present; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, name, roles in result.logins:
            self.stdout.write(f"  {username:<10} {name:<18} {roles}")
