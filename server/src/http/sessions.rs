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
            generation: app::auth::generation_of(&record.data),
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
        let mut data = serde_json::from_slice(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        app::auth::align_generation(&mut data, row.generation);
        let expiry_date =
            OffsetDateTime::from_unix_timestamp(expires_at.0).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *sid, data, expiry_date }))
    }

    async fn delete(&self, id: &SessionId) -> Result<()> {
        self.db.delete_session(&id.to_string()).await.map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use gatehouse_core::admin;
    use gatehouse_core::model::User;
    use gatehouse_core::sessions::Lifetime;
    use gatehouse_core::store::SessionRecords;
    use gatehouse_core::Timestamp;
    use gatehouse_storage::Db;
    use serde_json::json;
    use tower_sessions::session::Id;
    use tower_sessions::Session;

    use super::DbSessionStore;

    /// A database, the store over it, its account owner, and a session of theirs signed in as
    /// `app::auth` lays one out (generation 0), by its id.
    async fn signed_in() -> (tempfile::TempDir, Db, Arc<DbSessionStore>, User, Id) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&format!("sqlite://{}/g.db", dir.path().display())).await.unwrap();
        let store = Arc::new(DbSessionStore::new(db.clone(), Lifetime::default()));
        let now = Timestamp::now();
        let owner = admin::create_account(&db, "Acme", "owner@acme.example.com", now).await.unwrap().user;
        let session = Session::new(None, store.clone(), None);
        session.insert("gh.signed_in", json!({ "user": owner.id.as_str(), "authenticated_at": now.0 })).await.unwrap();
        session.insert("gh.generation", json!({ "user": owner.id.as_str(), "generation": 0 })).await.unwrap();
        session.save().await.unwrap();
        let id = session.id().unwrap();
        (dir, db, store, owner, id)
    }

    /// A request holding the session `id`, loaded now.
    async fn holding(store: &Arc<DbSessionStore>, id: Id) -> Session {
        let session = Session::new(Some(id), store.clone(), None);
        assert!(session.get::<serde_json::Value>("gh.signed_in").await.unwrap().is_some(), "loaded signed in");
        session
    }

    async fn is_signed_in(store: &Arc<DbSessionStore>, id: Option<Id>) -> bool {
        let session = Session::new(id, store.clone(), None);
        session.get::<serde_json::Value>("gh.signed_in").await.unwrap().is_some()
    }

    /// The race of issue 27 through tower-sessions itself, with the interleaving forced: two
    /// requests hold a signed-in session, all of the person's sessions are ended, then one
    /// request saves the session and the other steps up (a new id). Neither brings it back.
    #[tokio::test]
    async fn requests_that_held_a_session_while_it_was_ended_cannot_bring_it_back() {
        let (_dir, db, store, owner, id) = signed_in().await;
        let row = db.load_session(&id.to_string(), Timestamp::now()).await.unwrap().expect("stored");
        assert_eq!((row.user_id, row.generation), (Some(owner.id.clone()), Some(0)), "a session of the owner's");
        let (saving, stepping_up) = (holding(&store, id).await, holding(&store, id).await);

        db.delete_user_sessions(&owner.id).await.unwrap();

        saving.insert("gh.notice", json!(["/Account/Security", "saved late"])).await.unwrap();
        saving.save().await.unwrap();
        stepping_up.cycle_id().await.unwrap();
        stepping_up.insert("gh.signed_in", json!({ "user": owner.id.as_str(), "authenticated_at": 1 })).await.unwrap();
        stepping_up.save().await.unwrap();
        let new_id = stepping_up.id().unwrap();
        assert_ne!(new_id, id);
        for sid in [id, new_id] {
            assert!(!is_signed_in(&store, Some(sid)).await, "{sid} came back");
        }
    }

    /// Sign out all other sessions moves the kept one to the new generation in the database;
    /// data written back by a request that held it before must not take it back there, or its
    /// next new id (a step-up) would be of an ended generation.
    #[tokio::test]
    async fn the_session_kept_when_the_others_end_stays_signed_in_through_a_new_id() {
        let (_dir, db, store, owner, id) = signed_in().await;
        let stale = holding(&store, id).await;
        assert_eq!(db.delete_other_sessions(&owner.id, &id.to_string()).await.unwrap(), (0, 1));
        // The request that held it saves its old data back (generation 0)...
        stale.insert("gh.notice", json!(["/", "late"])).await.unwrap();
        stale.save().await.unwrap();
        // ...and the next request steps up, under a new id.
        let next = holding(&store, id).await;
        next.cycle_id().await.unwrap();
        next.save().await.unwrap();
        assert!(is_signed_in(&store, next.id()).await, "still signed in");
    }
}
