//! Reading the customer list's filters: what the page, the REST API and the
//! CSV export all mean by a scope, a day, a sort.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::time;
use crate::error::{Error, Field, Problem, Result};
use crate::model::{ListParams, User};
use crate::store::{CustomerQuery, OwnerFilter, SortBy};

impl ListParams {
    /// The store query for page `self.page` of `limit` rows, as `me` asks
    /// it; days are read in the company's `zone`.
    pub fn to_query(&self, me: &User, zone: Tz, limit: usize) -> Result<CustomerQuery> {
        let scope = if self.owner.is_empty() {
            self.scope.as_str()
        } else {
            self.owner.as_str()
        };
        let owner = match scope {
            "" | "all" => OwnerFilter::Visible,
            "mine" => OwnerFilter::User(me.id),
            "pool" => OwnerFilter::Pool,
            id => OwnerFilter::User(
                id.parse()
                    .map_err(|_| Error::invalid(Field::Owner, Problem::Unknown))?,
            ),
        };
        let day = |text: &str, field| -> Result<Option<DateTime<Utc>>> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| Error::invalid(field, Problem::Malformed))?;
            Ok(time::start_of_day(zone, date))
        };
        let (descending, sort) = match self.sort.strip_prefix('-') {
            Some(rest) => (true, rest),
            None if self.sort.is_empty() => (true, "updated"),
            None => (false, self.sort.as_str()),
        };
        let sort = match sort {
            "name" => SortBy::Name,
            "created" => SortBy::Created,
            "contact" => SortBy::LastActivity,
            _ => SortBy::Updated,
        };
        Ok(CustomerQuery {
            owner,
            customer_type: self.customer_type.clone(),
            tag: self.tag.clone(),
            region: self.region.clone(),
            industry: self.industry.clone(),
            hot: match self.hot.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            contacted_from: day(&self.from, Field::At)?,
            // "To" is inclusive for people: up to the end of that day.
            contacted_before: day(&self.to, Field::At)?.map(|t| t + chrono::Duration::days(1)),
            created_from: day(&self.created_from, Field::Period)?,
            created_before: day(&self.created_to, Field::Period)?
                .map(|t| t + chrono::Duration::days(1)),
            team: self.team.trim().to_string(),
            owners: None,
            custom: self
                .field
                .split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .into_iter()
                .collect(),
            text: self.q.clone(),
            sort,
            descending,
            offset: self.page * limit,
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Role};

    fn me() -> User {
        User {
            id: Id::generate(),
            email: "li@example.cn".into(),
            name: "李".into(),
            role: Role::Rep,
            team: None,
            active: true,
            locale: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn an_owner_narrows_the_scope_and_a_bad_one_names_the_owner_field() {
        let me = me();
        let zone = time::zone("Asia/Shanghai");
        let params = ListParams {
            scope: "pool".into(),
            ..Default::default()
        };
        assert_eq!(
            params.to_query(&me, zone, 50).unwrap().owner,
            OwnerFilter::Pool
        );
        let narrowed = ListParams {
            scope: "pool".into(),
            owner: me.id.to_string(),
            ..Default::default()
        };
        assert_eq!(
            narrowed.to_query(&me, zone, 50).unwrap().owner,
            OwnerFilter::User(me.id)
        );
        let bad = ListParams {
            scope: "nobody".into(),
            ..Default::default()
        };
        assert_eq!(
            bad.to_query(&me, zone, 50),
            Err(Error::invalid(Field::Owner, Problem::Unknown))
        );
    }

    #[test]
    fn the_to_day_is_inclusive_in_the_company_zone_and_pages_offset() {
        let params = ListParams {
            from: "2026-03-10".into(),
            to: "2026-03-10".into(),
            sort: "name".into(),
            page: 2,
            ..Default::default()
        };
        let query = params
            .to_query(&me(), time::zone("Asia/Shanghai"), 50)
            .unwrap();
        let midnight = "2026-03-09T16:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(query.contacted_from, Some(midnight));
        assert_eq!(
            query.contacted_before,
            Some(midnight + chrono::Duration::days(1))
        );
        assert_eq!((query.sort, query.descending), (SortBy::Name, false));
        assert_eq!((query.offset, query.limit), (100, 50));
    }

    #[test]
    fn a_created_range_holds_both_days_and_a_bad_day_names_the_period() {
        let params = ListParams {
            created_from: "2026-01-01".into(),
            created_to: "2026-12-31".into(),
            ..Default::default()
        };
        let query = params
            .to_query(&me(), time::zone("Asia/Shanghai"), 50)
            .unwrap();
        let new_year = "2025-12-31T16:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(query.created_from, Some(new_year));
        assert_eq!(
            query.created_before,
            Some("2026-12-31T16:00:00Z".parse::<DateTime<Utc>>().unwrap())
        );
        let bad = ListParams {
            created_to: "2026-13-01".into(),
            ..Default::default()
        };
        assert_eq!(
            bad.to_query(&me(), time::zone("Asia/Shanghai"), 50),
            Err(Error::invalid(Field::Period, Problem::Malformed))
        );
    }
}
