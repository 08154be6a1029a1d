//! The passkey rules that need no authenticator; whole ceremonies are tested over HTTP
//! (tests/api) and in the browser (end2end).

use super::*;
use crate::{Email, Role};

fn user(id: &str) -> User {
    User {
        id: Id::from_stored(id.into()),
        account_id: None,
        email: Email::parse("ada@example.com").unwrap(),
        role: Role::User,
        has_password: true,
        joined: true,
        created_at: Timestamp(0),
        session_generation: 0,
        language: None,
    }
}

#[test]
fn names_are_trimmed_and_bounded() {
    assert_eq!(clean_name("  Work laptop ").unwrap(), "Work laptop");
    assert_eq!(clean_name(&"é".repeat(NAME_MAX_CHARS)).unwrap().chars().count(), NAME_MAX_CHARS);
    for bad in ["", "   ", "tab\there", &"x".repeat(NAME_MAX_CHARS + 1)] {
        assert!(matches!(clean_name(bad), Err(PasskeyError::BadName)), "{bad:?}");
    }
}

#[test]
fn the_user_handle_is_the_random_user_id_and_nothing_else() {
    let a = user("00112233445566778899aabbccddeeff");
    assert_eq!(user_handle(&a).to_string(), "00112233-4455-6677-8899-aabbccddeeff");
    assert_ne!(user_handle(&a), user_handle(&user("ffeeddccbbaa99887766554433221100")));
}

#[test]
fn the_relying_party_is_the_public_host() {
    assert!(RelyingParty::new("http://localhost:3000", "Gatehouse").is_ok());
    assert!(RelyingParty::new("https://login.example.com", "Gatehouse").is_ok());
    assert!(RelyingParty::new("not a url", "Gatehouse").is_err());
}

#[tokio::test]
async fn registration_asks_for_a_discoverable_verified_credential() {
    struct Memory(std::sync::Mutex<Vec<Ceremony>>);
    #[async_trait::async_trait]
    impl Passkeys for Memory {
        async fn insert_passkey(&self, _: &StoredPasskey) -> crate::store::StoreResult<()> {
            Ok(())
        }
        async fn passkeys_of(&self, _: &Id) -> crate::store::StoreResult<Vec<StoredPasskey>> {
            Ok(vec![])
        }
        async fn passkey_by_credential(&self, _: &str) -> crate::store::StoreResult<Option<StoredPasskey>> {
            Ok(None)
        }
        async fn record_passkey_use(
            &self,
            _: &Id,
            _: &str,
            _: i64,
            _: i64,
            _: Timestamp,
        ) -> crate::store::StoreResult<bool> {
            Ok(false)
        }
        async fn rename_passkey(&self, _: &Id, _: &Id, _: &str) -> crate::store::StoreResult<bool> {
            Ok(false)
        }
        async fn delete_passkey(&self, _: &Id, _: &Id) -> crate::store::StoreResult<Option<StoredPasskey>> {
            Ok(None)
        }
        async fn put_ceremony(&self, c: &Ceremony, _: Timestamp) -> crate::store::StoreResult<()> {
            self.0.lock().unwrap().push(c.clone());
            Ok(())
        }
        async fn take_ceremony(&self, _: &str) -> crate::store::StoreResult<Option<Ceremony>> {
            Ok(None)
        }
    }
    let store = Memory(Default::default());
    let rp = RelyingParty::new("http://localhost:3000", "Gatehouse").unwrap();
    let ada = user("00112233445566778899aabbccddeeff");
    let c = start_registration(&store, &rp, &ada, Timestamp(1000)).await.unwrap();
    let options: serde_json::Value = serde_json::from_str(&c.options).unwrap();
    let selection = &options["publicKey"]["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required");
    assert_eq!(selection["requireResidentKey"], true);
    assert_eq!(selection["userVerification"], "required");
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    let stored = store.0.lock().unwrap().clone();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, c.ceremony);
    assert_eq!(stored[0].kind, CeremonyKind::Register);
    assert_eq!(stored[0].user_id.as_ref(), Some(&ada.id));
    assert_eq!(stored[0].expires_at, Timestamp(1000 + CEREMONY_TTL_SECS));
    // A ceremony that is gone, expired or someone else's is refused before anything else.
    let gone = take_ceremony(&store, c.ceremony.as_str(), CeremonyKind::Register, Some(&ada), Timestamp(1001)).await;
    assert!(matches!(gone, Err(PasskeyError::CeremonyGone)));
}
