-- A provider identity (issuer + subject) linked to a user the first time they came through
-- single sign-on with a verified email; from then on the pair, not the email, says who it is.
CREATE TABLE sso_identities (
    issuer         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider_id    TEXT NOT NULL,
    email_at_link  TEXT NOT NULL,
    linked_at      INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_identities_by_user ON sso_identities (user_id);

-- An authorization-code flow between the redirect to the provider and its callback, which
-- may reach another server process. The id is the OAuth `state`; taken (deleted) before it
-- is checked, so a callback works once.
CREATE TABLE sso_flows (
    id             TEXT PRIMARY KEY,
    provider_id    TEXT NOT NULL,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    expires_at     INTEGER NOT NULL
);
CREATE INDEX sso_flows_by_expiry ON sso_flows (expires_at);
