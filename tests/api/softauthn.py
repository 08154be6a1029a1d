"""A software passkey authenticator for API tests: it answers WebAuthn JSON options as a browser
with a platform authenticator would (resident ES256 keys, "none" attestation), so passkey
ceremonies can be tested over plain HTTP. Built on Yubico's fido2 data types.

Options are read by hand, not with fido2's dataclasses, so that extra or unknown members
(webauthn-rs's `mediation`, credProtect inputs, hints) never stop a test: a browser ignores
what it does not know, and so does this.
"""

import json
import os
from dataclasses import dataclass, replace
from urllib.parse import urlparse

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import sha256, websafe_decode, websafe_encode
from fido2.webauthn import (AttestationObject, AttestedCredentialData, AuthenticatorData,
                            CollectedClientData)

FLAG = AuthenticatorData.FLAG
AAGUID = bytes(16)  # what browsers report with "none" attestation


class NotAllowed(Exception):
    """What `navigator.credentials` would reject with (no matching credential, excluded one)."""


@dataclass
class Credential:
    id: bytes
    rp_id: str
    user_handle: bytes
    key: ec.EllipticCurvePrivateKey
    # The count sent with the last assertion; the next one sends sign_count + 1. Set it back
    # to replay an older state, as a cloned authenticator would.
    sign_count: int = 0


def _public_key(options):
    """The `publicKey` member of JSON options (text or dict; wrapped or not)."""
    if isinstance(options, (str, bytes)):
        options = json.loads(options)
    return options.get("publicKey", options)


def _client_data(kind, pk, origin):
    # A browser decodes the challenge to bytes and encodes it again, unpadded, in clientData.
    return CollectedClientData.create(kind, websafe_decode(pk["challenge"]), origin)


class SoftAuthenticator:
    def __init__(self, user_verified=True):
        self.user_verified = user_verified  # off: the person skipped the PIN or biometric
        self.credentials: list[Credential] = []

    def _flags(self, attested):
        flags = FLAG.UP | (FLAG.UV if self.user_verified else 0)
        return (flags | FLAG.AT) if attested else flags

    def create(self, options, origin):
        """Answers creation options with a RegistrationResponseJSON dict."""
        pk = _public_key(options)
        rp_id = pk["rp"].get("id") or urlparse(origin).hostname
        if not any(p.get("alg") == ES256.ALGORITHM for p in pk["pubKeyCredParams"]):
            raise NotAllowed("ES256 not offered")
        excluded = {websafe_decode(c["id"]) for c in pk.get("excludeCredentials") or []}
        if any(c.id in excluded for c in self.credentials if c.rp_id == rp_id):
            raise NotAllowed("already registered with this relying party")
        user_handle = websafe_decode(pk["user"]["id"])
        cred = Credential(os.urandom(32), rp_id, user_handle, ec.generate_private_key(ec.SECP256R1()))
        # One resident key per relying party and user: a new one replaces the old.
        self.credentials = [c for c in self.credentials if (c.rp_id, c.user_handle) != (rp_id, user_handle)]
        self.credentials.append(cred)

        public = ES256.from_cryptography_key(cred.key.public_key())
        attested = AttestedCredentialData.create(AAGUID, cred.id, public)
        auth_data = AuthenticatorData.create(sha256(rp_id.encode()), self._flags(True), cred.sign_count, attested)
        client_data = _client_data("webauthn.create", pk, origin)
        return {
            "id": websafe_encode(cred.id),
            "rawId": websafe_encode(cred.id),
            "type": "public-key",
            "response": {
                "attestationObject": websafe_encode(AttestationObject.create("none", auth_data, {})),
                "clientDataJSON": websafe_encode(client_data),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options, origin):
        """Answers request options with an AuthenticationResponseJSON dict. With an empty
        allowCredentials (discoverable sign-in) it uses its newest credential for the rp id."""
        pk = _public_key(options)
        rp_id = pk.get("rpId") or urlparse(origin).hostname
        allowed = {websafe_decode(c["id"]) for c in pk.get("allowCredentials") or []}
        mine = [c for c in self.credentials if c.rp_id == rp_id and (not allowed or c.id in allowed)]
        if not mine:
            raise NotAllowed(f"no credential for {rp_id}")
        cred = mine[-1]
        cred.sign_count += 1

        auth_data = AuthenticatorData.create(sha256(rp_id.encode()), self._flags(False), cred.sign_count)
        client_data = _client_data("webauthn.get", pk, origin)
        signature = cred.key.sign(auth_data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return {
            "id": websafe_encode(cred.id),
            "rawId": websafe_encode(cred.id),
            "type": "public-key",
            "response": {
                "authenticatorData": websafe_encode(auth_data),
                "clientDataJSON": websafe_encode(client_data),
                "signature": websafe_encode(signature),
                "userHandle": websafe_encode(cred.user_handle),
            },
            "clientExtensionResults": {},
        }

    def clone(self):
        """A copy holding the same keys and counts: what an attacker who copied the
        authenticator would have. The two counts then move independently."""
        twin = SoftAuthenticator(self.user_verified)
        twin.credentials = [replace(c) for c in self.credentials]
        return twin
