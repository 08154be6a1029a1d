use async_trait::async_trait;
use gatehouse_core::model::{Ceremony, CeremonyKind, StoredPasskey};
use gatehouse_core::store::{Passkeys, StoreResult};
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::{query, Row};
use crate::Db;

const COLUMNS: &str = "id, user_id, credential_id, name, passkey, sign_count, created_at, last_used_at";

fn passkey_from_row(row: &Row) -> Result<StoredPasskey, crate::sql::Error> {
    Ok(StoredPasskey {
        id: Id::from_stored(row.try_get("id")?),
        user_id: Id::from_stored(row.try_get("user_id")?),
        credential_id: row.try_get("credential_id")?,
        name: row.try_get("name")?,
        passkey: row.try_get("passkey")?,
        sign_count: row.try_get("sign_count")?,
        created_at: Timestamp(row.try_get("created_at")?),
        last_used_at: row.try_get::<Option<i64>, _>("last_used_at")?.map(Timestamp),
    })
}

#[async_trait]
impl Passkeys for Db {
    async fn insert_passkey(&self, p: &StoredPasskey) -> StoreResult<()> {
        query(
            "INSERT INTO passkeys (id, user_id, credential_id, name, passkey, sign_count, created_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(p.id.as_str())
        .bind(p.user_id.as_str())
        .bind(&p.credential_id)
        .bind(&p.name)
        .bind(&p.passkey)
        .bind(p.sign_count)
        .bind(p.created_at.0)
        .bind(p.last_used_at.map(|t| t.0))
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn passkeys_of(&self, user_id: &Id) -> StoreResult<Vec<StoredPasskey>> {
        let rows = query(&format!("SELECT {COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id"))
            .bind(user_id.as_str())
            .fetch_all(self)
            .await
            .map_err(store_error)?;
        rows.iter().map(passkey_from_row).collect::<Result<_, _>>().map_err(store_error)
    }

    async fn passkey_by_credential(&self, credential_id: &str) -> StoreResult<Option<StoredPasskey>> {
        let row = query(&format!("SELECT {COLUMNS} FROM passkeys WHERE credential_id = $1"))
            .bind(credential_id)
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.as_ref().map(passkey_from_row).transpose().map_err(store_error)
    }

    async fn record_passkey_use(
        &self,
        id: &Id,
        passkey: &str,
        seen_count: i64,
        new_count: i64,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = query(
            "UPDATE passkeys SET passkey = $1, sign_count = $2, last_used_at = $3 WHERE id = $4 AND sign_count = $5",
        )
        .bind(passkey)
        .bind(new_count)
        .bind(now.0)
        .bind(id.as_str())
        .bind(seen_count)
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn rename_passkey(&self, user_id: &Id, id: &Id, name: &str) -> StoreResult<bool> {
        let done = query("UPDATE passkeys SET name = $1 WHERE id = $2 AND user_id = $3")
            .bind(name)
            .bind(id.as_str())
            .bind(user_id.as_str())
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_passkey(&self, user_id: &Id, id: &Id) -> StoreResult<Option<StoredPasskey>> {
        let row = query(&format!("DELETE FROM passkeys WHERE id = $1 AND user_id = $2 RETURNING {COLUMNS}"))
            .bind(id.as_str())
            .bind(user_id.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.as_ref().map(passkey_from_row).transpose().map_err(store_error)
    }

    async fn put_ceremony(&self, c: &Ceremony, now: Timestamp) -> StoreResult<()> {
        // Abandoned ceremonies (a closed dialog) would otherwise pile up.
        query("DELETE FROM webauthn_ceremonies WHERE expires_at < $1")
            .bind(now.0)
            .execute(self)
            .await
            .map_err(store_error)?;
        query("INSERT INTO webauthn_ceremonies (id, kind, user_id, state, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(c.id.as_str())
            .bind(c.kind.as_str())
            .bind(c.user_id.as_ref().map(|u| u.as_str().to_owned()))
            .bind(&c.state)
            .bind(c.expires_at.0)
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn take_ceremony(&self, id: &str) -> StoreResult<Option<Ceremony>> {
        let row = query("DELETE FROM webauthn_ceremonies WHERE id = $1 RETURNING kind, user_id, state, expires_at")
            .bind(id)
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let read = || -> Result<Option<Ceremony>, crate::sql::Error> {
            let Some(kind) = CeremonyKind::parse(&row.try_get::<String, _>("kind")?) else { return Ok(None) };
            Ok(Some(Ceremony {
                id: Id::from_stored(id.to_owned()),
                kind,
                user_id: row.try_get::<Option<String>, _>("user_id")?.map(Id::from_stored),
                state: row.try_get("state")?,
                expires_at: Timestamp(row.try_get("expires_at")?),
            }))
        };
        read().map_err(store_error)
    }
}
