use async_trait::async_trait;
use gatehouse_core::model::{SessionFacts, SessionRecord};
use gatehouse_core::sessions::handle;
use gatehouse_core::store::{SessionRecords, StoreResult};
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::{query, Row};
use crate::Db;

const COLUMNS: &str = "id, user_id, data, expires_at, last_seen_at, signed_in_at, user_agent, client_address";

fn record_of(row: &Row) -> Result<SessionRecord, crate::sql::Error> {
    let signed_in_at: Option<i64> = row.try_get("signed_in_at")?;
    let facts = match signed_in_at {
        Some(at) => Some(SessionFacts {
            signed_in_at: Timestamp(at),
            user_agent: row.try_get::<Option<String>, _>("user_agent")?.unwrap_or_default(),
            client_address: row.try_get::<Option<String>, _>("client_address")?.unwrap_or_default(),
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
    })
}

/// `INSERT` of every column, with `tail` after it (what to do on a conflict).
async fn write(db: &Db, r: &SessionRecord, tail: &str) -> StoreResult<u64> {
    let facts = r.facts.as_ref();
    let done = query(&format!(
        "INSERT INTO sessions (id, handle, user_id, data, expires_at, last_seen_at, signed_in_at, user_agent, client_address) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) {tail}"
    ))
    .bind(r.id.as_str())
    .bind(handle(&r.id))
    .bind(r.user_id.as_ref().map(|i| i.as_str().to_owned()))
    .bind(r.data.clone())
    .bind(r.expires_at.0)
    .bind(r.last_seen_at.0)
    .bind(facts.map(|f| f.signed_in_at.0))
    .bind(facts.map(|f| f.user_agent.clone()))
    .bind(facts.map(|f| f.client_address.clone()))
    .execute(db)
    .await
    .map_err(store_error)?;
    Ok(done.rows_affected())
}

#[async_trait]
impl SessionRecords for Db {
    async fn create_session(&self, r: &SessionRecord) -> StoreResult<bool> {
        Ok(write(self, r, "ON CONFLICT (id) DO NOTHING").await? == 1)
    }

    async fn save_session(&self, r: &SessionRecord) -> StoreResult<()> {
        write(
            self,
            r,
            "ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, \
             expires_at = excluded.expires_at, last_seen_at = excluded.last_seen_at, \
             signed_in_at = excluded.signed_in_at, user_agent = excluded.user_agent, \
             client_address = excluded.client_address",
        )
        .await
        .map(drop)
    }

    async fn load_session(&self, id: &str, now: Timestamp) -> StoreResult<Option<SessionRecord>> {
        let row = query(&format!("SELECT {COLUMNS} FROM sessions WHERE id = $1 AND expires_at > $2"))
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
        let done = query("DELETE FROM sessions WHERE user_id = $1 AND handle = $2")
            .bind(user_id.as_str())
            .bind(handle)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_user_sessions(&self, user_id: &Id) -> StoreResult<u64> {
        let done = query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected())
    }

    async fn delete_other_sessions(&self, user_id: &Id, keep: &str) -> StoreResult<u64> {
        let done = query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user_id.as_str())
            .bind(keep)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let done = query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.0)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected())
    }
}
