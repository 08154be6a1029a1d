-- A pending invitation reserves nothing: an address is unique among the people who joined
-- (`joined_at`: accepted their invitation, with a password or through single sign-on), and
-- within one account, but several accounts may invite the same address; the first invitation
-- accepted wins.
--
-- SQLite cannot drop the column's UNIQUE, so the table is rebuilt (SQLite's twelve steps). The
-- migrator's connection has foreign keys off, so dropping the old table deletes nothing that
-- refers to it, and the other tables' references name `users`, the new table, throughout.
CREATE TABLE users_0013 (
    id                  TEXT PRIMARY KEY,
    account_id          TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    email               TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('owner', 'co-owner', 'user', 'agent')),
    password_hash       TEXT,
    created_at          INTEGER NOT NULL,
    totp_secret         BLOB,
    totp_last_step      INTEGER,
    totp_confirmed_at   INTEGER,
    session_generation  INTEGER NOT NULL DEFAULT 0,
    joined_at           INTEGER,
    CHECK ((role = 'agent') = (account_id IS NULL))
);
INSERT INTO users_0013 (id, account_id, email, role, password_hash, created_at, totp_secret, totp_last_step,
                        totp_confirmed_at, session_generation, joined_at)
SELECT u.id, u.account_id, u.email, u.role, u.password_hash, u.created_at, u.totp_secret, u.totp_last_step,
       u.totp_confirmed_at, u.session_generation,
       CASE WHEN u.password_hash IS NOT NULL
              OR EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id AND i.used_at IS NOT NULL)
              OR EXISTS (SELECT 1 FROM sso_identities s WHERE s.user_id = u.id)
            THEN u.created_at END
  FROM users u;
DROP TABLE users;
ALTER TABLE users_0013 RENAME TO users;
CREATE UNIQUE INDEX users_one_owner_per_account ON users (account_id) WHERE role = 'owner';
CREATE INDEX users_account ON users (account_id);
CREATE UNIQUE INDEX users_email_joined ON users (email) WHERE joined_at IS NOT NULL;
CREATE UNIQUE INDEX users_email_in_account ON users (COALESCE(account_id, ''), email);
-- Sign-in finds people by address alone.
CREATE INDEX users_email ON users (email);
-- The invitation a single sign-on was started from (its hash), until the callback.
ALTER TABLE sso_flows ADD COLUMN invitation TEXT;
