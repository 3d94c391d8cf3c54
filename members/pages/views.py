from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from members.markdown import markdown_to_html
from members.pages.models import CommunityPage


@require_GET
def community_page(request, slug):
    page = get_object_or_404(CommunityPage.objects.prefetch_related("texts"), slug=slug)
    text = page.text_for(get_language())
    if text is None:
        raise Http404("This page has no text yet.")
    return render(
        request,
        "members/community_page.html",
        {
            "page": page,
            "text": text,
            "body": markdown_to_html(text.body),
            "contact_email": settings.CONTACT_EMAIL,
        },
    )
