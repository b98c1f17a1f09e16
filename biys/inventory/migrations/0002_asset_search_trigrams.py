from django.db import migrations

from biys.core.trigram import trigram_index


class Migration(migrations.Migration):
    """PostgreSQL: asset and Taşınır code search through trigram indexes (issue budget: 500,000 assets)."""

    dependencies = [("inventory", "0001_initial"), ("core", "0005_trigram_support")]

    operations = [
        trigram_index("inventory_asset", "asset_search_trgm"),
        trigram_index("inventory_tasinircode", "tasinircode_search_trgm"),
    ]
