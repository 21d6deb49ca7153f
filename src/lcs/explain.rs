//! How a probe's verdict reads, the same in `lcsauth probe` and on the board: a headline for a
//! status line and a sentence that explains it. The way forward is each front's own (a command
//! on the command line, a key on the board), added after the sentence.

use std::time::Duration;

use super::{EnvironmentSummary, Verdict};

/// What a probe asked about. The profile and the API host are named in the sentence only when
/// given: the board shows them beside it, the command line does not.
#[derive(Clone, Copy, Debug)]
pub struct Asked<'a> {
    pub project: &'a str,
    pub profile: Option<&'a str>,
    pub api_host: Option<&'a str>,
}

impl Verdict {
    /// The verdict in a few words ("works, 2 environments", "token rejected (401)").
    pub fn headline(&self) -> String {
        match self {
            Self::Works {
                environments,
                more_pages,
            } => format!("works, {}", environment_count(environments, *more_pages)),
            Self::TokenRejected => "token rejected (401)".into(),
            Self::NotMember { .. } => "not a project member".into(),
            Self::Throttled { .. } => "throttled (429)".into(),
            Self::Refused { .. } => "LCS answered IsSuccess: false".into(),
            Self::Unexpected { status, .. } => format!("unexpected answer (status {status})"),
        }
    }

    /// What the verdict means, in one sentence. `quote` writes the words that come from LCS
    /// (its message, activity id, detail): the board hides the addresses in them.
    pub fn explain(&self, asked: Asked<'_>, quote: impl Fn(&str) -> String) -> String {
        let Asked {
            project,
            profile,
            api_host,
        } = asked;
        let on = |word: &str| api_host.map(|h| format!(" {word} {h}")).unwrap_or_default();
        let of = profile.map(|p| format!(" of '{p}'")).unwrap_or_default();
        match self {
            Self::Works {
                environments,
                more_pages,
            } => format!(
                "works: the token{of} reads project {project}{} ({})",
                on("on"),
                environment_count(environments, *more_pages)
            ),
            Self::TokenRejected => format!(
                "token rejected (401){}: it expired, or it was issued for another LCS region",
                on("by")
            ),
            Self::NotMember { message } => format!(
                "not a project member: the user is not a member of project {project}: {}. The user must be \
                 Project owner or Environment admin there, and must have accepted the invitation and opened \
                 the project once",
                quote(message)
            ),
            Self::Throttled { retry_after } => throttled_text(*retry_after),
            Self::Refused { message, activity_id } => refused_text(message, activity_id.as_deref(), quote),
            Self::Unexpected { status, detail } => {
                format!("unexpected answer{} (status {status}): {}", on("from"), quote(detail))
            }
        }
    }
}

/// The sentence for an LCS envelope that says `IsSuccess: false`, for the probe and for
/// `lcsauth api` alike: LCS's own message, and the activity id to quote to Microsoft.
pub fn refused_text(message: &str, activity_id: Option<&str>, quote: impl Fn(&str) -> String) -> String {
    format!(
        "LCS answered IsSuccess: false: {}{}",
        quote(message),
        activity_id
            .map(|a| format!(" (activity id {})", quote(a)))
            .unwrap_or_default()
    )
}

/// How many environments a probe listed: "1 environment", "20+ environments" when LCS has
/// more pages.
fn environment_count(environments: &[EnvironmentSummary], more_pages: bool) -> String {
    format!(
        "{}{} environment{}",
        environments.len(),
        if more_pages { "+" } else { "" },
        if environments.len() == 1 { "" } else { "s" }
    )
}

/// The sentence for a throttled probe; without a `Retry-After`, a minute.
fn throttled_text(retry_after: Option<Duration>) -> String {
    format!(
        "throttled (429): LCS allows six calls per project per minute; retry after {}s",
        retry_after.map_or(60, |d| d.as_secs())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOARD: Asked<'static> = Asked {
        project: "1234567",
        profile: None,
        api_host: None,
    };
    const CLI: Asked<'static> = Asked {
        project: "1234567",
        profile: Some("contoso-prod"),
        api_host: Some("https://lcsapi.lcs.dynamics.com"),
    };

    fn env() -> EnvironmentSummary {
        EnvironmentSummary {
            environment_name: None,
            environment_type: None,
            deployment_status_display: None,
        }
    }

    #[test]
    fn probe_words_shared_by_both_fronts_count_environments_and_default_the_wait_to_a_minute() {
        let env = env();
        assert_eq!(environment_count(&[], false), "0 environments");
        assert_eq!(environment_count(std::slice::from_ref(&env), false), "1 environment");
        assert_eq!(environment_count(&[env.clone(), env], true), "2+ environments");
        assert!(throttled_text(None).ends_with("retry after 60s"));
        assert!(throttled_text(Some(Duration::from_secs(7))).ends_with("retry after 7s"));
        assert_eq!(Verdict::TokenRejected.key(), "token_rejected");
        assert_eq!(Verdict::Throttled { retry_after: None }.key(), "throttled");
    }

    #[test]
    fn each_sentence_starts_with_its_headline() {
        let verdicts = [
            Verdict::TokenRejected,
            Verdict::NotMember {
                message: "User is not authorized to access project 1234567".into(),
            },
            Verdict::Throttled { retry_after: None },
            Verdict::Refused {
                message: "Maximum allowed API operations are 3".into(),
                activity_id: None,
            },
            Verdict::Unexpected {
                status: 502,
                detail: "Bad Gateway".into(),
            },
        ];
        for v in verdicts {
            let sentence = v.explain(BOARD, str::to_string);
            assert!(sentence.starts_with(&format!("{}:", v.headline())), "{sentence}");
        }
    }

    #[test]
    fn the_profile_and_the_api_host_are_named_only_when_given() {
        let works = Verdict::Works {
            environments: vec![env()],
            more_pages: false,
        };
        assert_eq!(
            works.explain(BOARD, str::to_string),
            "works: the token reads project 1234567 (1 environment)"
        );
        assert_eq!(
            works.explain(CLI, str::to_string),
            "works: the token of 'contoso-prod' reads project 1234567 on https://lcsapi.lcs.dynamics.com (1 environment)"
        );
        let odd = Verdict::Unexpected {
            status: 502,
            detail: "Bad Gateway".into(),
        };
        assert_eq!(
            odd.explain(BOARD, str::to_string),
            "unexpected answer (status 502): Bad Gateway"
        );
        assert!(
            odd.explain(CLI, str::to_string)
                .starts_with("unexpected answer from https://lcsapi.lcs.dynamics.com (status 502)")
        );
    }

    #[test]
    fn only_the_words_of_lcs_go_through_quote() {
        let refused = Verdict::Refused {
            message: "Maximum allowed API operations are 3".into(),
            activity_id: Some("abc".into()),
        };
        assert_eq!(
            refused.explain(BOARD, |w: &str| format!("[{w}]")),
            "LCS answered IsSuccess: false: [Maximum allowed API operations are 3] (activity id [abc])"
        );
        let rejected = Verdict::TokenRejected.explain(CLI, |_: &str| "[quoted]".into());
        assert!(!rejected.contains("[quoted]"), "{rejected}");
    }
}
