//! Moving a card with a pointer (mouse, touch, pen): the card follows the
//! pointer once it has moved a few pixels (less is a click), the column
//! under it lights up, and letting go there asks the board to move it.

use guanxi_core::model::Id;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;

use super::BoardState;

/// Pixels a pointer must travel before a press becomes a drag.
const DRAG_THRESHOLD: i32 = 6;

/// A card being dragged. Elements are found again by id rather than kept:
/// this state is made while the server renders too, and a browser-only
/// value made there would be dropped on another worker thread and panic.
struct Drag {
    deal: Id,
    pointer: i32,
    start: (i32, i32),
    active: bool,
    /// The column under the pointer.
    over: Option<Id>,
}

/// The board's one drag at a time, with the handlers a card calls.
#[derive(Clone, Copy)]
pub struct CardDrag {
    drag: StoredValue<Option<Drag>>,
    board: BoardState,
}

impl CardDrag {
    pub fn new(board: BoardState) -> Self {
        CardDrag {
            drag: StoredValue::new(None),
            board,
        }
    }

    /// A primary button pressed on a card: maybe the start of a drag.
    pub fn press(self, deal: Id, ev: &web_sys::PointerEvent) {
        if ev.button() != 0 || !ev.is_primary() {
            return;
        }
        self.drag.set_value(Some(Drag {
            deal,
            pointer: ev.pointer_id(),
            start: (ev.client_x(), ev.client_y()),
            active: false,
            over: None,
        }));
    }

    pub fn follow(self, ev: &web_sys::PointerEvent) {
        self.drag.update_value(|drag| {
            let Some(d) = drag.as_mut().filter(|d| d.pointer == ev.pointer_id()) else {
                return;
            };
            let (dx, dy) = (ev.client_x() - d.start.0, ev.client_y() - d.start.1);
            let Some(card) = card_element(d.deal) else {
                return;
            };
            if !d.active {
                if dx.abs() + dy.abs() < DRAG_THRESHOLD {
                    return;
                }
                d.active = true;
                let _ = card.set_pointer_capture(d.pointer);
                let _ = card.class_list().add_1("dragging");
            }
            let _ = card.style().set_property(
                "transform",
                &format!("translate({dx}px, {dy}px) rotate(1.5deg)"),
            );
            let over = document()
                .element_from_point(ev.client_x() as f32, ev.client_y() as f32)
                .and_then(|e| e.closest("[data-stage]").ok().flatten())
                .and_then(|column| column.get_attribute("data-stage"))
                .and_then(|id| id.parse().ok());
            if over != d.over {
                if let Some(old) = d.over.and_then(column_element) {
                    let _ = old.class_list().remove_1("drop-target");
                }
                if let Some(new) = over.and_then(column_element) {
                    let _ = new.class_list().add_1("drop-target");
                }
                d.over = over;
            }
        });
    }

    /// The pointer let go (`drop`) or the browser cancelled the drag.
    pub fn end(self, ev: &web_sys::PointerEvent, drop: bool) {
        let Some(d) = self
            .drag
            .try_update_value(|drag| drag.take_if(|d| d.pointer == ev.pointer_id()))
            .flatten()
        else {
            return;
        };
        if !d.active {
            return;
        }
        if let Some(card) = card_element(d.deal) {
            let _ = card.release_pointer_capture(d.pointer);
            let _ = card.class_list().remove_1("dragging");
            let _ = card.style().remove_property("transform");
        }
        if let Some(over) = d.over.and_then(column_element) {
            let _ = over.class_list().remove_1("drop-target");
        }
        if drop && let Some(to) = d.over {
            self.board.request_move(d.deal, to);
        }
    }
}

pub fn card_element(deal: Id) -> Option<web_sys::HtmlElement> {
    document()
        .query_selector(&format!("[data-deal='{deal}']"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

fn column_element(stage: Id) -> Option<web_sys::Element> {
    document()
        .query_selector(&format!("[data-stage='{stage}']"))
        .ok()
        .flatten()
}
