"""Reviewer passwords: scrypt with a random salt, checked in constant time."""
import pytest

from parindex.review.passwords import PasswordError, hash_password, verify_password


def test_a_hash_checks_its_password_and_no_other():
    stored = hash_password("Lạc Sơn 2023!")
    assert verify_password("Lạc Sơn 2023!", stored)
    assert not verify_password("Lạc Sơn 2023", stored)
    assert not verify_password("", stored)


def test_the_same_password_hashes_differently_each_time():
    first, second = hash_password("same-password"), hash_password("same-password")
    assert first != second
    assert first.split("$")[:4] == ["scrypt", "16384", "8", "1"]


def test_an_unknown_reviewer_or_a_damaged_hash_never_lets_anyone_in():
    assert not verify_password("anything-at-all", None)
    for damaged in ("", "plain-text-password", "bcrypt$1$2$3$aa$bb", "scrypt$16384$8$1$zz$zz"):
        assert not verify_password("plain-text-password", damaged)


def test_short_passwords_are_refused():
    with pytest.raises(PasswordError, match="at least 8"):
        hash_password("1234567")
