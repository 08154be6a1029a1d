use async_trait::async_trait;
use gatehouse_core::model::{NewInvitation, User};
use gatehouse_core::store::{Members, StoreResult};
use gatehouse_core::{Id, Role};

use crate::directory::{actor_still_holds, insert_invitation_tx, JOINED};
use crate::error::store_error;
use crate::sql::{query, Query};
use crate::Db;

#[async_trait]
impl Members for Db {
    async fn has_joined(&self, user_id: &Id) -> StoreResult<bool> {
        let row = query(&format!("SELECT count(*) AS n FROM users WHERE id = $1 AND {JOINED}"))
            .bind(user_id.as_str())
            .fetch_one(self)
            .await
            .map_err(store_error)?;
        Ok(row.try_get::<i64, _>("n").map_err(store_error)? == 1)
    }

    async fn renew_invitation(&self, actor: &User, invitation: &NewInvitation) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        if !actor_still_holds(&mut tx, actor).await.map_err(store_error)? {
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        // Locks the person's row, and finds them still invited: an invitation accepted
        // meanwhile is not renewed.
        let still = query(&format!("UPDATE users SET password_hash = NULL WHERE id = $1 AND NOT {JOINED}"))
            .bind(invitation.user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        if still.rows_affected() != 1 {
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        query("DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL")
            .bind(invitation.user_id.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        insert_invitation_tx(&mut tx, invitation).await.map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn delete_invited(&self, actor: &User, user_id: &Id, role: Role) -> StoreResult<bool> {
        self.delete_user(actor, user_id, role, &format!("NOT {JOINED}")).await
    }

    async fn set_role(&self, actor: &User, user_id: &Id, from: Role, to: Role) -> StoreResult<bool> {
        let change = query("UPDATE users SET role = $3 WHERE id = $1 AND role = $2")
            .bind(user_id.as_str())
            .bind(from.as_str())
            .bind(to.as_str());
        self.as_actor(actor, change).await
    }

    async fn transfer_ownership(&self, owner: &Id, new_owner: &Id, role: Role) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        // The owner steps down first: an account has one owner at any moment (a unique index).
        let down = query("UPDATE users SET role = 'co-owner' WHERE id = $1 AND role = 'owner'")
            .bind(owner.as_str())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        if down.rows_affected() != 1 {
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        let up = query(&format!(
            "UPDATE users SET role = 'owner' WHERE id = $1 AND role = $2 AND {JOINED} \
             AND account_id = (SELECT account_id FROM users WHERE id = $3)"
        ))
        .bind(new_owner.as_str())
        .bind(role.as_str())
        .bind(owner.as_str())
        .execute(&mut tx)
        .await
        .map_err(store_error)?;
        if up.rows_affected() != 1 {
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn delete_member(&self, actor: &User, user_id: &Id, role: Role) -> StoreResult<bool> {
        self.delete_user(actor, user_id, role, "role IN ('user', 'co-owner')").await
    }
}

impl Db {
    /// Deletes the person if they still have `role` and meet `condition` (fixed SQL). Their
    /// sessions, passkeys, authenticator and links go with them (ON DELETE CASCADE), and the
    /// applications their sessions signed in to get a back-channel logout.
    async fn delete_user(&self, actor: &User, user_id: &Id, role: Role, condition: &str) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        if !actor_still_holds(&mut tx, actor).await.map_err(store_error)? {
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        crate::sessions::log_out_applications(&mut tx, "s.user_id = $1", &[user_id.as_str()]).await?;
        let sql = format!("DELETE FROM users WHERE id = $1 AND role = $2 AND {condition}");
        let done =
            query(&sql).bind(user_id.as_str()).bind(role.as_str()).execute(&mut tx).await.map_err(store_error)?;
        if done.rows_affected() != 1 {
            // The queued logouts go back with it.
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    /// Runs `change` (one row, or none) while the actor still holds their role, in one
    /// transaction.
    async fn as_actor(&self, actor: &User, change: Query<'_>) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        if !actor_still_holds(&mut tx, actor).await.map_err(store_error)? {
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        let done = change.execute(&mut tx).await.map_err(store_error)?;
        if done.rows_affected() != 1 {
            tx.rollback().await.map_err(store_error)?;
            return Ok(false);
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }
}
