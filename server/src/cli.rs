//! The `gatehouse` command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "gatehouse", version, about = "Sign-in with passwords, mandatory TOTP, passkeys and single sign-on")]
pub struct Cli {
    /// TOML configuration file; GATEHOUSE_* environment variables override it.
    #[arg(long, env = "GATEHOUSE_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (applies database migrations first).
    Serve,
    /// Operator tasks: accounts, people, support agents, the audit log, migrations, keys.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account with its owner, mail the owner an invitation and print its link.
    CreateAccount {
        /// The account (company) name; unique, compared without regard to case.
        #[arg(long)]
        name: String,
        /// The owner's email address, which is also their user name.
        #[arg(long, value_name = "EMAIL")]
        owner_email: String,
    },
    /// Invite a user or co-owner into an account, mail the invitation and print its link.
    Invite {
        /// The account's name.
        #[arg(long, value_name = "NAME")]
        account: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum, default_value_t = InviteRole::User)]
        role: InviteRole,
    },
    /// Create a support agent (who belongs to no account) and print their invitation link.
    CreateSupportAgent {
        #[arg(long)]
        email: String,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Publish new ID-token signing keys (used after a 10-minute delay, the old ones published
    /// until an hour after that), e.g. after someone who could read the secret key has left.
    RotateSigningKey,
    /// List every account: name, owner, people joined and invited, when it was created.
    ListAccounts {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show an account's people: role, joined or invited, 2FA, passkeys, last sign-in.
    ShowAccount {
        /// The account's name.
        #[arg(long, value_name = "NAME")]
        account: String,
        /// One JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// List the support agents, with their 2FA state and last sign-in.
    ListAgents {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Break-glass 2FA reset when no support request can be made: the person's authenticator,
    /// recovery codes and sessions go, as after an approved request, and they are mailed a
    /// link to set up a new authenticator.
    #[command(name = "reset-2fa")]
    Reset2fa {
        #[arg(long)]
        email: String,
        /// Why; kept in the audit log.
        #[arg(long)]
        reason: String,
        /// Needed to reset a support agent's 2FA.
        #[arg(long)]
        agent: bool,
    },
    /// Remove a support agent: they can no longer sign in, and their sessions end at once.
    RemoveAgent {
        #[arg(long)]
        email: String,
    },
    /// End every session of a person's (the applications they signed in to are logged out).
    EndSessions {
        #[arg(long)]
        email: String,
    },
    /// Print the audit log as JSON lines, oldest first, e.g. for a SIEM.
    AuditLog {
        /// Only entries from this moment on: a date (2026-12-01, UTC), an RFC 3339 time, or
        /// seconds since 1970.
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Only entries about this account.
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
        /// Only entries about the person who signs in with this address.
        #[arg(long)]
        email: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InviteRole {
    User,
    #[value(name = "co-owner")]
    CoOwner,
}

impl From<InviteRole> for gatehouse_core::Role {
    fn from(role: InviteRole) -> Self {
        match role {
            InviteRole::User => gatehouse_core::Role::User,
            InviteRole::CoOwner => gatehouse_core::Role::CoOwner,
        }
    }
}
