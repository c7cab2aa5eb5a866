//! Who may see and change a customer (SPEC §9): an admin everything; a manager
//! their team's customers and the public pool; a rep their own and the pool.
//! Pool customers can be read by everyone but changed only after claiming, or
//! by a manager or admin.

use crate::model::{Role, User};

/// `owner` is the customer's owner, `None` for the public pool.
pub fn can_see(viewer: &User, owner: Option<&User>) -> bool {
    match owner {
        None => true,
        Some(owner) => owns_or_manages(viewer, owner),
    }
}

pub fn can_edit(viewer: &User, owner: Option<&User>) -> bool {
    match owner {
        None => matches!(viewer.role, Role::Admin | Role::Manager),
        Some(owner) => owns_or_manages(viewer, owner),
    }
}

/// Who may see a deal (SPEC §3: one or more owners with credit split): whoever
/// may see the customers of any of its owners, so a co-owner sees the deal
/// as the lead owner does. `owners` are the deal's owners that exist; a deal
/// without any is like a pool customer.
pub fn can_see_deal(viewer: &User, owners: &[&User]) -> bool {
    owners.is_empty() || owners.iter().any(|o| owns_or_manages(viewer, o))
}

/// Who may change a deal: any of its owners, or whoever manages one of them.
pub fn can_edit_deal(viewer: &User, owners: &[&User]) -> bool {
    if owners.is_empty() {
        return can_edit(viewer, None);
    }
    owners.iter().any(|o| owns_or_manages(viewer, o))
}

fn owns_or_manages(viewer: &User, owner: &User) -> bool {
    match viewer.role {
        Role::Admin => true,
        Role::Manager => {
            viewer.id == owner.id || (viewer.team.is_some() && viewer.team == owner.team)
        }
        Role::Rep => viewer.id == owner.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;

    fn user(role: Role, team: Option<&str>) -> User {
        User {
            id: Id::generate(),
            email: "x@example.cn".into(),
            name: "X".into(),
            role,
            team: team.map(Into::into),
            active: true,
            locale: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn rep_cannot_see_other_reps_customer() {
        let (li, wang) = (user(Role::Rep, Some("华东")), user(Role::Rep, Some("华东")));
        assert!(can_see(&li, Some(&li)));
        assert!(!can_see(&li, Some(&wang)));
        assert!(!can_edit(&li, Some(&wang)));
    }

    #[test]
    fn everyone_sees_the_pool_but_reps_claim_before_editing() {
        let rep = user(Role::Rep, None);
        let manager = user(Role::Manager, Some("华东"));
        assert!(can_see(&rep, None));
        assert!(!can_edit(&rep, None));
        assert!(can_edit(&manager, None));
    }

    #[test]
    fn manager_sees_own_team_only() {
        let manager = user(Role::Manager, Some("华东"));
        let east = user(Role::Rep, Some("华东"));
        let north = user(Role::Rep, Some("华北"));
        assert!(can_see(&manager, Some(&east)));
        assert!(can_edit(&manager, Some(&east)));
        assert!(!can_see(&manager, Some(&north)));
        let teamless_manager = user(Role::Manager, None);
        let teamless_rep = user(Role::Rep, None);
        assert!(
            !can_see(&teamless_manager, Some(&teamless_rep)),
            "no team is not a team"
        );
    }

    #[test]
    fn a_co_owner_sees_and_edits_the_deal_like_its_lead() {
        let east = user(Role::Rep, Some("华东"));
        let north = user(Role::Rep, Some("华北"));
        let other = user(Role::Rep, Some("华东"));
        let north_manager = user(Role::Manager, Some("华北"));
        let owners = [&east, &north];
        assert!(can_see_deal(&north, &owners) && can_edit_deal(&north, &owners));
        assert!(can_see_deal(&north_manager, &owners), "manages a co-owner");
        assert!(!can_see_deal(&other, &owners) && !can_edit_deal(&other, &owners));
        assert!(can_see_deal(&other, &[]) && !can_edit_deal(&other, &[]));
    }

    #[test]
    fn admin_sees_everything() {
        let admin = user(Role::Admin, None);
        assert!(can_edit(&admin, Some(&user(Role::Rep, Some("华北")))));
    }
}
