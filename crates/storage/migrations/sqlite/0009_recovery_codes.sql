-- Recovery codes (gatehouse_core::recovery): a keyed digest per code, never the code. A used
-- code keeps its row (used_at) until the next set replaces them all.
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (user_id, digest)
);
