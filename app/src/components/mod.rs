pub mod dialog;
pub mod forms;
pub mod language_switch;
