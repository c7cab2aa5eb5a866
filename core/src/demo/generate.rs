//! The demo records, made by plain functions from one seeded RNG: the same
//! seed and day always give the same records, ids included (ids are ULIDs
//! of the record's creation time and random bits from the RNG, so they sort
//! by creation time like the app's own).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rand::Rng as _;
use rand::seq::{IndexedRandom, SliceRandom};

use super::calendar::{Calendar, Season};
use super::names::*;
use crate::domain::deals as pipeline_rules;
use crate::model::{
    Activity, ActivityKind, BuiltInReason, Cents, Company, Competitor, Contact, CustomField,
    CustomFieldKind, Customer, CustomerKind, CustomerSettings, Deal, DealSize, DealStatus,
    DefaultStage, HotFlag, Id, Locale, OwnerShare, Pipeline, Qualification, Role, StageChange,
    Task, User,
};
use crate::store::NewDeal;

/// ChaCha8: a seed gives the same stream on every platform and release.
pub type Rng = rand_chacha::ChaCha8Rng;

/// An id for a record created at `at`: a ULID, as the app makes them.
pub fn id_at(rng: &mut Rng, at: DateTime<Utc>) -> Id {
    let millis = at.timestamp_millis().max(0) as u128;
    Id((millis << 80) | (rng.random::<u128>() >> 48))
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// An item of `items` drawn by the weights `weight` gives them.
fn pick_by<'a, T>(rng: &mut Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut target = rng.random_range(0..total.max(1));
    for item in items {
        let w = weight(item);
        if target < w {
            return item;
        }
        target -= w;
    }
    &items[items.len() - 1]
}

fn pick_weighted<'a, T>(rng: &mut Rng, items: &'a [(T, u32)]) -> &'a T {
    &pick_by(rng, items, |(_, w)| *w).0
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    items.choose(rng).expect("name lists are not empty")
}

/// An index below `len`, low ones far more likely (for name frequencies).
fn skewed(rng: &mut Rng, len: usize) -> usize {
    let u: f64 = rng.random();
    ((u * u * len as f64) as usize).min(len - 1)
}

/// Beijing time is UTC+8 all year.
fn local_date(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

fn local_time(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
    Utc.from_utc_datetime(&date.and_time(time)) - Duration::hours(8)
}

/// A person's name and the pinyin to spell their email with.
pub struct Person {
    pub name: String,
    /// `given.family` in latin letters.
    pub latin: String,
}

pub fn chinese_person(rng: &mut Rng) -> Person {
    let (surname, surname_py) = SURNAMES[skewed(rng, SURNAMES.len())];
    let given_list = if chance(rng, 0.45) {
        GIVEN_FEMALE
    } else {
        GIVEN_MALE
    };
    let count = if chance(rng, 0.35) { 1 } else { 2 };
    let mut given = String::new();
    let mut given_py = String::new();
    for _ in 0..count {
        let (c, py) = pick(rng, given_list);
        given.push_str(c);
        given_py.push_str(py);
    }
    Person {
        name: format!("{surname}{given}"),
        latin: format!("{given_py}.{surname_py}"),
    }
}

fn english_person(rng: &mut Rng) -> Person {
    let first = pick(rng, ENGLISH_FIRST);
    let last = pick(rng, ENGLISH_LAST);
    Person {
        name: format!("{first} {last}"),
        latin: format!("{first}.{last}").to_lowercase(),
    }
}

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "186", "187",
    "188", "189", "198", "199",
];

/// A team: a name on its users, the areas it sells in, its manager and reps.
pub struct Team {
    pub areas: Vec<Area>,
    pub manager: Id,
    pub reps: Vec<Id>,
}

impl Team {
    /// Everyone who may own the team's customers.
    fn members(&self) -> impl Iterator<Item = Id> + '_ {
        std::iter::once(self.manager).chain(self.reps.iter().copied())
    }
}

/// How a deal ends up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Open,
    Won,
    Lost,
}

/// What later records need to know about a customer beyond the record.
pub struct Info {
    /// The brand, as deal titles name a customer.
    pub short: String,
    pub domain: Option<String>,
    pub english: bool,
    /// Of the customer's city, for its contacts' landlines.
    pub area_code: &'static str,
}

/// What the generated deals came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DealStats {
    pub open: u64,
    pub suspended: u64,
    pub stalled: u64,
    pub won: u64,
    pub lost: u64,
}

/// Everything the records refer to, and the names already taken.
pub struct World {
    pub calendar: Calendar,
    pub end: DateTime<Utc>,
    pub company: Company,
    pub users: Vec<User>,
    pub admin: Id,
    pub teams: Vec<Team>,
    team_of: HashMap<Id, usize>,
    pub pipeline: Pipeline,
    pub settings: CustomerSettings,
    taken_names: HashSet<String>,
    taken_phones: HashSet<String>,
    taken_domains: HashSet<String>,
    taken_emails: HashSet<String>,
    pub stats: DealStats,
}

