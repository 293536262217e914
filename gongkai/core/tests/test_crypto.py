"""Personal data sealed at rest: SM4-GCM where OpenSSL has it, the key outside the database, a
blind index for exact searches, rotation keeping old keys by id."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.core import crypto


@pytest.fixture(autouse=True)
def key_dir(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("GONGKAI_DATA_KEYS", raising=False)
    settings.DATA_DIR = tmp_path
    crypto.forget_keys()
    yield tmp_path
    crypto.forget_keys()


def test_the_key_file_is_made_once_readable_by_the_owner_only(key_dir):
    sealed = crypto.seal("220102199003071234")
    path = key_dir / "data_keys.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sealed.startswith(f"enc1${crypto.preferred_cipher()}$k1$")
    assert crypto.preferred_cipher() in (crypto.SM4GCM, crypto.AESGCM_NAME)
    assert "220102199003071234" not in sealed
    assert crypto.unseal(sealed) == "220102199003071234"
    assert crypto.seal("x") != crypto.seal("x")  # a fresh nonce each time


def test_both_ciphers_open_what_they_sealed_and_refuse_a_tampered_value():
    key = b"k" * 32
    for algorithm in (crypto.SM4GCM, crypto.AESGCM_NAME):
        crypto._cached["x"] = crypto.Keyring("t", {"t": key}, b"i" * 32)
        sealed = crypto.seal_with(algorithm, key, "t", "长春市朝阳区人民大街 1 号")
        crypto._cached.clear()
        crypto._cached[str(crypto.key_file())] = crypto.Keyring("t", {"t": key}, b"i" * 32)
        assert crypto.unseal(sealed) == "长春市朝阳区人民大街 1 号"
        head, _sep, payload = sealed.rpartition("$")
        raw = bytearray(crypto._unb64(payload))
        raw[14] ^= 0x01  # one bit of the ciphertext
        tampered = f"{head}${crypto._b64(bytes(raw))}"
        with pytest.raises(crypto.KeyError_):
            crypto.unseal(tampered)


def test_the_blind_index_treats_full_width_and_case_as_the_same_identity():
    ascii_form = crypto.blind_index("22010219900307123x")
    assert crypto.blind_index("２２０１０２１９９００３０７１２３X") == ascii_form
    assert crypto.blind_index(" 22010219900307123X ") == ascii_form
    assert crypto.blind_index("22010219900307123") != ascii_form
    assert crypto.blind_index("") == ""


def test_the_keys_may_come_from_the_environment_instead(monkeypatch, key_dir):
    ring = {"current": "k7", "keys": {"k7": crypto._b64(b"e" * 32)}, "index_key": crypto._b64(b"i" * 32)}
    monkeypatch.setenv("GONGKAI_DATA_KEYS", json.dumps(ring))
    assert crypto.sealed_key_id(crypto.seal("x")) == "k7"
    assert not (key_dir / "data_keys.json").exists()
    with pytest.raises(crypto.KeyError_):
        crypto.rotate()


@pytest.mark.django_db
def test_applications_are_stored_sealed_found_by_index_and_re_sealed_on_rotation(key_dir, make_application):
    from gongkai.inforequests.fees import monthly_application_count
    from gongkai.inforequests.models import Application

    application = make_application(id_number="22010219900307123X", phone="13800000000", address="长春市")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, address, id_number_index FROM inforequests_application WHERE id = %s",
            [application.pk],
        )
        stored = cursor.fetchone()
    assert all(crypto.is_sealed(v) for v in stored[:3])
    assert "13800000000" not in "".join(stored)
    assert stored[3] == crypto.blind_index("２２０１０２１９９００３０７１２３x")
    fresh = Application.objects.get(pk=application.pk)
    assert (fresh.id_number, fresh.phone, fresh.address) == ("22010219900307123X", "13800000000", "长春市")
    assert monthly_application_count("２２０１０２１９９００３０７１２３x", application.received_on) == 1

    call_command("rotate_data_key")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM inforequests_application WHERE id = %s", [application.pk])
        assert crypto.sealed_key_id(cursor.fetchone()[0]) == "k2"
    assert Application.objects.get(pk=application.pk).id_number == "22010219900307123X"
    assert set(crypto.keyring().keys) == {"k1", "k2"}
