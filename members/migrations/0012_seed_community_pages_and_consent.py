"""The community's five pages, in English and Canadian French, and the consent of people already
in the community.

The texts are a plain-language start that coordinators edit in the admin. Members who joined
before consent was recorded are members of a voluntary organisation, which Canada's anti-spam
law counts as implied consent; prospects imported without a source get no basis, so check-ins
stop for them until a coordinator records one.
"""

from django.db import migrations
from django.db.models.functions import Coalesce, TruncDate

from members.permissions import grant_model_permissions

EN, FR = "en-ca", "fr-ca"

ABOUT_EN = """\
This community brings together librarians from every kind of library — public, academic,
school, health, special, government, legal, corporate, archives — and students of the
profession, to share practice and learn from each other.

## What we do

- We meet informally, in person and online: coffee mornings, lunchtime chats, discussions,
  talks and hands-on workshops.
- We keep a toolkit of templates, case studies and short practice stories written by members.
- Now and then we email members a short check-in to ask what is working and what to change.

## Who runs it

Volunteer coordinators organise the meetings and look after the members' list. Volunteer
content editors review what members share before it is published. Joining is free.

## Get involved

[Join the community](/accounts/signup/), come to a [meeting](/meetings/), or write to the
coordinators from the [contact page](/contact/).
"""

ABOUT_FR = """\
Cette communauté réunit des bibliothécaires de tous les milieux — bibliothèques publiques,
universitaires, scolaires, de la santé, spécialisées, gouvernementales, juridiques,
d'entreprise, archives — ainsi que des étudiantes et étudiants de la profession, pour échanger
sur leurs pratiques et apprendre les uns des autres.

## Ce que nous faisons

- Nous nous rencontrons de façon informelle, en personne et en ligne : cafés-rencontres,
  dîners-causeries, discussions, présentations et ateliers pratiques.
- Nous tenons une boîte à outils de gabarits, d'études de cas et de courts récits de pratique
  rédigés par les membres.
- De temps à autre, nous écrivons aux membres pour prendre de leurs nouvelles : ce qui
  fonctionne, ce qu'il faudrait changer.

## Qui s'en occupe

Des coordonnatrices et coordonnateurs bénévoles organisent les rencontres et tiennent la liste
des membres. Des responsables du contenu, bénévoles aussi, relisent ce que les membres
partagent avant sa publication. L'adhésion est gratuite.

## Participer

[Joignez-vous à la communauté](/accounts/signup/), venez à une [rencontre](/meetings/) ou
écrivez à l'équipe de coordination à partir de la page [Nous joindre](/contact/).
"""

CONTACT_EN = """\
The coordinators read every message and answer within a week, usually sooner. Write to them
about meetings, the toolkit, your account, accessibility, or anything that worries you about
the community.

## If something went wrong

If someone's behaviour at a meeting or online went against our
[code of conduct](/code-of-conduct/), tell a coordinator, in person or by email. Reports are
kept confidential.

## Your information

To download what we hold about you, or to delete your account, log in and go to
[My account](/members/me/). For anything else about your information, see the
[privacy notice](/privacy/).
"""

CONTACT_FR = """\
L'équipe de coordination lit chaque message et répond dans la semaine, souvent plus tôt.
Écrivez-lui au sujet des rencontres, de la boîte à outils, de votre compte, de l'accessibilité
ou de tout ce qui vous préoccupe dans la communauté.

## En cas de problème

Si le comportement d'une personne, en rencontre ou en ligne, allait à l'encontre de notre
[code de conduite](/code-of-conduct/), parlez-en à une coordonnatrice ou un coordonnateur, en
personne ou par courriel. Les signalements restent confidentiels.

## Vos renseignements

Pour télécharger ce que nous conservons à votre sujet ou pour supprimer votre compte,
connectez-vous et allez à [Mon compte](/members/me/). Pour toute autre question sur vos
renseignements, consultez l'[avis de confidentialité](/privacy/).
"""

