//! The line items of a quote or a contract as typed: a product or free
//! text, quantity, unit, unit price and discount per line, each line's net
//! worked out as it is typed by the rules the server saves them with
//! (`domain::money`). The server prices and checks everything again.

use guanxi_core::Field;
use guanxi_core::domain::money;
use guanxi_core::model::{Cents, Id, Product, QuoteLineInput, Rate, Totals};
use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{Msg, use_i18n};

/// One line of the form, each input its own signal.
#[derive(Clone, Copy)]
struct LineDraft {
    key: u32,
    product: RwSignal<String>,
    description: RwSignal<String>,
    unit: RwSignal<String>,
    quantity: RwSignal<String>,
    unit_price: RwSignal<String>,
    discount: RwSignal<String>,
}

impl LineDraft {
    fn new(key: u32, line: QuoteLineInput) -> Self {
        LineDraft {
            key,
            product: RwSignal::new(line.product_id.map(|p| p.to_string()).unwrap_or_default()),
            description: RwSignal::new(line.description),
            unit: RwSignal::new(line.unit),
            quantity: RwSignal::new(line.quantity),
            unit_price: RwSignal::new(line.unit_price),
            discount: RwSignal::new(line.discount),
        }
    }

    fn input(&self) -> QuoteLineInput {
        QuoteLineInput {
            product_id: self.product.get_untracked().parse().ok(),
            description: self.description.get_untracked(),
            unit: self.unit.get_untracked(),
            quantity: self.quantity.get_untracked(),
            unit_price: self.unit_price.get_untracked(),
            discount: self.discount.get_untracked(),
        }
    }

    /// The line's net as typed so far; `None` until it reads as a line.
    fn net(&self, products: &[Product]) -> Option<Cents> {
        let product = self
            .product
            .get()
            .parse::<Id>()
            .ok()
            .and_then(|id| products.iter().find(|p| p.id == id));
        let quantity = money::parse_quantity(Field::Quantity, &self.quantity.get()).ok()?;
        let price = match (self.unit_price.get().trim(), product) {
            ("", Some(p)) => p.list_price,
            (text, _) => money::parse_amount(Field::UnitPrice, text).ok()?,
        };
        let discount = money::parse_rate(Field::Discount, &self.discount.get(), 100).ok()?;
        Some(money::line_net(quantity, price, discount))
    }
}

/// The lines of one form.
#[derive(Clone, Copy)]
pub struct Lines {
    drafts: RwSignal<Vec<LineDraft>>,
    next_key: StoredValue<u32>,
}

impl Lines {
    /// The lines to start from; one empty line when there are none.
    pub fn new(initial: Vec<QuoteLineInput>) -> Self {
        let lines = Lines {
            drafts: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
        };
        let mut drafts: Vec<LineDraft> = initial.into_iter().map(|l| lines.draft(l)).collect();
        if drafts.is_empty() {
            drafts.push(lines.draft(QuoteLineInput {
                quantity: "1".into(),
                ..Default::default()
            }));
        }
        lines.drafts.set(drafts);
        lines
    }

    fn draft(&self, line: QuoteLineInput) -> LineDraft {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        LineDraft::new(key, line)
    }

    fn add(&self) {
        let line = self.draft(QuoteLineInput {
            quantity: "1".into(),
            ..Default::default()
        });
        self.drafts.update(|l| l.push(line));
    }

    /// What to send to the server.
    pub fn inputs(&self) -> Vec<QuoteLineInput> {
        self.drafts
            .get_untracked()
            .iter()
            .map(LineDraft::input)
            .collect()
    }

    /// Net, tax and gross as typed so far, at the rate in `tax`.
    pub fn totals(
        self,
        products: StoredValue<Vec<Product>>,
        tax: RwSignal<String>,
    ) -> Memo<Totals> {
        Memo::new(move |_| {
            let rate = money::parse_rate(Field::TaxRate, &tax.get(), 100).unwrap_or(Rate(0));
            let nets: Vec<Cents> = products
                .with_value(|p| self.drafts.get().iter().filter_map(|l| l.net(p)).collect());
            money::totals(nets, rate)
        })
    }

