use async_trait::async_trait;
use gatehouse_core::model::{AuditEntry, AuditEvent, AuditKind};
use gatehouse_core::store::{AuditLog, StoreResult};
use gatehouse_core::{Id, Timestamp};

use crate::error::store_error;
use crate::sql::{query, Row};
use crate::Db;

fn opt_id(row: &Row, col: &str) -> Result<Option<Id>, crate::sql::Error> {
    Ok(row.try_get::<Option<String>, _>(col)?.map(Id::from_stored))
}

pub(crate) fn entry_from_row(row: &Row) -> Result<AuditEntry, crate::sql::Error> {
    Ok(AuditEntry {
        at: Timestamp(row.try_get("at")?),
        kind: row.try_get("kind")?,
        account_id: opt_id(row, "account_id")?,
        user_id: opt_id(row, "user_id")?,
        actor_id: opt_id(row, "actor_id")?,
        client_ip: row.try_get("client_ip")?,
        detail: row.try_get("detail")?,
    })
}

/// One audit entry, on the pool or inside a transaction with what it records.
pub(crate) async fn insert_audit<'e>(
    on: impl Into<crate::sql::On<'e>>,
    at: Timestamp,
    event: &AuditEvent,
) -> Result<(), crate::sql::Error> {
    let id = |v: &Option<Id>| v.as_ref().map(|i| i.as_str().to_owned());
    query(
        "INSERT INTO audit_log (at, kind, account_id, user_id, actor_id, client_ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(at.0)
    .bind(event.kind.as_str())
    .bind(id(&event.account_id))
    .bind(id(&event.user_id))
    .bind(id(&event.actor_id))
    .bind(event.client_ip.clone())
    .bind(event.detail.as_str())
    .execute(on)
    .await?;
    Ok(())
}

#[async_trait]
impl AuditLog for Db {
    async fn record(&self, at: Timestamp, event: &AuditEvent) -> StoreResult<()> {
        insert_audit(self, at, event).await.map_err(store_error)
    }

    async fn count_events(&self, user_id: &Id, kind: AuditKind, since: Timestamp, up_to: i64) -> StoreResult<u64> {
        let row = query(
            "SELECT count(*) AS n FROM (SELECT 1 FROM audit_log WHERE user_id = $1 AND kind = $2 AND at >= $3 LIMIT $4) AS found",
        )
        .bind(user_id.as_str())
        .bind(kind.as_str())
        .bind(since.0)
        .bind(up_to)
        .fetch_one(self)
        .await
        .map_err(store_error)?;
        Ok(row.try_get::<i64, _>("n").map_err(store_error)?.max(0) as u64)
    }

    async fn recent(&self, user_id: Option<&Id>, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        const COLUMNS: &str = "at, kind, account_id, user_id, actor_id, client_ip, detail";
        let rows = match user_id {
            Some(user) => {
                query(&format!("SELECT {COLUMNS} FROM audit_log WHERE user_id = $1 ORDER BY id DESC LIMIT $2"))
                    .bind(user.as_str())
                    .bind(limit)
                    .fetch_all(self)
                    .await
            }
            None => {
                query(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id DESC LIMIT $1"))
                    .bind(limit)
                    .fetch_all(self)
                    .await
            }
        }
        .map_err(store_error)?;
        rows.iter().map(entry_from_row).collect::<Result<_, _>>().map_err(store_error)
    }
}
