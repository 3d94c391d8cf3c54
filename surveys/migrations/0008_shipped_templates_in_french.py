"""The shipped templates (see 0002) in French, and the surveys copied from them.

Filled by matching the English text the templates shipped with, and only where the French is
still empty, so a copy already running (a check-in round) speaks French too and a coordinator's
own wording is never overwritten.
"""

from django.db import migrations

SURVEYS = {
    "Community check-in (template)": "Prise de nouvelles de la communauté (modèle)",
    "Community check-in": "Prise de nouvelles de la communauté",
    "Community review (template)": "Bilan de la communauté (modèle)",
}

INTRODUCTIONS = {
    "A two-minute pulse on how the community is working for you. We read every answer and "
    "use them to plan the next meetings.": (
        "Deux minutes pour nous dire comment la communauté vous est utile. Nous lisons chaque "
        "réponse et nous nous en servons pour planifier les prochaines rencontres."
    ),
    "We are reviewing the community of practice and would value the views of members and of "
    "librarians who chose not to join. It takes about ten minutes and is anonymous.": (
        "Nous faisons le bilan de la communauté de pratique et aimerions connaître l’avis de ses "
        "membres comme celui des bibliothécaires qui ont choisi de ne pas y adhérer. Le sondage "
        "prend environ dix minutes et il est anonyme."
    ),
}

# English question: (French question, French low label, French high label, {choice: French}).
QUESTIONS = {
    "How valuable has the community been to you lately?": (
        "Ces derniers temps, dans quelle mesure la communauté vous a-t-elle été utile?",
        "Pas du tout",
        "Très utile",
        {},
    ),
    "What would you like more of?": (
        "De quoi aimeriez-vous avoir davantage?",
        "",
        "",
        {
            "Informal meetups": "Rencontres informelles",
            "Talks from other sectors": "Présentations d’autres secteurs",
            "Workshops on practical skills": "Ateliers sur des compétences pratiques",
            "Case studies and templates": "Études de cas et modèles",
            "Social events": "Activités sociales",
            "Online discussions": "Discussions en ligne",
        },
    ),
    "Which meeting format suits you best?": (
        "Quel format de rencontre vous convient le mieux?",
        "",
        "",
        {
            "In person": "En personne",
            "Online": "En ligne",
            "Hybrid": "Hybride",
            "No preference": "Aucune préférence",
        },
    ),
    "When can you usually meet?": (
        "À quel moment êtes-vous habituellement disponible pour une rencontre?",
        "",
        "",
        {
            "Weekday lunchtime": "En semaine, le midi",
            "Weekday after work": "En semaine, après le travail",
            "Weekday morning": "En semaine, le matin",
            "Weekend": "La fin de semaine",
        },
    ),
    "Anything you would like to tell the coordinators?": (
        "Souhaitez-vous dire quelque chose à l’équipe de coordination?",
        "",
        "",
        {},
    ),
    "What would you like to do next?": (
        "Pour la suite, que souhaitez-vous?",
        "",
        "",
        {
            "Stay in touch as I am": "Rester en contact comme maintenant",
            "Pause check-ins for a while": "Suspendre les prises de nouvelles pour un temps",
            "Leave the community": "Quitter la communauté",
        },
    ),
    "Which benefits have you experienced from the community?": (
        "Quels avantages avez-vous retirés de la communauté?",
        "",
        "",
        {
            "Networking with librarians from other sectors": (
                "Le réseautage avec des bibliothécaires d’autres secteurs"
            ),
            "Sharing information and resources": "Le partage d’information et de ressources",
            "Hearing about issues from other perspectives": (
                "D’autres points de vue sur les enjeux"
            ),
            "Social contact and support": "Des contacts sociaux et du soutien",
            "Ideas I have used in my own practice": (
                "Des idées que j’ai appliquées dans ma propre pratique"
            ),
            "Professional development": "Du perfectionnement professionnel",
        },
    ),
    "How much has the community influenced your practice?": (
        "Dans quelle mesure la communauté a-t-elle influencé votre pratique?",
        "Pas du tout",
        "Énormément",
        {},
    ),
    "Can you describe a way the community changed how you work?": (
        "Pouvez-vous décrire une façon dont la communauté a changé votre manière de travailler?",
        "",
        "",
        {},
    ),
    "How useful is the information shared in the community?": (
        "Quelle est l’utilité de l’information partagée dans la communauté?",
        "Pas utile",
        "Très utile",
        {},
    ),
    "How valuable is hearing other sectors' perspectives?": (
        "Quelle valeur accordez-vous aux points de vue des autres secteurs?",
        "Aucune valeur",
        "Très grande valeur",
        {},
    ),
    "How important are the social aspects of the community to you?": (
        "Quelle importance accordez-vous aux aspects sociaux de la communauté?",
        "Aucune importance",
        "Très important",
        {},
    ),
    "How formal should meetings be?": (
        "Quel degré de formalité souhaitez-vous pour les rencontres?",
        "",
        "",
        {
            "Informal and flexible": "Informelles et souples",
            "A mix": "Un mélange des deux",
            "Structured, with presentations": "Structurées, avec des présentations",
            "Academic, with papers and research": (
                "Universitaires, avec des articles et des travaux de recherche"
            ),
        },
    ),
    "How likely are you to recommend the community to a colleague?": (
        "Quelle est la probabilité que vous recommandiez la communauté à une ou un collègue?",
        "Pas du tout probable",
        "Extrêmement probable",
        {},
    ),
    "Why did you decide not to join?": (
        "Pourquoi avez-vous décidé de ne pas adhérer?",
        "",
        "",
        {
            "I did not know enough about it": "Je ne la connaissais pas assez",
            "Meeting times did not suit me": "Les heures des rencontres ne me convenaient pas",
            "It did not seem relevant to my sector": (
                "Elle ne semblait pas pertinente pour mon secteur"
            ),
            "Too busy at work": "Trop de travail",
            "My employer would not give me the time": (
                "Mon employeur ne me libérait pas le temps nécessaire"
            ),
            "I prefer other networks": "Je préfère d’autres réseaux",
        },
    ),
    "What would make you join?": ("Qu’est-ce qui vous inciterait à adhérer?", "", "", {}),
    "Would you like to hear about future meetings?": (
        "Souhaitez-vous recevoir des nouvelles des prochaines rencontres?",
        "",
        "",
        {},
    ),
    "Anything else you would like to tell us?": (
        "Souhaitez-vous nous dire autre chose?",
        "",
        "",
        {},
    ),
}


def translate(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    Choice = apps.get_model("surveys", "Choice")
    for english, french in SURVEYS.items():
        Survey.objects.filter(title=english, title_fr="").update(title_fr=french)
    for english, french in INTRODUCTIONS.items():
        Survey.objects.filter(introduction=english, introduction_fr="").update(
            introduction_fr=french
        )
    for english, (text, low, high, choices) in QUESTIONS.items():
        questions = Question.objects.filter(text=english)
        questions.filter(text_fr="").update(text_fr=text)
        if low:
            questions.filter(low_label_fr="").update(low_label_fr=low)
        if high:
            questions.filter(high_label_fr="").update(high_label_fr=high)
        for label, label_fr in choices.items():
            Choice.objects.filter(question__in=questions, label=label, label_fr="").update(
                label_fr=label_fr
            )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0007_french_content")]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
