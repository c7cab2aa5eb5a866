//! What a page shows while it reads: "loading" until the first answer, the
//! error in the reader's language if the read failed, else the content.

use std::sync::Arc;

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{Msg, use_i18n};

/// Renders `children` with the resource's value once it has loaded.
/// A `Transition`, so a reload keeps the old content on screen until the new
/// one is ready:
///
/// ```ignore
/// <Loaded resource=tasks let:rows>
///     <TaskList rows=rows />
/// </Loaded>
/// ```
#[component]
pub fn Loaded<T, C, V>(resource: Resource<Result<T, AppError>>, children: C) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    C: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let children = Arc::new(children);
    #[cfg(feature = "ssr")]
    let made = made_once::Slot::new();
    view! {
        <Transition fallback=move || view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }>
            {move || {
                let children = Arc::clone(&children);
                #[cfg(feature = "ssr")]
                let made = made.clone();
                Suspend::new(async move {
                    match resource.await {
                        #[cfg(feature = "ssr")]
                        Ok(value) => made.view(move || children(value.clone()).into_any()),
                        #[cfg(not(feature = "ssr"))]
                        Ok(value) => children(value).into_any(),
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// On the server, a `Suspense` calls its children's closures once to find
/// the resources they read, again to check that none is left, and once
/// more to render: a dashboard drew every chart twice per page (about a
/// third of its time). The content of a `Loaded` is a function of the
/// resource's value alone, and that does not change within a request, so
/// the server makes it once, on the first of those calls, and renders what
/// it made. In the browser it is made as it always was (`Loaded` reruns it
/// when the value or the language changes).
///
/// The content is made under an owner of its own, a child of the
/// `Loaded`'s, that lives as long as what was made: made under whichever
/// owner the first call ran in, its signals were disposed with that owner
/// before the render read them.
#[cfg(feature = "ssr")]
mod made_once {
    use std::sync::{Arc, Mutex, MutexGuard};

    use leptos::prelude::*;
    use leptos::reactive::owner::Owner;
    use leptos::tachys::html::attribute::{Attribute, any_attribute::AnyAttribute};
    use leptos::tachys::hydration::Cursor;
    use leptos::tachys::reactive_graph::OwnedView;
    use leptos::tachys::ssr::StreamBuilder;
    use leptos::tachys::view::add_attr::AddAnyAttr;
    use leptos::tachys::view::any_view::{AnyViewState, AnyViewWithAttrs};
    use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};

    /// The content once made, shared by the `Suspend`s of one `Loaded`,
    /// and the `Loaded`'s owner, which the content's own is a child of.
    #[derive(Clone)]
    pub struct Slot {
        made: Arc<Mutex<Option<AnyView>>>,
        owner: Owner,
    }

    impl Slot {
        /// Made in the `Loaded` itself, which outlives its `Suspend`s.
        pub fn new() -> Slot {
            Slot {
                made: Arc::default(),
                owner: Owner::current().unwrap_or_default(),
            }
        }

        pub fn view<F>(&self, make: F) -> AnyView
        where
            F: Fn() -> AnyView + Send + Sync + 'static,
        {
            MadeOnce {
                slot: self.clone(),
                make: Arc::new(make),
            }
            .into_any()
        }

        fn lock(&self) -> MutexGuard<'_, Option<AnyView>> {
            self.made.lock().unwrap_or_else(|e| e.into_inner())
        }
    }

    struct MadeOnce {
        slot: Slot,
        make: Arc<dyn Fn() -> AnyView + Send + Sync>,
    }

    impl MadeOnce {
        /// What an earlier call made, else made now, under an owner that
        /// goes with it.
        fn take(&self) -> AnyView {
            let made = self.slot.lock().take();
            made.unwrap_or_else(|| {
                let owner = self.slot.owner.child();
                let view = owner.with(|| (self.make)());
                OwnedView::new_with_owner(view, owner).into_any()
            })
        }
    }

    impl Render for MadeOnce {
        type State = AnyViewState;

        fn build(self) -> Self::State {
            self.take().build()
        }

        fn rebuild(self, state: &mut Self::State) {
            self.take().rebuild(state)
        }
    }

    impl AddAnyAttr for MadeOnce {
        type Output<SomeNewAttr: Attribute> = AnyViewWithAttrs;

        fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
        where
            Self::Output<NewAttr>: RenderHtml,
        {
            self.take().add_any_attr(attr)
        }
    }

    impl RenderHtml for MadeOnce {
        type AsyncOutput = AnyView;
        type Owned = Self;

        const MIN_LENGTH: usize = 0;

        fn dry_resolve(&mut self) {
            // Taken out while it resolves: resolving runs the content's own
            // closures, which may be anything.
            let mut view = self.take();
            view.dry_resolve();
            *self.slot.lock() = Some(view);
        }

        async fn resolve(self) -> Self::AsyncOutput {
            let view = self.take();
            view.resolve().await
        }

        fn to_html_with_buf(
            self,
            buf: &mut String,
            position: &mut Position,
            escape: bool,
            mark_branches: bool,
            extra_attrs: Vec<AnyAttribute>,
        ) {
            self.take()
                .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
        }

        fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
            self,
            buf: &mut StreamBuilder,
            position: &mut Position,
            escape: bool,
            mark_branches: bool,
            extra_attrs: Vec<AnyAttribute>,
        ) where
            Self: Sized,
        {
            self.take().to_html_async_with_buf::<OUT_OF_ORDER>(
                buf,
                position,
                escape,
                mark_branches,
                extra_attrs,
            )
        }

        fn hydrate<const FROM_SERVER: bool>(
            self,
            cursor: &Cursor,
            position: &PositionState,
        ) -> Self::State {
            self.take().hydrate::<FROM_SERVER>(cursor, position)
        }

        fn into_owned(self) -> Self::Owned {
            self
        }
    }
}

/// A failed read, in the reader's language.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="alert alert-error">{error.text(i18n.now())}</p> }
}
