//! Server functions of products and the sales settings.

use guanxi_core::model::{Id, Product, ProductInput, SalesSettings, SalesSettingsInput};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the product page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductsView {
    pub products: Vec<Product>,
    /// Whether the caller may add and change products (admins, managers).
    pub can_edit: bool,
    /// (product, on hand, gross margin of all it delivered): the margin
    /// for admins and managers only.
    pub stock: Vec<(
        Id,
        guanxi_core::model::Quantity,
        Option<guanxi_core::model::Cents>,
    )>,
}

#[server(endpoint = "get_products")]
pub async fn get_products(include_inactive: bool) -> Result<ProductsView, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| {
        let can_edit = me.role != guanxi_core::model::Role::Rep;
        let levels = gx.stock_levels(&me)?.levels;
        let products = gx.products(&me, include_inactive)?;
        let mut stock = Vec::with_capacity(products.len());
        for p in &products {
            let on_hand = levels
                .iter()
                .find(|l| l.product_id == p.id)
                .map(|l| l.on_hand)
                .unwrap_or_default();
            let margin = if can_edit {
                Some(gx.product_margin(&me, p.id)?.margin)
            } else {
                None
            };
            stock.push((p.id, on_hand, margin));
        }
        Ok(ProductsView {
            products,
            can_edit,
            stock,
        })
    })
    .await
}

/// The product form as the browser posts it: a checkbox is there or not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: String,
    pub list_price: String,
    pub standard_cost: String,
    pub low_stock_threshold: String,
    pub active: Option<String>,
}

impl From<ProductForm> for ProductInput {
    fn from(f: ProductForm) -> Self {
        let optional = |s: String| (!s.trim().is_empty()).then_some(s);
        ProductInput {
            code: f.code,
            name: f.name,
            unit: f.unit,
            category: optional(f.category),
            list_price: f.list_price,
            standard_cost: f.standard_cost,
            active: f.active.is_some(),
            low_stock_threshold: optional(f.low_stock_threshold),
        }
    }
}

/// Creates a product (`id` empty) or saves an edit from `version`.
#[server(endpoint = "save_product")]
pub async fn save_product(
    #[server(default)] id: String,
    #[server(default)] version: u64,
    product: ProductForm,
) -> Result<Product, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| match id.trim() {
        "" => gx.create_product(&me, product.into()),
        id => {
            let id: Id = id.parse().map_err(|_| guanxi_core::Error::NotFound)?;
            gx.update_product(&me, id, version, product.into())
        }
    })
    .await
}

#[server(endpoint = "delete_product")]
pub async fn delete_product(id: Id, version: u64) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.delete_product(&me, id, Some(version))).await
}

#[server(endpoint = "get_sales_settings")]
pub async fn get_sales_settings() -> Result<SalesSettings, AppError> {
    use crate::ssr::*;
    current_user()?;
    call(move |gx| gx.sales_settings()).await
}

#[server(endpoint = "save_sales_settings")]
pub async fn save_sales_settings(
    version: u64,
    settings: SalesSettingsInput,
) -> Result<SalesSettings, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.update_sales_settings(Actor::User(&me), settings, version)).await
}
