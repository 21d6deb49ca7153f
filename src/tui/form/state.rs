//! The add/edit form: its fields, focus, pickers and key handling. Validation lives in
//! `form_check`, drawing in `view::form`.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use lcsauth::profile::{BaseUrl, Flow, Profile, ProjectId};
use lcsauth::region::Region;

use crate::tui::app::msg::SaveJob;
pub use crate::tui::form::fields::{FLOWS, FieldId, FieldKind, flow_note, regions};
use crate::tui::keymap::{self, FormAction, ListAction};
use crate::tui::prompt::password::PasswordField;

/// An open list of choices for a `Choice` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Picker {
    pub field: FieldId,
    pub cursor: usize,
}

/// What the form wants after a key.
#[derive(Debug)]
pub enum FormOutcome {
    Stay,
    Cancel,
    Submit(Box<SaveJob>),
}

#[derive(Debug)]
pub struct ProfileForm {
    /// The profile being edited; `None` when adding.
    pub original: Option<Profile>,
    /// First run: drawn under the setup steps instead of over the board.
    pub onboarding: bool,
    pub name: Input,
    pub tenant: Input,
    pub client_id: Input,
    pub username: Input,
    pub authority: Input,
    pub scope: Input,
    pub api_host: Input,
    pub project_id: Input,
    /// The audiences besides `lcs`, comma-separated.
    pub audiences: Input,
    pub region: Region,
    pub flow: Flow,
    pub password: PasswordField,
    pub remember: bool,
    pub advanced: bool,
    pub focus: FieldId,
    /// Fields changed by the user: their errors show while typing.
    pub edited: Vec<FieldId>,
    /// Save was attempted: every error shows.
    pub submitted: bool,
    pub picker: Option<Picker>,
    /// Waiting for the save to finish.
    pub saving: bool,
    pub save_error: Option<String>,
    /// The profile being edited changed or vanished on disk since the form opened.
    pub conflict: Option<String>,
    /// Names of the other profiles (a new name must not clash).
    pub taken: Vec<String>,
}

impl ProfileForm {
    pub fn add(taken: Vec<String>, onboarding: bool) -> Self {
        Self {
            original: None,
            onboarding,
            name: Input::default(),
            tenant: Input::default(),
            client_id: Input::default(),
            username: Input::default(),
            authority: Input::default(),
            scope: Input::default(),
            api_host: Input::default(),
            project_id: Input::default(),
            audiences: Input::default(),
            region: Region::Global,
            flow: Flow::Password,
            password: PasswordField::default(),
            remember: false,
            advanced: false,
            focus: FieldId::Name,
            edited: Vec::new(),
            submitted: false,
            picker: None,
            saving: false,
            save_error: None,
            conflict: None,
            taken,
        }
    }

    pub fn edit(p: &Profile, taken: Vec<String>) -> Self {
        let text = |s: Option<&str>| Input::new(s.unwrap_or_default().to_string());
        let mut form = Self::add(taken, false);
        form.original = Some(p.clone());
        form.name = text(Some(p.name.as_str()));
        form.tenant = text(Some(p.tenant.as_str()));
        form.client_id = text(Some(p.client_id.as_str()));
        form.username = text(p.username.as_deref());
        form.authority = text(p.authority.as_ref().map(BaseUrl::as_str));
        form.scope = text(p.scope.as_deref());
        form.api_host = text(p.api_host.as_ref().map(BaseUrl::as_str));
        form.project_id = text(p.project_id.as_ref().map(ProjectId::as_str));
        form.audiences = Input::new(lcsauth::audience::format_list(&p.audiences));
        form.region = p.region;
        form.flow = p.flow;
        form.remember = p.remember_password;
        form.advanced = p.authority.is_some()
            || p.scope.is_some()
            || p.api_host.is_some()
            || p.project_id.is_some()
            || !p.audiences.is_empty();
        form
    }

    pub fn is_edit(&self) -> bool {
        self.original.is_some()
    }

    /// The fields on screen, in order: password fields only for the password flow, the
    /// overrides only when asked for (or needed by the custom region).
    pub fn fields(&self) -> Vec<FieldId> {
        use FieldId::{
            Advanced, ApiHost, Authority, ClientId, Name, Password, ProjectId, Region as R, Remember, Scope, Tenant,
            Username,
        };
        let mut f = vec![Name, Tenant, ClientId, R, Username, FieldId::Flow];
        if self.flow == Flow::Password {
            f.extend([Password, Remember]);
        }
        f.push(Advanced);
        if self.shows_advanced() {
            f.extend([Authority, Scope, ApiHost, ProjectId, FieldId::Audiences]);
        }
        f
    }

    pub fn shows_advanced(&self) -> bool {
        self.advanced || self.region == Region::Custom
    }

    pub fn input(&self, field: FieldId) -> Option<&Input> {
        Some(match field {
            FieldId::Name => &self.name,
            FieldId::Tenant => &self.tenant,
            FieldId::ClientId => &self.client_id,
            FieldId::Username => &self.username,
            FieldId::Authority => &self.authority,
            FieldId::Scope => &self.scope,
            FieldId::ApiHost => &self.api_host,
            FieldId::ProjectId => &self.project_id,
            FieldId::Audiences => &self.audiences,
            _ => return None,
        })
    }

    fn input_mut(&mut self, field: FieldId) -> Option<&mut Input> {
        Some(match field {
            FieldId::Name => &mut self.name,
            FieldId::Tenant => &mut self.tenant,
            FieldId::ClientId => &mut self.client_id,
            FieldId::Username => &mut self.username,
            FieldId::Authority => &mut self.authority,
            FieldId::Scope => &mut self.scope,
            FieldId::ApiHost => &mut self.api_host,
            FieldId::ProjectId => &mut self.project_id,
            FieldId::Audiences => &mut self.audiences,
            _ => return None,
        })
    }

