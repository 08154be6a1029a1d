//! The session's data as storage sees it (`crates/storage`'s session store): whose it is, under
//! which generation, and what the signed-in one was started with, for its columns.

use std::collections::HashMap;

use gatehouse_core::model::SessionFacts;

use super::{Generation, SignedIn, GENERATION, PENDING, SIGNED_IN};

/// The user a stored session belongs to, signed in or half-way, for storage's index (so
/// that ending all of a person's sessions ends their half-finished sign-ins too).
pub fn user_of(data: &HashMap<String, serde_json::Value>) -> Option<String> {
    let id = |v: &serde_json::Value, field: &str| v.get(field).and_then(|u| u.as_str()).map(str::to_owned);
    data.get(SIGNED_IN).and_then(|v| id(v, "user")).or_else(|| data.get(PENDING).and_then(|v| id(v, "user_id")))
}

/// The generation a stored session of someone's began under, for storage's column. Sessions
/// from before generations were kept are of the first; one whose generation is another
/// person's (which nothing writes) has none, so never loads.
pub fn generation_of(data: &HashMap<String, serde_json::Value>) -> Option<i64> {
    let user = user_of(data)?;
    match data.get(GENERATION).map(|v| serde_json::from_value::<Generation>(v.clone())) {
        None => Some(0),
        Some(Ok(g)) if g.user.as_str() == user => Some(g.generation),
        Some(_) => None,
    }
}

/// Makes a loaded session's data carry the generation its row has: the row's moves on with it
/// when its person ends their other sessions, and a request that still held the older data
/// must not put that back (its next new id would then be of an ended generation).
pub fn align_generation(data: &mut HashMap<String, serde_json::Value>, generation: Option<i64>) {
    let (Some(user), Some(generation)) = (user_of(data), generation) else { return };
    let value = serde_json::json!({ "user": user, "generation": generation });
    data.insert(GENERATION.to_owned(), value);
}

/// What a stored signed-in session was started with (None for half-way sign-ins), for
/// storage's columns and the Security page's list.
pub fn facts_of(data: &HashMap<String, serde_json::Value>) -> Option<SessionFacts> {
    let record: SignedIn = serde_json::from_value(data.get(SIGNED_IN)?.clone()).ok()?;
    Some(record.facts.unwrap_or(SessionFacts {
        signed_in_at: record.authenticated_at,
        user_agent: String::new(),
        client_address: String::new(),
        sid: String::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(json: &str) -> HashMap<String, serde_json::Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn sessions_are_indexed_by_the_person_signed_in_or_half_way() {
        let signed_in = data(r#"{"gh.signed_in": {"user": "u1", "authenticated_at": 5}}"#);
        assert_eq!(user_of(&signed_in).as_deref(), Some("u1"));
        let pending = data(
            r#"{"gh.pending_sign_in": {"user_id": "u2", "first": {"kind": "password"}, "second": "code", "since": 5}}"#,
        );
        assert_eq!(user_of(&pending).as_deref(), Some("u2"));
        assert_eq!(user_of(&data(r#"{"gh.user": "u3", "gh.auth_at": 5}"#)), None, "the old layout is nobody");
    }
}
