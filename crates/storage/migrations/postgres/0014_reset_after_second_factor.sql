-- A new password chosen through a reset link waits beside the link (its argon2 hash, and the
-- sign-in that chose it) until that sign-in's second factor succeeds: a mailbox alone never
-- sets the password, so setting up an authenticator after a 2FA reset (which takes the
-- password and the mailbox) takes more than a mailbox.
ALTER TABLE password_resets ADD COLUMN new_hash TEXT;
ALTER TABLE password_resets ADD COLUMN claimed_by TEXT;
