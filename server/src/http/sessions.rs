//! tower-sessions on top of Gatehouse's storage, so sessions live in the database that every
//! server process shares, and can be listed and ended per user.

use async_trait::async_trait;
use gatehouse_core::model::SessionRecord;
use gatehouse_core::store::SessionRecords;
use gatehouse_core::{Id, Timestamp};
use gatehouse_storage::Db;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id as SessionId, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::SessionStore;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

fn to_row(record: &Record) -> Result<SessionRecord> {
    Ok(SessionRecord {
        id: record.id.to_string(),
        user_id: app::auth::user_of(&record.data).map(Id::from_stored),
        data: serde_json::to_vec(&record.data).map_err(|e| Error::Encode(e.to_string()))?,
        expires_at: Timestamp(record.expiry_date.unix_timestamp()),
    })
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // 128 random bits make a collision absurdly unlikely; still, never overwrite.
        while !self.db.create_session(&to_row(record)?).await.map_err(backend)? {
            record.id = SessionId::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.db.save_session(&to_row(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &SessionId) -> Result<Option<Record>> {
        let Some(row) = self.db.load_session(&id.to_string(), Timestamp::now()).await.map_err(backend)? else {
            return Ok(None);
        };
        let data = serde_json::from_slice(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date =
            OffsetDateTime::from_unix_timestamp(row.expires_at.0).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &SessionId) -> Result<()> {
        self.db.delete_session(&id.to_string()).await.map_err(backend)
    }
}
