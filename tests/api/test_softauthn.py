"""The software authenticator checked by an independent verifier (py_webauthn), so that a
passkey test failing against Gatehouse points at the server, not at the test's authenticator.
Each knob the passkey tests use is shown to produce exactly what a verifier must refuse."""

import json
import os

import pytest
from fido2.utils import websafe_encode as b64
from webauthn import (generate_authentication_options, generate_registration_options, options_to_json,
                      verify_authentication_response, verify_registration_response)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse
from webauthn.helpers.structs import UserVerificationRequirement

from softauthn import NotAllowed, SoftAuthenticator

ORIGIN = "http://localhost:3000"
RP_ID = "localhost"


def register(auth, user_id=b"u" * 16):
    options = generate_registration_options(rp_id=RP_ID, rp_name="Gatehouse", user_name="owner@acme.test",
                                            user_id=user_id)
    # py_webauthn emits the bare publicKey object; webauthn-rs wraps it in {"publicKey": ...}.
    credential = auth.create({"publicKey": json.loads(options_to_json(options))}, ORIGIN)
    verified = verify_registration_response(credential=credential, expected_challenge=options.challenge,
                                            expected_rp_id=RP_ID, expected_origin=ORIGIN,
                                            require_user_verification=True)
    return verified


def sign_in(auth, public_key, last_count):
    """A discoverable sign-in (empty allowCredentials), verified; returns (verified, credential)."""
    options = generate_authentication_options(rp_id=RP_ID, user_verification=UserVerificationRequirement.REQUIRED)
    credential = auth.get(options_to_json(options), ORIGIN)
    verified = verify_authentication_response(credential=credential, expected_challenge=options.challenge,
                                              expected_rp_id=RP_ID, expected_origin=ORIGIN,
                                              credential_public_key=public_key,
                                              credential_current_sign_count=last_count,
                                              require_user_verification=True)
    return verified, credential


def test_registration_and_discoverable_sign_in_verify():
    auth = SoftAuthenticator()
    reg = register(auth)
    assert reg.user_verified and reg.credential_type == "public-key" and reg.fmt == "none"
    assert reg.sign_count == 0
    verified, credential = sign_in(auth, reg.credential_public_key, reg.sign_count)
    assert verified.new_sign_count == 1 and verified.user_verified
    assert credential["response"]["userHandle"] == "dXV1dXV1dXV1dXV1dXV1dQ"  # b"u" * 16, unpadded
    verified, _ = sign_in(auth, reg.credential_public_key, verified.new_sign_count)
    assert verified.new_sign_count == 2


def test_webauthn_rs_shaped_options_are_understood():
    """Options as webauthn-rs 0.5 serialises them for passkeys: wrapped, extra members,
    mediation beside publicKey; the credential still verifies."""
    challenge = os.urandom(32)
    user_id = os.urandom(16)
    creation = {"publicKey": {
        "rp": {"name": "Gatehouse", "id": RP_ID},
        "user": {"id": b64(user_id), "name": "owner@acme.test", "displayName": "owner@acme.test"},
        "challenge": b64(challenge),
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 300000,
        "excludeCredentials": [{"type": "public-key", "id": b64(b"someone else's key")}],
        "authenticatorSelection": {"residentKey": "discouraged", "requireResidentKey": False,
                                   "userVerification": "required"},
        "attestation": "none",
        "extensions": {"credentialProtectionPolicy": "userVerificationRequired",
                       "enforceCredentialProtectionPolicy": False, "uvm": True, "credProps": True},
    }}
    auth = SoftAuthenticator()
    reg = verify_registration_response(credential=auth.create(json.dumps(creation), ORIGIN),
                                       expected_challenge=challenge, expected_rp_id=RP_ID,
                                       expected_origin=ORIGIN, require_user_verification=True)
    challenge = os.urandom(32)
    request = {"publicKey": {"challenge": b64(challenge), "timeout": 300000, "rpId": RP_ID,
                             "allowCredentials": [], "userVerification": "required",
                             "extensions": {"uvm": True}},
               "mediation": "conditional"}
    credential = auth.get(json.dumps(request), ORIGIN)
    verify_authentication_response(credential=credential, expected_challenge=challenge, expected_rp_id=RP_ID,
                                   expected_origin=ORIGIN, credential_public_key=reg.credential_public_key,
                                   credential_current_sign_count=0, require_user_verification=True)
    assert credential["response"]["userHandle"] == b64(user_id)


def test_user_verification_off_is_refused_by_a_verifier():
    auth = SoftAuthenticator()
    reg = register(auth)
    auth.user_verified = False
    with pytest.raises(InvalidAuthenticationResponse, match="verif"):
        sign_in(auth, reg.credential_public_key, 0)


def test_a_rewound_count_is_refused_by_a_verifier():
    auth = SoftAuthenticator()
    reg = register(auth)
    verified, _ = sign_in(auth, reg.credential_public_key, 0)
    auth.credentials[0].sign_count = 0  # the next assertion repeats count 1
    with pytest.raises(InvalidAuthenticationResponse, match="sign count"):
        sign_in(auth, reg.credential_public_key, verified.new_sign_count)


def test_a_clone_repeats_the_count_of_the_original():
    auth = SoftAuthenticator()
    reg = register(auth)
    twin = auth.clone()
    verified, _ = sign_in(auth, reg.credential_public_key, 0)
    with pytest.raises(InvalidAuthenticationResponse, match="sign count"):
        sign_in(twin, reg.credential_public_key, verified.new_sign_count)


def test_another_origin_is_refused_by_a_verifier():
    auth = SoftAuthenticator()
    reg = register(auth)
    options = generate_authentication_options(rp_id=RP_ID)
    credential = auth.get(options_to_json(options), "https://evil.example")
    with pytest.raises(InvalidAuthenticationResponse, match="origin"):
        verify_authentication_response(credential=credential, expected_challenge=options.challenge,
                                       expected_rp_id=RP_ID, expected_origin=ORIGIN,
                                       credential_public_key=reg.credential_public_key,
                                       credential_current_sign_count=0)


def test_excluded_and_unknown_credentials_are_not_allowed():
    auth = SoftAuthenticator()
    register(auth)
    options = json.loads(options_to_json(generate_registration_options(
        rp_id=RP_ID, rp_name="Gatehouse", user_name="x", user_id=b"v" * 16)))
    options["excludeCredentials"] = [{"type": "public-key", "id": b64(auth.credentials[0].id)}]
    with pytest.raises(NotAllowed):
        auth.create(options, ORIGIN)
    with pytest.raises(NotAllowed):
        auth.get(options_to_json(generate_authentication_options(rp_id="example.com")), "https://example.com")
