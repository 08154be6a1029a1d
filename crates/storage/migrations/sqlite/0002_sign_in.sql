-- The confirmed authenticator: secret sealed with the server key (bound to the user id),
-- and the last accepted time step, which refuses replayed codes.
ALTER TABLE users ADD COLUMN totp_secret BLOB;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
ALTER TABLE users ADD COLUMN totp_confirmed_at INTEGER;

-- A secret shown during setup, until the person proves their app has it.
CREATE TABLE totp_enrolments (
    user_id     TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret      BLOB NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- Failed sign-in attempts per account and per client address, shared by every server
-- process. `key` is 'account:EMAIL' or 'address:IP'.
CREATE TABLE throttle (
    key              TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_at  INTEGER NOT NULL,
    blocked_until    INTEGER NOT NULL
);
