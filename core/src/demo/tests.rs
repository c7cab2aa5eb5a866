use std::collections::{HashMap, HashSet};

use super::*;
use crate::model::{
    ActivityKind, BoardFilter, BuiltInReason, DealStatus, Outcome, Role, TimelineEntry,
};
use crate::service::Guanxi;
use crate::store::CustomerQuery;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn small(seed: u64) -> (tempfile::TempDir, Summary) {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        size: Size::Small,
        seed,
        today: today(),
    };
    let summary = fill(&dir.path().join("data"), &options, &mut |_, _| {}).unwrap();
    (dir, summary)
}

fn open(dir: &tempfile::TempDir) -> Guanxi {
    Guanxi::new(Store::open(&dir.path().join("data")).unwrap())
}

fn end() -> DateTime<Utc> {
    Calendar::new(today(), YEARS).end()
}

#[test]
fn small_demo_has_the_planned_counts() {
    let (_dir, summary) = small(1);
    let plan = Size::Small.plan();
    let c = summary.counts;
    assert_eq!(c.users, plan.users() as u64);
    assert_eq!(c.customers, plan.customers as u64);
    assert_eq!(c.contacts, plan.contacts as u64);
    assert_eq!(c.deals, plan.deals as u64);
    assert_eq!(c.activities, plan.activities as u64);
    assert_eq!(c.tasks, plan.tasks as u64);
    let m = plan.money;
    assert_eq!(c.products, m.products as u64);
    assert_eq!(c.contracts, m.contracts as u64);
    assert_eq!(c.expenses, m.expenses as u64);
    // Payments follow the plans and moves the deliveries: near the plan.
    let near = |got: u64, planned: usize| {
        let planned = planned as f64;
        (got as f64) > planned * 0.7 && (got as f64) < planned * 1.3
    };
    assert!(near(c.payments, m.payments), "{} payments", c.payments);
    assert!(
        near(c.stock_moves, m.stock_moves),
        "{} moves",
        c.stock_moves
    );
    let d = summary.deals;
    assert_eq!(d.open, plan.open_deals as u64);
    assert_eq!(d.won + d.lost, (plan.deals - plan.open_deals) as u64);
    assert!(d.won > 0 && d.lost > 0 && d.stalled > 0, "{d:?}");
    let roles: Vec<Role> = summary.users.iter().map(|u| u.role).collect();
    assert_eq!(
        roles,
        [Role::Admin, Role::Manager, Role::Rep, Role::Rep, Role::Rep]
    );
    assert!(summary.file_bytes > 0);
}

#[test]
fn every_deal_history_keeps_the_pipeline_rules() {
    let (dir, _) = small(2);
    let gx = open(&dir);
    let pipeline = gx.pipelines().unwrap().remove(0);
    let deals = gx.store().deals_of_pipeline(pipeline.id).unwrap();
    assert_eq!(deals.len(), Size::Small.plan().deals);
    let first_open = pipeline.open_stages().next().unwrap().id;
    let users: HashMap<_, _> = gx
        .store()
        .users()
        .unwrap()
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut moved_back = 0;
    for deal in &deals {
        let history = gx.store().stage_history(deal.id).unwrap();
        let why = format!("{deal:#?}\n{history:#?}");
        assert_eq!(history[0].from, None, "{why}");
        assert_eq!(history[0].to, first_open, "{why}");
        assert_eq!(history[0].at, deal.created_at, "{why}");
        for pair in history.windows(2) {
            assert_eq!(pair[1].from, Some(pair[0].to), "{why}");
            assert!(pair[1].at > pair[0].at, "{why}");
            let from = pipeline.stage(pair[0].to).unwrap();
            let to = pipeline.stage(pair[1].to).unwrap();
            assert!(from.outcome.is_none(), "no move out of an outcome: {why}");
            if to.outcome.is_none()
                && pipeline.stages.iter().position(|s| s.id == to.id)
                    < pipeline.stages.iter().position(|s| s.id == from.id)
            {
                moved_back += 1;
            }
            // Leaving a stage for another open one or a win needs its checklist.
            if to.outcome != Some(Outcome::Lost) {
                assert!(
                    crate::domain::deals::missing_checklist(deal, from).is_empty(),
                    "{why}"
                );
            }
        }
        let last = history.last().unwrap();
        assert_eq!(deal.stage_id, last.to, "{why}");
        assert_eq!(deal.stage_entered_at, last.at, "{why}");
        assert!(last.at < end(), "{why}");
        let stage = pipeline.stage(deal.stage_id).unwrap();
        match deal.status {
            DealStatus::Won | DealStatus::Lost => {
                let outcome = if deal.status == DealStatus::Won {
                    Outcome::Won
                } else {
                    Outcome::Lost
                };
                assert_eq!(stage.outcome, Some(outcome), "{why}");
                let reasons: &[BuiltInReason] = match outcome {
                    Outcome::Won => &BuiltInReason::WON,
                    Outcome::Lost => &BuiltInReason::LOST,
                };
                let reason = deal
                    .close_reason
                    .as_deref()
                    .and_then(BuiltInReason::from_code);
                assert!(reason.is_some_and(|r| reasons.contains(&r)), "{why}");
            }
            DealStatus::Open | DealStatus::Suspended => {
                assert_eq!(stage.outcome, None, "{why}");
                assert_eq!(deal.close_reason, None, "{why}");
            }
        }
        if let Some(winner) = &deal.lost_to {
            assert_eq!(deal.status, DealStatus::Lost, "{why}");
            assert!(deal.competitors.iter().any(|c| &c.name == winner), "{why}");
        }
        crate::domain::deals::owners(&deal.owners).unwrap();
        let customer = gx.store().customer(deal.customer_id).unwrap().unwrap();
        assert_eq!(deal.lead_owner(), customer.owner, "{why}");
        let team = users[&deal.lead_owner().unwrap()].team.clone();
        for share in &deal.owners {
            assert_eq!(
                users[&share.user].team, team,
                "credit stays in the team: {why}"
            );
        }
        assert!(customer.created_at < deal.created_at, "{why}");
    }
    assert!(moved_back > 0, "some deals went back a stage");
    assert!(deals.iter().any(|d| d.lost_to.is_some()));
    assert!(deals.iter().any(|d| d.owners.len() > 1));
}

