//! The installments of a payment plan as typed: due date and amount per
//! row, with how far their sum is from what the plan must add up to. The
//! plan form and the terms form (a changed amount needs a new plan) share
//! them.

use guanxi_core::Field;
use guanxi_core::domain::money;
use guanxi_core::model::{Cents, Installment, InstallmentInput};
use leptos::prelude::*;

use crate::i18n::{Msg, fill, use_i18n};

#[derive(Clone, Copy)]
struct PlanRow {
    key: u32,
    due: RwSignal<String>,
    amount: RwSignal<String>,
}

/// The rows of one plan being edited.
#[derive(Clone, Copy)]
pub struct PlanDraft {
    rows: RwSignal<Vec<PlanRow>>,
    next: StoredValue<u32>,
}

impl PlanDraft {
    /// Starts from `plan` as saved.
    pub fn new(plan: &[Installment]) -> Self {
        let draft = PlanDraft {
            rows: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        let rows = plan
            .iter()
            .map(|i| draft.row(i.due.format("%Y-%m-%d").to_string(), i.amount.to_string()))
            .collect();
        draft.rows.set(rows);
        draft
    }

    fn row(&self, due: String, amount: String) -> PlanRow {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        PlanRow {
            key,
            due: RwSignal::new(due),
            amount: RwSignal::new(amount),
        }
    }

    /// What to send to the server.
    pub fn inputs(&self) -> Vec<InstallmentInput> {
        self.rows
            .get_untracked()
            .iter()
            .map(|r| InstallmentInput {
                due: chrono::NaiveDate::parse_from_str(&r.due.get_untracked(), "%Y-%m-%d").ok(),
                amount: r.amount.get_untracked(),
            })
            .collect()
    }

    fn planned(&self) -> Cents {
        Cents(
            self.rows
                .get()
                .iter()
                .filter_map(|r| money::parse_amount(Field::Amount, &r.amount.get()).ok())
                .map(|c| c.0)
                .sum(),
        )
    }
}

/// The rows, an add button and the sum against `target`. `id_prefix`
/// keeps the ids apart when two plans are edited on one page.
#[component]
pub fn PlanRows(draft: PlanDraft, target: Signal<Cents>, id_prefix: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let rows = draft.rows;
    view! {
        <For each=move || rows.get() key=|r| r.key let:r>
            <div class="plan-row">
                <input type="date" class="plan-due" aria-label=i18n.t(Msg::DueDate) prop:value=move || r.due.get() on:input=move |ev| r.due.set(event_target_value(&ev)) />
                <div class="input-affix"><span class="affix" aria-hidden="true">{i18n.currency_symbol()}</span>
                    <input class="plan-amount" inputmode="decimal" aria-label=i18n.t(Msg::Amount) prop:value=move || r.amount.get() on:input=move |ev| r.amount.set(event_target_value(&ev)) /></div>
                <button type="button" class="btn btn-icon btn-danger-quiet" aria-label=i18n.t(Msg::RemoveLine) title=i18n.t(Msg::RemoveLine)
                    on:click=move |_| rows.update(|rs| rs.retain(|x| x.key != r.key))>"×"</button>
            </div>
        </For>
        <button type="button" class="btn btn-small" id=format!("{id_prefix}add-installment")
            on:click=move |_| { let row = draft.row(String::new(), String::new()); rows.update(|rs| rs.push(row)); }>
            "+ " {i18n.t(Msg::AddInstallment)}
        </button>
        <p class="muted" id=format!("{id_prefix}plan-sum")>
            {move || {
                let (planned, amount) = (draft.planned(), target.get());
                let locale = i18n.locale.get();
                let text = fill(Msg::PlanSum.text(locale), &[("planned", &i18n.money(planned)()), ("amount", &i18n.money(amount)())]);
                let diff = planned.0 - amount.0;
                if diff == 0 { text } else { format!("{text} · {}", fill(Msg::PlanDifference.text(locale), &[("diff", &i18n.money(Cents(diff))())])) }
            }}
        </p>
    }
}

impl PlanDraft {
    /// A plan of one installment has one right amount: the contract's.
    pub fn follow_single(&self, amount: Cents) {
        let rows = self.rows.get_untracked();
        if let [only] = rows.as_slice() {
            only.amount.set(amount.to_string());
        }
    }
}
