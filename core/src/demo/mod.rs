//! Demo data: `guanxi demo-data` fills an empty data folder with a company
//! as a Chinese SME would have it after three years of use — users in
//! teams, customers with contacts, deals with consistent stage histories,
//! activities, tasks and commitments, busier before the Spring Festival and
//! at quarter ends — so the product can be tried and measured at scale.
//!
//! Everything comes from one seeded ChaCha8 RNG (`rand_chacha`, whose
//! stream for a seed is fixed) and the day the history ends, so the same
//! seed on the same day gives the same data, ids included. The records go
//! through `Store::insert_bulk`, the per-record code of the app's own
//! inserts in few large transactions, so the app cannot tell them from
//! records entered by hand.

mod calendar;
mod generate;
mod money;
mod names;
mod targets;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::{Rng as _, SeedableRng};

use crate::domain::password;
use crate::model::{Customer, CustomerKind, User};
use crate::store::{NewRecords, OpenError, RecordCounts, Store};
use calendar::Calendar;
pub use generate::{ADMIN_EMAIL, DealStats};
use generate::{Fate, Info, Rng, World, allocate};
pub use money::MoneyPlan;

/// Every demo user signs in with this password.
pub const PASSWORD: &str = "guanxi-demo";

/// Years of history, ending the day the data is made.
const YEARS: i32 = 3;

/// Customers per transaction, with everything about them.
const CHUNK: usize = 2500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// To try the product: five people, 500 customers.
    Small,
    /// To measure it: 50 people, 100,000 customers, a million activities.
    Large,
}

/// How much of everything a size makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Teams of one manager and reps; one admin besides.
    pub teams: usize,
    pub reps: usize,
    pub customers: usize,
    pub contacts: usize,
    pub deals: usize,
    /// Of `deals`, those not won or lost (some of them suspended).
    pub open_deals: usize,
    pub activities: usize,
    pub tasks: usize,
    pub money: MoneyPlan,
}

impl Plan {
    pub fn users(&self) -> usize {
        1 + self.teams + self.reps
    }
}

impl Size {
    pub fn parse(code: &str) -> Option<Size> {
        match code {
            "small" => Some(Size::Small),
            "large" => Some(Size::Large),
            _ => None,
        }
    }

    pub fn plan(self) -> Plan {
        match self {
            Size::Small => Plan {
                teams: 1,
                reps: 3,
                customers: 500,
                contacts: 1_000,
                deals: 250,
                open_deals: 50,
                activities: 5_000,
                tasks: 500,
                // The large company's money, in proportion to customers.
                money: MoneyPlan {
                    products: 10,
                    contracts: 300,
                    lines: 750,
                    payments: 600,
                    expenses: 200,
                    stock_moves: 1_000,
                },
            },
            Size::Large => Plan {
                teams: 5,
                reps: 44,
                customers: 100_000,
                contacts: 200_000,
                deals: 50_000,
                open_deals: 10_000,
                activities: 1_000_000,
                tasks: 100_000,
                money: MoneyPlan {
                    products: 2_000,
                    contracts: 60_000,
                    lines: 150_000,
                    payments: 120_000,
                    expenses: 40_000,
                    stock_moves: 200_000,
                },
            },
        }
    }
}

pub struct Options {
    pub size: Size,
    pub seed: u64,
    /// History ends at the start of this day, Beijing time.
    pub today: NaiveDate,
}

/// What `fill` wrote.
#[derive(Debug)]
pub struct Summary {
    pub counts: RecordCounts,
    pub deals: DealStats,
    /// In creation order: the admin first, then each team's manager and reps.
    pub users: Vec<User>,
    /// This year's sales targets (the company's, each team's and rep's).
    pub targets: usize,
    pub database: PathBuf,
    pub file_bytes: u64,
    pub elapsed: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "{0} is not empty: demo data goes only into a new or empty data folder, so it never \
         mixes with real data; choose another --data-dir"
    )]
    NotEmpty(PathBuf),
    #[error("cannot use data folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("writing the demo data failed: {0}")]
    Store(#[from] crate::Error),
}

/// Today in the demo company's time zone (Asia/Shanghai, UTC+8).
pub fn today_at(now: DateTime<Utc>) -> NaiveDate {
    (now + Duration::hours(8)).date_naive()
}

fn require_empty(dir: &Path) -> Result<(), DemoError> {
    let io = |source| DemoError::Io {
        path: dir.to_path_buf(),
        source,
    };
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(e)),
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(Ok(_)) => Err(DemoError::NotEmpty(dir.to_path_buf())),
            Some(Err(e)) => Err(io(e)),
        },
    }
}

