use async_trait::async_trait;
use gatehouse_core::model::SessionRecord;
use gatehouse_core::store::{SessionRecords, StoreResult};
use gatehouse_core::{Id, Timestamp};
use sqlx::Row;

use crate::error::store_error;
use crate::Db;

#[async_trait]
impl SessionRecords for Db {
    async fn create_session(&self, r: &SessionRecord) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(r.id.as_str())
        .bind(r.user_id.as_ref().map(|i| i.as_str().to_owned()))
        .bind(r.data.clone())
        .bind(r.expires_at.0)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn save_session(&self, r: &SessionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(r.id.as_str())
        .bind(r.user_id.as_ref().map(|i| i.as_str().to_owned()))
        .bind(r.data.clone())
        .bind(r.expires_at.0)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn load_session(&self, id: &str, now: Timestamp) -> StoreResult<Option<SessionRecord>> {
        let row = sqlx::query("SELECT id, user_id, data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id)
            .bind(now.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let record = (|| -> Result<SessionRecord, sqlx::Error> {
            Ok(SessionRecord {
                id: row.try_get("id")?,
                user_id: row.try_get::<Option<String>, _>("user_id")?.map(Id::from_stored),
                data: row.try_get("data")?,
                expires_at: Timestamp(row.try_get("expires_at")?),
            })
        })()
        .map_err(store_error)?;
        Ok(Some(record))
    }

    async fn delete_session(&self, id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&self.pool).await.map_err(store_error)?;
        Ok(())
    }

    async fn delete_user_sessions(&self, user_id: &Id) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.0)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected())
    }
}
