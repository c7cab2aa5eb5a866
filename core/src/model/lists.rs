//! A list's filters as a page's URL carries them, shared by the page, the
//! server function and the REST API.

use serde::{Deserialize, Serialize};

/// The customer list's filters as the page's URL carries them; empty means
/// "any". `scope` is `mine`, `pool`, a user id, or empty for all visible.
/// `domain::customers` reads them into a store query.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub scope: String,
    /// A user id from the owner menu; narrows any scope to that user.
    pub owner: String,
    pub q: String,
    #[serde(rename = "type")]
    pub customer_type: String,
    pub tag: String,
    pub region: String,
    pub industry: String,
    /// `yes`, `no` or empty.
    pub hot: String,
    /// Last contact from / before, as `YYYY-MM-DD` in the company's zone.
    pub from: String,
    pub to: String,
    /// Created from / to, as `YYYY-MM-DD` in the company's zone, both
    /// days included.
    pub created_from: String,
    pub created_to: String,
    /// A team's name: customers of its members.
    pub team: String,
    /// `custom field key=value`.
    pub field: String,
    /// `updated`, `name`, `created`, `contact`, each optionally prefixed by `-`
    /// for descending; empty is `-updated`.
    pub sort: String,
    pub page: usize,
}

impl ListParams {
    /// Reads the list's URL query.
    pub fn from_query(get: impl Fn(&str) -> String) -> Self {
        ListParams {
            scope: get("scope"),
            owner: get("owner"),
            q: get("q"),
            customer_type: get("type"),
            tag: get("tag"),
            region: get("region"),
            industry: get("industry"),
            hot: get("hot"),
            from: get("from"),
            to: get("to"),
            created_from: get("created_from"),
            created_to: get("created_to"),
            team: get("team"),
            field: get("field"),
            sort: get("sort"),
            page: get("page").parse().unwrap_or(0),
        }
    }
}
