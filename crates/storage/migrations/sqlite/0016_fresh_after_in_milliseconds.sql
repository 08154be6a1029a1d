-- prompt=login and max_age compare the sign-in time with the request's in milliseconds: in
-- whole seconds, a sign-in made earlier in the same second as the request counted as fresh.
-- Requests kept in seconds would read as long ago (always fresh): they are dropped (the
-- people waiting on them start again from their application).
DELETE FROM oidc_requests;
ALTER TABLE oidc_requests RENAME COLUMN fresh_after TO fresh_after_ms;