pub const ADMIN_EMAIL: &str = "admin@example.com";

impl World {
    /// The company, its people in `teams` teams of a manager and `reps`
    /// reps in all, and the pipeline, as they stood when the company
    /// started using Guanxi.
    pub fn new(rng: &mut Rng, calendar: Calendar, teams: usize, reps: usize) -> World {
        let end = calendar.end();
        let founded = calendar.start() - Duration::days(14);
        let company = Company {
            name: "星辰智能装备有限公司".into(),
            currency: crate::model::DEFAULT_CURRENCY.into(),
            time_zone: crate::model::DEFAULT_TIME_ZONE.into(),
            default_locale: Locale::ZhCn,
            session_idle_minutes: crate::model::DEFAULT_SESSION_IDLE_MINUTES,
            updated_at: founded,
            version: 1,
        };
        let mut emails: HashSet<String> = HashSet::new();
        let mut joined = founded;
        let mut user = |rng: &mut Rng, role: Role, team: Option<&str>| {
            joined += Duration::minutes(rng.random_range(5..60));
            let person = chinese_person(rng);
            let mut email = match role {
                Role::Admin => ADMIN_EMAIL.to_string(),
                _ => format!("{}@example.com", person.latin),
            };
            let mut n = 2;
            while !emails.insert(email.clone()) {
                email = format!("{}{n}@example.com", person.latin);
                n += 1;
            }
            User {
                id: id_at(rng, joined),
                email,
                name: person.name,
                role,
                team: team.map(Into::into),
                active: true,
                locale: (role == Role::Admin).then_some(Locale::ZhCn),
                created_at: joined,
                updated_at: joined,
                version: 1,
            }
        };
        let admin = user(rng, Role::Admin, None);
        let mut users = vec![admin.clone()];
        let mut team_list = Vec::new();
        let mut team_of = HashMap::new();
        for t in 0..teams {
            let (name, areas) = if teams == 1 {
                ("销售一部".to_string(), Area::ALL.to_vec())
            } else {
                let area = Area::ALL[t % Area::ALL.len()];
                (area.team().to_string(), vec![area])
            };
            let manager = user(rng, Role::Manager, Some(&name));
            team_of.insert(manager.id, t);
            let mut team = Team {
                areas,
                manager: manager.id,
                reps: Vec::new(),
            };
            users.push(manager);
            // Reps dealt out evenly, the first teams one more.
            let count = reps / teams + usize::from(t < reps % teams);
            for _ in 0..count {
                let rep = user(rng, Role::Rep, Some(&name));
                team_of.insert(rep.id, t);
                team.reps.push(rep.id);
                users.push(rep);
            }
            team_list.push(team);
        }
        let pipeline_id = id_at(rng, founded);
        let mut stages = pipeline_rules::default_stages(|| id_at(rng, founded));
        for stage in &mut stages {
            // Stall limits and checklists, as an admin would set them up.
            let (stall, checklist): (Option<u32>, &[&str]) = match stage.preset {
                Some(DefaultStage::InitialContact) => (Some(30), &[]),
                Some(DefaultStage::Evaluation) => (Some(21), &[]),
                Some(DefaultStage::NeedsAnalysis) => (Some(30), &["确认预算", "确认决策人"]),
                Some(DefaultStage::Bidding) => (None, &["提交投标文件"]),
                Some(DefaultStage::Negotiation) => (Some(14), &[]),
                _ => (None, &[]),
            };
            stage.stall_days = stall;
            stage.checklist = checklist.iter().map(|s| s.to_string()).collect();
        }
        let pipeline = Pipeline {
            id: pipeline_id,
            name: String::new(),
            stages,
            version: 1,
        };
        let settings = CustomerSettings {
            custom_fields: vec![
                CustomField {
                    key: "f1".into(),
                    label: "员工规模".into(),
                    kind: CustomFieldKind::Choice,
                    options: EMPLOYEES.iter().map(|s| s.to_string()).collect(),
                },
                CustomField {
                    key: "f2".into(),
                    label: "年采购额（万元）".into(),
                    kind: CustomFieldKind::Number,
                    options: Vec::new(),
                },
            ],
            ..CustomerSettings::default()
        };
        World {
            calendar,
            end,
            company,
            admin: admin.id,
            users,
            teams: team_list,
            team_of,
            pipeline,
            settings,
            taken_names: HashSet::new(),
            taken_phones: HashSet::new(),
            taken_domains: HashSet::new(),
            taken_emails: emails,
            stats: DealStats::default(),
        }
    }

    fn team_of(&self, user: Id) -> Option<&Team> {
        self.team_of.get(&user).map(|&t| &self.teams[t])
    }

    fn team_for(&self, area: Area) -> &Team {
        self.teams
            .iter()
            .find(|t| t.areas.contains(&area))
            .unwrap_or(&self.teams[0])
    }

    fn any_rep(&self, rng: &mut Rng) -> Id {
        let team = pick(rng, &self.teams);
        team.reps.choose(rng).copied().unwrap_or(team.manager)
    }

