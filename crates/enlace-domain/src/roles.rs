//! Officials' roles and what each may do: the permission matrix the core
//! enforces (the UI only hides what the core would refuse).
//!
//! The node's administrator holds every permission: it is the account
//! made at `init`, which scripts written before officials existed log in
//! as, and on a one-person node it is that person. Least privilege is for
//! the other accounts.

use crate::enums::closed_enum;

closed_enum!(
    /// An official's role on a node.
    Role, "role" {
        BorderOfficer => "border_officer",
        PoliceInvestigator => "police_investigator",
        Prosecutor => "prosecutor",
        NgoCaseWorker => "ngo_case_worker",
        Coordinator => "coordinator",
        Analyst => "analyst",
        Administrator => "administrator",
    }
);

closed_enum!(
    /// Something only some roles may do.
    Permission, "permission" {
        /// Read victims' and suspects' identities (names, documents,
        /// contacts) and search by name.
        SeeIdentities => "see_identities",
        /// Read risk assessments.
        SeeRiskAssessments => "see_risk_assessments",
        /// Create and change cases and their persons.
        EditCases => "edit_cases",
        /// Create and change action-plan tasks.
        EditTasks => "edit_tasks",
        /// Change legal assessments.
        EditAssessments => "edit_assessments",
        /// Write files out of Enlace (exports, reports, backups).
        Export => "export",
        /// Print or export documents that carry identities.
        PrintIdentities => "print_identities",
        /// Pair, remove and revoke peers; anchors; bundles.
        ManagePeers => "manage_peers",
        /// Let an identity or a risk assessment reach another country.
        Grant => "grant",
        /// Add, remove and reset officials.
        ManageOfficials => "manage_officials",
        /// Read and verify the audit log.
        ViewAudit => "view_audit",
        /// See statistical tables with exact counts (no disclosure control).
        ExactStatistics => "exact_statistics",
    }
);

closed_enum!(
    /// A node's place in its country's network: what sync gives it of the
    /// country's national documents. A hub and an office hold every
    /// identity of their country; a border post and an NGO hold only the
    /// identities of the people they work with (need-to-know).
    NodeRole, "node-role" {
        /// The country's hub (the task force's national node).
        Hub => "hub",
        /// A national office: a prosecutor's or a police unit's desktop.
        Office => "office",
        /// A border or immigration post's laptop.
        BorderPost => "border_post",
        /// A shelter or another NGO's computer.
        Ngo => "ngo",
    }
);

impl NodeRole {
    /// Does this node receive only the identities of the people it works
    /// with (those whose person document names it)?
    pub fn need_to_know(self) -> bool {
        matches!(self, NodeRole::BorderPost | NodeRole::Ngo)
    }
}

impl Role {
    /// May an official in this role do `p`?
    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match self {
            Administrator => true,
            BorderOfficer => matches!(p, SeeIdentities | SeeRiskAssessments | EditCases),
            PoliceInvestigator => matches!(
                p,
                SeeIdentities | SeeRiskAssessments | EditCases | Export | PrintIdentities
            ),
            Prosecutor => matches!(
                p,
                SeeIdentities
                    | SeeRiskAssessments
                    | EditCases
                    | EditAssessments
                    | Export
                    | PrintIdentities
            ),
            // Shelters know the people they assist; the database does not
            // hand them the country's identities (need-to-know).
            NgoCaseWorker => matches!(p, SeeRiskAssessments | EditCases),
            Coordinator => matches!(
                p,
                SeeIdentities
                    | SeeRiskAssessments
                    | EditCases
                    | EditTasks
                    | EditAssessments
                    | Export
                    | PrintIdentities
                    | Grant
                    | ViewAudit
                    | ExactStatistics
            ),
            Analyst => matches!(p, Export | ExactStatistics),
        }
    }

    /// Every permission this role holds, in the matrix's order.
    pub fn permissions(self) -> Vec<Permission> {
        use crate::enums::Closed;
        Permission::all()
            .iter()
            .copied()
            .filter(|p| self.allows(*p))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::enums::Closed;

    #[test]
    fn every_role_and_permission_has_both_labels() {
        for lang in [Lang::Es, Lang::En] {
            for r in Role::all() {
                assert_ne!(r.label(lang), r.label_key(), "{r}");
            }
            for p in Permission::all() {
                assert_ne!(p.label(lang), p.label_key(), "{p}");
            }
            for r in NodeRole::all() {
                assert_ne!(r.label(lang), r.label_key(), "{r}");
            }
        }
    }

    #[test]
    fn an_analyst_never_sees_an_identity_and_only_the_administrator_manages() {
        assert!(!Role::Analyst.allows(Permission::SeeIdentities));
        assert!(!Role::NgoCaseWorker.allows(Permission::SeeIdentities));
        assert!(!Role::Analyst.allows(Permission::SeeRiskAssessments));
        for r in Role::all() {
            let admin = *r == Role::Administrator;
            assert_eq!(r.allows(Permission::ManageOfficials), admin, "{r}");
            assert_eq!(r.allows(Permission::ManagePeers), admin, "{r}");
        }
    }
}
