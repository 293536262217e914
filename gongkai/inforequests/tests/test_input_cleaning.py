"""Control characters and full-width digits at every input of an application (issue 12)."""

import datetime as dt

from gongkai.inforequests.models import Application
from gongkai.inforequests.tests.test_public_apply import _fresh_rate_limits, form_data

__all__ = ["_fresh_rate_limits", "form_data"]

FULL_WIDTH_ID = "２２０１０２１９８００１０１１２３" + "4"  # 17 full-width digits + an ASCII check digit


def test_the_form_strips_control_characters_before_storing(client, form_data):
    response = client.post(
        "/apply/", {**form_data, "applicant_name": "张\x01三\x1b", "description": "按市州\x0b分列\n第二行"}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_name == "张三"
    assert application.description == "按市州分列\n第二行"


def test_a_null_character_is_dropped_and_the_rest_kept(client, form_data):
    response = client.post("/apply/", {**form_data, "description": "按市州\x00分列"})
    assert response.status_code == 302
    assert Application.objects.get().description == "按市州分列"


def test_full_width_digits_are_stored_as_the_same_number(client, form_data):
    response = client.post(
        "/apply/", {**form_data, "id_number": FULL_WIDTH_ID, "phone": "１３９００００００００"}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.id_number == "220102198001011234"
    assert application.phone == "13900000000"


def test_the_service_cleans_what_any_channel_gives(make_application):
    application = make_application(
        received_on=dt.date(2021, 6, 1), id_number=FULL_WIDTH_ID, applicant_name="李\x07四"
    )
    application.refresh_from_db()
    assert application.id_number == "220102198001011234"
    assert application.applicant_name == "李四"
