//! The product list: everyone reads it (quotes pick from it), admins and
//! managers add and change products in a dialog, or import a sheet.

pub mod import;
pub mod sales_settings;

use guanxi_core::Field;
use guanxi_core::model::{Cents, Id, Product, Quantity};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::products::{SaveProduct, delete_product, get_products};
use crate::components::dialog::Dialog;
use crate::components::forms::{FormAlert, SubmitButton, TextField, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};
use crate::pages::PageHeader;
use leptos::task::spawn_local;

const PRODUCT_FIELDS: &[Field] = &[
    Field::Code,
    Field::Name,
    Field::Unit,
    Field::Category,
    Field::ListPrice,
    Field::StandardCost,
    Field::LowStockThreshold,
];

#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let inactive = move || query.with(|q| q.get("inactive").is_some_and(|v| v == "1"));
    let save = ServerAction::<SaveProduct>::new();
    let deleted = RwSignal::new(0u32);
    let products = Resource::new(
        move || (inactive(), save.version().get(), deleted.get()),
        |(all, _, _)| get_products(all),
    );
    let open = RwSignal::new(false);
    let editing = RwSignal::new(None::<Product>);
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            open.set(false);
        }
    });
    let edit = Callback::new(move |p: Option<Product>| {
        save.value().set(None);
        editing.set(p);
        open.set(true);
    });
    let title = Signal::derive(move || {
        let msg = if editing.get().is_some() {
            Msg::EditProduct
        } else {
            Msg::NewProduct
        };
        i18n.t(msg)().to_string()
    });
    view! {
        <Loaded resource=products let:view>
            {
                let can_edit = view.can_edit;
                // The export lists what the page lists.
                let export = move || {
                    if inactive() {
                        "/api/v1/products.csv?inactive=true"
                    } else {
                        "/api/v1/products.csv"
                    }
                };
                view! {
                    <PageHeader title=Msg::ProductsTitle intro=Msg::ProductsIntro>
                        <a class="btn" href=export rel="external" download="" id="export-products">{i18n.t(Msg::ExportCsv)}</a>
                        {can_edit.then(|| view! {
                            <a class="btn" href="/products/import" id="import-products">{i18n.t(Msg::ImportProducts)}</a>
                        })}
                        {can_edit.then(|| view! {
                            <button type="button" class="btn btn-primary" id="new-product" on:click=move |_| edit.run(None)>
                                "+ " {i18n.t(Msg::NewProduct)}
                            </button>
                        })}
                    </PageHeader>
                    {can_edit.then(|| view! { <p class="muted">{i18n.t(Msg::ProductsIntroEdit)}</p> })}
                    <form class="filters" method="get" action="/products">
                        <label class="check">
                            <input type="checkbox" name="inactive" value="1" checked=inactive() onchange="this.form.requestSubmit()" />
                            {i18n.t(Msg::ShowInactive)}
                        </label>
                    </form>
                    <ProductTable products=view.products stock=view.stock can_edit=can_edit on_edit=edit />
                }
            }
        </Loaded>
        <Dialog title=title open=open>
            {move || view! {
                <ProductForm action=save product=editing.get() on_deleted=Callback::new(move |_| {
                    open.set(false);
                    deleted.update(|n| *n += 1);
                }) />
            }}
        </Dialog>
    }
}

