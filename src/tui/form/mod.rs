//! The add/edit form: `fields` names each field and its choices, `state` holds the form, its
//! focus, pickers and key handling, `check` validates it with the command line's parsers and the
//! profile's rules, `view` draws it (over the board, or under the setup steps).

pub mod check;
pub mod fields;
pub mod state;
pub mod view;
