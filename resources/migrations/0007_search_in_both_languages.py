"""Full-text search in both of the portal's languages, blind to accents.

The stored document was English only: a French resource's words were stemmed as English (so
"animer" did not find "animés") and accents had to be typed exactly ("mediation" missed
"médiation"). Now each text is indexed twice, once through an English and once through a French
configuration, both leaving out the two languages' stop words and unaccenting each word before
stemming it; resources.search queries both, so a reader finds a resource whichever of the two
languages either of them wrote in. PostgreSQL only, like 0003: the SQLite default searches with
icontains.
"""

from django.db import migrations

STOP_WORDS = """
    CREATE TEXT SEARCH DICTIONARY copsite_english_stop
        (TEMPLATE = pg_catalog.simple, STOPWORDS = english, ACCEPT = false);
    CREATE TEXT SEARCH DICTIONARY copsite_french_stop
        (TEMPLATE = pg_catalog.simple, STOPWORDS = french, ACCEPT = false);
"""


def configuration(language: str) -> str:
    """A copy of PostgreSQL's configuration for `language` that first leaves out both languages'
    stop words, so that a word neither would search for ("the", "la", "à", "été") is left out of
    both halves of the document and of both halves of a query (PostgreSQL's French stop list is
    accented, so it must run before unaccent); then unaccents; then stems. Words with digits go
    through unaccent too."""
    return f"""
    CREATE TEXT SEARCH CONFIGURATION copsite_{language} (COPY = pg_catalog.{language});
    ALTER TEXT SEARCH CONFIGURATION copsite_{language}
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart
        WITH copsite_english_stop, copsite_french_stop, {language}_stem;
    ALTER TEXT SEARCH CONFIGURATION copsite_{language}
        ALTER MAPPING FOR word, hword, hword_part
        WITH copsite_english_stop, copsite_french_stop, unaccent, {language}_stem;
    ALTER TEXT SEARCH CONFIGURATION copsite_{language}
        ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple;
    """


DROP_CONFIGURATIONS = """
    DROP TEXT SEARCH CONFIGURATION copsite_english;
    DROP TEXT SEARCH CONFIGURATION copsite_french;
    DROP TEXT SEARCH DICTIONARY copsite_english_stop;
    DROP TEXT SEARCH DICTIONARY copsite_french_stop;
"""


def document(configurations: list[str]) -> str:
    """The generated column's expression: title A, summary B, body C, in each configuration."""
    parts = []
    for column, weight in (("title", "A"), ("summary", "B"), ("body", "C")):
        vectors = " || ".join(
            f"to_tsvector('{name}'::regconfig, coalesce({column}, ''))" for name in configurations
        )
        parts.append(f"setweight({vectors}, '{weight}')")
    return "\n        || ".join(parts)


def replace_document(configurations: list[str]) -> str:
    return f"""
    ALTER TABLE resources_resource DROP COLUMN search_document;
    ALTER TABLE resources_resource ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        {document(configurations)}
    ) STORED;
    CREATE INDEX resource_search_gin ON resources_resource USING gin (search_document)
        WITH (fastupdate = off);
    """


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STOP_WORDS + configuration("english") + configuration("french"))
        schema_editor.execute(replace_document(["copsite_english", "copsite_french"]))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(replace_document(["english"]))
        schema_editor.execute(DROP_CONFIGURATIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0018_unaccent"),
        ("resources", "0006_index_for_the_members_list"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
