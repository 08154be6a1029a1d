//! The authorisation matrix (`tests/api/authorization_matrix.toml`) has exactly one row for
//! every server function and every route outside Leptos, each with an answer for every
//! session state: an endpoint added without its row fails here. The cells themselves are
//! tested over HTTP by `tests/api/test_authorization_matrix.py`.

use std::collections::{BTreeMap, BTreeSet};

use figment::providers::{Format, Toml};
use figment::Figment;

const STATES: [&str; 8] =
    ["anonymous", "pending_password", "pending_sso", "pending_setup", "signed_in", "recent", "other_user", "agent"];
const ANSWERS: [&str; 7] = ["ok", "nobody", "refused", "login", "400", "401", "403"];

fn matrix() -> BTreeMap<String, BTreeMap<String, String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/api/authorization_matrix.toml");
    Figment::from(Toml::file_exact(&path)).extract().unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn endpoints() -> BTreeSet<String> {
    // Server functions register themselves when the program starts; `app` is linked in
    // through the server library.
    let mut all: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, method)| format!("{method} {path}")).collect();
    let plain = server::http::plain_routes(server::sso::Providers::none(), None).list;
    all.extend(plain.into_iter().map(|(method, path)| format!("{method} {path}")));
    all
}

#[test]
fn every_endpoint_has_exactly_one_row() {
    let rows: Vec<String> = matrix().values().map(|row| row["route"].clone()).collect();
    let unique: BTreeSet<String> = rows.iter().cloned().collect();
    assert_eq!(unique.len(), rows.len(), "a route with two rows: {rows:?}");
    let served = endpoints();
    assert!(served.len() >= 20, "the server functions were not registered: {served:?}");
    let missing: Vec<_> = served.difference(&unique).collect();
    let stale: Vec<_> = unique.difference(&served).collect();
    assert!(missing.is_empty(), "endpoints without a row in the authorisation matrix: {missing:?}");
    assert!(stale.is_empty(), "rows naming no endpoint: {stale:?}");
}

#[test]
fn every_row_answers_every_state() {
    for (name, row) in matrix() {
        let keys: BTreeSet<&str> = row.keys().map(String::as_str).filter(|k| *k != "route").collect();
        assert_eq!(keys, STATES.into_iter().collect(), "{name}");
        for state in STATES {
            assert!(ANSWERS.contains(&row[state].as_str()), "{name}.{state} = {}", row[state]);
        }
    }
}
