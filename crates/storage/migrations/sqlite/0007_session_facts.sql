-- What the Security page lists about each signed-in session, and when it was last used (for
-- the idle timeout). `handle` names a session on its person's pages without its id, which is
-- the bearer secret in the cookie.
ALTER TABLE sessions ADD COLUMN handle TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN signed_in_at INTEGER;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client_address TEXT;
CREATE INDEX sessions_handle ON sessions (handle);
