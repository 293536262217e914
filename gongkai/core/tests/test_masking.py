"""The maskers every app shows personal data through (core.masking)."""

from gongkai.core import masking


def test_the_maskers_keep_only_what_identifies_the_record():
    assert masking.mask_id("220102198001011234") == "2201**********1234"
    assert masking.mask_id("1234") == "****"
    assert masking.mask_phone("13900001234") == "139****1234"
    assert masking.mask_name("张三丰") == "张**"
    assert masking.mask_email("zhangsan@example.com") == "z***@example.com"
    assert masking.mask_text("长春市朝阳区人民大街1号") == "长春市朝阳区……"
    assert masking.mask_email("not-an-address") == "n*************"
    assert masking.mask_name("李") == "李"
