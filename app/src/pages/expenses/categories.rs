//! The company's expense categories on the settings page: one a line.

use leptos::prelude::*;

use crate::api::expenses::{SaveExpenseCategories, get_expense_categories};
use crate::components::forms::{FormAlert, SubmitButton, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};

#[component]
pub fn ExpenseCategoriesEditor() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveExpenseCategories>::new();
    let data = Resource::new(move || save.version().get(), |_| get_expense_categories());
    let error = last_error(save.value());
    view! {
        <h2 class="section-title">{i18n.t(Msg::ExpenseCategoriesTitle)}</h2>
        <p class="muted">{i18n.t(Msg::ExpenseCategoriesHint)}</p>
        <section class="card wide" id="expense-categories">
            <Loaded resource=data let:c>
                <ActionForm action=save attr:class="form" attr:id="expense-categories-form">
                    <input type="hidden" name="version" value=c.version />
                    <label class="sr-only" for="f-expense-categories">{i18n.t(Msg::ExpenseCategoriesTitle)}</label>
                    <textarea id="f-expense-categories" name="categories" rows="6">{c.categories.join("\n")}</textarea>
                    <FormAlert error=error fields=&[] />
                    <div class="form-actions"><SubmitButton label=Msg::Save pending=save.pending().into() /></div>
                </ActionForm>
            </Loaded>
        </section>
    }
}