    /// The entries of a choice field's list, and which one is current.
    pub fn choices(&self, field: FieldId) -> (Vec<(String, String)>, usize) {
        if field == FieldId::Flow {
            let items = FLOWS
                .iter()
                .map(|f| (f.key().to_string(), flow_note(*f).to_string()))
                .collect();
            return (items, FLOWS.iter().position(|f| *f == self.flow).unwrap_or(0));
        }
        let items = regions()
            .map(|r| {
                let note = r.info().map_or("your own API host, scope and authority".into(), |i| {
                    format!("{} · {}", i.name, i.api_host)
                });
                (r.key().to_string(), note)
            })
            .collect();
        (items, regions().position(|r| r == self.region).unwrap_or(0))
    }

    fn set_choice(&mut self, field: FieldId, index: usize) {
        match field {
            FieldId::Flow => self.flow = FLOWS[index % FLOWS.len()],
            FieldId::Region => {
                if let Some(r) = regions().nth(index) {
                    self.region = r;
                }
            }
            _ => {}
        }
        self.mark_edited(field);
    }

    fn cycle(&mut self, field: FieldId, forward: bool) {
        match field.kind() {
            FieldKind::Choice => {
                let (items, current) = self.choices(field);
                let n = items.len();
                let next = if forward {
                    (current + 1) % n
                } else {
                    (current + n - 1) % n
                };
                self.set_choice(field, next);
            }
            FieldKind::Toggle => self.toggle(field),
            FieldKind::Text | FieldKind::Secret => {}
        }
    }

    fn toggle(&mut self, field: FieldId) {
        match field {
            FieldId::Remember => self.remember = !self.remember,
            FieldId::Advanced => self.advanced = !self.advanced,
            _ => {}
        }
        self.mark_edited(field);
    }

    fn mark_edited(&mut self, field: FieldId) {
        if !self.edited.contains(&field) {
            self.edited.push(field);
        }
        self.save_error = None;
    }

    fn move_focus(&mut self, forward: bool) {
        let fields = self.fields();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = fields.len();
        self.focus = fields[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    /// Handles a key; `Submit` carries a profile that passed every check.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormOutcome {
        if self.saving {
            return FormOutcome::Stay;
        }
        if let Some(picker) = self.picker {
            self.picker_key(picker, key);
            return FormOutcome::Stay;
        }
        let kind = self.focus.kind();
        match keymap::lookup(keymap::FORM, key) {
            Some(FormAction::Cancel) => return FormOutcome::Cancel,
            Some(FormAction::Save) => return self.submit(),
            Some(FormAction::Next) => self.move_focus(true),
            Some(FormAction::Prev) => self.move_focus(false),
            Some(FormAction::Open) if kind == FieldKind::Choice => {
                let (_, cursor) = self.choices(self.focus);
                self.picker = Some(Picker {
                    field: self.focus,
                    cursor,
                });
            }
            Some(FormAction::Open) if kind == FieldKind::Toggle => self.toggle(self.focus),
            Some(a @ (FormAction::ChoiceNext | FormAction::ChoicePrev))
                if matches!(kind, FieldKind::Choice | FieldKind::Toggle) =>
            {
                self.cycle(self.focus, a == FormAction::ChoiceNext);
            }
            _ => self.type_key(key),
        }
        if !self.fields().contains(&self.focus) {
            self.focus = FieldId::Advanced;
        }
        FormOutcome::Stay
    }

    fn type_key(&mut self, key: &KeyEvent) {
        let field = self.focus;
        match field.kind() {
            FieldKind::Secret => match key.code {
                KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                    self.password.push(c);
                }
                KeyCode::Backspace => self.password.pop(),
                KeyCode::Char('u') if key.modifiers == KeyModifiers::CONTROL => self.password.clear(),
                _ => return,
            },
            FieldKind::Text => {
                let Some(request) = to_input_request(&Event::Key(*key)) else {
                    return;
                };
                let Some(input) = self.input_mut(field) else { return };
                if input.handle(request).is_none_or(|changed| !changed.value) {
                    return;
                }
            }
            FieldKind::Choice | FieldKind::Toggle => return,
        }
        self.mark_edited(field);
    }

    fn picker_key(&mut self, mut picker: Picker, key: &KeyEvent) {
        let (items, _) = self.choices(picker.field);
        match keymap::lookup(keymap::LIST, key) {
            Some(ListAction::Up) => picker.cursor = picker.cursor.saturating_sub(1),
            Some(ListAction::Down) => picker.cursor = (picker.cursor + 1).min(items.len().saturating_sub(1)),
            Some(ListAction::Choose) => {
                self.set_choice(picker.field, picker.cursor);
                self.picker = None;
                return;
            }
            Some(ListAction::Close) => {
                self.picker = None;
                return;
            }
            None => return,
        }
        self.picker = Some(picker);
    }

    fn submit(&mut self) -> FormOutcome {
        self.submitted = true;
        match self.check() {
            Ok(profile) => {
                self.saving = true;
                self.save_error = None;
                let password = if profile.flow == Flow::Password {
                    self.password.take()
                } else {
                    None
                };
                FormOutcome::Submit(Box::new(SaveJob {
                    original: self.original.clone(),
                    profile,
                    password,
                }))
            }
            Err(errors) => {
                if let Some((field, _)) = errors.first() {
                    self.focus = *field;
                }
                FormOutcome::Stay
            }
        }
    }

    /// Whether the error of `field` should be on screen now.
    pub fn shows_error(&self, field: FieldId) -> bool {
        self.submitted || self.edited.contains(&field)
    }
}
