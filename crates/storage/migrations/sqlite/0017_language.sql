-- The language a person chose for pages and mails (a tag such as de), or none: their
-- browser's, and for mails the account owner's, then the operator's default.
ALTER TABLE users ADD COLUMN language TEXT;
