from django.db import migrations

from biys.core.trigram import trigram_index


class Migration(migrations.Migration):
    """PostgreSQL: staff and unit search (LIKE '%term%' on the folded key) through trigram indexes."""

    dependencies = [("org", "0005_staff_turkish_sort_order"), ("core", "0005_trigram_support")]

    operations = [
        trigram_index("org_staff", "staff_search_trgm"),
        trigram_index("org_unit", "unit_search_trgm"),
    ]
