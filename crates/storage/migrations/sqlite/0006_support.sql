-- Support requests for 2FA resets. No foreign keys to users or accounts: the form is public
-- and names people by email; what the system knows about them is looked up when an agent
-- reviews the request, and the record must outlive them.
CREATE TABLE support_requests (
    id               TEXT PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    area             TEXT NOT NULL,
    requester_email  TEXT NOT NULL,
    requester_id     TEXT,
    account_name     TEXT NOT NULL,
    subject          TEXT NOT NULL,
    description      TEXT NOT NULL,
    target_email     TEXT NOT NULL,
    owner_self       INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('new', 'approved', 'rejected')),
    reason           TEXT,
    decided_by       TEXT,
    created_at       INTEGER NOT NULL,
    closed_at        INTEGER,
    client_ip        TEXT,
    CHECK ((status = 'new') = (closed_at IS NULL))
);
CREATE INDEX support_requests_by_status ON support_requests (status, created_at);
CREATE INDEX support_requests_by_closing ON support_requests (closed_at);

-- Their documents, sealed (AES-256-GCM), in the same database so that a request and its
-- files are saved in one transaction and every server process sees them. The content is
-- deleted after the retention period; the row stays as the record that it existed.
CREATE TABLE support_documents (
    id            TEXT PRIMARY KEY,
    request_id    TEXT NOT NULL REFERENCES support_requests(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    file_type     TEXT NOT NULL,
    size          INTEGER NOT NULL,
    content       BLOB,
    purged_at     INTEGER,
    CHECK ((content IS NULL) = (purged_at IS NOT NULL))
);
CREATE INDEX support_documents_by_request ON support_documents (request_id);
