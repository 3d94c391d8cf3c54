from django.conf import settings


def site(request):
    return {
        "COMMUNITY_NAME": settings.COMMUNITY_NAME,
        "COMMUNITY_SHORT_NAME": settings.COMMUNITY_SHORT_NAME,
    }
