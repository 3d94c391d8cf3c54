"""Generated input on the answer form: never a crash, nothing stored unless valid."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.models import HeldResponse
from surveys.services.invitations import invitation_token
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = pytest.mark.django_db

value = st.one_of(
    st.text(max_size=300),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    st.sampled_from(["", "other", "yes", "no", "0", "5", "10"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(st.sampled_from(range(6)), st.lists(value, max_size=3), max_size=6),
    extra=st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=3),
)
def test_answer_form_never_crashes(client, data, extra):
    invitation = InvitationFactory(survey=survey_with_questions())
    questions = list(invitation.survey.questions.all())
    post = {f"q{questions[i].pk}": values for i, values in data.items()}
    post.update({k: v for k, v in extra.items() if not k.startswith("csrf")})
    url = reverse("surveys:answer", args=[invitation.survey_id, invitation_token(invitation)])

    response = client.post(url, post)

    assert response.status_code in (200, 302)
    stored = HeldResponse.objects.filter(survey=invitation.survey).count()  # anonymous: held
    assert stored == (1 if response.status_code == 302 else 0)
    invitation.refresh_from_db()
    assert invitation.completed == (response.status_code == 302)
