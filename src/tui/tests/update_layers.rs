//! One order of layers: the key goes to the first open layer of `Layer::ALL`, and the hint line
//! is that layer's table.

use crossterm::event::KeyCode;
use tui_input::Input;

use super::fixtures::{app_with, board_snapshot, ch, hint_line, key, now};
use crate::tui::app::state::App;
use crate::tui::form::state::Picker;
use crate::tui::keymap::{self, Keys, Layer};
use crate::tui::prompt::password::PasswordField;
use crate::tui::prompt::state::Prompt;
use crate::tui::sign_in::dialog::{SignInDialog, Stage};

/// The hint line a layer's table prints (the board's is filtered, so it is left out here).
fn hints_of(layer: Layer) -> String {
    layer
        .keys()
        .hints()
        .iter()
        .map(|(k, w)| format!("{k} {w}"))
        .collect::<Vec<_>>()
        .join("  ")
}

/// A board with every layer open at once.
fn everything_open() -> App {
    let mut app = app_with(board_snapshot(), 100, 30);
    let profile = app.roster.selected().unwrap().profile.clone();
    app.filter_input = Some(Input::new("contoso".into()));
    let mut form = app.add_form(Vec::new(), false);
    form.picker = Some(Picker {
        field: form.focus,
        cursor: 0,
    });
    app.form = Some(form);
    app.prompt = Some(Prompt::ConfirmDelete { profile });
    app.sign_in = Some(SignInDialog {
        profile: "contoso-prod".parse().unwrap(),
        flow: lcsauth::profile::Flow::DeviceCode,
        stage: Stage::Starting,
        copied: None,
    });
    app.help = true;
    app
}

#[test]
fn the_top_layer_is_the_first_open_one_of_layer_all_and_the_hint_line_is_its_table() {
    let mut app = everything_open();
    let mut seen = Vec::new();
    loop {
        let top = app.top_layer();
        seen.push(top);
        if top != Layer::Board {
            assert_eq!(
                hint_line(&app).trim_matches('"').trim_end(),
                hints_of(top),
                "hint line of {top:?}"
            );
        }
        match top {
            Layer::Help => app.help = false,
            Layer::SignInWait => app.sign_in = None,
            Layer::Confirm | Layer::Password => app.prompt = None,
            Layer::Picker => app.form.as_mut().unwrap().picker = None,
            Layer::Form => app.form = None,
            Layer::Filter => app.filter_input = None,
            Layer::Board => break,
        }
    }
    let expected: Vec<Layer> = Layer::ALL.into_iter().filter(|l| *l != Layer::Password).collect();
    assert_eq!(seen, expected);
}

#[test]
fn a_key_goes_only_to_the_top_layer() {
    let mut app = everything_open();
    // Help takes any key and closes; nothing under it moves.
    assert!(app.update(ch('d'), now()).is_none());
    assert!(!app.help);
    assert!(app.prompt.is_some() && app.form.is_some() && app.sign_in.is_some());
    // The waiting sign-in takes `y` (not the delete question under it) and ignores it.
    assert!(app.update(ch('y'), now()).is_none());
    assert!(app.prompt.is_some(), "the question under the dialog saw no key");
    // Esc cancels the sign-in, the next Esc answers the question with no.
    assert!(app.update(key(KeyCode::Esc), now()).is_some());
    assert!(app.sign_in.is_none() && app.prompt.is_some());
    app.update(key(KeyCode::Esc), now());
    assert!(app.prompt.is_none() && app.form.as_ref().is_some_and(|f| f.picker.is_some()));
    // The picker closes before the form, the form before the filter line.
    app.update(key(KeyCode::Esc), now());
    assert!(app.form.as_ref().is_some_and(|f| f.picker.is_none()));
    app.update(key(KeyCode::Esc), now());
    assert!(app.form.is_none() && app.filter_input.is_some());
    app.update(key(KeyCode::Enter), now());
    assert_eq!(app.top_layer(), Layer::Board);
    assert!(!app.quit);
}

#[test]
fn the_password_prompt_is_its_own_layer_with_its_own_keys() {
    let mut app = app_with(board_snapshot(), 100, 30);
    let profile = app.roster.selected().unwrap().profile.clone();
    app.prompt = Some(Prompt::SignIn {
        profile,
        password: PasswordField::default(),
        then_copy: false,
    });
    assert_eq!(app.top_layer(), Layer::Password);
    assert_eq!(hint_line(&app).trim_matches('"').trim_end(), hints_of(Layer::Password));
    // Typed keys are the password, not board keys.
    app.update(ch('q'), now());
    assert!(!app.quit);
}

#[test]
fn the_help_table_answers_every_key_and_no_release() {
    let Keys::List(table) = Layer::Help.keys() else {
        panic!("help closes, a list action")
    };
    for code in [KeyCode::Char('x'), KeyCode::Enter, KeyCode::F(5), KeyCode::Esc] {
        let press = crossterm::event::KeyEvent::from(code);
        assert_eq!(
            keymap::lookup(table, &press),
            Some(keymap::ListAction::Close),
            "{code:?}"
        );
    }
    let release = crossterm::event::KeyEvent::new_with_kind(
        KeyCode::Char('x'),
        crossterm::event::KeyModifiers::NONE,
        crossterm::event::KeyEventKind::Release,
    );
    assert_eq!(keymap::lookup(table, &release), None);
}