    /// Who did something about a customer: mostly its owner, sometimes a
    /// colleague of the owner's team; for the pool, any rep (a former owner).
    fn actor(&self, rng: &mut Rng, owner: Option<Id>) -> Id {
        let Some(owner) = owner else {
            return self.any_rep(rng);
        };
        match self.team_of(owner) {
            Some(team) if !chance(rng, 0.85) => {
                let members: Vec<Id> = team.members().collect();
                *pick(rng, &members)
            }
            _ => owner,
        }
    }

    fn unique_phone(&mut self, rng: &mut Rng, mobile: bool, area_code: &str) -> String {
        loop {
            let (digits_only, shown) = if mobile {
                let prefix = *pick(rng, MOBILE_PREFIXES);
                let rest = digits(rng, 8);
                let number = format!("{prefix}{rest}");
                let shown = match rng.random_range(0..4) {
                    0 => number.clone(),
                    1 => format!("{prefix} {} {}", &rest[..4], &rest[4..]),
                    2 => format!("{prefix}-{}-{}", &rest[..4], &rest[4..]),
                    _ => format!("+86 {prefix} {} {}", &rest[..4], &rest[4..]),
                };
                (number, shown)
            } else {
                let local = format!("{}{}", rng.random_range(2..9u8), digits(rng, 7));
                let (a, b) = local.split_at(4);
                let shown = match rng.random_range(0..4) {
                    0 => format!("{area_code}-{a} {b}"),
                    1 => format!("{area_code}-{local}"),
                    2 => format!("({area_code}) {a}-{b}"),
                    _ => format!("+86 {} {a} {b}", &area_code[1..]),
                };
                (format!("{area_code}{local}"), shown)
            };
            if self.taken_phones.insert(digits_only) {
                return shown;
            }
        }
    }

    fn unique_domain(&mut self, rng: &mut Rng, brand: &str, tag: &str, city: &str) -> String {
        let tld = *pick(rng, &[".com", ".com.cn", ".cn"]);
        let candidates = [
            format!("{brand}{tld}"),
            format!("{brand}-{tag}{tld}"),
            format!("{city}{brand}{tld}"),
        ];
        for domain in candidates {
            if self.taken_domains.insert(domain.clone()) {
                return domain;
            }
        }
        loop {
            let domain = format!("{brand}{}{tld}", rng.random_range(1..1000));
            if self.taken_domains.insert(domain.clone()) {
                return domain;
            }
        }
    }

    fn unique_email(&mut self, rng: &mut Rng, local: &str, domain: &str) -> String {
        let mut email = format!("{local}@{domain}");
        while !self.taken_emails.insert(email.clone()) {
            email = format!("{local}{}@{domain}", rng.random_range(1..100));
        }
        email
    }

