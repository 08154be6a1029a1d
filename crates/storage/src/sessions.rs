use async_trait::async_trait;
use gatehouse_core::model::{SessionFacts, SessionRecord};
use gatehouse_core::sessions::handle;
use gatehouse_core::store::{SessionRecords, StoreResult};
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::{query, Row};
use crate::Db;

const COLUMNS: &str =
    "id, user_id, data, expires_at, last_seen_at, signed_in_at, user_agent, client_address, generation, sid";

fn record_of(row: &Row) -> Result<SessionRecord, crate::sql::Error> {
    let signed_in_at: Option<i64> = row.try_get("signed_in_at")?;
    let facts = match signed_in_at {
        Some(at) => Some(SessionFacts {
            signed_in_at: Timestamp(at),
            user_agent: row.try_get::<Option<String>, _>("user_agent")?.unwrap_or_default(),
            client_address: row.try_get::<Option<String>, _>("client_address")?.unwrap_or_default(),
            sid: row.try_get::<Option<String>, _>("sid")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(SessionRecord {
        id: row.try_get("id")?,
        user_id: row.try_get::<Option<String>, _>("user_id")?.map(Id::from_stored),
        data: row.try_get("data")?,
        expires_at: Timestamp(row.try_get("expires_at")?),
        last_seen_at: Timestamp(row.try_get("last_seen_at")?),
        facts,
        generation: row.try_get("generation")?,
    })
}

#[async_trait]
impl SessionRecords for Db {
    async fn create_session(&self, r: &SessionRecord) -> StoreResult<bool> {
        let facts = r.facts.as_ref();
        let done = query(
            "INSERT INTO sessions (id, handle, user_id, data, expires_at, last_seen_at, signed_in_at, user_agent, \
             client_address, generation, sid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(r.id.as_str())
        .bind(handle(&r.id))
        .bind(r.user_id.as_ref().map(|i| i.as_str().to_owned()))
        .bind(r.data.clone())
        .bind(r.expires_at.0)
        .bind(r.last_seen_at.0)
        .bind(facts.map(|f| f.signed_in_at.0))
        .bind(facts.map(|f| f.user_agent.clone()))
        .bind(facts.map(|f| f.client_address.clone()))
        .bind(r.generation)
        .bind(sid_of(facts))
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn save_session(&self, r: &SessionRecord) -> StoreResult<()> {
        // Never an insert: a session ended while this request held it stays ended.
        let facts = r.facts.as_ref();
        query(
            "UPDATE sessions SET user_id = $2, data = $3, expires_at = $4, last_seen_at = $5, signed_in_at = $6, \
             user_agent = $7, client_address = $8, sid = $9 WHERE id = $1",
        )
        .bind(r.id.as_str())
        .bind(r.user_id.as_ref().map(|i| i.as_str().to_owned()))
        .bind(r.data.clone())
        .bind(r.expires_at.0)
        .bind(r.last_seen_at.0)
        .bind(facts.map(|f| f.signed_in_at.0))
        .bind(facts.map(|f| f.user_agent.clone()))
        .bind(facts.map(|f| f.client_address.clone()))
        .bind(sid_of(facts))
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn load_session(&self, id: &str, now: Timestamp) -> StoreResult<Option<SessionRecord>> {
        let row = query(&format!(
            "SELECT {COLUMNS} FROM sessions WHERE id = $1 AND expires_at > $2 AND (user_id IS NULL \
             OR generation = (SELECT u.session_generation FROM users u WHERE u.id = sessions.user_id))"
        ))
        .bind(id)
        .bind(now.0)
        .fetch_optional(self)
        .await
        .map_err(store_error)?;
        row.as_ref().map(record_of).transpose().map_err(store_error)
    }

    async fn touch_session(&self, id: &str, now: Timestamp, expires_at: Timestamp) -> StoreResult<()> {
        query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1 AND expires_at > $2")
            .bind(id)
            .bind(now.0)
            .bind(expires_at.0)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn sessions_of(&self, user_id: &Id, now: Timestamp) -> StoreResult<Vec<SessionRecord>> {
        let rows = query(&format!(
            "SELECT {COLUMNS} FROM sessions WHERE user_id = $1 AND expires_at > $2 AND signed_in_at IS NOT NULL \
             ORDER BY last_seen_at DESC, signed_in_at DESC"
        ))
        .bind(user_id.as_str())
        .bind(now.0)
        .fetch_all(self)
        .await
        .map_err(store_error)?;
        rows.iter().map(record_of).collect::<Result<_, _>>().map_err(store_error)
    }

    async fn delete_session(&self, id: &str) -> StoreResult<()> {
        query("DELETE FROM sessions WHERE id = $1").bind(id).execute(self).await.map_err(store_error)?;
        Ok(())
    }

    async fn delete_session_by_handle(&self, user_id: &Id, handle: &str) -> StoreResult<bool> {
        self.end_one_session(user_id, "handle", handle).await
    }

    async fn end_session(&self, user_id: &Id, id: &str) -> StoreResult<bool> {
        self.end_one_session(user_id, "id", id).await
    }

    async fn delete_user_sessions(&self, user_id: &Id) -> StoreResult<(u64, i64)> {
        let mut tx = self.begin().await.map_err(store_error)?;
        let generation = next_generation(&mut tx, user_id).await?;
        log_out_applications(&mut tx, "s.user_id = $1", &[user_id.as_str()]).await?;
        let done = query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok((done.rows_affected(), generation))
    }

    async fn delete_other_sessions(&self, user_id: &Id, keep: &str) -> StoreResult<(u64, i64)> {
        let mut tx = self.begin().await.map_err(store_error)?;
        let generation = next_generation(&mut tx, user_id).await?;
        log_out_applications(&mut tx, "s.user_id = $1 AND s.id <> $2", &[user_id.as_str(), keep]).await?;
        let done = query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user_id.as_str())
            .bind(keep)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        query("UPDATE sessions SET generation = $3 WHERE id = $2 AND user_id = $1")
            .bind(user_id.as_str())
            .bind(keep)
            .bind(generation)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok((done.rows_affected(), generation))
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        self.purge_sessions(now).await
    }
}

impl Db {
    /// Ends the one session of the person's whose `column` (`id` or `handle`) is `key`, and
    /// moves their generation on with every other session of theirs, in one transaction: a
    /// request that held the ended one and gives it a new id afterwards brings back nothing.
    async fn end_one_session(&self, user_id: &Id, column: &'static str, key: &str) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        log_out_applications(&mut tx, &format!("s.user_id = $1 AND s.{column} = $2"), &[user_id.as_str(), key]).await?;
        let done = query(&format!("DELETE FROM sessions WHERE user_id = $1 AND {column} = $2"))
            .bind(user_id.as_str())
            .bind(key)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let generation = next_generation(&mut tx, user_id).await?;
        query("UPDATE sessions SET generation = $2 WHERE user_id = $1")
            .bind(user_id.as_str())
            .bind(generation)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }
}

impl Db {
    /// Ends the sessions that expired at `now` (idle, or at the end of their lifetime), and
    /// queues the logouts of the applications they signed in to: how many ended.
    pub(crate) async fn purge_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let mut tx = self.begin().await.map_err(store_error)?;
        log_out_applications_at(&mut tx, "s.expires_at <= $1", Some(now.0), &[]).await?;
        let done = query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.0)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(done.rows_affected())
    }
}

fn sid_of(facts: Option<&SessionFacts>) -> Option<String> {
    facts.map(|f| f.sid.clone()).filter(|sid| !sid.is_empty())
}

/// Inside the transaction that ends the sessions `s` that `condition` picks (its parameters
/// `binds`, all text), before they are deleted: every application those sessions signed in
/// to gets a back-channel logout queued, and the record of the sign-in moves there.
pub(crate) async fn log_out_applications(tx: &mut crate::sql::Tx, condition: &str, binds: &[&str]) -> StoreResult<()> {
    log_out_applications_at(tx, condition, None, binds).await
}

async fn log_out_applications_at(
    tx: &mut crate::sql::Tx,
    condition: &str,
    first: Option<i64>,
    binds: &[&str],
) -> StoreResult<()> {
    let ended = format!("SELECT s.sid FROM sessions s WHERE s.sid IS NOT NULL AND {condition}");
    let statements = [
        format!(
            "INSERT INTO oidc_logouts (sid, client_id, user_id, next_attempt_at, attempts) \
             SELECT g.sid, g.client_id, g.user_id, 0, 0 FROM oidc_grants g WHERE g.sid IN ({ended}) \
             ON CONFLICT (sid, client_id) DO NOTHING"
        ),
        format!("DELETE FROM oidc_grants WHERE sid IN ({ended})"),
    ];
    for sql in statements {
        let mut q = query(&sql);
        if let Some(n) = first {
            q = q.bind(n);
        }
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(&mut *tx).await.map_err(store_error)?;
    }
    Ok(())
}

/// Moves the person's session generation on (inside the transaction that ends their
/// sessions): the new one.
pub(crate) async fn next_generation(tx: &mut crate::sql::Tx, user_id: &Id) -> StoreResult<i64> {
    let row = query(
        "UPDATE users SET session_generation = session_generation + 1 WHERE id = $1 RETURNING session_generation",
    )
    .bind(user_id.as_str())
    .fetch_optional(tx)
    .await
    .map_err(store_error)?;
    match row {
        Some(row) => row.try_get("session_generation").map_err(store_error),
        // Nobody by that id: nothing of theirs can load anyway.
        None => Ok(0),
    }
}
