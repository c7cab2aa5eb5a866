use guanxi_core::model::Locale;
use leptos::prelude::*;

use crate::api::session::SetLanguage;
use crate::i18n::{Msg, locale_name, use_i18n};

/// Switches the interface language at once and remembers the choice.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetLanguage>::new();
    view! {
        <div class="lang-switch" role="group" aria-label=i18n.t(Msg::Language)>
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    view! {
                        <button
                            type="button"
                            class="lang-option"
                            lang=locale.code()
                            aria-pressed=move || (i18n.locale.get() == locale).to_string()
                            on:click=move |_| {
                                i18n.chosen.set(Some(locale));
                                save.dispatch(SetLanguage { locale });
                            }
                        >
                            {locale_name(locale)}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
