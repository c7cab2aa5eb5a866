use leptos::prelude::*;

use crate::api::settings::get_company;
use crate::api::users::list_users;
use crate::i18n::{Msg, fill, role_msg, use_i18n};
use crate::layout::use_current_user;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let is_admin = user.role.is_admin();
    let company = Resource::new(|| (), |_| get_company());
    let name = user.name.clone();
    view! {
        <section class="home">
            <div class="page-header">
                <div>
                    <h1>{move || fill(i18n.t(Msg::HomeGreeting)(), &[("name", &name)])}</h1>
                    <Suspense>
                        {move || Suspend::new(async move {
                            company.await.ok().map(|c| view! {
                                <p class="page-intro">
                                    {move || fill(
                                        i18n.t(Msg::HomeIntro)(),
                                        &[("company", &c.name), ("role", i18n.t(role_msg(user.role))())],
                                    )}
                                </p>
                            })
                        })}
                    </Suspense>
                </div>
            </div>
            <h2 class="section-title">{i18n.t(Msg::HomeGettingStarted)}</h2>
            <div class="cards">
                <Show when=move || is_admin>
                    <TeamCard />
                    <SettingsCard company=company />
                </Show>
                <article class="card step">
                    <h3>{i18n.t(Msg::HomeStepToken)}</h3>
                    <p>{i18n.t(Msg::HomeStepTokenDetail)}</p>
                    <a class="btn" href="/account">{i18n.t(Msg::HomeOpen)}</a>
                </article>
            </div>
        </section>
    }
}

#[component]
fn TeamCard() -> impl IntoView {
    let i18n = use_i18n();
    let users = Resource::new(|| (), |_| list_users());
    view! {
        <article class="card step">
            <h3>{i18n.t(Msg::HomeStepTeam)}</h3>
            <Suspense>
                {move || Suspend::new(async move {
                    let count = users.await.map(|p| p.users.len()).unwrap_or_default().to_string();
                    view! { <p>{move || fill(i18n.t(Msg::HomeStepTeamDetail)(), &[("count", &count)])}</p> }
                })}
            </Suspense>
            <a class="btn" href="/admin/users">{i18n.t(Msg::HomeOpen)}</a>
        </article>
    }
}

#[component]
fn SettingsCard(
    company: Resource<Result<guanxi_core::model::Company, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <article class="card step">
            <h3>{i18n.t(Msg::HomeStepSettings)}</h3>
            <Suspense>
                {move || Suspend::new(async move {
                    company.await.ok().map(|c| view! {
                        <p>{move || fill(i18n.t(Msg::HomeStepSettingsDetail)(), &[("currency", &c.currency), ("tz", &c.time_zone)])}</p>
                    })
                })}
            </Suspense>
            <a class="btn" href="/admin/settings">{i18n.t(Msg::HomeOpen)}</a>
        </article>
    }
}
