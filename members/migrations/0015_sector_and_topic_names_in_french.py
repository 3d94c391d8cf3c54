"""Sectors and topics get a French name; the seeded ones are filled in (GLOSSARY.md's words).
Names a coordinator has already given in French are left as they are."""

from django.db import migrations, models

SECTORS_FR = {
    "public": "Bibliothèques publiques",
    "academic": "Bibliothèques universitaires",
    "school": "Bibliothèques scolaires",
    "health": "Bibliothèques de la santé",
    "special": "Bibliothèques spécialisées",
    "government": "Bibliothèques gouvernementales",
    "legal": "Bibliothèques de droit",
    "corporate": "Bibliothèques d'entreprise",
    "archives-records": "Archives et gestion documentaire",
    "lis-education": "Enseignement et études en sciences de l'information",
    "other": "Autre",
}

TOPICS_FR = {
    "information-literacy": "Compétences informationnelles",
    "reference-services": "Services de référence",
    "collection-development": "Développement des collections",
    "cataloguing-metadata": "Catalogage et métadonnées",
    "digital-services": "Services numériques",
    "outreach": "Rayonnement et engagement communautaire",
    "research-support": "Soutien à la recherche",
    "value-impact": "Démontrer la valeur et l'impact",
    "knowledge-management": "Gestion des connaissances",
    "children-young-people": "Enfants et jeunes",
    "health-information": "Information sur la santé",
    "open-access": "Libre accès et communication savante",
    "leadership": "Leadership et gestion",
    "professional-development": "Perfectionnement professionnel",
    "edi": "Équité, diversité et inclusion",
    "library-technology": "Technologies en bibliothèque",
}


def seed_french_names(apps, schema_editor):
    for model, names in (("Sector", SECTORS_FR), ("Topic", TOPICS_FR)):
        rows = apps.get_model("members", model).objects
        for slug, name_fr in names.items():
            rows.filter(slug=slug, name_fr="").update(name_fr=name_fr)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0014_labels_in_both_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="sector",
            name="name_fr",
            field=models.CharField(blank=True, max_length=80, verbose_name="name in French"),
        ),
        migrations.AddField(
            model_name="topic",
            name="name_fr",
            field=models.CharField(blank=True, max_length=80, verbose_name="name in French"),
        ),
        migrations.RunPython(seed_french_names, migrations.RunPython.noop),
    ]
