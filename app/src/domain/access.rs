//! Who may do what. Participants have no account; facilitators manage their own sessions;
//! coordinators run the program. Every server function asks these rules about its caller.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Coordinator,
    Facilitator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Facilitator => "facilitator",
        }
    }
}

impl FromStr for Role {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "coordinator" => Ok(Role::Coordinator),
            "facilitator" => Ok(Role::Facilitator),
            _ => Err(()),
        }
    }
}

/// Whose offerings a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportScope {
    Everyone,
    Facilitator(i32),
    /// A facilitator account without a facilitator profile: nothing to report.
    Nobody,
}

impl ReportScope {
    pub fn covers(self, facilitator_id: i32) -> bool {
        match self {
            ReportScope::Everyone => true,
            ReportScope::Facilitator(id) => id == facilitator_id,
            ReportScope::Nobody => false,
        }
    }
}

/// A signed-in account, as the rules see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub account_id: i32,
    pub role: Role,
    /// The facilitator profile this account leads sessions as, if any (a coordinator may
    /// facilitate too).
    pub facilitator_id: Option<i32>,
}

impl Caller {
    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }

    fn facilitates(&self, facilitator_id: i32) -> bool {
        self.facilitator_id == Some(facilitator_id)
    }

    /// Edit, cancel, close or reopen a session led by `facilitator_id`, or create one for it.
    pub fn manages_sessions_of(&self, facilitator_id: i32) -> bool {
        self.is_coordinator() || self.facilitates(facilitator_id)
    }

    /// Read the names and addresses of a session's registrants, or write to them. Only the
    /// session's own facilitator: identifying details go no further, coordinators included
    /// (they see counts).
    pub fn sees_roster_of(&self, facilitator_id: i32) -> bool {
        self.facilitates(facilitator_id)
    }

    /// Whose offerings this caller's reports cover: every facilitator's for a coordinator,
    /// their own for a facilitator.
    pub fn report_scope(&self) -> ReportScope {
        match (self.is_coordinator(), self.facilitator_id) {
            (true, _) => ReportScope::Everyone,
            (false, Some(id)) => ReportScope::Facilitator(id),
            (false, None) => ReportScope::Nobody,
        }
    }

    /// Read the free-text answers of evaluations (never below the minimum group): coordinators.
    pub fn reads_comments(&self) -> bool {
        self.is_coordinator()
    }

    /// Formats, facilitators' accounts, and moving sessions between facilitators.
    pub fn administers(&self) -> bool {
        self.is_coordinator()
    }

    /// Give a session led by `from` to `to`: coordinators, but never to themselves (unless
    /// it is already theirs). The roster goes with the session, so taking one over would show
    /// a coordinator who also facilitates the names they may not read as a coordinator.
    pub fn may_reassign(&self, from: i32, to: i32) -> bool {
        self.administers() && (!self.facilitates(to) || self.facilitates(from))
    }

    /// Applicants' details: the coordinator running the round, and the facilitator of the
    /// group they were drawn into (identified by account, as groups are not sessions).
    pub fn sees_members_of_group(&self, facilitator_account: Option<i32>) -> bool {
        self.is_coordinator() || facilitator_account == Some(self.account_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facilitators_manage_their_own_and_coordinators_everything_but_rosters() {
        let a = Caller { account_id: 1, role: Role::Facilitator, facilitator_id: Some(10) };
        let coordinator = Caller { account_id: 3, role: Role::Coordinator, facilitator_id: None };
        let facilitating_coordinator =
            Caller { account_id: 4, role: Role::Coordinator, facilitator_id: Some(30) };
        assert!(a.manages_sessions_of(10) && !a.manages_sessions_of(20));
        assert!(a.sees_roster_of(10) && !a.sees_roster_of(20));
        assert!(!a.administers());
        assert!(coordinator.manages_sessions_of(10) && coordinator.manages_sessions_of(20));
        assert!(!coordinator.sees_roster_of(10), "counts, not names");
        assert!(coordinator.administers());
        assert!(facilitating_coordinator.sees_roster_of(30) && !facilitating_coordinator.sees_roster_of(10));
        assert_eq!("facilitator".parse(), Ok(Role::Facilitator));
    }

    #[test]
    fn a_coordinator_never_takes_a_session_over_and_so_its_roster() {
        let a = Caller { account_id: 1, role: Role::Facilitator, facilitator_id: Some(10) };
        let facilitating_coordinator =
            Caller { account_id: 4, role: Role::Coordinator, facilitator_id: Some(30) };
        assert!(facilitating_coordinator.may_reassign(10, 20));
        assert!(!facilitating_coordinator.may_reassign(10, 30), "not to themselves");
        assert!(
            facilitating_coordinator.may_reassign(30, 20) && facilitating_coordinator.may_reassign(30, 30)
        );
        assert!(!a.may_reassign(10, 20), "facilitators do not move sessions");
    }

    #[test]
    fn group_members_are_for_the_coordinator_and_that_group_s_facilitator() {
        let leader = Caller { account_id: 1, role: Role::Facilitator, facilitator_id: Some(10) };
        let coordinator = Caller { account_id: 3, role: Role::Coordinator, facilitator_id: None };
        assert!(leader.sees_members_of_group(Some(1)));
        assert!(!leader.sees_members_of_group(Some(2)) && !leader.sees_members_of_group(None));
        assert!(coordinator.sees_members_of_group(None));
    }
}
