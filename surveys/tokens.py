"""Links in survey emails: signed, purpose-bound, expiring with the survey, single use."""

from django.core import signing

SALT = "surveys.invitation.v1"
# An outer bound on any link's life; the survey's closing date is the real expiry.
MAX_AGE_SECONDS = 400 * 24 * 3600


class InvalidToken(Exception):
    """Tampered, unknown, expired or for another survey: the caller answers 404 and says no more."""


def invitation_token(invitation) -> str:
    return signing.dumps(
        {"s": invitation.survey_id, "i": invitation.pk, "n": invitation.nonce},
        salt=SALT,
        compress=True,
    )


def read_invitation_token(token: str) -> dict:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidToken from None
    if not isinstance(data, dict) or not {"s", "i", "n"} <= data.keys():
        raise InvalidToken
    return data
