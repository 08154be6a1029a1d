-- Ending all of a person's sessions moves their generation on, in the same transaction as the
-- deletion; every signed-in or half-way session carries the generation it began under, and
-- loads only while that is still the person's. A request that loaded a session before it was
-- ended can therefore never bring it back, whatever it saves or creates afterwards.
ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN generation INTEGER;
UPDATE sessions SET generation = 0 WHERE user_id IS NOT NULL;
