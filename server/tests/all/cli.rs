//! The `gatehouse` binary as an operator uses it: admin commands, and start-up refusing
//! bad configuration with one clear line.

use std::path::Path;
use std::process::{Command, Output};

fn gatehouse(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
    cmd.current_dir(dir).args(args);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("GATEHOUSE_")) {
        cmd.env_remove(k);
    }
    cmd.env("GATEHOUSE_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run gatehouse")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Start-up failures are one line, prefixed with the program name, and exit non-zero.
fn assert_one_line_failure(o: &Output, needle: &str) {
    let err = stderr(o);
    assert!(!o.status.success(), "should fail: {err}");
    let lines: Vec<_> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {err}");
    assert!(lines[0].starts_with("gatehouse: "), "{err}");
    assert!(lines[0].contains(needle), "{needle:?} not in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn create_account_prints_the_link_last_and_writes_the_mail_to_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let out = gatehouse(
        dir.path(),
        &["admin", "create-account", "--name", "Acme", "--owner-email", "Owner@Acme.example.com"],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let link = text.lines().last().unwrap();
    assert!(link.starts_with("http://localhost:3000/Account/AcceptInvitation?token="), "{text}");
    assert!(text.contains("Created account “Acme” with owner owner@acme.example.com."), "{text}");

    // The embedded default: SQLite under data/, mail in data/outbox.
    assert!(dir.path().join("data/gatehouse.db").is_file());
    let mails: Vec<_> = std::fs::read_dir(dir.path().join("data/outbox")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].extension().unwrap(), "eml");
    let raw = std::fs::read_to_string(&mails[0]).unwrap();
    // Undo quoted-printable's soft line breaks and escaped '=' (enough for the link).
    let mail = raw.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    assert!(mail.contains("To: owner@acme.example.com"), "{mail}");
    assert!(mail.contains(&link["http://localhost:3000".len()..]), "the mail carries the printed link");

    let again = gatehouse(
        dir.path(),
        &["admin", "create-account", "--name", "acme", "--owner-email", "x@acme.example.com"],
        &[],
    );
    assert_one_line_failure(&again, "an account named “acme” already exists");
}

#[test]
fn invite_and_create_support_agent_print_links() {
    let dir = tempfile::tempdir().unwrap();
    assert!(gatehouse(
        dir.path(),
        &["admin", "create-account", "--name", "Acme", "--owner-email", "o@acme.example.com"],
        &[]
    )
    .status
    .success());
    let co = gatehouse(
        dir.path(),
        &["admin", "invite", "--account", "Acme", "--email", "co@acme.example.com", "--role", "co-owner"],
        &[],
    );
    assert!(co.status.success(), "{}", stderr(&co));
    assert!(stdout(&co).contains("Invited co@acme.example.com as co-owner of “Acme”."));
    assert!(stdout(&co).lines().last().unwrap().contains("/Account/AcceptInvitation?token="));

    let agent = gatehouse(dir.path(), &["admin", "create-support-agent", "--email", "agent@support.example.com"], &[]);
    assert!(agent.status.success(), "{}", stderr(&agent));
    assert!(stdout(&agent).lines().last().unwrap().contains("/Account/AcceptInvitation?token="));

    let unknown = gatehouse(dir.path(), &["admin", "invite", "--account", "Nope", "--email", "u@x.example.com"], &[]);
    assert_one_line_failure(&unknown, "no account is named “Nope”");
    let bad_role = gatehouse(
        dir.path(),
        &["admin", "invite", "--account", "Acme", "--email", "u@x.example.com", "--role", "owner"],
        &[],
    );
    assert!(!bad_role.status.success());
    assert!(stderr(&bad_role).contains("invalid value 'owner'"), "{}", stderr(&bad_role));
}

#[test]
fn migrate_creates_the_schema_and_help_is_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = gatehouse(dir.path(), &["admin", "migrate"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "The database schema is up to date.");
    for args in [&["--help"][..], &["serve", "--help"], &["admin", "--help"], &["admin", "invite", "--help"]] {
        let out = gatehouse(dir.path(), args, &[]);
        assert!(out.status.success() && stdout(&out).contains("Usage: gatehouse"), "{args:?}");
    }
}

#[test]
fn unparseable_toml_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gatehouse.toml"), "bind = \"127.0.0.1:3000\nissuer = [\n").unwrap();
    let out = gatehouse(dir.path(), &["--config", "gatehouse.toml", "serve"], &[]);
    assert_one_line_failure(&out, "gatehouse.toml");
    let out = gatehouse(dir.path(), &["serve"], &[("GATEHOUSE_CONFIG", "missing.toml")]);
    assert_one_line_failure(&out, "missing.toml: no such file");
}

#[test]
fn an_unknown_database_scheme_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = gatehouse(dir.path(), &["serve"], &[("GATEHOUSE_DATABASE_URL", "mysql://root@localhost/gatehouse")]);
    assert_one_line_failure(&out, "GATEHOUSE_DATABASE_URL: unknown database URL scheme");
}

#[test]
fn an_unwritable_data_folder_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a folder should be: refused even for root, unlike permissions.
    std::fs::write(dir.path().join("blocked"), "").unwrap();
    let out = gatehouse(dir.path(), &["serve"], &[("GATEHOUSE_DATA_DIR", "blocked/data")]);
    assert_one_line_failure(&out, "blocked/data/secret.key");
    let out = gatehouse(dir.path(), &["serve"], &[("GATEHOUSE_DATABASE_URL", "sqlite://blocked/db/gatehouse.db")]);
    assert_one_line_failure(&out, "cannot create the data folder blocked/db");
}

#[test]
fn a_port_in_use_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = gatehouse(dir.path(), &["serve"], &[("GATEHOUSE_BIND", addr.as_str())]);
    assert_one_line_failure(&out, &format!("cannot listen on {addr}"));
}
