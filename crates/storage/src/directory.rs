use async_trait::async_trait;
use gatehouse_core::model::{Account, Member, NewInvitation, User};
use gatehouse_core::store::{Directory, StoreResult};
use gatehouse_core::{Email, Id, Timestamp};

use crate::error::store_error;
use crate::sql::{query, Row};
use crate::Db;

/// Whether the person (a `users` row) has joined: accepted their invitation, with a password
/// or through single sign-on (which sets no password). Everyone else is still invited, and
/// reserves their address nowhere: only people who joined are unique by address.
pub(crate) const JOINED: &str = "(users.joined_at IS NOT NULL)";

/// Of the rows with one address, the person who joined (at most one), else the earliest invited.
const BY_ADDRESS: &str = "ORDER BY CASE WHEN joined_at IS NULL THEN 1 ELSE 0 END, created_at LIMIT 1";

const USER_COLUMNS: &str = "id, account_id, email, role, \
     CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, \
     CASE WHEN joined_at IS NULL THEN 0 ELSE 1 END AS joined_now, created_at, session_generation, language";

pub(crate) fn account_from_row(row: &Row) -> Result<Account, crate::sql::Error> {
    Ok(Account {
        id: Id::from_stored(row.try_get("id")?),
        name: row.try_get("name")?,
        created_at: Timestamp(row.try_get("created_at")?),
    })
}

pub(crate) fn user_from_row(row: &Row) -> Result<User, crate::sql::Error> {
    let decode = |e: String| crate::sql::Error::Decode(e);
    let email: String = row.try_get("email")?;
    let role: String = row.try_get("role")?;
    // An integer, not a boolean: sqlx's Any driver cannot decode booleans from SQLite.
    let has_password = row.try_get::<i64, _>("has_password")? != 0;
    Ok(User {
        id: Id::from_stored(row.try_get("id")?),
        account_id: row.try_get::<Option<String>, _>("account_id")?.map(Id::from_stored),
        email: Email::parse(&email).map_err(|e| decode(e.to_string()))?,
        role: role.parse().map_err(|e: gatehouse_core::role::UnknownRole| decode(e.to_string()))?,
        has_password,
        joined: row.try_get::<i64, _>("joined_now")? != 0,
        created_at: Timestamp(row.try_get("created_at")?),
        session_generation: row.try_get("session_generation")?,
        language: row.try_get("language")?,
    })
}

