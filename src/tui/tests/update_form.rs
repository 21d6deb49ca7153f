//! `App::update` for the add/edit form, driven by keys built here: inline validation with the
//! core's own rules, pickers, the password field, saving.

use crossterm::event::KeyCode;

use lcsauth::profile::Flow;
use lcsauth::profile::store::ConfigError;
use lcsauth::region::Region;

use super::fixtures::{app_with, board_snapshot, ch, key, now, snapshot, type_text};
use crate::tui::app::edit::{Edit, EditError};
use crate::tui::app::msg::{Command, Msg};
use crate::tui::app::notice::Level;
use crate::tui::app::state::App;
use crate::tui::form::state::FieldId;

fn board() -> App {
    app_with(board_snapshot(), 100, 30)
}

#[test]
fn a_bad_client_id_is_shown_under_its_field_and_nothing_is_saved() {
    let mut app = board();
    app.update(ch('a'), now());
    type_text(&mut app, "new-one");
    app.update(key(KeyCode::Tab), now());
    type_text(&mut app, "contoso.onmicrosoft.com");
    app.update(key(KeyCode::Tab), now());
    type_text(&mut app, "not-a-guid");
    let form = app.form.as_ref().unwrap();
    let errors = form.visible_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].1.contains("is not a GUID"));
    assert!(
        app.update(key(KeyCode::Enter), now()).is_none(),
        "an invalid form is not saved"
    );
    let form = app.form.as_ref().unwrap();
    assert!(form.submitted);
    let fields: Vec<_> = form.visible_errors().into_iter().map(|(f, _)| f).collect();
    assert!(
        fields.contains(&FieldId::Username),
        "password flow needs a username: {fields:?}"
    );
}

#[test]
fn the_form_refuses_a_name_that_is_taken_and_common_as_tenant() {
    let mut app = board();
    app.update(ch('a'), now());
    type_text(&mut app, "contoso-test");
    app.update(key(KeyCode::Tab), now());
    type_text(&mut app, "common");
    let errors = app.form.as_ref().unwrap().visible_errors();
    assert!(errors.iter().any(|(_, m)| m.contains("already exists")), "{errors:?}");
    assert!(errors.iter().any(|(_, m)| m.contains("AADSTS9001023")), "{errors:?}");
}

#[test]
fn a_valid_form_saves_with_the_typed_password_which_is_never_shown() {
    let mut app = board();
    app.update(ch('a'), now());
    for (text, tabs) in [
        ("contoso-uat", 1),
        ("contoso.onmicrosoft.com", 1),
        ("0a1b2c3d-4e5f-6789-abcd-ef0123456789", 1),
    ] {
        type_text(&mut app, text);
        for _ in 0..tabs {
            app.update(key(KeyCode::Tab), now());
        }
    }
    // Region: the list, then down to "eu".
    app.update(ch(' '), now());
    assert!(app.form.as_ref().unwrap().picker.is_some());
    app.update(ch('j'), now());
    app.update(key(KeyCode::Enter), now());
    assert_eq!(app.form.as_ref().unwrap().region, Region::Eu);
    app.update(key(KeyCode::Tab), now());
    type_text(&mut app, "ops@contoso.onmicrosoft.com");
    app.update(key(KeyCode::Tab), now());
    app.update(key(KeyCode::Tab), now());
    type_text(&mut app, "S3cret pass");
    app.update(key(KeyCode::Tab), now());
    app.update(ch(' '), now());
    assert!(app.form.as_ref().unwrap().remember);
    assert!(!format!("{app:?}").contains("S3cret"), "the password leaks into Debug");
    match app.update(key(KeyCode::Enter), now()) {
        Some(Command::Save(job)) => {
            assert!(job.original.is_none());
            assert_eq!(job.profile.name.as_str(), "contoso-uat");
            assert_eq!(job.profile.region, Region::Eu);
            assert!(job.profile.remember_password);
            assert_eq!(job.password.unwrap().expose(), "S3cret pass");
        }
        other => panic!("{other:?}"),
    }
    assert!(app.form.as_ref().unwrap().saving);
    app.update(
        Msg::Saved {
            result: Ok(Edit::Added {
                name: "contoso-uat".parse().unwrap(),
                sign_in: None,
            }),
        },
        now(),
    );
    assert!(app.form.is_none());
}

