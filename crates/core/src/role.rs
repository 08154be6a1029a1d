//! What a person may do, as stored on the user.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// Exactly one per account.
    Owner,
    /// Can invite users and request 2FA resets, like the owner.
    CoOwner,
    User,
    /// Operator staff working the support console; belongs to no account.
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::CoOwner => "co-owner",
            Role::User => "user",
            Role::Agent => "agent",
        }
    }

    /// How the role reads in a sentence shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "account owner",
            Role::CoOwner => "co-owner",
            Role::User => "user",
            Role::Agent => "support agent",
        }
    }

    pub fn manages_account(self) -> bool {
        matches!(self, Role::Owner | Role::CoOwner)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown role “{0}”: expected owner, co-owner, user or agent")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "owner" => Ok(Role::Owner),
            "co-owner" => Ok(Role::CoOwner),
            "user" => Ok(Role::User),
            "agent" => Ok(Role::Agent),
            other => Err(UnknownRole(other.to_owned())),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for role in [Role::Owner, Role::CoOwner, Role::User, Role::Agent] {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