/// Fills the empty (or new) folder `data_dir` with demo data of
/// `options.size`, calling `progress(customers written, customers)` after
/// each transaction.
pub fn fill(
    data_dir: &Path,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Summary, DemoError> {
    fill_mirrored(data_dir, options, progress, &mut |_| {})
}

/// `fill`, also handing each batch to `mirror` once it is stored: the
/// benchmarks load the same records into their SQLite baseline this way.
pub fn fill_mirrored(
    data_dir: &Path,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
    mirror: &mut dyn FnMut(&NewRecords),
) -> Result<Summary, DemoError> {
    let started = Instant::now();
    require_empty(data_dir)?;
    let store = Store::open(data_dir)?;
    let plan = options.size.plan();
    let mut rng = Rng::seed_from_u64(options.seed);
    let world = World::new(
        &mut rng,
        Calendar::new(options.today, YEARS),
        plan.teams,
        plan.reps,
    );
    // One hash for everyone: argon2 is slow on purpose, and they share the
    // password anyway.
    let hash = password::hash(PASSWORD)?;
    let (admin, others) = world.users.split_first().expect("the world has an admin");
    store.set_up(&world.company, admin, &hash)?;
    for user in others {
        store.insert_user(user, &hash)?;
    }
    store.reset_pipelines(std::slice::from_ref(&world.pipeline))?;
    store.update_customer_settings(&world.settings)?;
    let users = world.users.clone();

    // Records are made on one thread and written on another: two cores.
    let (stats, written) = std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<NewRecords>(2);
        let maker = scope.spawn(move || {
            let mut world = world;
            generate_all(&mut rng, &mut world, &plan, &mut |batch| {
                send.send(batch).is_ok()
            });
            world.stats
        });
        let mut done = 0;
        let mut written = Ok(());
        for batch in receive {
            done += batch.customers.len();
            if let Err(e) = store.insert_bulk(&batch) {
                written = Err(e);
                break;
            }
            mirror(&batch);
            if !batch.customers.is_empty() {
                progress(done, plan.customers);
            }
        }
        (maker.join().expect("the generator does not panic"), written)
    });
    written?;
    let gx = crate::service::Guanxi::new(store);
    let targets = targets::set_targets(&gx, &users, options.today)?;
    let store = gx.store();
    let counts = store.record_counts()?;
    let database = store.path().to_path_buf();
    drop(gx);
    let file_bytes = std::fs::metadata(&database)
        .map(|m| m.len())
        .unwrap_or_default();
    Ok(Summary {
        counts,
        deals: stats,
        users,
        targets,
        database,
        file_bytes,
        elapsed: started.elapsed(),
    })
}