    /// A new customer created at `created_at`, owned by a member of the
    /// team that sells in its city or, with `pool_share`, in the pool.
    pub fn customer(
        &mut self,
        rng: &mut Rng,
        created_at: DateTime<Utc>,
        imported: bool,
        pool_share: f64,
    ) -> (Customer, Info) {
        let city = pick_by(rng, CITIES, |c| c.weight);
        let team = self.team_for(city.area);
        let owner = if chance(rng, pool_share) {
            None
        } else if chance(rng, 0.9) && !team.reps.is_empty() {
            team.reps.choose(rng).copied()
        } else {
            Some(team.manager)
        };
        let created_by = match (imported, owner) {
            (true, _) => self.admin,
            (false, Some(owner)) => owner,
            (false, None) => self.any_rep(rng),
        };
        let customer_type = if owner.is_some() {
            pick_weighted(
                rng,
                &[
                    ("potential", 50),
                    ("signed", 38),
                    ("agent", 7),
                    ("invalid", 5),
                ],
            )
        } else {
            pick_weighted(rng, &[("potential", 60), ("invalid", 40)])
        };
        let person = chance(rng, 0.08);
        let english = !person && chance(rng, 0.07);
        let industry = pick_by(rng, INDUSTRIES, |i| i.weight);
        let (name, short, domain) = if person {
            let mut p = chinese_person(rng);
            for _ in 0..4 {
                if !self.taken_names.contains(&p.name) {
                    break;
                }
                p = chinese_person(rng);
            }
            self.taken_names.insert(p.name.clone());
            (p.name.clone(), p.name, None)
        } else {
            loop {
                let (a, a_py) = pick(rng, BRAND_CHARS);
                let (b, b_py) = pick(rng, BRAND_CHARS);
                if a == b {
                    continue;
                }
                let (word, tag) = pick(rng, industry.words);
                let name = if english {
                    let brand = pick(rng, ENGLISH_BRANDS);
                    let form = pick(rng, ENGLISH_FORMS);
                    let mut place = city.pinyin.to_string();
                    place[..1].make_ascii_uppercase();
                    format!("{brand} {} ({place}) {form}", industry.english)
                } else {
                    let form = pick_weighted(rng, COMPANY_FORMS);
                    let place = if chance(rng, 0.8) { city.name } else { "" };
                    format!("{place}{a}{b}{word}{form}")
                };
                if !self.taken_names.insert(name.clone()) {
                    continue;
                }
                let short = if english {
                    name.split(" (").next().unwrap_or(&name).to_string()
                } else {
                    format!("{a}{b}")
                };
                let brand_py = if english {
                    short.to_lowercase().replace([' ', '-'], "")
                } else {
                    format!("{a_py}{b_py}")
                };
                let domain =
                    chance(rng, 0.75).then(|| self.unique_domain(rng, &brand_py, tag, city.pinyin));
                break (name, short, domain);
            }
        };
        let phone = match (person, rng.random_range(0..100)) {
            (true, 0..90) | (false, 75..90) => Some(self.unique_phone(rng, true, city.area_code)),
            (false, 0..75) => Some(self.unique_phone(rng, false, city.area_code)),
            _ => None,
        };
        let email = match &domain {
            Some(domain) if chance(rng, 0.7) => {
                let local = *pick(rng, &["sales", "info", "service", "contact", "market"]);
                Some(self.unique_email(rng, local, domain))
            }
            None if person && chance(rng, 0.5) => {
                let mail = *pick(rng, FREE_MAIL);
                let local = format!("{}{}", name_latin_hint(rng), rng.random_range(10..9999));
                Some(self.unique_email(rng, &local, mail))
            }
            _ => None,
        };
        let website = domain
            .as_ref()
            .filter(|_| chance(rng, 0.5))
            .map(|d| format!("https://www.{d}"));
        let address = chance(rng, 0.7).then(|| {
            format!(
                "{}{}{}{}号",
                city.region(),
                pick(rng, DISTRICTS),
                pick(rng, ROADS),
                rng.random_range(1..999)
            )
        });
        let mut tags: Vec<String> = Vec::new();
        let tag_count = *pick_weighted(rng, &[(0usize, 50), (1, 30), (2, 15), (3, 5)]);
        while tags.len() < tag_count {
            let tag = pick(rng, TAGS).to_string();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let mut custom = BTreeMap::new();
        if !person && chance(rng, 0.5) {
            custom.insert("f1".to_string(), pick(rng, EMPLOYEES).to_string());
        }
        if !person && chance(rng, 0.3) {
            custom.insert("f2".to_string(), rng.random_range(5..2000u32).to_string());
        }
        let customer = Customer {
            id: id_at(rng, created_at),
            name,
            kind: if person {
                CustomerKind::Person
            } else {
                CustomerKind::Company
            },
            customer_type: customer_type.to_string(),
            source: chance(rng, 0.85).then(|| pick_weighted(rng, SOURCES).to_string()),
            industry: (!person).then(|| industry.name.to_string()),
            region: Some(city.region()),
            grade: chance(rng, 0.75).then(|| pick_weighted(rng, GRADES).to_string()),
            tags,
            owner,
            phone,
            email,
            address,
            website,
            notes: chance(rng, 0.15).then(|| pick(rng, CUSTOMER_NOTES).to_string()),
            hot: (owner.is_some() && chance(rng, 0.03)).then(|| HotFlag {
                hint: pick(rng, HOT_HINTS).to_string(),
            }),
            custom,
            created_at,
            created_by,
            updated_at: created_at,
            deleted_at: None,
            version: 1,
        };
        let info = Info {
            short,
            domain,
            english,
            area_code: city.area_code,
        };
        (customer, info)
    }

    /// `count` contacts of a customer; a person customer is its own contact.
    pub fn contacts(
        &mut self,
        rng: &mut Rng,
        customer: &Customer,
        info: &Info,
        count: usize,
    ) -> Vec<Contact> {
        let area_code = info.area_code;
        let mut out = Vec::with_capacity(count);
        for n in 0..count {
            let created_at = if n == 0 {
                customer.created_at
            } else {
                self.calendar.moment(rng, customer.created_at, self.end)
            };
            let (person, title, role) = if customer.kind == CustomerKind::Person {
                let person = Person {
                    name: customer.name.clone(),
                    latin: name_latin_hint(rng),
                };
                (
                    person,
                    None,
                    Some(crate::model::DecisionRole::DecisionMaker),
                )
            } else if info.english && chance(rng, 0.7) {
                let (title, role) = pick(rng, ENGLISH_TITLES);
                (english_person(rng), Some(title.to_string()), *role)
            } else {
                let person = if chance(rng, 0.03) {
                    english_person(rng)
                } else {
                    chinese_person(rng)
                };
                let (title, role, _) = pick_by(rng, TITLES, |t| t.2);
                let role = if chance(rng, 0.3) { None } else { *role };
                (person, chance(rng, 0.9).then(|| title.to_string()), role)
            };
            let mut phones = Vec::new();
            if customer.kind == CustomerKind::Person {
                phones.extend(customer.phone.clone());
            } else {
                phones.push(self.unique_phone(rng, true, area_code));
                if chance(rng, 0.2) {
                    phones.push(self.unique_phone(rng, false, area_code));
                }
            }
            let email = if chance(rng, 0.5) {
                let domain = match &info.domain {
                    Some(d) => d.clone(),
                    None => pick(rng, FREE_MAIL).to_string(),
                };
                let local = person.latin.clone();
                Some(self.unique_email(rng, &local, &domain))
            } else {
                None
            };
            let wechat = chance(rng, 0.4).then(|| match rng.random_range(0..3) {
                0 => format!("wxid_{}", digits(rng, 10)),
                1 => phones
                    .first()
                    .map(|p| p.chars().filter(char::is_ascii_digit).collect())
                    .unwrap_or_else(|| digits(rng, 11)),
                _ => format!(
                    "{}{}",
                    person.latin.replace('.', "_"),
                    rng.random_range(1..99)
                ),
            });
            let birthday = chance(rng, 0.2)
                .then(|| {
                    NaiveDate::from_ymd_opt(
                        rng.random_range(1960..1998),
                        rng.random_range(1..13),
                        rng.random_range(1..29),
                    )
                })
                .flatten();
            out.push(Contact {
                id: id_at(rng, created_at),
                customer_id: customer.id,
                name: person.name,
                title,
                phones,
                email,
                wechat,
                birthday,
                notes: chance(rng, 0.1).then(|| pick(rng, CONTACT_NOTES).to_string()),
                role,
                created_at,
                updated_at: created_at,
                version: 1,
            });
        }
        out
    }

    fn product(&self, rng: &mut Rng, english: bool) -> &'static str {
        let products = if english { ENGLISH_PRODUCTS } else { PRODUCTS };
        products.choose(rng).copied().unwrap_or_default()
    }

