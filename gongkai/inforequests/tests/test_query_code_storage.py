"""Query codes are stored salted and slow (issue 12), and codes stored the old way keep working."""

import hashlib

from gongkai.inforequests import services
from gongkai.inforequests.models import Application


def test_it_stores_the_code_salted_with_a_password_hasher(make_application):
    first, second = make_application(), make_application()
    for application in (first, second):
        application.refresh_from_db()
        unsalted = hashlib.sha256(
            f"{application.tracking_number}:{application.query_code}".encode()
        ).hexdigest()
        assert application.query_code_hash != unsalted
        assert application.query_code_hash.count("$") >= 2  # algorithm$…$salt$hash
    assert services.check_query_code(first, first.query_code)
    assert not services.check_query_code(first, second.query_code)


def test_a_code_stored_the_old_way_still_works_and_is_rehashed(make_application):
    application = make_application()
    legacy = hashlib.sha256(f"{application.tracking_number}:{application.query_code}".encode()).hexdigest()
    Application.objects.filter(pk=application.pk).update(query_code_hash=legacy)
    application.refresh_from_db()
    assert not services.check_query_code(application, "WRONG234")
    assert services.check_query_code(application, application.query_code.lower())
    application.refresh_from_db()
    assert "$" in application.query_code_hash
    assert services.check_query_code(application, application.query_code)
