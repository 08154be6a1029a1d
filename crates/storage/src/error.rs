use gatehouse_core::store::{Conflict, StoreError};
use rusqlite::ffi;

use crate::sql::Error;

/// Why the database could not be opened. Each message is one line naming the URL (without
/// its password), because it is what an operator sees when start-up stops.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("unknown database URL scheme in “{0}”: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnknownScheme(String),
    #[error("malformed database URL “{0}”: {1}")]
    BadUrl(String, String),
    #[error("cannot create the data folder {0}: {1}")]
    DataDir(String, String),
    #[error("cannot open the database {0}: {1}")]
    Connect(String, String),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(String),
}

/// Maps a driver error to the core's: uniqueness violations become conflicts the core can
/// explain to people; the rest is a backend failure that the caller logs.
pub(crate) fn store_error(err: Error) -> StoreError {
    // SQLite names the column ("UNIQUE constraint failed: users.email"), PostgreSQL the
    // constraint ("users_email_key"); both mention the column.
    let unique = match &err {
        Error::Sqlite(rusqlite::Error::SqliteFailure(e, msg))
            if matches!(e.extended_code, ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY) =>
        {
            Some(msg.clone().unwrap_or_default())
        }
        Error::Sqlx(e) => e
            .as_database_error()
            .filter(|db| db.is_unique_violation())
            .map(|db| db.message().to_owned() + db.constraint().unwrap_or("")),
        _ => None,
    };
    match unique {
        Some(msg) if msg.contains("email") => StoreError::Conflict(Conflict::Email),
        Some(msg) if msg.contains("name_key") => StoreError::Conflict(Conflict::AccountName),
        Some(_) => StoreError::Conflict(Conflict::Other),
        None => StoreError::Backend(Box::new(err)),
    }
}