    /// A deal of an owned customer that comes to `fate`, with a stage
    /// history that keeps the pipeline's rules: created in the first stage,
    /// mostly forward, now and then a step back, each change after the one
    /// before, checklists ticked before a stage was left, closed deals in
    /// their outcome stage with a reason.
    pub fn deal(&mut self, rng: &mut Rng, customer: &Customer, info: &Info, fate: Fate) -> NewDeal {
        let lead = customer.owner.unwrap_or(self.admin);
        let stages = self.pipeline.stages.clone();
        let open_count = stages.iter().filter(|s| s.outcome.is_none()).count();
        let outcome_stage = |outcome| {
            stages
                .iter()
                .position(|s| s.outcome == Some(outcome))
                .expect("the pipeline has both outcomes")
        };
        let reach = match fate {
            Fate::Won => *pick_weighted(rng, &[(4usize, 80), (3, 15), (2, 5)]),
            Fate::Lost => *pick_weighted(rng, &[(0usize, 25), (1, 25), (2, 20), (3, 15), (4, 15)]),
            Fate::Open => *pick_weighted(rng, &[(0usize, 30), (1, 22), (2, 20), (3, 15), (4, 13)]),
        }
        .min(open_count - 1);
        let mut path = vec![0usize];
        let mut current = 0;
        while current < reach {
            current += if current + 2 <= reach && chance(rng, 0.1) {
                2
            } else {
                1
            };
            path.push(current);
            if path.len() < 9 && chance(rng, 0.08) {
                // Back a stage (a new decision maker, a budget query) and on again.
                path.push(current - 1);
                path.push(current);
            }
        }
        if fate == Fate::Open && current > 0 && chance(rng, 0.05) {
            path.push(current - 1);
        }
        let closed = fate != Fate::Open;
        let moves = path.len() - 1 + usize::from(closed);
        let earliest = customer.created_at + Duration::hours(1);
        let times = if closed {
            let close = self.calendar.moment(
                rng,
                earliest + Duration::days(14),
                self.end - Duration::days(1),
            );
            let cycle = match fate {
                Fate::Won => rng.random_range(20..150),
                _ => rng.random_range(10..120),
            };
            let created = (close - Duration::days(cycle)).max(earliest);
            self.spread(rng, created, close, moves)
        } else {
            let stage = &stages[*path.last().unwrap_or(&0)];
            let stalled = stage.stall_days.is_some() && chance(rng, 0.22);
            let days_in_stage = match (stage.stall_days, stalled) {
                (Some(limit), true) => {
                    rng.random_range(i64::from(limit) + 1..=i64::from(limit) + 90)
                }
                (Some(limit), false) => rng.random_range(0..i64::from(limit)),
                (None, _) => rng.random_range(0..75),
            };
            let mut entered = self.calendar.moment(
                rng,
                self.end - Duration::days(days_in_stage + 1),
                self.end - Duration::days(days_in_stage),
            );
            let before: i64 = (0..moves).map(|_| rng.random_range(5..35)).sum();
            let mut created = entered - Duration::days(before);
            if moves == 0 {
                created = entered;
            }
            if created < earliest {
                created = earliest;
                if moves == 0 || entered < created + Duration::days(1) {
                    entered = self
                        .calendar
                        .moment(rng, created + Duration::hours(2), self.end);
                }
                if moves == 0 {
                    created = entered;
                }
            }
            self.spread(rng, created, entered, moves)
        };
        let created_at = times[0];
        let deal_id = id_at(rng, created_at);
        let by = |rng: &mut Rng, world: &World| match world.team_of(lead) {
            Some(team) if chance(rng, 0.1) => team.manager,
            _ => lead,
        };
        let mut history = Vec::with_capacity(times.len());
        let mut targets: Vec<usize> = path.clone();
        if closed {
            targets.push(outcome_stage(if fate == Fate::Won {
                crate::model::Outcome::Won
            } else {
                crate::model::Outcome::Lost
            }));
        }
        for (i, (&to, &at)) in targets.iter().zip(&times).enumerate() {
            let change = StageChange {
                deal_id,
                from: (i > 0).then(|| stages[targets[i - 1]].id),
                to: stages[to].id,
                at,
                by: if i == 0 { lead } else { by(rng, self) },
            };
            history.push((id_at(rng, at), change));
        }
        // Checklists: ticked in full wherever the deal moved on (the app
        // refuses the move otherwise), partly where it sits or was lost.
        let mut checklist_done: BTreeMap<Id, Vec<String>> = BTreeMap::new();
        let mut ticks = 0;
        for (i, &stage_index) in path.iter().enumerate() {
            let stage = &stages[stage_index];
            let left = i + 1 < path.len() || fate == Fate::Won;
            for item in &stage.checklist {
                // Ticks stay when a deal comes back to a stage.
                let done = checklist_done.entry(stage.id).or_default();
                if !done.contains(item) && (left || chance(rng, 0.5)) {
                    done.push(item.clone());
                    ticks += 1;
                }
            }
        }
        checklist_done.retain(|_, done| !done.is_empty());
        let last_open = &stages[*path.last().unwrap_or(&0)];
        let amount_yuan = (rng.random_range(8_000f64.ln()..3_000_000f64.ln())).exp();
        let amount = Cents(((amount_yuan / 100.0).round() as i64).max(1) * 100 * 100);
        let product = self.product(rng, info.english);
        let title = if info.english {
            format!("{} {product}", info.short)
        } else {
            let prefix = pick(rng, DEAL_PREFIXES);
            format!("{}{prefix}{product}项目", info.short)
        };
        let competitor_count = *pick_weighted(rng, &[(0usize, 35), (1, 35), (2, 20), (3, 10)]);
        let competitor_count = if fate == Fate::Lost && chance(rng, 0.75) {
            competitor_count.max(1)
        } else {
            competitor_count
        };
        let mut names: Vec<&str> = COMPETITORS.to_vec();
        names.shuffle(rng);
        let competitors: Vec<Competitor> = names
            .into_iter()
            .take(competitor_count)
            .map(|name| Competitor {
                name: name.to_string(),
                price: chance(rng, 0.6).then(|| {
                    Cents((amount.0 as f64 * rng.random_range(0.75..1.2)) as i64 / 10_000 * 10_000)
                }),
                strengths: chance(rng, 0.6).then(|| pick(rng, STRENGTHS).to_string()),
                weaknesses: chance(rng, 0.5).then(|| pick(rng, WEAKNESSES).to_string()),
            })
            .collect();
        let (status, close_reason, lost_to) = match fate {
            Fate::Open if chance(rng, 0.04) => (DealStatus::Suspended, None, None),
            Fate::Open => (DealStatus::Open, None, None),
            Fate::Won => (
                DealStatus::Won,
                Some(pick(rng, &BuiltInReason::WON).code().to_string()),
                None,
            ),
            Fate::Lost => {
                let reason = if !competitors.is_empty() && chance(rng, 0.45) {
                    BuiltInReason::Competitor
                } else {
                    *pick(rng, &BuiltInReason::LOST)
                };
                let lost_to = (!competitors.is_empty()
                    && (reason == BuiltInReason::Competitor || chance(rng, 0.6)))
                .then(|| pick(rng, &competitors).name.clone());
                (DealStatus::Lost, Some(reason.code().to_string()), lost_to)
            }
        };
        let last_change = *times.last().unwrap_or(&created_at);
        let suspended_at = (status == DealStatus::Suspended)
            .then(|| self.calendar.moment(rng, last_change, self.end));
        let expected_close = if closed {
            local_date(last_change) + Duration::days(rng.random_range(-20..20))
        } else {
            local_date(last_change) + Duration::days(rng.random_range(20..120))
        };
        let confidence =
            (i32::from(last_open.probability) + rng.random_range(-10..=10)).clamp(0, 100) as u8;
        let owners = match self.team_of(lead) {
            Some(team) if chance(rng, 0.15) => {
                let others: Vec<Id> = team.members().filter(|m| *m != lead).collect();
                match others.choose(rng) {
                    Some(&other) => {
                        let lead_share = *pick(rng, &[50u8, 60, 70, 80]);
                        vec![
                            OwnerShare {
                                user: lead,
                                percent: lead_share,
                            },
                            OwnerShare {
                                user: other,
                                percent: 100 - lead_share,
                            },
                        ]
                    }
                    None => vec![OwnerShare {
                        user: lead,
                        percent: 100,
                    }],
                }
            }
            _ => vec![OwnerShare {
                user: lead,
                percent: 100,
            }],
        };
        let qualification =
            (amount < Cents(5_000_000) && chance(rng, 0.5)).then(|| Qualification {
                valuable: chance(rng, 0.8),
                size: if amount < Cents(2_000_000) {
                    DealSize::Small
                } else {
                    DealSize::Medium
                },
                expected_amount: Some(amount),
                next_milestone: Some(pick(rng, MILESTONES).to_string()),
            });
        let last = &history.last().expect("a history has its creation").1;
        let deal = Deal {
            id: deal_id,
            pipeline_id: self.pipeline.id,
            stage_id: last.to,
            customer_id: customer.id,
            title,
            amount,
            expected_close: Some(expected_close),
            confidence,
            owners,
            competitors,
            requirements: chance(rng, 0.4).then(|| pick(rng, REQUIREMENTS).to_string()),
            solution: chance(rng, 0.3).then(|| pick(rng, SOLUTIONS).to_string()),
            source_campaign: chance(rng, 0.2).then(|| pick(rng, CAMPAIGNS).to_string()),
            qualification,
            checklist_done,
            status,
            close_reason,
            lost_to,
            stage_entered_at: last.at,
            created_at,
            updated_at: suspended_at.unwrap_or(last.at),
            version: (history.len() + ticks + usize::from(suspended_at.is_some())) as u64,
        };
        match deal.status {
            DealStatus::Open => {
                self.stats.open += 1;
                if pipeline_rules::is_stalled(
                    deal.status,
                    deal.stage_entered_at,
                    last_open,
                    self.end,
                ) {
                    self.stats.stalled += 1;
                }
            }
            DealStatus::Suspended => {
                self.stats.open += 1;
                self.stats.suspended += 1;
            }
            DealStatus::Won => self.stats.won += 1,
            DealStatus::Lost => self.stats.lost += 1,
        }
        NewDeal { deal, history }
    }

