use gatehouse_core::store::{Conflict, StoreError};

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
pub(crate) fn store_error(err: sqlx::Error) -> StoreError {
    if let Some(db) = err.as_database_error() {
        if db.is_unique_violation() {
            // SQLite names the column ("UNIQUE constraint failed: users.email"), PostgreSQL
            // the constraint ("users_email_key"); both mention the column.
            let msg = db.message().to_owned() + db.constraint().unwrap_or("");
            let conflict = if msg.contains("email") {
                Conflict::Email
            } else if msg.contains("name_key") {
                Conflict::AccountName
            } else {
                Conflict::Other
            };
            return StoreError::Conflict(conflict);
        }
    }
    StoreError::Backend(Box::new(err))
}
