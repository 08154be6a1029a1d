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
    /// Operator tasks: accounts, invitations, support agents, migrations.
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