PRIVACY_EN = """\
This notice says what the community holds about you, why, who sees it and what you can do
about it. It follows Canada's privacy law for organisations (PIPEDA) and its anti-spam law
(CASL).

## Who is responsible

The volunteer coordinators of the community. Write to them from the
[contact page](/contact/).

## What we hold about you

- Your name, email address, library sector and organisation.
- What you add to your profile: job title, city or region, a short bio, your interests, your
  time zone and language, and who may see each of them.
- The meetings you registered for and attended, the resources you shared or rated, and when
  you last took part.
- The emails we sent you, and whether they were delivered.
- When you agreed to this notice, and on what basis we may email you.
- If a coordinator added you before you joined: where your address came from, and the kind and
  date of your consent.

## Why we hold it

To run the community: so members can find each other, so we can organise meetings and share
the toolkit, and so we can ask now and then how the community is working for you. We never sell
or lend your information, and we do not use it for advertising.

## Who sees it

- Other members see only the profile details you choose to show. People who are not members
  see none of them.
- The coordinators see your record, to run the community.
- Anonymous surveys are stored without your name, your email address or the time you answered:
  nobody, not even the coordinators, can tell which answers are yours.

## Emails

We email members check-ins, reminders of meetings they registered for, and a monthly digest.
Every email has a link to stop that kind of email, and your email preferences let you choose
each one. We email people who have not joined only when we have recorded their consent.

## How long we keep it

While you are in the community. If you leave, we keep your record so that you can come back,
until you delete your account; deleting your account erases your record for good.

## Your rights

You can see and download everything we hold about you (My account → Download my data), correct
it in your profile, and delete your account at any time. For anything else, or to complain,
write to the coordinators. You may also contact the Office of the Privacy Commissioner of
Canada.
"""

PRIVACY_FR = """\
Cet avis explique quels renseignements la communauté conserve à votre sujet, pourquoi, qui les
voit et ce que vous pouvez faire. Il respecte la loi canadienne sur la protection des
renseignements personnels dans le secteur privé (LPRPDE) et la loi canadienne anti-pourriel
(LCAP).

## Qui en est responsable

L'équipe de coordination bénévole de la communauté. Écrivez-lui à partir de la page
[Nous joindre](/contact/).

## Ce que nous conservons

- Votre nom, votre adresse courriel, votre milieu et votre organisation.
- Ce que vous ajoutez à votre profil : titre du poste, ville ou région, courte présentation,
  intérêts, fuseau horaire et langue, et qui peut voir chacun de ces éléments.
- Les rencontres auxquelles vous vous êtes inscrit ou inscrite et celles auxquelles vous avez
  assisté, les ressources que vous avez partagées ou évaluées, et la date de votre dernière
  participation.
- Les courriels que nous vous avons envoyés et s'ils ont été livrés.
- La date à laquelle vous avez accepté cet avis, et le fondement sur lequel nous pouvons vous
  écrire.
- Si l'équipe de coordination vous a ajouté avant votre adhésion : la provenance de votre
  adresse, ainsi que le type et la date de votre consentement.

## Pourquoi

Pour faire vivre la communauté : permettre aux membres de se trouver, organiser les rencontres,
partager la boîte à outils et vous demander de temps à autre comment la communauté vous sert.
Nous ne vendons ni ne prêtons jamais vos renseignements, et nous ne nous en servons pas à des
fins publicitaires.

## Qui les voit

- Les autres membres ne voient que les éléments de profil que vous choisissez de montrer. Les
  personnes qui ne sont pas membres n'en voient aucun.
- L'équipe de coordination voit votre dossier, pour faire vivre la communauté.
- Les sondages anonymes sont enregistrés sans votre nom, votre adresse courriel ni l'heure de
  votre réponse : personne, pas même l'équipe de coordination, ne peut savoir quelles réponses
  sont les vôtres.

## Courriels

Nous envoyons aux membres des prises de nouvelles, des rappels des rencontres auxquelles ils se
sont inscrits et un bulletin mensuel. Chaque courriel contient un lien pour ne plus recevoir ce
type de courriel, et vos préférences vous permettent de choisir chacun d'eux. Nous n'écrivons
aux personnes qui n'ont pas adhéré que si leur consentement est consigné.

## Combien de temps

Tant que vous faites partie de la communauté. Si vous la quittez, nous gardons votre dossier
pour que vous puissiez revenir, jusqu'à ce que vous supprimiez votre compte; la suppression de
votre compte efface votre dossier pour de bon.

## Vos droits

Vous pouvez consulter et télécharger tout ce que nous conservons à votre sujet (Mon compte →
Télécharger mes données), le corriger dans votre profil et supprimer votre compte en tout
temps. Pour toute autre demande, ou pour porter plainte, écrivez à l'équipe de coordination.
Vous pouvez aussi vous adresser au Commissariat à la protection de la vie privée du Canada.
"""

