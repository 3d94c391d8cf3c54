"""The community's own pages and their text in each language."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class CommunityPageQuerySet(models.QuerySet):
    def privacy_notice_version(self) -> int | None:
        """The version of the privacy notice people agree to when they sign up now."""
        return (
            self.filter(slug=CommunityPage.Slug.PRIVACY).values_list("version", flat=True).first()
        )


class CommunityPage(models.Model):
    """One of the pages that say who runs the community and how. Their addresses are fixed (the
    footer and the signup form link to them); coordinators edit their text in the admin."""

    class Slug(models.TextChoices):
        ABOUT = "about", "About"
        CONTACT = "contact", "Contact"
        PRIVACY = "privacy", "Privacy notice"
        CONDUCT = "code-of-conduct", "Code of conduct"
        ACCESSIBILITY = "accessibility", "Accessibility statement"

    slug = models.SlugField(max_length=40, unique=True, choices=Slug.choices)
    version = models.PositiveIntegerField(
        default=1,
        help_text="Raise it by one when what the page says changes in substance (not for a "
        "typo). People who agree to the privacy notice are recorded with its version.",
    )
    updated_at = models.DateTimeField("last changed", auto_now=True)

    objects = CommunityPageQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "community page"

    def __str__(self):
        return self.get_slug_display()

    def get_absolute_url(self):
        return reverse(f"pages:{self.url_name}")

    @property
    def url_name(self) -> str:
        return self.slug.replace("-", "_")

    def text_for(self, language: str) -> "CommunityPageText | None":
        """The text in `language`, else in the community's language, else any there is.

        Reads the prefetched texts when there are some, so a page costs one query per table.
        """
        texts = {text.language: text for text in self.texts.all()}
        return (
            texts.get(language)
            or texts.get(settings.LANGUAGE_CODE)
            or next(iter(texts.values()), None)
        )


class CommunityPageText(models.Model):
    """A page's title and body in one language."""

    page = models.ForeignKey(CommunityPage, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(max_length=120)
    body = models.TextField(
        help_text="Markdown: a line starting with ## is a heading, - starts a list item, "
        "[words](https://address) is a link. Leave a blank line between paragraphs."
    )

    class Meta:
        ordering = ["page", "language"]
        verbose_name = "text"
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="page_text_one_per_language")
        ]

    def __str__(self):
        return f"{self.page} ({self.language})"
