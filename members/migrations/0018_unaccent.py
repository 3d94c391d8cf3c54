"""PostgreSQL's unaccent extension: the directory's search and the resources' full-text search
ignore accents ("Helene" finds Hélène, "mediation" finds médiation).

Trusted since PostgreSQL 13: a database owner may create it without being a superuser. On the
SQLite default this does nothing (CreateExtension only runs on PostgreSQL).
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0017_member_directory_index"),
    ]

    operations = [UnaccentExtension()]
