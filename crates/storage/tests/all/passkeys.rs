//! Passkeys and WebAuthn ceremonies, on SQLite and PostgreSQL (see support).

use gatehouse_core::admin;
use gatehouse_core::model::{Ceremony, CeremonyKind, StoredPasskey};
use gatehouse_core::store::{Conflict, Passkeys, StoreError};
use gatehouse_core::{Id, Timestamp};
use gatehouse_storage::Db;

use crate::support::NOW;

conformance!(
    passkeys_are_listed_renamed_and_removed_by_their_owner_only,
    a_credential_is_registered_once_and_its_counter_moves_by_compare_and_set,
    a_ceremony_is_taken_once_even_under_concurrency,
);

fn passkey(user: &Id, credential: &str, name: &str, at: i64) -> StoredPasskey {
    StoredPasskey {
        id: Id::random(),
        user_id: user.clone(),
        credential_id: credential.into(),
        name: name.into(),
        passkey: format!("{{\"cred\":\"{credential}\"}}"),
        sign_count: 0,
        created_at: Timestamp(NOW.0 + at),
        last_used_at: None,
    }
}

async fn passkeys_are_listed_renamed_and_removed_by_their_owner_only(db: &Db) {
    let ada = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap().user;
    let bob = admin::create_account(db, "Bobco", "bob@bobco.example.com", NOW).await.unwrap().user;
    let (first, second) = (passkey(&ada.id, "cred-1", "Laptop", 0), passkey(&ada.id, "cred-2", "Phone", 5));
    db.insert_passkey(&second).await.unwrap();
    db.insert_passkey(&first).await.unwrap();
    let names: Vec<_> = db.passkeys_of(&ada.id).await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Laptop", "Phone"], "oldest first");
    assert!(db.passkeys_of(&bob.id).await.unwrap().is_empty());
    assert_eq!(db.passkey_by_credential("cred-2").await.unwrap(), Some(second.clone()));

    assert!(!db.rename_passkey(&bob.id, &first.id, "Mine now").await.unwrap(), "someone else's passkey");
    assert!(db.rename_passkey(&ada.id, &first.id, "Work laptop").await.unwrap());
    assert_eq!(db.passkey_by_credential("cred-1").await.unwrap().unwrap().name, "Work laptop");

    assert_eq!(db.delete_passkey(&bob.id, &first.id).await.unwrap(), None, "someone else's passkey");
    let removed = db.delete_passkey(&ada.id, &first.id).await.unwrap().expect("removed");
    assert_eq!(removed.name, "Work laptop");
    assert_eq!(db.delete_passkey(&ada.id, &first.id).await.unwrap(), None, "already gone");
    assert_eq!(db.passkey_by_credential("cred-1").await.unwrap(), None);
    assert_eq!(db.passkeys_of(&ada.id).await.unwrap().len(), 1);
}

async fn a_credential_is_registered_once_and_its_counter_moves_by_compare_and_set(db: &Db) {
    let ada = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap().user;
    let bob = admin::create_account(db, "Bobco", "bob@bobco.example.com", NOW).await.unwrap().user;
    let key = passkey(&ada.id, "cred-1", "Laptop", 0);
    db.insert_passkey(&key).await.unwrap();
    let again = db.insert_passkey(&passkey(&bob.id, "cred-1", "Stolen", 1)).await;
    assert!(matches!(again, Err(StoreError::Conflict(Conflict::Other))), "{again:?}");

    let later = NOW.plus_secs(60);
    let (a, b) = tokio::join!(
        db.record_passkey_use(&key.id, "{}", 0, 5, later),
        db.record_passkey_use(&key.id, "{}", 0, 6, later)
    );
    assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|w| **w).count(), 1, "one of two racing uses wins");
    let stored = db.passkey_by_credential("cred-1").await.unwrap().unwrap();
    assert!(stored.sign_count == 5 || stored.sign_count == 6);
    assert_eq!(stored.last_used_at, Some(later));
    assert!(!db.record_passkey_use(&key.id, "{}", 0, 9, later).await.unwrap(), "stale count");
}

async fn a_ceremony_is_taken_once_even_under_concurrency(db: &Db) {
    let ada = admin::create_account(db, "Acme", "ada@acme.example.com", NOW).await.unwrap().user;
    let ceremony = Ceremony {
        id: Id::random(),
        kind: CeremonyKind::Register,
        user_id: Some(ada.id.clone()),
        state: "{\"challenge\":1}".into(),
        expires_at: NOW.plus_secs(300),
    };
    let stale = Ceremony { id: Id::random(), kind: CeremonyKind::SignIn, user_id: None, ..ceremony.clone() };
    db.put_ceremony(&stale, NOW).await.unwrap();
    // Storing a new one sweeps those already expired.
    db.put_ceremony(&ceremony, NOW.plus_secs(301)).await.unwrap();
    assert_eq!(db.take_ceremony(stale.id.as_str()).await.unwrap(), None, "swept");

    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let (db, id) = (db.clone(), ceremony.id.clone());
            tokio::spawn(async move { db.take_ceremony(id.as_str()).await.unwrap() })
        })
        .collect();
    let mut taken = Vec::new();
    for t in tasks {
        taken.extend(t.await.unwrap());
    }
    assert_eq!(taken, vec![ceremony], "exactly one taker gets it, unchanged");
    assert_eq!(db.take_ceremony("no-such-id").await.unwrap(), None);
}