CONDUCT_EN = """\
The community is a place for librarians from every sector to learn from each other. Everyone
who takes part — at meetings, online and by email — agrees to:

- **Be welcoming**, to newcomers, students and people from other sectors than yours.
- **Be respectful**: disagree with ideas, not with people. No harassment, insults or
  discrimination of any kind.
- **Keep confidences**: what a colleague says about their library or its users stays in the
  room unless they say otherwise.
- **Share generously and give credit**: say where an idea or a resource came from.
- **Not sell**: the community is not a place to promote products or services.

## If something goes wrong

Tell a coordinator, in person or through the [contact page](/contact/). Reports are kept
confidential. The coordinators may ask someone to leave a meeting, or remove them from the
community, if they break this code.
"""

CONDUCT_FR = """\
La communauté est un lieu où les bibliothécaires de tous les milieux apprennent les uns des
autres. Toute personne qui y participe — en rencontre, en ligne ou par courriel — s'engage à :

- **Accueillir** les nouvelles personnes, les étudiantes et étudiants et les gens d'autres
  milieux que le sien.
- **Respecter** : critiquer les idées, pas les personnes. Aucun harcèlement, insulte ni
  discrimination, sous aucune forme.
- **Garder les confidences** : ce qu'une ou un collègue dit de sa bibliothèque ou de sa
  clientèle reste entre nous, sauf indication contraire.
- **Partager généreusement et citer ses sources** : dire d'où viennent une idée ou une
  ressource.
- **Ne rien vendre** : la communauté n'est pas un lieu de promotion de produits ou de services.

## En cas de problème

Parlez-en à une coordonnatrice ou un coordonnateur, en personne ou à partir de la page
[Nous joindre](/contact/). Les signalements restent confidentiels. L'équipe de coordination
peut demander à une personne de quitter une rencontre, ou la retirer de la communauté, si elle
ne respecte pas ce code.
"""

ACCESSIBILITY_EN = """\
Everyone should be able to use this site, whatever their browser, device or way of reading.
It aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA.

## What you can do

- Use every page with a keyboard alone, with a screen reader, or on a phone.
- Use every page without JavaScript.
- Zoom in to 200 % without losing anything.
- See where you are: text and form fields have strong contrast, and the keyboard focus is
  always clearly outlined.

## How we check it

Every page our automated browser tests visit is checked with the axe-core accessibility
engine, and the main journeys — joining, registering for a meeting, answering a check-in from
an email — are tested with a keyboard only.

## Known limits

- Coordinators manage the community in Django's administration pages, which we have not
  tested as thoroughly.
- Files shared by members (PDFs, slides) may not be accessible. Ask the author or a
  coordinator for another format.

## Meetings

Tell the coordinators what you need to take part in a meeting — captions, a step-free room,
materials in advance — through the [contact page](/contact/).

## Tell us about a problem

If part of the site does not work for you, write to the coordinators from the
[contact page](/contact/). We answer within a week.
"""

