-- A user's passkeys. `passkey` is webauthn-rs's serialised credential (public key, counter,
-- flags); `sign_count` is kept beside it so a regression (a cloned authenticator) is checked
-- and recorded with a compare-and-set.
CREATE TABLE passkeys (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    credential_id  TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    passkey        TEXT NOT NULL,
    sign_count     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    last_used_at   INTEGER
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- A WebAuthn ceremony between its start and its finish, which may reach another server
-- process. Taken (deleted) before it is checked, so it is used at most once.
CREATE TABLE webauthn_ceremonies (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    user_id     TEXT REFERENCES users(id) ON DELETE CASCADE,
    state       TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX webauthn_ceremonies_by_expiry ON webauthn_ceremonies (expires_at);
