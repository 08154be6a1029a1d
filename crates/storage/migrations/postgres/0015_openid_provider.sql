-- Gatehouse as an OpenID Provider (gatehouse_core::oidc).
--
-- Signing keys, shared by every process: the private key sealed with the secret key,
-- the public one as a JWK. A key is published from created_at and signs from signs_from, so
-- that every process and every relying party's cache knows it before a token needs it.
CREATE TABLE oidc_signing_keys (
    kid            TEXT PRIMARY KEY,
    alg            TEXT NOT NULL,
    sealed_private BYTEA NOT NULL,
    public_jwk     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    signs_from     BIGINT NOT NULL
);

-- An authorization request waiting for its person to sign in (or confirm it is them again),
-- named by a cookie of the browser that made it (only the hash kept here). Taken when the
-- code is issued; expired ones purged.
CREATE TABLE oidc_requests (
    token_hash     TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scope          TEXT NOT NULL,
    state          TEXT,
    nonce          TEXT,
    code_challenge TEXT NOT NULL,
    fresh_after    BIGINT,
    expires_at     BIGINT NOT NULL
);
CREATE INDEX oidc_requests_by_expiry ON oidc_requests (expires_at);

-- Authorization codes (hashes), single-use: used_at is set by the one redemption that counts,
-- and the row kept until it expires, so that a second redemption is recognised and revokes
-- what the first issued (RFC 6749 4.1.2).
CREATE TABLE oidc_codes (
    code_hash      TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sid            TEXT NOT NULL,
    scope          TEXT NOT NULL,
    nonce          TEXT,
    code_challenge TEXT NOT NULL,
    auth_time      BIGINT NOT NULL,
    amr            TEXT NOT NULL,
    expires_at     BIGINT NOT NULL,
    used_at        BIGINT
);
CREATE INDEX oidc_codes_by_expiry ON oidc_codes (expires_at);

-- Access tokens (hashes) for the userinfo endpoint, short-lived, with the code they came from.
CREATE TABLE oidc_access_tokens (
    token_hash     TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sid            TEXT NOT NULL,
    scope          TEXT NOT NULL,
    code_hash      TEXT NOT NULL,
    expires_at     BIGINT NOT NULL
);
CREATE INDEX oidc_access_tokens_by_code ON oidc_access_tokens (code_hash);
CREATE INDEX oidc_access_tokens_by_sid ON oidc_access_tokens (sid);
CREATE INDEX oidc_access_tokens_by_expiry ON oidc_access_tokens (expires_at);

-- Which applications each Gatehouse session (by its sid, the one the ID tokens carry) signed
-- in to: for the Sessions page, and for back-channel logout when the session ends.
CREATE TABLE oidc_grants (
    sid            TEXT NOT NULL,
    client_id      TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    first_at       BIGINT NOT NULL,
    PRIMARY KEY (sid, client_id)
);
CREATE INDEX oidc_grants_by_user ON oidc_grants (user_id);

-- A signed-in session's sid (the one ID tokens carry), so that ending sessions finds the
-- applications they signed in to.
ALTER TABLE sessions ADD COLUMN sid TEXT;
CREATE INDEX sessions_by_sid ON sessions (sid);

-- Back-channel logouts waiting to be sent, one per session and application: queued in the
-- transaction that ends the session (the grant moves here), claimed by one process at a time
-- with a lease, retried, given up after a while (gatehouse_core::oidc::logout).
CREATE TABLE oidc_logouts (
    sid             TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    claim           TEXT,
    last_error      TEXT,
    gave_up_at      BIGINT,
    PRIMARY KEY (sid, client_id)
);
CREATE INDEX oidc_logouts_due ON oidc_logouts (next_attempt_at);