ACCESSIBILITY_FR = """\
Tout le monde doit pouvoir utiliser ce site, quels que soient son navigateur, son appareil ou
sa façon de lire. Il vise la conformité aux Règles pour l'accessibilité des contenus Web
(WCAG) 2.2, niveau AA.

## Ce que vous pouvez faire

- Utiliser chaque page au clavier seulement, avec un lecteur d'écran ou sur un téléphone.
- Utiliser chaque page sans JavaScript.
- Agrandir l'affichage jusqu'à 200 % sans rien perdre.
- Vous repérer : le texte et les champs de formulaire sont bien contrastés, et l'élément qui a
  le focus du clavier est toujours nettement encadré.

## Comment nous le vérifions

Chaque page visitée par nos tests automatisés est vérifiée avec le moteur d'accessibilité
axe-core, et les parcours principaux — adhérer, s'inscrire à une rencontre, répondre à une
prise de nouvelles à partir d'un courriel — sont testés au clavier seulement.

## Limites connues

- L'équipe de coordination gère la communauté dans les pages d'administration de Django, que
  nous n'avons pas testées aussi à fond.
- Les fichiers partagés par les membres (PDF, présentations) peuvent ne pas être accessibles.
  Demandez un autre format à l'auteur ou à l'équipe de coordination.

## Rencontres

Dites à l'équipe de coordination ce dont vous avez besoin pour participer à une rencontre —
sous-titres, salle sans marches, documents à l'avance — à partir de la page
[Nous joindre](/contact/).

## Signaler un problème

Si une partie du site ne fonctionne pas pour vous, écrivez à l'équipe de coordination à partir
de la page [Nous joindre](/contact/). Nous répondons dans la semaine.
"""

PAGES = [
    (
        "about",
        {EN: ("About the community", ABOUT_EN), FR: ("À propos de la communauté", ABOUT_FR)},
    ),
    (
        "contact",
        {EN: ("Contact the coordinators", CONTACT_EN), FR: ("Nous joindre", CONTACT_FR)},
    ),
    ("privacy", {EN: ("Privacy notice", PRIVACY_EN), FR: ("Avis de confidentialité", PRIVACY_FR)}),
    (
        "code-of-conduct",
        {EN: ("Code of conduct", CONDUCT_EN), FR: ("Code de conduite", CONDUCT_FR)},
    ),
    (
        "accessibility",
        {
            EN: ("Accessibility statement", ACCESSIBILITY_EN),
            FR: ("Déclaration d'accessibilité", ACCESSIBILITY_FR),
        },
    ),
]
MEMBER_BASIS_SOURCE = "Member of the community (recorded when consent tracking began)"


def seed_pages(apps, schema_editor):
    """The five pages, each in both languages; a text a coordinator has written is kept."""
    CommunityPage = apps.get_model("members", "CommunityPage")
    CommunityPageText = apps.get_model("members", "CommunityPageText")
    for slug, texts in PAGES:
        page, _ = CommunityPage.objects.get_or_create(slug=slug)
        for language, (title, body) in texts.items():
            CommunityPageText.objects.get_or_create(
                page=page, language=language, defaults={"title": title, "body": body}
            )
    grant_model_permissions(apps, "Coordinators", "members", ["communitypage", "communitypagetext"])


def record_members_consent(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Member.objects.filter(email_consent="").exclude(status="prospect").update(
        email_consent="implied",
        email_consent_on=TruncDate(Coalesce("joined_at", "created_at")),
        email_consent_source=MEMBER_BASIS_SOURCE,
    )


def forget_members_consent(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Member.objects.filter(email_consent_source=MEMBER_BASIS_SOURCE).update(
        email_consent="", email_consent_on=None, email_consent_source=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0011_consent_language_community_pages"),
    ]

    operations = [
        migrations.RunPython(seed_pages, migrations.RunPython.noop),
        migrations.RunPython(record_members_consent, forget_members_consent),
    ]