    /// Whether a line's discount is over `limit` percent.
    pub fn any_discount_over(&self, limit: Rate) -> bool {
        self.drafts.get().iter().any(|l| {
            money::parse_rate(Field::Discount, &l.discount.get(), 100).is_ok_and(|d| d > limit)
        })
    }
}

/// The lines table with its add and remove buttons, and the error about
/// the lines as a whole.
#[component]
pub fn LinesEditor(
    lines: Lines,
    products: StoredValue<Vec<Product>>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let symbol = i18n.currency_symbol();
    view! {
        <fieldset class="quote-lines">
            <legend>{i18n.t(Msg::QuoteLines)}</legend>
            <div class="table-wrap">
                <table class="table lines-table">
                    <thead>
                        <tr>
                            <th>{i18n.t(Msg::LineProduct)}</th>
                            <th>{i18n.t(Msg::LineDescription)}</th>
                            <th class="num">{i18n.t(Msg::LineQuantity)}</th>
                            <th>{i18n.t(Msg::ProductUnit)}</th>
                            <th class="num">{i18n.t(Msg::LineUnitPrice)}</th>
                            <th class="num">{i18n.t(Msg::LineDiscount)}</th>
                            <th class="num">{i18n.t(Msg::LineNet)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || lines.drafts.get() key=|l| l.key let:line>
                            <LineRow line=line products=products lines=lines.drafts symbol=symbol.clone() />
                        </For>
                    </tbody>
                </table>
            </div>
            // One list for every line: the browser offers the products whose
            // code or name holds what is typed, where a select of 2,000
            // products a line was a scroll.
            <datalist id=PRODUCT_LIST>
                {products.with_value(|list| list.iter().map(|p| view! { <option value=product_label(p)></option> }).collect_view())}
            </datalist>
            <button type="button" class="btn btn-small" id="add-line" on:click=move |_| lines.add()>"+ " {i18n.t(Msg::AddLine)}</button>
            {move || {
                error
                    .get()
                    .filter(|e| e.field() == Some(Field::Lines))
                    .map(|e| view! { <p class="field-error" role="alert">{e.text(i18n.locale.get())}</p> })
            }}
        </fieldset>
    }
}

#[component]
fn LineRow(
    line: LineDraft,
    products: StoredValue<Vec<Product>>,
    lines: RwSignal<Vec<LineDraft>>,
    symbol: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = line.key;
    let chosen = move || {
        let id = line.product.get().parse::<Id>().ok()?;
        products.with_value(|p| p.iter().find(|p| p.id == id).cloned())
    };
    let net = move || products.with_value(|p| line.net(p));
    view! {
        <tr class="line" data-line=key>
            <td>
                <ProductChoice line=line products=products />
            </td>
            <td><input class="line-description" aria-label=i18n.t(Msg::LineDescription)
                placeholder=move || chosen().map(|p| p.name).unwrap_or_default()
                prop:value=move || line.description.get() on:input=move |ev| line.description.set(event_target_value(&ev)) /></td>
            <td class="num"><input class="line-quantity narrow" inputmode="decimal" aria-label=i18n.t(Msg::LineQuantity)
                prop:value=move || line.quantity.get() on:input=move |ev| line.quantity.set(event_target_value(&ev)) /></td>
            <td><input class="line-unit narrow" aria-label=i18n.t(Msg::ProductUnit)
                placeholder=move || chosen().map(|p| p.unit).unwrap_or_default()
                prop:value=move || line.unit.get() on:input=move |ev| line.unit.set(event_target_value(&ev)) /></td>
            <td class="num">
                <div class="input-affix"><span class="affix" aria-hidden="true">{symbol}</span>
                <input class="line-price" inputmode="decimal" aria-label=i18n.t(Msg::LineUnitPrice)
                    placeholder=move || chosen().map(|p| p.list_price.to_string()).unwrap_or_default()
                    prop:value=move || line.unit_price.get() on:input=move |ev| line.unit_price.set(event_target_value(&ev)) /></div>
            </td>
            <td class="num"><input class="line-discount narrow" inputmode="decimal" aria-label=i18n.t(Msg::LineDiscount)
                placeholder="0"
                prop:value=move || line.discount.get() on:input=move |ev| line.discount.set(event_target_value(&ev)) /></td>
            <td class="num line-net">{move || net().map(|n| i18n.money(n)()).unwrap_or_else(|| "—".into())}</td>
            <td>
                <button type="button" class="btn btn-icon btn-danger-quiet remove-line" aria-label=i18n.t(Msg::RemoveLine)
                    title=i18n.t(Msg::RemoveLine)
                    on:click=move |_| lines.update(|l| l.retain(|x| x.key != key))>"×"</button>
            </td>
        </tr>
    }
}

/// The id of the form's list of products to pick from.
const PRODUCT_LIST: &str = "line-products";

/// How a product reads in the picker: its code and name.
fn product_label(product: &Product) -> String {
    format!("{} · {}", product.code, product.name)
}

/// The product `typed` names: its label as the list offers it, or its
/// code alone (in any case).
fn product_named<'a>(products: &'a [Product], typed: &str) -> Option<&'a Product> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    products
        .iter()
        .find(|p| product_label(p) == typed || p.code.eq_ignore_ascii_case(typed))
}