    /// `first`, `moves` moments after it in office hours, the last at
    /// `last`; each at least a minute after the one before.
    fn spread(
        &self,
        rng: &mut Rng,
        first: DateTime<Utc>,
        last: DateTime<Utc>,
        moves: usize,
    ) -> Vec<DateTime<Utc>> {
        let minute = Duration::minutes(1);
        let mut times = vec![first];
        if moves == 0 {
            return times;
        }
        let last = last.max(first + minute * (2 * moves as i32 + 2));
        let mut between: Vec<DateTime<Utc>> = (1..moves)
            .map(|_| {
                self.calendar
                    .moment(rng, first + minute, last - minute * moves as i32)
            })
            .collect();
        between.sort();
        for at in between.into_iter().chain([last]) {
            let previous = *times.last().unwrap_or(&first);
            times.push(at.max(previous + minute));
        }
        times
    }

    /// `count` activities about a customer over its life, of every kind.
    pub fn activities(
        &self,
        rng: &mut Rng,
        customer: &Customer,
        info: &Info,
        contacts: &[Contact],
        count: usize,
        out: &mut Vec<Activity>,
    ) {
        const KINDS: &[(ActivityKind, u32)] = &[
            (ActivityKind::Call, 30),
            (ActivityKind::Wechat, 22),
            (ActivityKind::Visit, 10),
            (ActivityKind::Email, 10),
            (ActivityKind::Meeting, 7),
            (ActivityKind::Note, 11),
            (ActivityKind::Sms, 5),
            (ActivityKind::Qq, 5),
        ];
        for _ in 0..count {
            let at = self.calendar.moment(rng, customer.created_at, self.end);
            let kind = *pick_weighted(rng, KINDS);
            let contact = (!contacts.is_empty() && chance(rng, 0.8)).then(|| pick(rng, contacts));
            let contact_name = contact.map_or("客户", |c| c.name.as_str());
            let product = self.product(rng, info.english);
            let lines: &[&str] = match (info.english, self.calendar.season(at), kind) {
                (true, _, _) if chance(rng, 0.7) => ENGLISH_LINES,
                (_, Season::BeforeFestival, _) if chance(rng, 0.3) => FESTIVAL_LINES,
                (_, Season::QuarterEnd, _) if chance(rng, 0.25) => QUARTER_END_LINES,
                (_, _, ActivityKind::Call) => CALL_LINES,
                (_, _, ActivityKind::Visit) => VISIT_LINES,
                (_, _, ActivityKind::Sms) => SMS_LINES,
                (_, _, ActivityKind::Email) => EMAIL_LINES,
                (_, _, ActivityKind::Wechat) => WECHAT_LINES,
                (_, _, ActivityKind::Qq) => QQ_LINES,
                (_, _, ActivityKind::Meeting) => MEETING_LINES,
                (_, _, ActivityKind::Note) => NOTE_LINES,
            };
            let text = pick(rng, lines)
                .replace("{c}", contact_name)
                .replace("{p}", product);
            let delay = if chance(rng, 0.1) {
                Duration::hours(rng.random_range(12..40))
            } else {
                Duration::minutes(rng.random_range(1..180))
            };
            let created_at = (at + delay)
                .min(self.end - Duration::milliseconds(1))
                .max(at);
            out.push(Activity {
                id: id_at(rng, created_at),
                kind,
                customer_id: customer.id,
                contact_id: contact.map(|c| c.id),
                at,
                duration_minutes: (kind == ActivityKind::Call).then(|| 1 + skewed(rng, 40) as u32),
                text,
                by: self.actor(rng, customer.owner),
                created_at,
                deal_id: None,
            });
        }
    }