#[test]
fn the_same_seed_gives_the_same_data() {
    let (first, _) = small(7);
    let (second, _) = small(7);
    let (other, _) = small(8);
    let digest = |dir: &tempfile::TempDir| open(dir).store().content_digest().unwrap();
    assert_eq!(digest(&first), digest(&second));
    assert_ne!(digest(&first), digest(&other));
}

#[test]
fn a_folder_with_anything_in_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let options = Options {
        size: Size::Small,
        seed: 1,
        today: today(),
    };
    let err = fill(dir.path(), &options, &mut |_, _| {}).unwrap_err();
    assert!(matches!(err, DemoError::NotEmpty(_)), "{err}");
    assert!(err.to_string().contains("is not empty"), "{err}");
    assert!(!dir.path().join(crate::store::DB_FILE).exists());
}

#[test]
fn the_app_lists_searches_and_shows_the_small_set() {
    let (dir, summary) = small(3);
    let gx = open(&dir);
    let admin = gx.store().user_by_email(ADMIN_EMAIL).unwrap().unwrap();
    gx.login(ADMIN_EMAIL, PASSWORD, "test").unwrap();
    let rep = first_of_role(&summary.users, Role::Rep).unwrap().clone();

    // The customer list, for the admin and for a rep.
    let newest = CustomerQuery {
        descending: true,
        limit: 50,
        ..Default::default()
    };
    let (total, page) = gx.list_customers(&admin, &newest).unwrap();
    assert_eq!((total, page.len()), (500, 50));
    let (mine, page) = gx.list_customers(&rep, &newest).unwrap();
    assert!(mine > 0 && mine < 500, "{mine}");
    assert!(
        page.iter()
            .all(|c| c.owner.is_none() || c.owner == Some(rep.id))
    );
    let facets = gx.customer_facets(&admin).unwrap();
    assert!(!facets.regions.is_empty() && !facets.industries.is_empty() && !facets.tags.is_empty());
    let recent = CustomerQuery {
        contacted_from: Some(end() - Duration::days(30)),
        ..newest.clone()
    };
    assert!(gx.list_customers(&admin, &recent).unwrap().0 > 0);

    // The search box: part of a company name, and part of a contact's phone.
    let company = gx
        .visible_customers(&admin)
        .unwrap()
        .into_iter()
        .find(|c| c.kind == CustomerKind::Company && !c.name.is_ascii())
        .unwrap();
    let part: String = company.name.chars().skip(2).take(3).collect();
    let hits = gx.search(&admin, &part, 10).unwrap();
    assert!(
        hits.iter().any(|h| h.customer_name.contains(&part)),
        "{part}"
    );
    let contact = gx.contacts(&admin, company.id).unwrap().remove(0);
    let digits: String = contact.phones[0]
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let hits = gx.search(&admin, &digits[digits.len() - 7..], 10).unwrap();
    assert!(hits.iter().any(|h| h.customer == company.id), "{digits}");

    // The 360° page of the customer with most deals: activities and deal moves.
    let pipeline = gx.pipelines().unwrap().remove(0);
    let deals = gx.store().deals_of_pipeline(pipeline.id).unwrap();
    let mut per_customer: HashMap<_, usize> = HashMap::new();
    for d in &deals {
        *per_customer.entry(d.customer_id).or_default() += 1;
    }
    let (&busiest, _) = per_customer
        .iter()
        .max_by_key(|(id, n)| (**n, **id))
        .unwrap();
    let timeline = gx.timeline(&admin, busiest, None, 100).unwrap();
    assert!(
        timeline
            .iter()
            .any(|(_, e)| matches!(e, TimelineEntry::Activity(_)))
    );
    assert!(
        timeline
            .iter()
            .any(|(_, e)| matches!(e, TimelineEntry::Deal(_)))
    );
    assert!(timeline.windows(2).all(|w| w[0].1.at() >= w[1].1.at()));
    assert!(
        !gx.list_deals(&admin, None, Some(busiest), &BoardFilter::default())
            .unwrap()
            .is_empty()
    );

    // The board: every deal in a column, open ones in open stages, some stalled.
    let board = gx
        .board(&admin, pipeline.id, end(), &BoardFilter::default())
        .unwrap();
    let counted: u32 = board.columns.iter().map(|c| c.count).sum();
    assert_eq!(counted as usize, deals.len());
    let open_cards: Vec<_> = board
        .columns
        .iter()
        .filter(|c| c.stage.outcome.is_none())
        .flat_map(|c| &c.cards)
        .collect();
    assert_eq!(open_cards.len() as u64, summary.deals.open);
    assert!(open_cards.iter().any(|c| c.stalled));
    let reps_board = gx
        .board(&rep, pipeline.id, end(), &BoardFilter::default())
        .unwrap();
    let reps_count: u32 = reps_board.columns.iter().map(|c| c.count).sum();
    assert!(reps_count > 0 && (reps_count as usize) < deals.len());

    // Every kind of activity, by every rep; tasks open, done and overdue.
    let mut kinds = HashSet::new();
    let mut by = HashSet::new();
    for c in gx.visible_customers(&admin).unwrap() {
        for a in gx.customer_activities(&admin, c.id, None, 500).unwrap() {
            kinds.insert(a.kind);
            by.insert(a.by);
        }
    }
    assert_eq!(kinds.len(), ActivityKind::ALL.len());
    for user in summary.users.iter().filter(|u| u.role == Role::Rep) {
        assert!(by.contains(&user.id), "{} logged nothing", user.name);
    }
    let tasks = gx.my_tasks(&rep).unwrap();
    assert!(tasks.iter().any(|t| t.is_overdue(end())));
    assert!(tasks.iter().any(|t| t.done_at.is_some()));
    assert!(tasks.iter().any(|t| t.done_at.is_none() && t.due >= end()));
    assert!(tasks.iter().any(|t| t.commitment));
}