/// A line's product, picked by typing its code or part of its name;
/// empty for a free-text line. Text that names no product says so.
#[component]
fn ProductChoice(line: LineDraft, products: StoredValue<Vec<Product>>) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(products.with_value(|list| {
        let id = line.product.get_untracked().parse::<Id>().ok();
        list.iter()
            .find(|p| Some(p.id) == id)
            .map(product_label)
            .unwrap_or_default()
    }));
    let unknown = move || !typed.get().trim().is_empty() && line.product.get().is_empty();
    let pick = move |ev| {
        let text = event_target_value(&ev);
        let product = products
            .with_value(|list| product_named(list, &text).map(|p| p.id.to_string()))
            .unwrap_or_default();
        typed.set(text);
        if product != line.product.get_untracked() {
            line.product.set(product);
            // A product's own name, unit and price show as placeholders;
            // typed text overrides them.
            line.description.set(String::new());
            line.unit.set(String::new());
            line.unit_price.set(String::new());
        }
    };
    // Once the field is left, a product picked by its code reads as the
    // list shows it.
    let settle = move |_| {
        let id = line.product.get_untracked().parse::<Id>().ok();
        if let Some(label) =
            products.with_value(|list| list.iter().find(|p| Some(p.id) == id).map(product_label))
        {
            typed.set(label);
        }
    };
    view! {
        <input class="line-product" list=PRODUCT_LIST autocomplete="off"
            aria-label=i18n.t(Msg::LineProduct) placeholder=i18n.t(Msg::LineFreeText)
            aria-invalid=move || unknown().then_some("true")
            title=i18n.t(Msg::LineProductHint)
            prop:value=move || typed.get() on:input=pick on:change=settle />
        {move || unknown().then(|| view! { <p class="field-error line-product-error">{i18n.t(Msg::LineProductUnknown)}</p> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(code: &str, name: &str) -> Product {
        guanxi_core::domain::products::ProductFields {
            code: code.into(),
            name: name.into(),
            unit: "台".into(),
            category: None,
            list_price: Cents(100_000),
            standard_cost: Cents(0),
            active: true,
            low_stock_threshold: None,
        }
        .into_new_product(chrono::Utc::now())
    }

    #[test]
    fn a_product_is_named_by_its_label_or_its_code_in_any_case() {
        let list = [
            product("SRV-01", "机架式服务器"),
            product("SRV-02", "塔式服务器"),
        ];
        let named = |typed: &str| product_named(&list, typed).map(|p| p.code.as_str());
        assert_eq!(named("SRV-02 · 塔式服务器"), Some("SRV-02"));
        assert_eq!(named(" srv-01 "), Some("SRV-01"));
        // Part of a name is what the list offers from, not a pick.
        assert_eq!(named("服务器"), None);
        assert_eq!(named("SRV"), None);
        assert_eq!(named("  "), None);
    }
}