/// Makes every record of `plan` and hands them to `write` in batches of
/// `CHUNK` customers with their contacts, deals, activities and tasks,
/// oldest customers first; stops when `write` answers false.
fn generate_all(
    rng: &mut Rng,
    world: &mut World,
    plan: &Plan,
    write: &mut dyn FnMut(NewRecords) -> bool,
) {
    let start = world.calendar.start();
    let end = world.end;
    // A quarter of the customers came in with the first import.
    let pool_share = 0.15;
    let mut customers: Vec<(Customer, Info)> = (0..plan.customers)
        .map(|_| {
            let imported = rng.random_bool(0.22);
            let created = if imported {
                world.calendar.moment(rng, start, start + Duration::days(7))
            } else {
                world.calendar.moment(rng, start, end - Duration::hours(1))
            };
            world.customer(rng, created, imported, pool_share)
        })
        .collect();
    customers.sort_by_key(|(c, _)| c.id);

    let contact_weights: Vec<f64> = customers
        .iter()
        .map(|(c, _)| match (c.kind, c.customer_type.as_str()) {
            (CustomerKind::Person, _) => 0.0,
            (_, "signed" | "agent") => 2.0,
            _ => 1.0,
        })
        .collect();
    let extra_contacts = allocate(
        rng,
        plan.contacts.saturating_sub(plan.customers),
        &contact_weights,
    );

    let fates = deal_fates(rng, &customers, plan, end);
    let activity_weights: Vec<f64> = customers
        .iter()
        .zip(&fates)
        .map(|((c, _), fates)| {
            let base = match (c.owner, c.customer_type.as_str()) {
                (None, _) => 0.6,
                (_, "invalid") => 0.5,
                (_, "potential") => 2.0,
                _ => 3.0,
            };
            base + 2.0 * fates.len() as f64
        })
        .collect();
    let activities = allocate(rng, plan.activities, &activity_weights);
    let own_tasks = plan.tasks / 10;
    let task_weights: Vec<f64> = customers
        .iter()
        .zip(&activity_weights)
        .map(|((c, _), w)| if c.owner.is_some() { *w } else { 0.0 })
        .collect();
    let tasks = allocate(rng, plan.tasks - own_tasks, &task_weights);

    let chunks = plan.customers.div_ceil(CHUNK).max(1);
    let mut buyers = Vec::with_capacity(plan.customers);
    let mut wins = Vec::new();
    let mut rest = customers.into_iter().enumerate().peekable();
    for chunk in 0..chunks {
        let mut batch = NewRecords::default();
        while let Some((i, (customer, info))) = rest.next_if(|(i, _)| i / CHUNK == chunk) {
            let contacts = world.contacts(rng, &customer, &info, 1 + extra_contacts[i]);
            for &fate in &fates[i] {
                batch.deals.push(world.deal(rng, &customer, &info, fate));
            }
            world.activities(
                rng,
                &customer,
                &info,
                &contacts,
                activities[i],
                &mut batch.activities,
            );
            world.tasks(
                rng,
                Some((&customer, &info, &contacts)),
                tasks[i],
                &mut batch.tasks,
            );
            batch.customers.push((customer, contacts));
        }
        // Users' own tasks, spread evenly over the batches.
        let own = own_tasks * (chunk + 1) / chunks - own_tasks * chunk / chunks;
        world.tasks(rng, None, own, &mut batch.tasks);
        for (customer, _) in &batch.customers {
            buyers.push(money::Buyer {
                id: customer.id,
                owner: customer.owner,
                orders: matches!(customer.customer_type.as_str(), "signed" | "agent"),
                created_at: customer.created_at,
            });
        }
        for new in &batch.deals {
            let d = &new.deal;
            if d.status == crate::model::DealStatus::Won {
                wins.push(money::Win {
                    deal: d.id,
                    customer: d.customer_id,
                    owners: d.owners.clone(),
                    amount: d.amount,
                    won_at: d.stage_entered_at,
                    title: d.title.clone(),
                });
            }
        }
        if !write(batch) {
            return;
        }
    }
    let money_world = money::MoneyWorld {
        calendar: &world.calendar,
        users: &world.users,
        admin: world.admin,
    };
    money::generate(rng, &money_world, &buyers, &wins, &plan.money, write);
}

/// The fate of every deal, by customer: exactly `plan.deals` deals, of them
/// `plan.open_deals` open, the closed ones 45 % won. Deals go to owned
/// customers old enough for their history; wins to signed customers and
/// agents, open deals to customers not written off.
fn deal_fates(
    rng: &mut Rng,
    customers: &[(Customer, Info)],
    plan: &Plan,
    end: DateTime<Utc>,
) -> Vec<Vec<Fate>> {
    let eligible = |min_age: i64, types: &[&str]| -> Vec<usize> {
        let found: Vec<usize> = customers
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| {
                c.owner.is_some()
                    && c.created_at <= end - Duration::days(min_age)
                    && (types.is_empty() || types.contains(&c.customer_type.as_str()))
            })
            .map(|(i, _)| i)
            .collect();
        if found.is_empty() {
            // A tiny plan: any owned customer old enough will do.
            customers
                .iter()
                .enumerate()
                .filter(|(_, (c, _))| c.owner.is_some() && c.created_at <= end - Duration::days(30))
                .map(|(i, _)| i)
                .collect()
        } else {
            found
        }
    };
    let won_to = eligible(30, &["signed", "agent"]);
    let lost_to = eligible(30, &[]);
    let open_to = eligible(3, &["potential", "signed", "agent"]);
    let closed = plan.deals - plan.open_deals;
    let won = closed * 45 / 100;
    let mut fates = vec![Vec::new(); customers.len()];
    for (count, to, fate) in [
        (won, &won_to, Fate::Won),
        (closed - won, &lost_to, Fate::Lost),
        (plan.open_deals, &open_to, Fate::Open),
    ] {
        if to.is_empty() {
            continue;
        }
        for _ in 0..count {
            let i = to[rng.random_range(0..to.len())];
            fates[i].push(fate);
        }
    }
    fates
}

/// The first demo user of a role, for the sign-in message.
pub fn first_of_role(users: &[User], role: crate::model::Role) -> Option<&User> {
    users.iter().find(|u| u.role == role)
}
