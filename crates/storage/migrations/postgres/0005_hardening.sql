-- Steps of a user's authenticator refused in advance: a code of a step still to come was
-- presented, so when its time comes it must not sign anyone in.
CREATE TABLE totp_burnt_steps (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step     BIGINT NOT NULL,
    PRIMARY KEY (user_id, step)
);

-- A secret being set up belongs to one sign-in: another sign-in of the same person (someone
-- else who has the password) gets a secret of its own, never a copy of this one.
ALTER TABLE totp_enrolments ADD COLUMN sign_in_id TEXT NOT NULL DEFAULT '';

-- Periodic tasks that several server processes share: the process that moves a task's
-- next_run_at forward is the one that runs it.
CREATE TABLE task_leases (
    name         TEXT PRIMARY KEY,
    next_run_at  BIGINT NOT NULL
);

-- Attempts being checked right now (reserved, not yet settled), apart from the failures, so
-- that concurrent correct attempts never start a wait; unsettled ones go stale.
ALTER TABLE throttle ADD COLUMN pending BIGINT NOT NULL DEFAULT 0;
ALTER TABLE throttle ADD COLUMN last_attempt_at BIGINT NOT NULL DEFAULT 0;

-- Browsers that completed a sign-in (the SHA-256 of their cookie's random token): their
-- password attempts for that person count apart, so guesses from elsewhere never lock the
-- person out of the browsers they use.
CREATE TABLE known_browsers (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX known_browsers_by_expiry ON known_browsers (expires_at);

-- The purge looks for idle counters and expired setup secrets.
CREATE INDEX throttle_by_last_failure ON throttle (last_failure_at);
CREATE INDEX totp_enrolments_by_expiry ON totp_enrolments (expires_at);

-- Refused SSO callbacks are now counted under 'sso-refused:ADDRESS'.
DELETE FROM throttle WHERE key LIKE 'address:sso %';
