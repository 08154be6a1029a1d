-- A typed email proves nothing. A support request filed signed out waits, in no queue, until
-- its requester opens the single-use link mailed to the address they typed (only the hash of
-- its token is kept); it is deleted when the link expires. `verified` says how the requester
-- was proved: NULL while awaiting, 'signed_in', 'mailbox', or 'unverified' for requests filed
-- before this (which can no longer be approved).
ALTER TABLE support_requests ADD COLUMN verified TEXT;
ALTER TABLE support_requests ADD COLUMN verified_at BIGINT;
ALTER TABLE support_requests ADD COLUMN confirm_hash TEXT;
ALTER TABLE support_requests ADD COLUMN confirm_expires_at BIGINT;
UPDATE support_requests
   SET verified = CASE WHEN requester_id IS NULL THEN 'unverified' ELSE 'signed_in' END, verified_at = created_at;
CREATE UNIQUE INDEX support_requests_by_confirmation ON support_requests (confirm_hash);
CREATE INDEX support_requests_awaiting ON support_requests (confirm_expires_at) WHERE verified IS NULL;

-- Setting up an authenticator takes the password and the mailbox: single-use links mailed to
-- the person (gatehouse_core::signin::setup_link), the token's hash only. A newer link deletes
-- the person's older ones; using one deletes it; expired ones are purged.
CREATE TABLE setup_links (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX setup_links_user ON setup_links (user_id);

-- The setup link a single sign-on was started from (its hash), until the callback.
ALTER TABLE sso_flows ADD COLUMN setup_link TEXT;