#[test]
fn this_years_targets_are_set_a_fifth_above_last_year() {
    let (dir, summary) = small(3);
    let gx = open(&dir);
    let admin = &summary.users[0];
    let reps = summary.users.iter().filter(|u| u.role == Role::Rep).count();
    // The company's revenue and payments, one team's, each rep's.
    assert_eq!(summary.targets, 2 + 1 + reps);
    let targets = gx
        .targets(admin, Some(chrono::Datelike::year(&today())))
        .unwrap();
    assert_eq!(targets.len(), summary.targets);
    for row in &targets {
        let t = &row.target;
        assert_eq!(t.months.iter().map(|m| m.0).sum::<i64>(), t.total.0);
        assert_eq!(t.total.0 % (10_000 * 100), 0, "a round number of 万");
        let progress = gx.target_progress(admin, t.id).unwrap();
        assert_eq!(progress.target.target.id, t.id);
    }
    let company = targets
        .iter()
        .find(|r| {
            r.target.scope == crate::model::TargetScope::Company
                && r.target.measure == crate::model::TargetMeasure::Revenue
        })
        .unwrap();
    let last_year = gx
        .money_report(
            admin,
            crate::model::MoneyMetric::Revenue,
            &crate::model::ReportParams {
                period: "year".into(),
                ..Default::default()
            },
            end(),
        )
        .unwrap()
        .previous
        .revenue;
    let expected = (last_year.0 as f64 * 1.2) as i64 / 1_000_000 * 1_000_000;
    assert_eq!(company.target.total.0, expected.max(1_000_000));
    // Each rep sees their own.
    let rep = summary.users.iter().find(|u| u.role == Role::Rep).unwrap();
    assert!(gx.my_target_progress(rep).unwrap().is_some());
}
