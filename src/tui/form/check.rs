//! The form's validation: each field through the same parsers the command line uses, then the
//! profile's cross-field rules (`Profile::validate`), each error marking the field it names.

use std::str::FromStr;

use lcsauth::profile::{BadUrl, BadValue, BaseUrl, ClientId, Field, Flow, Profile, ProfileName, ProjectId, Tenant};

use crate::tui::form::state::{FieldId, ProfileForm};

type Errors = Vec<(FieldId, String)>;

/// A field the profile cannot do without; its error marks the field the check names.
fn required<T: FromStr<Err = BadValue>>(text: &str, field: Field, what: &str, errors: &mut Errors) -> Option<T> {
    let t = text.trim();
    if t.is_empty() {
        errors.push((input_of(field), format!("required: {what}")));
        return None;
    }
    t.parse()
        .map_err(|e: BadValue| errors.push((input_of(e.field()), e.to_string())))
        .ok()
}

fn optional<T: FromStr<Err = BadValue>>(text: &str, errors: &mut Errors) -> Option<T> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse()
        .map_err(|e: BadValue| errors.push((input_of(e.field()), e.to_string())))
        .ok()
}

/// A URL field: a URL's check cannot know which field it is for, so the caller says.
fn optional_url(text: &str, field: Field, errors: &mut Errors) -> Option<BaseUrl> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse()
        .map_err(|e: BadUrl| errors.push((input_of(field), e.to_string())))
        .ok()
}

/// The form's input for a field of the profile; a field not on the form is told at the top.
fn input_of(field: Field) -> FieldId {
    match field {
        Field::Tenant => FieldId::Tenant,
        Field::ClientId => FieldId::ClientId,
        Field::Region => FieldId::Region,
        Field::Username => FieldId::Username,
        Field::Flow => FieldId::Flow,
        Field::Authority => FieldId::Authority,
        Field::Scope => FieldId::Scope,
        Field::ApiHost => FieldId::ApiHost,
        Field::ProjectId => FieldId::ProjectId,
        Field::RememberPassword => FieldId::Remember,
        Field::Audiences => FieldId::Audiences,
        Field::Name | Field::EnvironmentId | Field::Cloud => FieldId::Name,
    }
}

impl ProfileForm {
    /// The profile the form describes, or every problem with the field it belongs to.
    pub fn check(&self) -> Result<Profile, Errors> {
        let mut errors = Errors::new();
        let name: Option<ProfileName> = required(
            self.name.value(),
            Field::Name,
            "1 to 64 letters, digits, '.', '_' or '-'",
            &mut errors,
        );
        if let Some(n) = &name {
            let renamed = self.original.as_ref().is_none_or(|o| o.name != *n);
            if renamed && self.taken.iter().any(|t| t == n.as_str()) {
                errors.push((FieldId::Name, format!("a profile named '{n}' already exists")));
            }
        }
        let tenant: Option<Tenant> = required(
            self.tenant.value(),
            Field::Tenant,
            "the tenant's domain (contoso.onmicrosoft.com), its GUID, or organizations",
            &mut errors,
        );
        let client_id: Option<ClientId> = required(
            self.client_id.value(),
            Field::ClientId,
            "the app registration's Application (client) ID, a GUID",
            &mut errors,
        );
        let authority = optional_url(self.authority.value(), Field::Authority, &mut errors);
        let api_host = optional_url(self.api_host.value(), Field::ApiHost, &mut errors);
        let project_id: Option<ProjectId> = optional(self.project_id.value(), &mut errors);
        let audiences = lcsauth::audience::parse_list(self.audiences.value())
            .map_err(|e| errors.push((input_of(Field::Audiences), e.to_string())))
            .unwrap_or_default();
        let username = Some(self.username.value().trim().to_string()).filter(|u| !u.is_empty());
        let scope = Some(self.scope.value().trim().to_string()).filter(|s| !s.is_empty());
        // A field that failed its own check already has its error. Stand-ins take its place
        // so the cross-field rules still speak up (a password flow without a username) while
        // the user fixes it.
        let (Some(name), Some(tenant), Some(client_id)) = (
            name.or_else(|| "x".parse().ok()),
            tenant.or_else(|| "organizations".parse().ok()),
            client_id.or_else(|| "00000000-0000-0000-0000-000000000000".parse().ok()),
        ) else {
            return Err(errors);
        };
        let profile = Profile {
            name,
            tenant,
            client_id,
            region: self.region,
            username,
            flow: self.flow,
            authority,
            scope,
            api_host,
            project_id,
            // Not on the form: kept as it was.
            environment_id: self.original.as_ref().and_then(|p| p.environment_id.clone()),
            // The switch is only on screen for the password flow; elsewhere it means nothing.
            remember_password: self.remember && self.flow == Flow::Password,
            // The cloud is not on the form: an edit keeps the profile's.
            cloud: self.original.as_ref().and_then(|p| p.cloud),
            audiences,
        };
        if let Err(e) = profile.validate() {
            // The form already says which profile this is: the problem without its name.
            errors.push((input_of(e.field()), e.problem.to_string()));
        }
        if errors.is_empty() { Ok(profile) } else { Err(errors) }
    }

    /// The problems to show now: those of edited fields, or all after a save attempt.
    pub fn visible_errors(&self) -> Errors {
        match self.check() {
            Ok(_) => Vec::new(),
            Err(all) => all.into_iter().filter(|(f, _)| self.shows_error(*f)).collect(),
        }
    }
}
