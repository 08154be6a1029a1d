//! tower-sessions on top of Gatehouse's storage, so sessions live in the database that every
//! server process shares, and can be listed and ended per user.

use async_trait::async_trait;
use gatehouse_core::model::SessionRecord;
use gatehouse_core::sessions::Lifetime;
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
    lifetime: Lifetime,
}

impl DbSessionStore {
    pub fn new(db: Db, lifetime: Lifetime) -> Self {
        DbSessionStore { db, lifetime }
    }

    /// The row for a session written now: in use now, so its idle timeout starts again.
    fn to_row(&self, record: &Record) -> Result<SessionRecord> {
        let now = Timestamp::now();
        let facts = app::auth::facts_of(&record.data);
        Ok(SessionRecord {
            id: record.id.to_string(),
            user_id: app::auth::user_of(&record.data).map(Id::from_stored),
            data: serde_json::to_vec(&record.data).map_err(|e| Error::Encode(e.to_string()))?,
            expires_at: self.lifetime.expires_at(now, facts.as_ref().map(|f| f.signed_in_at)),
            last_seen_at: now,
            facts,
        })
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // 128 random bits make a collision absurdly unlikely; still, never overwrite.
        while !self.db.create_session(&self.to_row(record)?).await.map_err(backend)? {
            record.id = SessionId::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.db.save_session(&self.to_row(record)?).await.map_err(backend)
    }

    /// Loading a session is using it: every page and server function that asks who is signed
    /// in keeps the session alive (written down every few seconds at most).
    async fn load(&self, sid: &SessionId) -> Result<Option<Record>> {
        let (id, now) = (sid.to_string(), Timestamp::now());
        let Some(row) = self.db.load_session(&id, now).await.map_err(backend)? else {
            return Ok(None);
        };
        let mut expires_at = row.expires_at;
        if Lifetime::due_for_touch(row.last_seen_at, now) {
            expires_at = self.lifetime.expires_at(now, row.facts.as_ref().map(|f| f.signed_in_at));
            self.db.touch_session(&id, now, expires_at).await.map_err(backend)?;
        }
        let data = serde_json::from_slice(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date =
            OffsetDateTime::from_unix_timestamp(expires_at.0).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *sid, data, expiry_date }))
    }

    async fn delete(&self, id: &SessionId) -> Result<()> {
        self.db.delete_session(&id.to_string()).await.map_err(backend)
    }
}