#[test]
fn e_opens_the_form_filled_with_the_profile_and_flow_hides_the_password() {
    let mut app = board();
    app.update(ch('e'), now());
    let form = app.form.as_mut().unwrap();
    assert_eq!(form.name.value(), "contoso-prod");
    assert!(form.remember);
    assert!(form.check().is_ok(), "an unchanged profile is valid");
    form.flow = Flow::DeviceCode;
    assert!(!form.fields().contains(&FieldId::Password));
    assert!(!form.check().unwrap().remember_password);
    app.update(key(KeyCode::Esc), now());
    assert!(app.form.is_none(), "Esc closes without saving");
}

#[test]
fn a_save_that_fails_keeps_the_form_open_with_the_reason() {
    let mut app = board();
    app.update(ch('e'), now());
    assert!(matches!(app.update(key(KeyCode::Enter), now()), Some(Command::Save(_))));
    app.update(
        Msg::Saved {
            result: Err(EditError::Config(ConfigError::Write {
                path: "profiles.toml".into(),
                source: std::io::Error::other("disk full"),
            })),
        },
        now(),
    );
    let form = app.form.as_ref().unwrap();
    assert!(!form.saving);
    assert!(form.save_error.as_ref().unwrap().contains("disk full"));
}

#[test]
fn no_profiles_opens_onboarding_with_the_add_form() {
    let app = app_with(snapshot(Vec::new()), 80, 24);
    let form = app.form.as_ref().expect("the add form is open");
    assert!(form.onboarding && !form.is_edit());
}

#[test]
fn the_worker_reports_edits_typed_and_the_board_says_them_as_before() {
    let mut app = board();
    let name: lcsauth::profile::ProfileName = "contoso-prod".parse().unwrap();
    let say = |app: &mut App, result| {
        app.update(Msg::Saved { result }, now());
        let n = app.notice.clone().unwrap();
        (n.level, n.text)
    };
    assert_eq!(
        say(&mut app, Ok(Edit::DefaultSet(name.clone()))).1,
        "'contoso-prod' is now the default profile."
    );
    assert_eq!(
        say(&mut app, Ok(Edit::Deleted(name.clone()))).1,
        "Deleted 'contoso-prod' and its secrets."
    );
    let effect = lcsauth::broker::change::Effect {
        password_forgotten: true,
        ..Default::default()
    };
    let signed_in = Ok(crate::tui::time::later(now(), std::time::Duration::from_secs(3599)));
    let (level, text) = say(
        &mut app,
        Ok(Edit::Replaced {
            name: name.clone(),
            effect,
            sign_in: Some(signed_in),
        }),
    );
    assert_eq!(level, Level::Success);
    assert_eq!(
        text,
        "Saved 'contoso-prod'. The remembered password was removed. Signed in (59m 59s left)."
    );
    let refused = lcsauth::broker::BrokerError::Unusable("Entra is unreachable".into());
    let (level, text) = say(
        &mut app,
        Ok(Edit::Added {
            name: name.clone(),
            sign_in: Some(Err(refused)),
        }),
    );
    assert_eq!(level, Level::Warning, "saved, but the sign-in failed");
    assert_eq!(text, "Added 'contoso-prod'. The sign-in failed: Entra is unreachable");
    assert_eq!(app.select_after_load.as_ref(), Some(&name));
    let kept = EditError::SecretsKept {
        name,
        source: lcsauth::broker::BrokerError::Unusable("the keyring is locked".into()),
    };
    let (level, text) = say(&mut app, Err(kept));
    assert_eq!(level, Level::Error);
    assert_eq!(text, "the keyring is locked; the profile 'contoso-prod' was kept");
}
