from app import security

SECRET = "s" * 40


def test_password_hash_verifies_only_the_right_password():
    password_hash = security.hash_password("a long passphrase")
    assert security.verify_password("a long passphrase", password_hash)[0] is True
    assert security.verify_password("a long passphrasE", password_hash)[0] is False


def test_password_hash_is_argon2id():
    assert security.hash_password("another passphrase").startswith("$argon2id$")


def test_verify_password_malformed_hash_is_false_not_error():
    assert security.verify_password("x", "not-a-hash") == (False, None)


def test_token_round_trip_for_its_purpose_only():
    token = security.make_token(SECRET, "api", {"uid": 7, "epoch": 0})
    assert security.read_token(SECRET, "api", token, max_age_seconds=60) == {"uid": 7, "epoch": 0}
    assert security.read_token(SECRET, "password-reset", token, max_age_seconds=60) is None
    assert security.read_token("t" * 40, "api", token, max_age_seconds=60) is None


def test_token_tampered_is_refused():
    token = security.make_token(SECRET, "api", {"uid": 7, "epoch": 0})
    assert security.read_token(SECRET, "api", token[:-2] + "xx", max_age_seconds=60) is None


def test_csrf_tokens_compare():
    token = security.new_csrf_token()
    assert security.csrf_tokens_match(token, token) is True
    assert security.csrf_tokens_match(token, token[:-1] + "A" if token[-1] != "A" else token[:-1] + "B") is False
    assert security.csrf_tokens_match(None, token) is False
    assert security.csrf_tokens_match(token, "") is False
