-- Mail waiting to be sent (gatehouse_core::mail_queue). `sealed` is the mail encrypted with
-- the secret key: it may carry a single-use link. A sender claims a row by writing its
-- `claim` and pushing `next_attempt_at` past its lease; a sent mail is deleted; a mail that
-- failed for the last time keeps `gave_up_at` and its `last_error` until purged.
CREATE TABLE mail_queue (
    id TEXT PRIMARY KEY,
    sealed BLOB NOT NULL,
    enqueued_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claim TEXT,
    last_error TEXT,
    gave_up_at INTEGER
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at) WHERE gave_up_at IS NULL;
