pub mod activity_fields;
pub mod dialog;
pub mod files;
pub mod forms;
pub mod header_search;
pub mod language_switch;
pub mod loaded;
pub mod quick_entry;