async fn insert_user_tx(tx: &mut crate::sql::Tx, user: &User) -> Result<(), crate::sql::Error> {
    query("INSERT INTO users (id, account_id, email, role, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user.id.as_str())
        .bind(user.account_id.as_ref().map(|id| id.as_str().to_owned()))
        .bind(user.email.as_str())
        .bind(user.role.as_str())
        .bind(user.created_at.0)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Whether the actor still has the role their change was decided on. The same write on
/// both databases locks their row until the transaction ends (PostgreSQL's row lock, SQLite's
/// one writer), so a demotion or removal of the actor waits for the change, or the change sees
/// it and stops.
pub(crate) async fn actor_still_holds(tx: &mut crate::sql::Tx, actor: &User) -> Result<bool, crate::sql::Error> {
    let held = query("UPDATE users SET role = role WHERE id = $1 AND role = $2")
        .bind(actor.id.as_str())
        .bind(actor.role.as_str())
        .execute(&mut *tx)
        .await?;
    Ok(held.rows_affected() == 1)
}

pub(crate) async fn insert_invitation_tx(
    tx: &mut crate::sql::Tx,
    inv: &NewInvitation,
) -> Result<(), crate::sql::Error> {
    query("INSERT INTO invitations (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(inv.token_hash.0.as_str())
        .bind(inv.user_id.as_str())
        .bind(inv.created_at.0)
        .bind(inv.expires_at.0)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[async_trait]
impl Directory for Db {
    async fn insert_account(&self, account: &Account, owner: &User, invitation: &NewInvitation) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(store_error)?;
        query("INSERT INTO accounts (id, name, name_key, created_at) VALUES ($1, $2, $3, $4)")
            .bind(account.id.as_str())
            .bind(account.name.as_str())
            .bind(Account::name_key(&account.name))
            .bind(account.created_at.0)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        insert_user_tx(&mut tx, owner).await.map_err(store_error)?;
        insert_invitation_tx(&mut tx, invitation).await.map_err(store_error)?;
        tx.commit().await.map_err(store_error)
    }

    async fn insert_user(&self, user: &User, invitation: &NewInvitation, inviter: Option<&User>) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        if let Some(inviter) = inviter {
            if !actor_still_holds(&mut tx, inviter).await.map_err(store_error)? {
                tx.rollback().await.map_err(store_error)?;
                return Ok(false);
            }
        }
        insert_user_tx(&mut tx, user).await.map_err(store_error)?;
        insert_invitation_tx(&mut tx, invitation).await.map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn account_by_name(&self, name: &str) -> StoreResult<Option<Account>> {
        let row = query("SELECT id, name, created_at FROM accounts WHERE name_key = $1")
            .bind(Account::name_key(name))
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.as_ref().map(account_from_row).transpose().map_err(store_error)
    }

    async fn account_by_id(&self, id: &Id) -> StoreResult<Option<Account>> {
        let row = query("SELECT id, name, created_at FROM accounts WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.as_ref().map(account_from_row).transpose().map_err(store_error)
    }

    async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        let row = query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1 {BY_ADDRESS}"))
            .bind(email.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.as_ref().map(user_from_row).transpose().map_err(store_error)
    }

    async fn member_by_email(&self, account_id: &Id, email: &Email) -> StoreResult<Option<User>> {
        let row = query(&format!("SELECT {USER_COLUMNS} FROM users WHERE account_id = $1 AND email = $2"))
            .bind(account_id.as_str())
            .bind(email.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.as_ref().map(user_from_row).transpose().map_err(store_error)
    }

    async fn user_for_sign_in(&self, email: &Email) -> StoreResult<Option<(User, Option<String>)>> {
        let row = query(&format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1 {BY_ADDRESS}"))
            .bind(email.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let user = user_from_row(&row).map_err(store_error)?;
        Ok(Some((user, row.try_get("password_hash").map_err(store_error)?)))
    }

    async fn user_by_id(&self, id: &Id) -> StoreResult<Option<User>> {
        let row = query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        row.as_ref().map(user_from_row).transpose().map_err(store_error)
    }

    async fn set_language(&self, user_id: &Id, language: Option<&str>) -> StoreResult<()> {
        query("UPDATE users SET language = $2 WHERE id = $1")
            .bind(user_id.as_str())
            .bind(language.map(str::to_owned))
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn password_hash(&self, user_id: &Id) -> StoreResult<Option<String>> {
        let row = query("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id.as_str())
            .fetch_optional(self)
            .await
            .map_err(store_error)?;
        match row {
            Some(row) => row.try_get::<Option<String>, _>("password_hash").map_err(store_error),
            None => Ok(None),
        }
    }

    async fn set_password_hash(&self, user_id: &Id, phc: &str) -> StoreResult<()> {
        query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(phc)
            .bind(user_id.as_str())
            .execute(self)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn account_members(&self, account_id: &Id) -> StoreResult<Vec<Member>> {
        members_where(self, "account_id = $1", account_id.as_str()).await
    }
}

/// People with their 2FA state, passkeys and last sign-in, owner first, then by email:
/// those that `condition` on `users` picks with its one parameter.
pub(crate) async fn members_where(db: &Db, condition: &str, bind: &str) -> StoreResult<Vec<Member>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, \
            CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END AS has_authenticator, \
            (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = users.id) AS passkey_count, \
            CASE WHEN {JOINED} THEN 1 ELSE 0 END AS joined, \
            (SELECT MAX(a.at) FROM audit_log a WHERE a.user_id = users.id AND a.kind = 'signin.succeeded') \
                AS last_sign_in \
         FROM users WHERE {condition} \
         ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'co-owner' THEN 1 ELSE 2 END, email"
    );
    let rows = query(&sql).bind(bind).fetch_all(db).await.map_err(store_error)?;
    rows.iter()
        .map(|row| {
            Ok(Member {
                user: user_from_row(row)?,
                has_authenticator: row.try_get::<i64, _>("has_authenticator")? != 0,
                joined: row.try_get::<i64, _>("joined")? != 0,
                passkeys: row.try_get("passkey_count")?,
                last_sign_in: row.try_get::<Option<i64>, _>("last_sign_in")?.map(Timestamp),
            })
        })
        .collect::<Result<_, crate::sql::Error>>()
        .map_err(store_error)
}