#[component]
fn ProductTable(
    products: Vec<Product>,
    stock: Vec<(Id, Quantity, Option<Cents>)>,
    can_edit: bool,
    on_edit: Callback<Option<Product>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if products.is_empty() {
        return view! { <p class="empty-state card">{i18n.t(Msg::NoProducts)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap card">
            <table class="table" id="products-table">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::ProductCode)}</th>
                        <th>{i18n.t(Msg::ProductName)}</th>
                        <th>{i18n.t(Msg::ProductCategory)}</th>
                        <th>{i18n.t(Msg::ProductUnit)}</th>
                        <th class="num">{i18n.t(Msg::ListPrice)}</th>
                        <th class="num">{i18n.t(Msg::StandardCost)}</th>
                        <th class="num">{i18n.t(Msg::LowStockThreshold)}</th>
                        <th class="num">{i18n.t(Msg::OnHand)}</th>
                        {can_edit.then(|| view! { <th class="num">{i18n.t(Msg::GrossMargin)}</th> })}
                        <th>{i18n.t(Msg::Status)}</th>
                        {can_edit.then(|| view! { <th class="actions-col">{i18n.t(Msg::Actions)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {products
                        .into_iter()
                        .map(|p| {
                            let target = p.clone();
                            let (on_hand, margin) = stock
                                .iter()
                                .find(|(id, _, _)| *id == p.id)
                                .map(|(_, q, m)| (*q, *m))
                                .unwrap_or_default();
                            view! {
                                <tr class:inactive=!p.active data-code=p.code.clone()>
                                    <td class="strong mono">{p.code.clone()}</td>
                                    <td>{p.name.clone()}</td>
                                    <td>{p.category.clone().unwrap_or_default()}</td>
                                    <td>{p.unit.clone()}</td>
                                    <td class="num">{i18n.money(p.list_price)}</td>
                                    <td class="num">{i18n.money(p.standard_cost)}</td>
                                    <td class="num">{p.low_stock_threshold.map(|q| q.to_string()).unwrap_or_default()}</td>
                                    <td class="num product-on-hand">
                                        {on_hand.to_string()}
                                        {p.low_stock_threshold.is_some_and(|t| on_hand <= t).then(|| view! { " " <span class="badge warn">{i18n.t(Msg::LowStockTitle)}</span> })}
                                    </td>
                                    {can_edit.then(|| view! { <td class="num product-margin">{margin.map(|m| i18n.money(m)()).unwrap_or_default()}</td> })}
                                    <td>
                                        {if p.active {
                                            view! { <span class="badge ok">{i18n.t(Msg::ProductActive)}</span> }.into_any()
                                        } else {
                                            view! { <span class="badge off">{i18n.t(Msg::ProductInactive)}</span> }.into_any()
                                        }}
                                    </td>
                                    {can_edit.then(|| view! {
                                        <td class="actions-col">
                                            <button type="button" class="btn btn-small edit-product" on:click=move |_| on_edit.run(Some(target.clone()))>
                                                {i18n.t(Msg::Edit)}
                                            </button>
                                        </td>
                                    })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ProductForm(
    action: ServerAction<SaveProduct>,
    product: Option<Product>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(action.value());
    let delete_error = RwSignal::new(None::<String>);
    let target = product.as_ref().map(|p| (p.id, p.version));
    let delete = move |_| {
        let Some((id, version)) = target else { return };
        if !window()
            .confirm_with_message(Msg::DeleteProductConfirm.text(i18n.now()))
            .unwrap_or(false)
        {
            return;
        }
        let locale = i18n.now();
        spawn_local(async move {
            match delete_product(id, version).await {
                Ok(()) => on_deleted.run(()),
                Err(e) => delete_error.set(Some(e.text(locale))),
            }
        });
    };
    let input = product
        .as_ref()
        .map(guanxi_core::model::ProductInput::from)
        .unwrap_or_default();
    let (id, version) = product
        .as_ref()
        .map(|p| (p.id.to_string(), p.version))
        .unwrap_or_default();
    let symbol = i18n.currency_symbol();
    view! {
        <ActionForm action=action attr:class="form" attr:id="product-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <div class="field-row">
                <TextField label=Msg::ProductCode name="product[code]" field=Field::Code error=error value=input.code required=true />
                <TextField label=Msg::ProductUnit name="product[unit]" field=Field::Unit error=error value=input.unit required=true hint=Msg::ProductUnitHint />
            </div>
            <TextField label=Msg::ProductName name="product[name]" field=Field::Name error=error value=input.name required=true />
            <TextField label=Msg::ProductCategory name="product[category]" field=Field::Category error=error value=input.category.unwrap_or_default() />
            <div class="field-row">
                <TextField label=Msg::ListPrice name="product[list_price]" field=Field::ListPrice error=error value=input.list_price required=true prefix=symbol.clone() />
                <TextField label=Msg::StandardCost name="product[standard_cost]" field=Field::StandardCost error=error value=input.standard_cost prefix=symbol />
            </div>
            <TextField label=Msg::LowStockThreshold name="product[low_stock_threshold]" field=Field::LowStockThreshold error=error value=input.low_stock_threshold.unwrap_or_default() hint=Msg::LowStockHint />
            <label class="check">
                <input type="checkbox" name="product[active]" value="on" checked=input.active />
                {i18n.t(Msg::ProductActiveToggle)}
            </label>
            <FormAlert error=error fields=PRODUCT_FIELDS />
            {move || delete_error.get().map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })}
            <div class="form-actions">
                <SubmitButton label=Msg::Save pending=action.pending().into() />
                {target.is_some().then(|| view! {
                    <button type="button" class="btn btn-danger-quiet" id="delete-product" on:click=delete>{i18n.t(Msg::Delete)}</button>
                })}
            </div>
        </ActionForm>
    }
}
