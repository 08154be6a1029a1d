-- A pending invitation reserves nothing: an address is unique among the people who joined
-- (`joined_at`: accepted their invitation, with a password or through single sign-on), and
-- within one account, but several accounts may invite the same address; the first invitation
-- accepted wins.
ALTER TABLE users ADD COLUMN joined_at BIGINT;
UPDATE users u SET joined_at = u.created_at
 WHERE u.password_hash IS NOT NULL
    OR EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id AND i.used_at IS NOT NULL)
    OR EXISTS (SELECT 1 FROM sso_identities s WHERE s.user_id = u.id);
ALTER TABLE users DROP CONSTRAINT users_email_key;
CREATE UNIQUE INDEX users_email_joined ON users (email) WHERE joined_at IS NOT NULL;
CREATE UNIQUE INDEX users_email_in_account ON users (COALESCE(account_id, ''), email);
-- Sign-in finds people by address alone.
CREATE INDEX users_email ON users (email);
-- The invitation a single sign-on was started from (its hash), until the callback.
ALTER TABLE sso_flows ADD COLUMN invitation TEXT;
