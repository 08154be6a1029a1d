-- Forgotten-password links (gatehouse_core::signin::reset): the token's hash only, never the
-- token. A link is deleted when used; a newer link deletes the person's older ones; expired
-- ones are purged by the housekeeping task.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);
