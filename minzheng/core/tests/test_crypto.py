"""The one SM4 field cipher: bulk and single forms give the same formats."""

from __future__ import annotations

from minzheng.core.crypto import FieldCipher, blind_index, decrypt_text, encrypt_text


def test_bulk_encryption_and_index_match_the_single_forms():
    cipher = FieldCipher()
    values = ["500102195201207809", "", "张三丰"]
    encrypted = cipher.encrypt_many(values)
    assert encrypted[1] == ""
    assert [decrypt_text(e) for e in (encrypted[0], encrypted[2])] == [values[0], values[2]]
    assert encrypted[0].startswith("v1:") and encrypted[0] != cipher.encrypt_many(values[:1])[0]  # random nonces
    assert cipher.index_many(values) == [blind_index(v) for v in values]
    assert decrypt_text(cipher.encrypt(values[0])) == decrypt_text(encrypt_text(values[0])) == values[0]
    assert cipher.index(values[0]) == blind_index(values[0])
