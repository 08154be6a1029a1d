use async_trait::async_trait;
use gatehouse_core::model::{AuditEntry, AuditEvent, Member};
use gatehouse_core::operator::{AccountSummary, AuditFilter};
use gatehouse_core::store::{Operations, StoreResult};
use gatehouse_core::{Email, Id, Timestamp};

use crate::audit::{entry_from_row, insert_audit};
use crate::directory::{account_from_row, members_where};
use crate::error::store_error;
use crate::sql::{query, Tx};
use crate::Db;

/// What an approved support request, or the operator's break-glass reset, does to a person:
/// their authenticator, setup in progress and recovery codes go, and every session of theirs
/// ends (the applications they signed in to hear of it), all inside the caller's transaction.
pub(crate) async fn remove_second_factor(tx: &mut Tx, target: &Id) -> StoreResult<()> {
    crate::sessions::log_out_applications(tx, "s.user_id = $1", &[target.as_str()]).await?;
    for sql in [
        "UPDATE users SET totp_secret = NULL, totp_last_step = NULL, totp_confirmed_at = NULL WHERE id = $1",
        "DELETE FROM totp_enrolments WHERE user_id = $1",
        "DELETE FROM totp_burnt_steps WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM sessions WHERE user_id = $1",
    ] {
        query(sql).bind(target.as_str()).execute(&mut *tx).await.map_err(store_error)?;
    }
    crate::sessions::next_generation(tx, target).await?;
    Ok(())
}

#[async_trait]
impl Operations for Db {
    async fn accounts(&self) -> StoreResult<Vec<AccountSummary>> {
        let rows = query(
            "SELECT a.id, a.name, a.created_at, \
                (SELECT COUNT(*) FROM users u WHERE u.account_id = a.id AND u.joined_at IS NOT NULL) AS joined, \
                (SELECT COUNT(*) FROM users u WHERE u.account_id = a.id AND u.joined_at IS NULL) AS invited, \
                (SELECT u.email FROM users u WHERE u.account_id = a.id AND u.role = 'owner' LIMIT 1) AS owner \
             FROM accounts a ORDER BY a.name_key",
        )
        .fetch_all(self)
        .await
        .map_err(store_error)?;
        rows.iter()
            .map(|row| {
                let owner: Option<String> = row.try_get("owner")?;
                Ok(AccountSummary {
                    account: account_from_row(row)?,
                    joined: row.try_get("joined")?,
                    invited: row.try_get("invited")?,
                    owner: owner.and_then(|e| Email::parse(&e).ok()),
                })
            })
            .collect::<Result<_, crate::sql::Error>>()
            .map_err(store_error)
    }

    async fn agents(&self) -> StoreResult<Vec<Member>> {
        members_where(self, "account_id IS NULL AND role = $1", "agent").await
    }

    async fn reset_second_factor(&self, user_id: &Id, now: Timestamp, audit: &[AuditEvent]) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        let there = query("SELECT 1 AS one FROM users WHERE id = $1")
            .bind(user_id.as_str())
            .fetch_optional(&mut tx)
            .await
            .map_err(store_error)?
            .is_some();
        if !there {
            return Ok(false);
        }
        remove_second_factor(&mut tx, user_id).await?;
        for event in audit {
            insert_audit(&mut tx, now, event).await.map_err(store_error)?;
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn remove_agent(&self, user_id: &Id, now: Timestamp, audit: &[AuditEvent]) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        crate::sessions::log_out_applications(&mut tx, "s.user_id = $1", &[user_id.as_str()]).await?;
        let gone = query("DELETE FROM users WHERE id = $1 AND role = 'agent' AND account_id IS NULL")
            .bind(user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        if gone.rows_affected() != 1 {
            return Ok(false);
        }
        for event in audit {
            insert_audit(&mut tx, now, event).await.map_err(store_error)?;
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn audit_entries(&self, filter: &AuditFilter, after: i64, limit: i64) -> StoreResult<Vec<(i64, AuditEntry)>> {
        // Only the conditions asked for, numbered in order: an untyped NULL parameter
        // (`$2 IS NULL OR ...`) is an error on PostgreSQL.
        let mut conditions = vec!["id > $1".to_owned()];
        let mut texts = Vec::new();
        if filter.since.is_some() {
            conditions.push("at >= $2".to_owned());
        }
        for (column, value) in [("account_id", &filter.account_id), ("user_id", &filter.user_id)] {
            if let Some(id) = value {
                texts.push(id.as_str().to_owned());
                conditions.push(format!("{column} = ${}", conditions.len() + 1));
            }
        }
        let sql = format!(
            "SELECT id, at, kind, account_id, user_id, actor_id, client_ip, detail FROM audit_log \
             WHERE {} ORDER BY id LIMIT {}",
            conditions.join(" AND "),
            limit.max(0)
        );
        let mut q = query(&sql).bind(after);
        if let Some(since) = filter.since {
            q = q.bind(since.0);
        }
        for text in texts {
            q = q.bind(text);
        }
        let rows = q.fetch_all(self).await.map_err(store_error)?;
        rows.iter()
            .map(|row| Ok((row.try_get::<i64, _>("id")?, entry_from_row(row)?)))
            .collect::<Result<_, crate::sql::Error>>()
            .map_err(store_error)
    }
}
