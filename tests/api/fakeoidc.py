"""A small OpenID provider that can lie: it answers discovery, keys, token and userinfo like a
real one, but each code's ID token is built by the test, so tests can hand Gatehouse a token
with a bad signature, another audience, another issuer, a wrong nonce or an expired one.

The browser half of the flow (the provider's login page) is skipped: a test reads `state`,
`nonce` and the PKCE challenge from the authorization URL Gatehouse redirects to, registers
what the token endpoint shall answer for a code, and calls the callback itself. The token
endpoint checks the client's secret and the PKCE verifier (S256) like a provider must.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID = "gatehouse-api-tests"
CLIENT_SECRET = "fake-provider-secret"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64int(n: int) -> str:
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class Key:
    def __init__(self, kid):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self):
        pub = self.private.public_key().public_numbers()
        return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": b64int(pub.n), "e": b64int(pub.e)}

    def sign(self, claims, kid=None):
        header = b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": kid or self.kid}).encode())
        payload = b64url(json.dumps(claims).encode())
        signature = self.private.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{header}.{payload}.{b64url(signature)}"


def unsigned(claims):
    """A token with `alg: none` and no signature, which no client may accept."""
    return f"{b64url(json.dumps({'alg': 'none'}).encode())}.{b64url(json.dumps(claims).encode())}."


class FakeProvider:
    def __init__(self):
        self.key = Key("published")
        self.rogue = Key("rogue")  # never published; signs under the published key's id: a forgery
        self.answers = {}  # code -> (challenge, id token, userinfo)
        self.userinfo = {}  # access token -> userinfo answer
        self.token_requests = []
        self.jwks_fetches = 0  # what the token endpoint was sent, for the tests to check
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def forge(self, claims):
        """Claims signed by another key under the published key's id."""
        return self.rogue.sign(claims, kid=self.key.kid)

    def rotate(self):
        """Publishes a new signing key under a new key id and drops the old one, as providers
        do from time to time."""
        self.key = Key(f"rotated-{secrets.token_hex(3)}")

    def stop(self):
        self.server.shutdown()

    def claims(self, expected_nonce, **changes):
        """Claims a correct ID token carries; `changes` replace or (with None) remove some."""
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "subject-1", "nonce": expected_nonce,
                  "iat": now, "exp": now + 300}
        for k, v in changes.items():
            if v is None:
                claims.pop(k, None)
            else:
                claims[k] = v
        return claims

    def answer(self, challenge, id_token, userinfo=None):
        """Registers what the token endpoint returns for a new code; returns the code."""
        code = secrets.token_urlsafe(16)
        self.answers[code] = (challenge, id_token, userinfo or {})
        return code

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send_json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    i = provider.issuer
                    return self.send_json(200, {
                        "issuer": i, "authorization_endpoint": f"{i}/authorize", "token_endpoint": f"{i}/token",
                        "userinfo_endpoint": f"{i}/userinfo", "jwks_uri": f"{i}/jwks",
                        "response_types_supported": ["code"], "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "code_challenge_methods_supported": ["S256"],
                    })
                if self.path == "/jwks":
                    provider.jwks_fetches += 1
                    return self.send_json(200, {"keys": [provider.key.jwk()]})
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token in provider.userinfo:
                        return self.send_json(200, provider.userinfo[token])
                    return self.send_json(401, {"error": "invalid_token"})
                self.send_json(404, {"error": "not_found"})

            def do_POST(self):
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                provider.token_requests.append(form)
                basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.path != "/token" or self.headers.get("Authorization") != f"Basic {basic}":
                    return self.send_json(401, {"error": "invalid_client"})
                found = provider.answers.pop(form.get("code", ""), None)
                if not found:
                    return self.send_json(400, {"error": "invalid_grant"})
                challenge, id_token, info = found
                verifier = form.get("code_verifier", "")
                if b64url(hashlib.sha256(verifier.encode()).digest()) != challenge:
                    return self.send_json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                access = secrets.token_urlsafe(16)
                provider.userinfo[access] = info
                self.send_json(200, {"access_token": access, "token_type": "Bearer", "expires_in": 300,
                                     "id_token": id_token})

        return Handler
