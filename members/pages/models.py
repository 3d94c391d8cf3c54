"""The community's own pages and their text in each language."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
        ABOUT = "about", _("About")
        CONTACT = "contact", _("Contact")
        PRIVACY = "privacy", _("Privacy notice")
        CONDUCT = "code-of-conduct", _("Code of conduct")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")

    slug = models.SlugField(_("page"), max_length=40, unique=True, choices=Slug.choices)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_(
            "Raise it by one when what the page says changes in substance (not for a "
            "typo). People who agree to the privacy notice are recorded with its version."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = CommunityPageQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("community page")
        verbose_name_plural = _("community pages")

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

    page = models.ForeignKey(
        CommunityPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="texts"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Markdown: a line starting with ## is a heading, - starts a list item, "
            "[words](https://address) is a link. Leave a blank line between paragraphs."
        ),
    )

    class Meta:
        ordering = ["page", "language"]
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="page_text_one_per_language")
        ]

    def __str__(self):
        return f"{self.page} ({self.language})"
