"""A withdrawn press conference or interpretation answers 410 with the portal's own page: what was
withdrawn, when and why, and the way back to its list, never its content."""

import pytest
from django.urls import reverse

from gongkai.pressroom import services

pytestmark = pytest.mark.django_db


def test_a_withdrawn_conference_and_interpretation_get_the_gone_page(
    client, make_conference, editor, reviewer, interpretation_data, policy
):
    conference = services.do_publish_conference(make_conference(), actor=reviewer, expected_version=1)
    interpretation = services.do_create_interpretation(interpretation_data, actor=editor)
    interpretation = services.do_publish_interpretation(interpretation, actor=reviewer, expected_version=1)
    services.do_withdraw_conference(
        conference, actor=reviewer, reason="日期有误", expected_version=conference.version
    )
    services.do_withdraw_interpretation(
        interpretation, actor=reviewer, reason="解读有误", expected_version=interpretation.version
    )

    for item, heading, reason, back in (
        (conference, "该发布会信息已撤回", "日期有误", reverse("pressroom:index")),
        (interpretation, "该解读已撤回", "解读有误", reverse("pressroom:interpretations")),
    ):
        response = client.get(item.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 410
        assert f"<h1>{heading}</h1>" in html and f"<td>{reason}</td>" in html
        assert item.title in html and f'href="{back}"' in html
        assert 'role="search"' in html
