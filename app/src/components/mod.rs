pub mod dialog;
pub mod forms;
pub mod language_switch;
pub mod header_search;
pub mod quick_entry;