    /// `count` tasks: about `customer` (assigned to its owner; a fifth of
    /// them commitments to the customer) or, without one, a user's own.
    /// Most past ones are done, some overdue; some are still to come.
    pub fn tasks(
        &self,
        rng: &mut Rng,
        customer: Option<(&Customer, &Info, &[Contact])>,
        count: usize,
        out: &mut Vec<Task>,
    ) {
        let staff: Vec<&User> = self
            .users
            .iter()
            .filter(|u| u.role != Role::Admin)
            .collect();
        for _ in 0..count {
            let since = customer.map_or(self.calendar.start(), |(c, _, _)| c.created_at);
            let upcoming = chance(rng, 0.08);
            let created_at = if upcoming {
                self.calendar
                    .moment(rng, since.max(self.end - Duration::days(10)), self.end)
            } else {
                self.calendar.moment(rng, since, self.end)
            };
            let due_date = if upcoming {
                local_date(self.end) + Duration::days(rng.random_range(0..21))
            } else {
                local_date(created_at) + Duration::days(rng.random_range(1..15))
            };
            let (hour, minute) = *pick(rng, &[(10, 0), (14, 0), (17, 30), (18, 0), (9, 30)]);
            let due = local_time(due_date, hour, minute).max(created_at + Duration::minutes(30));
            let (assignee, commitment, title) = match customer {
                Some((c, info, contacts)) => {
                    let owner = c.owner.unwrap_or_else(|| self.any_rep(rng));
                    let commitment = chance(rng, 0.2);
                    let lines = if commitment {
                        COMMITMENT_TITLES
                    } else {
                        TASK_TITLES
                    };
                    let contact = contacts.choose(rng).map_or("客户", |c| c.name.as_str());
                    let title = pick(rng, lines)
                        .replace("{c}", contact)
                        .replace("{p}", self.product(rng, info.english));
                    (owner, commitment, title)
                }
                None => (
                    pick(rng, &staff).id,
                    false,
                    pick(rng, OWN_TASK_TITLES).to_string(),
                ),
            };
            let created_by = match self.team_of(assignee) {
                Some(team) if chance(rng, 0.15) => team.manager,
                _ => assignee,
            };
            let done = if due < self.end {
                chance(rng, 0.88)
            } else {
                chance(rng, 0.15)
            };
            let done_at = done.then(|| {
                let until = (due + Duration::days(2)).min(self.end);
                self.calendar
                    .moment(rng, created_at + Duration::minutes(10), until)
                    .min(self.end - Duration::seconds(1))
                    .max(created_at)
            });
            out.push(Task {
                id: id_at(rng, created_at),
                title,
                due,
                assignee,
                customer_id: customer.map(|(c, _, _)| c.id),
                commitment,
                done_at,
                created_by,
                created_at,
                version: 1 + u64::from(done),
            });
        }
    }
}

/// Latin letters for a free-mail address of a person customer.
fn name_latin_hint(rng: &mut Rng) -> String {
    let (_, surname) = SURNAMES[skewed(rng, SURNAMES.len())];
    let (_, given) = pick(rng, GIVEN_MALE);
    format!("{given}{surname}")
}

const EMPLOYEES: &[&str] = &["1-49人", "50-199人", "200-999人", "1000人以上"];

/// Splits `total` into one count per weight, in proportion and exactly:
/// the rounding remainder goes one by one to weights drawn at random.
pub fn allocate(rng: &mut Rng, total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let mut counts: Vec<usize> = weights
        .iter()
        .map(|w| (total as f64 * w / sum).floor() as usize)
        .collect();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut running = 0.0;
    for w in weights {
        running += w;
        cumulative.push(running);
    }
    let mut left = total - counts.iter().sum::<usize>().min(total);
    while left > 0 {
        let target = rng.random_range(0.0..sum);
        let i = cumulative
            .partition_point(|&c| c <= target)
            .min(weights.len() - 1);
        if weights[i] > 0.0 {
            counts[i] += 1;
            left -= 1;
        }
    }
    counts
}
